"""Each sentence with what a reader knows about it: its section, its block, its neighbours."""
from __future__ import annotations

from dataclasses import dataclass

from nlp.document import Block, BlockKind
from nlp.sentences import Sentence
from nlp.structure import heading_kind, sections_for_blocks


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
    column_kind: str | None = None  # table cells: what the column's header announces ("none")
    table_kinds: str | None = None  # table cells: the kinds of all the table's headers, joined


def table_columns(blocks: list[Block]) -> dict[tuple[int, int], str]:
    """(table, column) → the kind its header cell announces, read with the section lexicon.
    A 问题清单 of 问题 | 原因 | 整改措施 sets three roles side by side, and the kinds of all the
    headers together tell it from a report on last year's list (问题 | 整改措施 | 完成情况)."""
    return {(b.table, b.col): heading_kind(b.text) or "none" for b in blocks
            if b.kind is BlockKind.TABLE_CELL and b.row == 0 and b.table is not None}


def report_contexts(blocks: list[Block], sentences: list[Sentence]) -> list[SentenceContext]:
    sections, levels = sections_for_blocks(blocks)
    columns = table_columns(blocks)
    kinds_of_table: dict[int, set[str]] = {}
    for (table, _), kind in columns.items():
        kinds_of_table.setdefault(table, set()).add(kind)
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
            **_table_context(blocks[s.block], columns, kinds_of_table),
        ))
    return out


def _table_context(block: Block, columns: dict, kinds_of_table: dict) -> dict:
    if block.kind is not BlockKind.TABLE_CELL or block.table is None:
        return {}
    return {"column_kind": columns.get((block.table, block.col), "none"),
            "table_kinds": "+".join(sorted(kinds_of_table.get(block.table, {"none"})))}
