"""Text clean-up shared by the readers: full-width punctuation in Chinese text, stray controls.

Text pasted from web pages mixes ASCII punctuation into Chinese ("成效明显,但..."), which would
defeat sentence splitting on 。！？；. We convert ASCII , ; : ( ) ? ! to full width when a Chinese
character stands next to it, and leave numbers, times and Latin text alone.
"""
from __future__ import annotations

import re
import unicodedata

_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_HAN = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》]"
_MIXED = re.compile(rf"(?<={_HAN})\s*([,;:?!()])|([,;:?!()])\s*(?={_HAN})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff\ud800-\udfff]")


_PERIOD = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=\s|$|[\u4e00-\u9fff“”])")


def fullwidth_punctuation(text: str) -> str:
    text = _MIXED.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)
    return _PERIOD.sub("。", text)


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pair(m: re.Match) -> str:
    return m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def clean_text(text: str) -> str:
    """NFC, no control or zero-width characters, full-width punctuation in Chinese text.
    pdfium gives a character beyond the BMP (𠀋 in a village's name) as two UTF-16 halves: they
    are joined; a half alone is dropped (mmh3, which hashes the features, crashes on one)."""
    text = _SURROGATE_PAIR.sub(_join_pair, text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return fullwidth_punctuation(text)
