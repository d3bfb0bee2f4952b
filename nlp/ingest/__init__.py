"""Turn a submitted file into a Document, whatever its format.

Detection happens here and only here: by the file's leading bytes first (people rename .docx to
.doc and save text as .pdf), by its extension second. Each format has one reader module, and every
reader returns the same blocks.
"""
from __future__ import annotations

import hashlib
import zipfile
from enum import Enum
from pathlib import Path
from typing import Callable

from nlp.document import Block, BlockKind, Document
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest.meta import extract_meta
from nlp.ingest.normalize import clean_text
from nlp.ingest.safety import check_file_size
from nlp.settings import Limits
from nlp.timeouts import time_limit


class InputFormat(str, Enum):
    DOCX = "docx"
    PDF = "pdf"
    TXT = "txt"
    DOC = "doc"
    WPS = "wps"


EXTENSIONS = {".docx": InputFormat.DOCX, ".docm": InputFormat.DOCX, ".pdf": InputFormat.PDF,
              ".txt": InputFormat.TXT, ".text": InputFormat.TXT, ".doc": InputFormat.DOC,
              ".wps": InputFormat.WPS}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def reader_for(fmt: InputFormat) -> Callable[[Path, Limits], list[Block]]:
    """Format → reader; imports are lazy so that one missing optional library spoils one format."""
    if fmt is InputFormat.DOCX:
        from nlp.ingest.docx_backend import read_docx
        return read_docx
    if fmt is InputFormat.PDF:
        from nlp.ingest.pdf_backend import read_pdf
        return read_pdf
    if fmt is InputFormat.TXT:
        from nlp.ingest.txt_backend import read_txt
        return read_txt
    from nlp.ingest.legacy_backend import read_legacy
    return read_legacy


def detect_format(path: Path) -> tuple[InputFormat, str | None]:
    """(format, warning). Content wins over the extension when they disagree."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF"):
        by_content = InputFormat.PDF
    elif head.startswith(b"PK\x03\x04"):
        if by_ext is None:
            raise ShuzhiInputError(ErrorCode.UNSUPPORTED_FORMAT, f"extension {path.suffix!r}")
        by_content = InputFormat.DOCX
    elif head.startswith(OLE_MAGIC):
        by_content = InputFormat.WPS if by_ext is InputFormat.WPS else InputFormat.DOC
    else:
        by_content = None
    if by_ext is None:
        raise ShuzhiInputError(ErrorCode.UNSUPPORTED_FORMAT, f"extension {path.suffix!r}")
    if by_content is None:
        if by_ext is InputFormat.TXT:
            return InputFormat.TXT, None
        if not head:
            raise ShuzhiInputError(ErrorCode.EMPTY_DOCUMENT, "empty file")
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"content is not {by_ext.value}")
    if by_content is not by_ext and {by_content, by_ext} != {InputFormat.DOC, InputFormat.WPS}:
        return by_content, f"扩展名为 {path.suffix}，实际内容为 {by_content.value}，已按实际格式读取"
    return by_content, None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(path: str | Path, limits: Limits | None = None) -> Document:
    """Read one file into a Document. Raises ShuzhiInputError with a stable code for bad input."""
    path = Path(path)
    limits = limits or Limits()
    if not path.is_file():
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, "not a regular file", str(path))
    try:
        check_file_size(path, limits)
        fmt, warning = detect_format(path)
        with time_limit(limits.timeout_s):
            blocks = reader_for(fmt)(path, limits)
    except ShuzhiInputError as e:
        e.path = str(path)
        raise
    except zipfile.BadZipFile as e:
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, str(e), str(path)) from e
    blocks = [b for b in (_clean(b) for b in blocks) if b.text]
    if not blocks:
        raise ShuzhiInputError(ErrorCode.EMPTY_DOCUMENT, "no text", str(path))
    if sum(len(b.text) for b in blocks) > limits.max_text_chars:
        raise ShuzhiInputError(ErrorCode.FILE_TOO_LARGE, "text too long", str(path))
    meta = extract_meta(blocks)
    first = blocks[0]
    if meta.title and first.kind is not BlockKind.HEADING and first.text.replace("\n", "") == meta.title:
        first.kind, first.level = BlockKind.HEADING, 0  # a title line of a text file or PDF
    doc = Document(blocks=blocks, format=fmt.value, sha256=sha256_of(path), path=str(path), meta=meta)
    if warning:
        doc.warnings.append(warning)
    return doc


def _clean(block: Block) -> Block:
    block.text = clean_text(block.text).strip()
    return block
