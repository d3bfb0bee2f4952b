"""The session-10 `stock_phrase` annotation (corpus/specs/stock_phrase_2026/): agreement between
the two blind annotators (Cohen's κ), how many sentences the third settled, flags per split, and
whether the corpus flags are exactly what the annotation decided (both annotators, or the third
where they differed).

    python corpus/tools/stock_agreement.py
"""
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "corpus" / "specs" / "stock_phrase_2026"


def sentence_ids(report_id: str) -> dict[str, bool]:
    """Sentence id (b<line>s<k>, as the annotators saw it) → the corpus's stock_phrase flag, for
    every body sentence (headings and tables were shown for context only)."""
    folder = "archive" if report_id.startswith("a") else "reports"
    out = {}
    lines = (ROOT / "corpus" / folder / f"{report_id}.jsonl").read_text(encoding="utf-8").splitlines()
    for b, line in enumerate(lines):
        block = json.loads(line)
        if "meta" in block or block["block"] in ("heading", "table"):
            continue
        for k, s in enumerate(block["sents"]):
            out[f"b{b}s{k}"] = len(s) > 2 and "stock_phrase" in s[2]
    return out


def kappa(a: set, b: set, n: int) -> float:
    agree = (n - len(a ^ b)) / n
    pa, pb = len(a) / n, len(b) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return (agree - chance) / (1 - chance)


def agreement() -> dict:
    first = json.loads((SPECS / "annotator_A.json").read_text(encoding="utf-8"))
    second = json.loads((SPECS / "annotator_B.json").read_text(encoding="utf-8"))
    settled = json.loads((SPECS / "adjudication.json").read_text(encoding="utf-8"))
    splits = yaml.safe_load((ROOT / "corpus" / "splits.yaml").read_text(encoding="utf-8"))
    split_of = {r: name for name in ("train", "dev", "test") for r in splits[name]}
    corpus, a, b = {}, set(), set()
    for report in first:
        for sid, flagged in sentence_ids(report).items():
            corpus[(report, sid)] = flagged
        a |= {(report, s) for s in first[report]}
        b |= {(report, s) for s in second[report]}
    decided = (a & b) | {tuple(k.split()) for k, v in settled.items() if v}
    flagged = {q for q, f in corpus.items() if f}
    per_split = {name: sum(1 for q in decided if split_of.get(q[0]) == name) for name in ("train", "dev", "test")}
    return {"reports": len(first), "sentences": len(corpus), "annotator_a": len(a), "annotator_b": len(b),
            "kappa": round(kappa(a, b, len(corpus)), 3), "settled_by_third": len(a ^ b),
            "flags": len(decided), "per_split": per_split,
            "corpus_differs": sorted(f"{r} {s}" for r, s in flagged ^ decided)}


if __name__ == "__main__":
    result = agreement()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(1 if result["corpus_differs"] else 0)
