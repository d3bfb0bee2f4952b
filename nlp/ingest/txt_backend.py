"""Read plain text in whatever encoding Chinese offices produce: UTF-8 (with or without BOM),
GB18030/GBK, Big5, UTF-16. Detection by charset-normalizer, limited to those candidates."""
from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from nlp.document import Block, BlockKind
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.settings import Limits

CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
_SENTENCE_END = tuple("。！？；：…”’）)》」』")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding); raise unknown_encoding when no candidate is plausible."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf_8_sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf_16"
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise ShuzhiInputError(ErrorCode.UNKNOWN_ENCODING, "no candidate encoding fits")
    text = str(best)
    if not _plausible(text):
        raise ShuzhiInputError(ErrorCode.UNKNOWN_ENCODING, f"{best.encoding} gives unreadable text")
    return text, best.encoding


def _plausible(text: str) -> bool:
    """Readable text: mostly CJK, letters, digits, punctuation and spaces; few rare symbols."""
    if not text:
        return False
    common = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or c.isascii() or
                 "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or c in "“”‘’…—·")
    return common / len(text) > 0.9


def _paragraphs(text: str) -> list[str]:
    """One paragraph per line; hard-wrapped lines (no closing punctuation, full width) are joined."""
    lines = [ln.strip() for ln in text.split("\n")]
    lengths = sorted(len(ln) for ln in lines if ln)
    wrap = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 10 else None
    paras: list[str] = []
    current = ""
    for ln in lines:
        if not ln:
            if current:
                paras.append(current)
            current = ""
            continue
        current += ln
        wrapped = wrap and len(ln) >= wrap - 1 and not ln.endswith(_SENTENCE_END)
        if not wrapped:
            paras.append(current)
            current = ""
    if current:
        paras.append(current)
    return paras


def read_txt(path: Path, limits: Limits) -> list[Block]:
    data = path.read_bytes()
    if not data.strip():
        raise ShuzhiInputError(ErrorCode.EMPTY_DOCUMENT, "empty text file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ShuzhiInputError(ErrorCode.UNKNOWN_ENCODING, "binary data in a text file")
    text, _ = decode(data)
    text = re.sub(r"[ \t\u3000]+\n", "\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [Block(BlockKind.PARAGRAPH, p, paragraph=i) for i, p in enumerate(_paragraphs(text))]
