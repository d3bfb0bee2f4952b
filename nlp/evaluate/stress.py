"""Stress variants of annotated reports: how the labeller holds up on the shapes that issue #4
names and that real submissions take — reports without headings, a fragment that starts inside a
sentence a third of the way in, an achievement-only text, headings run into the paragraph after
them, numbers replaced by placeholders.

Each variant is cut or masked from a gold report, its text and its label characters together, so
the gold stays exact without a second annotation. The figures are the usual character-level ones
(nlp/evaluate/labels.py); for the achievement-only variant the gold share is 0, so its share MAE
is the share of invented problems and causes.
"""
from __future__ import annotations

from dataclasses import replace

from nlp.classify.dataset import Example, make_example, without_headings
from nlp.corpus import LABEL_CHAR
from nlp.document import BlockKind
from nlp.evaluate.labels import Predictor, evaluate

PLACEHOLDER_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "X" * 20)
PROBLEM_CHARS = {LABEL_CHAR["PROB"], LABEL_CHAR["CAUSE"]}


def fragment_from_middle(ex: Example) -> Example:
    """From the middle of the first body block at a third of the report on: no title, no
    addressee, the first sentence cut — what a reviewer pastes from a longer file."""
    start = next((i for i in range(len(ex.blocks) // 3, len(ex.blocks))
                  if ex.blocks[i].kind is not BlockKind.HEADING and len(ex.blocks[i].text) > 1), None)
    if start is None:
        return ex
    first, labels = ex.blocks[start], ex.block_labels[start]
    cut = len(first.text) // 2
    blocks = [replace(first, text=first.text[cut:])] + ex.blocks[start + 1:]
    return make_example(ex.id + "~fragment", blocks, [labels[cut:]] + ex.block_labels[start + 1:])


def achievements_only(ex: Example) -> Example:
    """The report with every problem and cause sentence taken out (headings included): a text
    of praise and plans, in which the labeller must not find problems."""
    kept_text = [""] * len(ex.blocks)
    kept_labels = [""] * len(ex.blocks)
    for s in ex.sentences:
        labels = ex.block_labels[s.block][s.start:s.end]
        if not any(ch in PROBLEM_CHARS for ch in labels):
            kept_text[s.block] += ex.blocks[s.block].text[s.start:s.end]
            kept_labels[s.block] += labels
    keep = [i for i, t in enumerate(kept_text) if t.strip()]
    return make_example(ex.id + "~achievements", [replace(ex.blocks[i], text=kept_text[i]) for i in keep],
                        [kept_labels[i] for i in keep])


def inline_headings(ex: Example) -> Example:
    """Every numbered heading run into the paragraph after it ("二、存在的问题。一是……"), as a
    plain-text or PDF copy often has them: the heading is no longer a block of its own."""
    blocks, labels, i = [], [], 0
    while i < len(ex.blocks):
        block, label = ex.blocks[i], ex.block_labels[i]
        following = ex.blocks[i + 1] if i + 1 < len(ex.blocks) else None
        if (block.kind is BlockKind.HEADING and block.level >= 1 and following is not None
                and following.kind is BlockKind.PARAGRAPH):
            stop = "" if block.text.endswith(("。", "：", ":")) else "。"
            blocks.append(replace(following, text=block.text + stop + following.text))
            labels.append(label + label[-1:] * len(stop) + ex.block_labels[i + 1])
            i += 2
            continue
        blocks.append(block)
        labels.append(label)
        i += 1
    return make_example(ex.id + "~inline", blocks, labels)


def placeholders(ex: Example) -> Example:
    """Every digit replaced by X, as in a template or a redacted copy ("全年发展党员XX名")."""
    return make_example(ex.id + "~placeholders",
                        [replace(b, text=b.text.translate(PLACEHOLDER_DIGITS)) for b in ex.blocks],
                        ex.block_labels)


VARIANTS = {
    "as written": lambda ex: ex,
    "no headings": without_headings,
    "fragment from the middle": fragment_from_middle,
    "achievements only": achievements_only,
    "headings run into the text": inline_headings,
    "numbers as placeholders": placeholders,
}


def stress(predict: Predictor, examples: list[Example]) -> dict[str, dict]:
    """Variant name → the character-level figures of `predict` on that variant of every report."""
    return {name: evaluate(predict, [make(ex) for ex in examples]) for name, make in VARIANTS.items()}


def stress_table(results: dict[str, dict]) -> str:
    rows = ["| variant | reports | char acc | macro-F1 | share MAE (pts) | max err (pts) | verdict acc |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, m in results.items():
        rows.append(f"| {name} | {m['reports']} | {m['char_accuracy']:.3f} | {m['macro_f1']:.3f} | "
                    f"{m['share_mae_points']:.2f} | {m['share_max_error_points']:.1f} | "
                    f"{m['verdict_accuracy']:.1%} |")
    return "\n".join(rows)
