"""Annotated reports as training and evaluation examples, seen through the real pipeline.

Gold labels belong to the annotator's sentences; our splitter may cut differently. Each of our
sentences takes the label of most of its characters, and evaluation compares characters, so the
figures do not depend on where sentences were cut.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace

from nlp.classify.context import SentenceContext, report_contexts
from nlp.corpus import CHAR_LABEL, GoldReport, to_blocks
from nlp.document import Block, BlockKind
from nlp.sentences import Sentence, split_blocks


@dataclass
class Example:
    id: str
    blocks: list[Block]
    block_labels: list[str]  # one label character per character of each block's text
    sentences: list[Sentence]
    contexts: list[SentenceContext]
    labels: list[str]


def make_example(report_id: str, blocks: list[Block], block_labels: list[str]) -> Example:
    sentences = split_blocks(blocks)
    labels = []
    for s in sentences:
        chars = block_labels[s.block][s.start:s.end]
        text = blocks[s.block].text[s.start:s.end]
        counts = Counter(ch for ch, t in zip(chars, text) if not t.isspace())
        labels.append(CHAR_LABEL[counts.most_common(1)[0][0]] if counts else "OTHER")
    return Example(report_id, blocks, block_labels, sentences, report_contexts(blocks, sentences),
                   labels)


def example_from_report(report: GoldReport) -> Example:
    blocks, block_labels = to_blocks(report)
    return make_example(report.id, blocks, block_labels)


def without_headings(ex: Example) -> Example:
    """The same report with every heading removed: the model must not depend on headings."""
    keep = [i for i, b in enumerate(ex.blocks) if b.kind is not BlockKind.HEADING
            and not (ex.contexts and _is_heading_block(ex, i))]
    return make_example(ex.id + "~noheadings", [ex.blocks[i] for i in keep],
                        [ex.block_labels[i] for i in keep])


def _is_heading_block(ex: Example, block: int) -> bool:
    for s, c in zip(ex.sentences, ex.contexts):
        if s.block == block:
            return c.heading_level is not None
    return False


def fragment(ex: Example, rng: random.Random) -> Example:
    """A contiguous stretch of 40–80% of the blocks, as when a reviewer pastes part of a report."""
    n = len(ex.blocks)
    size = max(3, int(n * rng.uniform(0.4, 0.8)))
    start = rng.randint(0, max(0, n - size))
    return make_example(ex.id + f"~frag{start}", ex.blocks[start:start + size],
                        ex.block_labels[start:start + size])


def unknown_sections(ex: Example) -> Example:
    """Headings kept but their words unknown ("一、回望", "二、反思"): the model must read the text."""
    contexts = [replace(c, section_kind="unknown") if c.section_kind not in ("none", "other") else c
                for c in ex.contexts]
    return replace(ex, id=ex.id + "~unknown", contexts=contexts)


def augment(examples: list[Example], seed: int = 0) -> list[Example]:
    """Originals plus, for each, a no-headings copy, a copy with unknown section kinds and a
    fragment (deterministic with `seed`)."""
    rng = random.Random(seed)
    out = list(examples)
    for ex in examples:
        out.append(without_headings(ex))
        out.append(unknown_sections(ex))
        out.append(fragment(ex, rng))
    return out
