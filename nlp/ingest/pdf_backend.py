"""Read text PDFs: reading order, joined CJK lines, tables as cells, no running headers or page numbers.

Most reports are plain text pages, which pdfium reads fast (`pdf_pdfium`). Anything else goes to
pdfplumber: ruled tables (a rectification plan is usually one) are found by its table finder on
pages that have ruling lines and become table cells, whose text is not read again as lines;
doubled "fake bold" characters are removed with its dedupe, and text turned diagonally across
the page (a watermark) is dropped; its errors tell an encrypted file
from a damaged one and a scan from an empty file. Both readers give positioned lines, and
`pdf_layout` rebuilds the paragraphs from them.
"""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from nlp.document import Block
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest.pdf_layout import Line, drop_running_lines, has_doubled_chars, join, paragraphs
from nlp.ingest.pdf_pdfium import pdfium_lines, read_plain_text
from nlp.settings import Limits

CID = re.compile(r"\(cid:\d+\)")


def read_pdf(path: Path, limits: Limits) -> list[Block]:
    read = pdfium_lines(path, limits.max_pdf_pages)
    if read is None:
        read = _pdfplumber_lines(path, limits)
        if read is None:  # fonts pdfminer cannot map to Unicode
            return read_plain_text(path)
    pages, heights = read
    return paragraphs([ln for lines in drop_running_lines(pages, heights) for ln in lines])


def _pdfplumber_lines(path: Path, limits: Limits) -> tuple[list[list[Line]], list[float]] | None:
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
        return None
    return pages, heights


def _diagonal(obj: dict) -> bool:
    """A character turned by other than a right angle: a watermark across the page, not content
    (vertical table headers, turned 90°, are kept)."""
    a, b, c, d = obj.get("matrix", (1, 0, 0, 1))[:4]
    return min(abs(a), abs(d)) > 1e-3 and max(abs(b), abs(c)) > 1e-3


def _page_lines(page, number: int) -> list[Line]:
    if any(_diagonal(c) for c in page.chars):
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not _diagonal(obj))
    if has_doubled_chars(page.chars):
        page = page.dedupe_chars(tolerance=1)
    tables = _tables(page)
    lines = []
    for t in tables:
        rows = [[_cell_text(c) for c in row] for row in t.extract()]
        x0, top, x1, bottom = t.bbox
        lines.append(Line("", x0, x1, top, bottom, 0.0, number, rows=rows))
    for ln in page.extract_text_lines(strip=True, return_chars=True, layout=False):
        text = ln["text"]
        if not text.strip() or any(_inside(ln, t.bbox) for t in tables):
            continue
        sizes = [c.get("size", 0) for c in ln.get("chars", []) if c.get("text", "").strip()]
        lines.append(Line(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"],
                          statistics.median(sizes) if sizes else 0.0, number))
    return sorted(lines, key=lambda ln: ln.top)


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


def _cell_text(cell: str | None) -> str:
    """A cell's wrapped lines joined the CJK way (no space between Chinese characters)."""
    text = ""
    for part in (cell or "").split("\n"):
        text = join(text, part.strip()) if text else part.strip()
    return text


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


