"""Read text PDFs with pdfplumber: reading order, joined CJK lines, no running headers or page numbers.

PDFs exported from WPS or Word keep no paragraph structure, only positioned lines. Ruled tables
(a rectification plan is usually one) are found by pdfplumber's table finder on pages that have
ruling lines, and become table cells; the text inside them is not read again as lines. We rebuild
paragraphs from the geometry: a new paragraph starts at an indented line, after a line that ends
short of the right margin, or after a larger vertical gap. Lines that repeat at the same place on
many pages (running headers) and page-number lines are dropped. Doubled "fake bold" characters are
removed with pdfplumber's dedupe.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from nlp.document import Block, BlockKind
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.settings import Limits

PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|"
    r"\d+|page\s*\d+(?:\s*of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)\s*$", re.IGNORECASE)
CID = re.compile(r"\(cid:\d+\)")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
SENTENCE_END = tuple("。！？；：…”’）)》」』")
MARGIN_SHARE = 0.09  # top/bottom share of the page where running headers and footers live


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    rows: list | None = None  # a table found on the page, in place of its lines


def _tables(page) -> list:
    """Ruled tables of the page (only pages with ruling lines are searched: it costs time)."""
    if not (page.edges or page.rects):
        return []
    # A row split over a page break has no closing rule on either page: close it where the
    # table's vertical rules end, so that its pieces are still read as cells.
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    closing = sorted({round(min(e["top"] for e in verticals), 1),
                      round(max(e["bottom"] for e in verticals), 1)}) if verticals else []
    try:
        tables = page.find_tables({"explicit_horizontal_lines": closing}) if closing else page.find_tables()
        return [t for t in tables if len(t.rows) >= 2]
    except Exception:  # a malformed drawing must not cost the page its text
        return []


def _inside(ln: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (ln["x0"] + ln["x1"]) / 2, (ln["top"] + ln["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _has_doubled_chars(page) -> bool:
    """Whether any character is drawn twice at (almost) the same place ("fake bold"). The check
    is linear; pdfplumber's dedupe clusters every character and costs most of the page's time."""
    seen: dict[tuple, list[float]] = {}
    for c in page.chars:
        xs = seen.setdefault((c["text"], round(c["top"])), [])
        if any(abs(c["x0"] - x) <= 1 for x in xs):
            return True
        xs.append(c["x0"])
    return False


def _page_lines(page, number: int) -> list[_Line]:
    if _has_doubled_chars(page):
        page = page.dedupe_chars(tolerance=1)
    tables = _tables(page)
    lines = []
    for t in tables:
        rows = [[_cell_text(c) for c in row] for row in t.extract()]
        x0, top, x1, bottom = t.bbox
        lines.append(_Line("", x0, x1, top, bottom, 0.0, number, rows=rows))
    for ln in page.extract_text_lines(strip=True, return_chars=True, layout=False):
        text = ln["text"]
        if not text.strip() or any(_inside(ln, t.bbox) for t in tables):
            continue
        sizes = [c.get("size", 0) for c in ln.get("chars", []) if c.get("text", "").strip()]
        lines.append(_Line(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"],
                           statistics.median(sizes) if sizes else 0.0, number))
    return sorted(lines, key=lambda ln: ln.top)


def _cell_text(cell: str | None) -> str:
    """A cell's wrapped lines joined the CJK way (no space between Chinese characters)."""
    text = ""
    for part in (cell or "").split("\n"):
        text = _join(text, part.strip()) if text else part.strip()
    return text


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip())


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
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


def _join(a: str, b: str) -> str:
    """Join wrapped lines: no space between CJK characters, one between Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _paragraphs(all_lines: list[_Line]) -> list[Block]:
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
    current: _Line | None = None
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

    prev: _Line | None = None
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
            text = _join(text, ln.text)
        prev = ln
    flush()
    return blocks


def _is_encryption_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's errors; look through the chain and the arguments."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        if any(isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in exc.args):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _as_input_error(exc: Exception) -> ShuzhiInputError:
    if _is_encryption_error(exc):
        return ShuzhiInputError(ErrorCode.ENCRYPTED_PDF, type(exc).__name__)
    return ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"{type(exc).__name__}: {exc}"[:300])


def read_pdf(path: Path, limits: Limits) -> list[Block]:
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:  # pdfminer raises many unrelated types on damaged files
        raise _as_input_error(e) from e
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except Exception as e:
            raise _as_input_error(e) from e
        if n_pages > limits.max_pdf_pages:
            raise ShuzhiInputError(ErrorCode.FILE_TOO_LARGE, f"{n_pages} pages > {limits.max_pdf_pages}")
        pages, heights, images = [], [], 0
        try:
            for i, page in enumerate(pdf.pages, start=1):
                pages.append(_page_lines(page, i))
                heights.append(float(page.height))
                images += len(page.images)
        except Exception as e:
            raise _as_input_error(e) from e
    all_text = "".join(ln.text or "".join(c for row in ln.rows or [] for c in row)
                       for lines in pages for ln in lines)
    if not all_text.strip():
        code = ErrorCode.NO_TEXT_LAYER if images else ErrorCode.EMPTY_DOCUMENT
        raise ShuzhiInputError(code, f"{n_pages} pages, {images} images, no text")
    if len(CID.findall(all_text)) * 8 > len(all_text) * 0.2:
        return _read_with_pdfium(path)
    pages = _drop_running_lines(pages, heights)
    return _paragraphs([ln for lines in pages for ln in lines])


def _read_with_pdfium(path: Path) -> list[Block]:
    """Fallback when pdfminer cannot map the fonts to Unicode ((cid:NNN) garbage)."""
    import pypdfium2

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
