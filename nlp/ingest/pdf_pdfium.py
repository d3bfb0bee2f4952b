"""The fast PDF reader: text lines from pdfium's character boxes.

pdfplumber (on pdfminer) builds Python objects for every glyph; pdfium reads the same characters
in C, and this reader takes about half pdfplumber's time a page (docs/BENCHMARKS.md). It takes the
common case, pages of plain text, and answers None whenever it is not sure, so that pdfplumber
reads the file instead: turned or cropped pages, pages with vector drawings other than horizontal
rules (ruled tables are drawn with them) or form objects, rotated text, "fake bold" doubled
characters, fonts without a Unicode map, no text at all, or a file pdfium cannot open
(encrypted, damaged). Lines are built as pdfplumber's `extract_text_lines` builds them
(characters clustered by their top within 3 points, words split at spaces and at gaps over 3
points and joined by one space) and each character gets pdfminer's box, so that both readers
give the same blocks (tested on every corpus PDF and on LibreOffice exports of sample reports).
"""
from __future__ import annotations

import ctypes
import re
import statistics
import threading
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from nlp.document import Block, BlockKind
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest.pdf_layout import PAGE_NUMBER, Line, has_doubled_chars

TOLERANCE = 3.0  # pdfplumber's default x and y tolerance, in points
_DRAWINGS = {pdfium_c.FPDF_PAGEOBJ_SHADING, pdfium_c.FPDF_PAGEOBJ_FORM}
RULE_HEIGHT = 3.0  # a drawing no taller than this is a horizontal rule, never part of a table
_UNMAPPED = {0, 0xFFFD}
_LOCK = threading.Lock()  # pdfium itself is not thread-safe
CID = re.compile(r"\(cid:\d+\)")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


class _NotPlainText(Exception):
    """The page needs pdfplumber (tables, rotated or doubled text, unmapped fonts)."""


def pdfium_lines(path: Path, max_pages: int) -> tuple[list[list[Line]], list[float]] | None:
    """Each page's text lines and the page heights, or None when pdfplumber must read the file."""
    with _LOCK:
        try:
            pdf = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError:
            return None
        try:
            if len(pdf) > max_pages:
                raise ShuzhiInputError(ErrorCode.FILE_TOO_LARGE, f"{len(pdf)} pages > {max_pages}")
            pages, heights = [], []
            for number in range(1, len(pdf) + 1):
                page = pdf[number - 1]
                try:
                    pages.append(_page_lines(page, number))
                    heights.append(float(page.get_height()))
                finally:
                    page.close()
        except (_NotPlainText, pypdfium2.PdfiumError):
            return None
        finally:
            pdf.close()
    if not any(lines for lines in pages):
        return None  # no text: pdfplumber tells a scan from an empty file
    return pages, heights


def _page_lines(page, number: int) -> list[Line]:
    box = page.get_mediabox()
    if page.get_rotation() or box[:2] != (0, 0) or page.get_cropbox() != box:
        raise _NotPlainText()  # turned or cropped pages: coordinates as pdfplumber reckons them
    if _may_hold_a_table(page.raw):
        raise _NotPlainText()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage.raw, float(page.get_height()))
    finally:
        textpage.close()
    if has_doubled_chars(chars):
        raise _NotPlainText()
    return [line for cluster in _clusters(chars) if (line := _line(cluster, number))]


