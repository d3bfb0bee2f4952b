"""Render Word automatic numbering as printed ("一、", "（一）", "1.", "（1）").

python-docx's `paragraph.text` omits list numbers, yet they carry the report's structure. We
resolve a paragraph's numPr (directly or through its style) against numbering.xml and keep the
counters Word keeps: one set per w:num, deeper levels restarting when a shallower one advances.
"""
from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _CN_DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        return head + ("零" + _CN_DIGITS[rest] if rest < 10 else chinese_counting(rest) if rest >= 20
                       else "一" + chinese_counting(rest))
    return str(n)


def _roman(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
            (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word numFmt."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    is_legal: bool = False


@dataclass
class NumberingState:
    """Word's numbering definitions and the running counters of one document."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → Level
    abstract_of: dict[str, str] = field(default_factory=dict)         # numId → abstractNumId
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstractNumId

    @classmethod
    def from_xml(cls, root) -> "NumberingState":
        state = cls()
        if root is None:
            return state
        abstract: dict[str, dict[int, Level]] = {}
        for an in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in an.iter(W + "lvl"):
                levels[int(lvl.get(W + "ilvl", "0"))] = _level(lvl)
            abstract[an.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            num_id = num.get(W + "numId")
            ref = num.find(W + "abstractNumId")
            abs_id = ref.get(W + "val") if ref is not None else None
            levels = dict(abstract.get(abs_id, {}))
            for ov in num.iter(W + "lvlOverride"):
                ilvl = int(ov.get(W + "ilvl", "0"))
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                so = ov.find(W + "startOverride")
                if so is not None and ilvl in levels:
                    base = levels[ilvl]
                    levels[ilvl] = Level(int(so.get(W + "val", "1")), base.fmt, base.text,
                                         base.suffix, base.is_legal)
            state.levels[num_id] = levels
            state.abstract_of[num_id] = f"{abs_id}" if not num.findall(W + "lvlOverride") else num_id
        return state

    def render(self, num_id: str, ilvl: int) -> tuple[str, bool]:
        """Advance the counter and return (label as printed, is_bullet)."""
        levels = self.levels.get(num_id)
        if not levels or num_id == "0" or ilvl not in levels:
            return "", False
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [None] * 10)
        lvl = levels[ilvl]
        counters[ilvl] = lvl.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        if lvl.fmt == "bullet":
            return "", True
        text = lvl.text
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token in text:
                li = k - 1
                value = counters[li] if counters[li] is not None else levels.get(li, Level()).start
                fmt = "decimal" if (lvl.is_legal and li < ilvl) else levels.get(li, lvl).fmt
                text = text.replace(token, format_number(value, fmt))
        if text and lvl.suffix != "nothing" and text[-1].isascii():
            text += " "
        return text, False


def _level(lvl) -> Level:
    def val(tag, default=None):
        el = lvl.find(W + tag)
        return el.get(W + "val", default) if el is not None else default

    return Level(
        start=int(val("start", "1")),
        fmt=val("numFmt", "decimal"),
        text=val("lvlText", "") or "",
        suffix=val("suff", "tab"),
        is_legal=lvl.find(W + "isLgl") is not None,
    )
