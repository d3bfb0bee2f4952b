"""From positioned text lines to blocks: the layout rules both PDF readers share.

PDFs exported from WPS or Word keep no paragraph structure, only positioned lines. We rebuild
paragraphs from the geometry: a new paragraph starts at an indented line, after a line that ends
short of the right margin, or after a larger vertical gap. Lines that repeat at the same place on
many pages (running headers) and page-number lines are dropped. Coordinates are pdfplumber's:
points from the top-left corner of the page, `top` above `bottom`.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from nlp.document import Block, BlockKind

PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|"
    r"\d+|page\s*\d+(?:\s*of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)\s*$", re.IGNORECASE)
MARGIN_SHARE = 0.09  # top/bottom share of the page where running headers and footers live


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    rows: list | None = None  # a table found on the page, in place of its lines


def has_doubled_chars(chars) -> bool:
    """Whether any character (a dict with text, x0 and top) is drawn twice at (almost) the same
    place ("fake bold"). The check is linear; pdfplumber's dedupe clusters every character and
    costs most of a page's time, so only pages with doubles pay for it."""
    seen: dict[tuple, list[float]] = {}
    for c in chars:
        xs = seen.setdefault((c["text"], round(c["top"])), [])
        if any(abs(c["x0"] - x) <= 1 for x in xs):
            return True
        xs.append(c["x0"])
    return False


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip())


def drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Remove page numbers and lines repeated in the margins of many pages."""
    in_margin = Counter()
    for lines, h in zip(pages, heights):
        seen = {_shape(ln.text) for ln in lines
                if ln.top < h * MARGIN_SHARE or ln.bottom > h * (1 - MARGIN_SHARE)}
        in_margin.update(seen)
    repeated = {s for s, n in in_margin.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2)}
    kept = []
    for lines, h in zip(pages, heights):
        out = []
        for ln in lines:
            marginal = ln.top < h * MARGIN_SHARE or ln.bottom > h * (1 - MARGIN_SHARE)
            if ln.rows is None and marginal and (PAGE_NUMBER.match(ln.text) or _shape(ln.text) in repeated):
                continue
            out.append(ln)
        kept.append(out)
    return kept


def join(a: str, b: str) -> str:
    """Join wrapped lines: no space between CJK characters, one between Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def paragraphs(all_lines: list[Line]) -> list[Block]:
    lines = [ln for ln in all_lines if ln.rows is None]
    if not all_lines:
        return []
    if not lines:
        lines = all_lines
    body_size = statistics.median(ln.size for ln in lines) or 12.0
    body = [ln for ln in lines if abs(ln.size - body_size) < 0.5] or lines
    left = min(ln.x0 for ln in body)
    right = statistics.median(ln.x1 for ln in body)  # most body lines are full lines
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.bottom]
    normal_gap = statistics.median(gaps) if gaps else body_size * 0.5
    blocks: list[Block] = []
    current: Line | None = None
    text = ""

    def flush():
        nonlocal current, text
        if current is not None and text.strip():
            big = current.size > body_size * 1.15
            kind = BlockKind.HEADING if big and len(text) <= 60 else BlockKind.PARAGRAPH
            level = 0 if big and not blocks else (1 if big else 0)
            blocks.append(Block(kind, text.strip(), level=level if kind is BlockKind.HEADING else 0,
                                page=current.page))
        current, text = None, ""

    prev: Line | None = None
    table = 0
    for ln in all_lines:
        if ln.rows is not None:
            flush()
            for r, row in enumerate(ln.rows):
                for c, cell in enumerate(row):
                    if cell.strip():
                        blocks.append(Block(BlockKind.TABLE_CELL, cell, page=ln.page, table=table, row=r, col=c))
            table += 1
            prev = None
            continue
        title_wrap = (prev is not None and prev.page == ln.page and ln.size > body_size * 1.15
                      and abs(ln.size - prev.size) < 0.5 and ln.top - prev.bottom < ln.size)
        starts_new = not title_wrap and (
            prev is None
            or ln.x0 > left + body_size * 1.2  # first-line indent
            or prev.x1 < right - body_size * 1.5  # previous line ended short
            or (prev.page == ln.page and ln.top - prev.bottom > normal_gap * 1.8 + 2)
            or abs(ln.size - prev.size) > body_size * 0.15
            or (ln.x0 > left + body_size * 0.5 and ln.x1 < right - body_size * 3)  # centred line
        )
        if starts_new:
            flush()
            current, text = ln, ln.text
        else:
            text = join(text, ln.text)
        prev = ln
    flush()
    return blocks
