"""Write the generated sections of docs/EVALUATION.md between marker comments, keeping the
hand-written text around them."""
from __future__ import annotations

from pathlib import Path

from nlp.classify import SHIPPED_METHOD
from nlp.evaluate.markdown import methods_table, per_label_table, per_report_table


def replace_section(path: Path, name: str, body: str) -> None:
    start, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def write_label_evaluation(path: Path, results: dict) -> None:
    path = Path(path)
    parts = [f"Hyper-parameters chosen on dev: `{results['params']}`."]
    for split, title in (("dev", "Dev (methods trained on train)"),
                         ("test", "Test (methods trained on train + dev; never used for tuning)"),
                         ("holdout", "Style holdout (trained on train + dev)")):
        parts.append(f"### {title}\n\n{methods_table(results[split])}")
    shipped = SHIPPED_METHOD
    for split in ("test", "holdout"):
        parts.append(f"### Shipped model, {split}: per label\n\n{per_label_table(results[split][shipped])}")
        parts.append(f"### Shipped model, {split}: per report\n\n{per_report_table(results[split][shipped])}")
    replace_section(path, "sentence-roles", "\n\n".join(parts))
