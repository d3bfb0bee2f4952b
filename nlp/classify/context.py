"""Each sentence with what a reader knows about it: its section, its block, its neighbours."""
from __future__ import annotations

from dataclasses import dataclass

from nlp.document import Block
from nlp.sentences import Sentence
from nlp.structure import sections_for_blocks


@dataclass
class SentenceContext:
    text: str
    block_kind: str
    heading_level: int | None  # None for body text
    section_kind: str
    section_heading: str | None
    index: int
    count: int
    block_first: bool
    block_last: bool


def report_contexts(blocks: list[Block], sentences: list[Sentence]) -> list[SentenceContext]:
    sections, levels = sections_for_blocks(blocks)
    out = []
    for i, s in enumerate(sentences):
        prev_block = sentences[i - 1].block if i else None
        next_block = sentences[i + 1].block if i + 1 < len(sentences) else None
        out.append(SentenceContext(
            text=s.text,
            block_kind=blocks[s.block].kind.value,
            heading_level=levels[s.block],
            section_kind=sections[s.block].kind,
            section_heading=sections[s.block].heading,
            index=i,
            count=len(sentences),
            block_first=prev_block != s.block,
            block_last=next_block != s.block,
        ))
    return out