def _may_hold_a_table(raw_page) -> bool:
    """Whether the page draws anything but horizontal rules (a title's underline, a header's
    line: Word and LibreOffice draw them on most first pages). pdfplumber's table finder needs
    vertical edges to make a cell, so a page of rules alone reads the same either way."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind in _DRAWINGS:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top) \
                    or top.value - bottom.value > RULE_HEIGHT:
                return True
    return False


def _chars(text_page, height: float) -> list[dict]:
    """Characters with pdfminer's box: x from pdfium's loose box, bottom at the font's descent,
    top one font size above it. The matrix (scale, rotation) and the Unicode map are checked
    whenever the font size changes: a run in another font or another orientation (a watermark)
    comes with another size in practice, and per-character calls cost most of this reader's time."""
    box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    chars: list[dict] = []
    font_size, size = None, 0.0
    for i in range(pdfium_c.FPDFText_CountChars(text_page)):
        code = pdfium_c.FPDFText_GetUnicode(text_page, i)
        text = chr(code)
        if text.isspace() and pdfium_c.FPDFText_IsGenerated(text_page, i):
            continue  # line breaks and spaces pdfium inferred
        this_size = pdfium_c.FPDFText_GetFontSize(text_page, i)
        if this_size != font_size:
            font_size = this_size
            pdfium_c.FPDFText_GetMatrix(text_page, i, matrix)
            if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6:
                raise _NotPlainText()  # rotated or skewed text
            if pdfium_c.FPDFText_HasUnicodeMapError(text_page, i):
                raise _NotPlainText()
            size = font_size * abs(matrix.d)
        if code in _UNMAPPED:
            raise _NotPlainText()
        pdfium_c.FPDFText_GetLooseCharBox(text_page, i, box)
        bottom = height - box.bottom
        if chars and chars[-1]["x0"] == box.left and chars[-1]["bottom"] == bottom:
            last = chars[-1]  # one glyph for several characters ("——")
            last["text"] += text
            last["x1"] = min(box.right, box.left + size * len(last["text"]))
            continue
        # The loose box also holds a glyph's overhang; pdfminer's ends at the advance, which is
        # one em for CJK characters.
        chars.append({"text": text, "x0": box.left, "x1": min(box.right, box.left + size),
                      "top": bottom - size, "bottom": bottom, "size": size})
    return chars


def _clusters(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines by their top: sorted tops chain within the tolerance."""
    clusters: list[list[dict]] = []
    last = None
    for c in sorted(chars, key=lambda c: c["top"]):
        if last is None or c["top"] > last + TOLERANCE:
            clusters.append([])
        clusters[-1].append(c)
        last = c["top"]
    return clusters


def _line(cluster: list[dict], number: int) -> Line | None:
    words: list[list[dict]] = []
    current: list[dict] = []
    for c in sorted(cluster, key=lambda c: (c["x0"], c["x1"])):
        if c["text"].isspace():
            current = []
            continue
        prev = current[-1] if current else None
        if prev is None or c["x0"] < prev["x0"] or c["x0"] > prev["x1"] + TOLERANCE \
                or abs(c["top"] - prev["top"]) > TOLERANCE:
            current = [c]
            words.append(current)
        else:
            current.append(c)
    shown = [c for word in words for c in word]
    if not shown:
        return None
    text = " ".join("".join(c["text"] for c in word) for word in words)
    return Line(text, min(c["x0"] for c in shown), max(c["x1"] for c in shown),
                min(c["top"] for c in shown), max(c["bottom"] for c in shown),
                statistics.median(c["size"] for c in shown), number)


def read_plain_text(path: Path) -> list[Block]:
    """Paragraphs from pdfium's plain text, for files whose fonts pdfminer cannot map to Unicode
    ((cid:NNN) garbage): no geometry, paragraphs split at blank lines and indents."""
    with _LOCK:
        try:
            pdf = pypdfium2.PdfDocument(str(path))
            texts = [(i + 1, page.get_textpage().get_text_range()) for i, page in enumerate(pdf)]
        except Exception as e:
            raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"pdfium: {e}") from e
    joined = "".join(t for _, t in texts)
    if CID.search(joined) or not CJK.search(joined) and not joined.strip():
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, "fonts without Unicode mapping")
    blocks = []
    for page, text in texts:
        for para in re.split(r"\r?\n\s*\r?\n|\r?\n(?=[ \u3000]{2})", text):
            para = re.sub(r"\s*\r?\n\s*", "", para).strip()
            if para and not PAGE_NUMBER.match(para):
                blocks.append(Block(BlockKind.PARAGRAPH, para, page=page))
    return blocks
