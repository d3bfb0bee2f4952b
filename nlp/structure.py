"""The report's heading tree and the kind of every section.

Headings come from the readers (Word styles, PDF font size) and from numbering patterns in the
text (一、 （一） 1. （1）), since plain text and many PDFs carry no styles. A section's kind
(achievements, problems, causes, measures, …) comes from the words of its heading
(nlp/data/section_kinds.yaml); a sub-heading without telling words inherits its parent's kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.document import Block, BlockKind
from nlp.settings import data_path, read_yaml

NUMBERING = [
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
]
KINDS = ("problems_causes", "rectification", "measures", "causes", "problems", "achievements")
MAX_HEADING_CHARS = 40
INLINE_HEADING_END = re.compile(r"[。：:]")


@dataclass
class Section:
    heading: str | None
    kind: str  # one of KINDS, "other" (the title), "unknown" (a heading with no telling words)
    #            or "none" (before any heading, or a report without headings)
    level: int


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return read_yaml(data_path("section_kinds.yaml"))


def heading_kind(text: str, strong_only: bool = False) -> str | None:
    """The section kind a heading announces, or None when its words tell nothing.

    `strong_only` ignores the generic achievement words (工作, 情况, 推动 …): a sub-heading under
    "二、存在的问题" that says "1.网格党支部作用发挥不平衡" is still a problem.
    """
    lex = _lexicon()
    for kind in KINDS:
        if strong_only and kind == "achievements":
            continue
        spec = lex.get(kind, {})
        if "all_of" in spec and all(any(w in text for w in group) for group in spec["all_of"]):
            return kind
        if "any_of" in spec and any(w in text for w in spec["any_of"]):
            return kind
    return None


def numbering_level(text: str) -> int | None:
    for level, pattern in NUMBERING:
        if pattern.match(text):
            return level
    return None


def heading_level(block: Block) -> int | None:
    """The block's heading level, or None if it is body text.

    A styled heading keeps its level; a short numbered paragraph without a full stop inside is a
    heading of the level its numbering implies ("（一）坚持政治引领" but not "1. 发展党员15名。").
    """
    text = block.text.strip()
    if block.kind is BlockKind.HEADING:
        return block.level
    if block.kind is BlockKind.TABLE_CELL or len(text) > MAX_HEADING_CHARS:
        return None
    level = numbering_level(text)
    if level is None:
        return None
    body = text.rstrip("。；;：:")
    if any(p in body for p in "。；;！？"):
        return None
    return level


def inline_heading(block: Block) -> tuple[int, str] | None:
    """(level, heading) of a paragraph that opens with its own numbered heading, run into the
    text as plain text and many PDFs have it: "二、存在的问题。一是……", "（一）抓班子：……".
    The paragraph stays body text, but it opens the section its heading names."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return None
    text = block.text.strip()
    level = numbering_level(text)
    end = INLINE_HEADING_END.search(text)
    if level is None or end is None or end.start() > MAX_HEADING_CHARS or not text[end.end():].strip():
        return None
    return level, text[:end.start()]


def sections_for_blocks(blocks: list[Block]) -> tuple[list[Section], list[int | None]]:
    """The section every block belongs to, and each block's heading level (None for body text)."""
    stack: list[Section] = []
    out: list[Section] = []
    levels: list[int | None] = []
    for block in blocks:
        level = heading_level(block)
        levels.append(level)
        opened = (level, block.text) if level is not None else inline_heading(block)
        if opened is not None:
            level, heading = opened
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1].kind if stack else None
            if level == 0:
                kind = "other"
            elif level == 1 or parent is None:
                kind = heading_kind(heading) or "unknown"
            else:
                kind = heading_kind(heading, strong_only=True) or parent
            section = Section(heading, kind, level)
            if level > 0:
                stack.append(section)
            out.append(section)
        else:
            out.append(stack[-1] if stack else Section(None, "none", 0))
    return out, levels
