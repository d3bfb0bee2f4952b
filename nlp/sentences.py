"""Split a Document's blocks into sentences that cover the text exactly.

Rules (corpus/GUIDELINES.md): a sentence ends after 。！？； and any closing quotes or brackets
that directly follow, and at the end of a block; "一是……，二是……" enumerations split before each
"X是"; never inside 《…》 titles, inside a number, or inside a quotation whose sentence goes on
after it. Every non-whitespace character of the body belongs to exactly one sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.document import Block, BlockKind

TERMINALS = set("。！？；!?;")
CLOSERS = set("”’」』）)》】\"'")
_ENUM_NEXT = re.compile(r"[，,、]\s*(?=(?:[二三四五六七八九十]|十[一二三四五六七八九])是)")
_ENUM_FIRST = re.compile(r"(?:^|[：:，。；])\s*(?:一是|首先)")
PAIRS = {"《": "》", "“": "”", "「": "」", "『": "』"}


@dataclass
class Sentence:
    id: int
    text: str
    block: int
    start: int  # offset in the block text
    end: int

    @property
    def chars(self) -> int:
        return sum(1 for c in self.text if not c.isspace())


def _protected_spans(text: str, limit: int = 300) -> list[tuple[int, int]]:
    """Spans inside balanced 《》 and quotes (closed within `limit` characters)."""
    spans = []
    for i, ch in enumerate(text):
        close = PAIRS.get(ch)
        if close:
            j = text.find(close, i + 1, i + 1 + limit)
            if j > 0:
                spans.append((i, j))
    return spans


def split_text(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one block of text."""
    n = len(text)
    inside = bytearray(n)
    for a, b in _protected_spans(text):
        for k in range(a + 1, b):
            inside[k] = 1
    cuts = []
    i = 0
    while i < n:
        ch = text[i]
        if ch in TERMINALS and not inside[i]:
            j = i + 1
            while j < n and (text[j] in CLOSERS or text[j] in TERMINALS):
                j += 1
            cuts.append(j)
            i = j
            continue
        if ch in "”」』" and i > 0 and text[i - 1] in TERMINALS and inside[i - 1]:
            j = i + 1
            while j < n and text[j] in CLOSERS:
                j += 1
            if j < n and text[j] not in "，,、：:的" and not text[j].isspace():
                cuts.append(j)
            elif j >= n:
                cuts.append(j)
            i = j
            continue
        i += 1
    # enumerations joined by commas: "一是……，二是……"
    terminal_cuts = sorted(cuts)
    for m in _ENUM_NEXT.finditer(text):
        pos = m.end()
        start = max([c for c in terminal_cuts if c <= pos] + [0])
        if _ENUM_FIRST.search(text[start:pos]) and not inside[m.start()]:
            cuts.append(pos)
    bounds, start = [], 0
    for cut in sorted(set(cuts)):
        if cut > start:
            bounds.append((start, cut))
            start = cut
    if start < n:
        bounds.append((start, n))
    out = []
    for a, b in bounds:
        seg = text[a:b]
        if not seg.strip():
            continue
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        out.append((a + lead, b - trail))
    return out


def split_blocks(blocks: list[Block]) -> list[Sentence]:
    """All sentences of a document, in order; a heading or table cell is always its own sentence."""
    sentences: list[Sentence] = []
    for bi, block in enumerate(blocks):
        if block.kind in (BlockKind.HEADING, BlockKind.TABLE_CELL):
            spans = [(0, len(block.text))] if block.text.strip() else []
        else:
            spans = split_text(block.text)
        for a, b in spans:
            sentences.append(Sentence(len(sentences), block.text[a:b], bi, a, b))
    return sentences
