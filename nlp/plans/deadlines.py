"""Read a plan item's 完成时限 as the last day it allows.

Deadlines are written many ways: 2023年6月底前, 6月30日前, 二〇二三年第二季度, 上半年, 年底前,
2023.6.30, "3月底前完成摸排，6月底前全部整改到位" (the latest date counts), 长期坚持 (no date),
立行立改 (at once). A deadline without a year takes the year of the hearing, or the next year
when that month has already passed at the hearing.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "О": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
LONG_TERM = re.compile(r"长期|持续推进|常态化|久久为功|持续整改|持续抓好|持之以恒")
IMMEDIATE = re.compile(r"立行立改|立即整改|即知即改|立查立改|已完成|已整改")

YEAR = r"(?:(?P<year>\d{4}|[〇零○一二三四五六七八九]{4})\s*年)?"
FULL_DATE = re.compile(YEAR + r"(?P<month>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月"
                       r"(?:(?P<day>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
                       r"|(?P<end>底|末|份|中旬|上旬|下旬))?")
DOTTED = re.compile(r"(?P<year>\d{4})\s*[.．/\-]\s*(?P<month>\d{1,2})(?:\s*[.．/\-]\s*(?P<day>\d{1,2}))?")
QUARTER = re.compile(YEAR + r"(?:第)?(?P<q>[一二三四1234])\s*季度")
HALF = re.compile(YEAR + r"(?P<half>上半年|下半年|年底|年末|年内|全年|底前|年中)")
YEAR_ONLY = re.compile(r"(?P<year>\d{4})\s*年(?![\d一二三四五六七八九十上下第]|度)")


@dataclass
class Deadline:
    kind: str  # "date" | "long_term" | "immediate" | "missing" | "unparsed"
    date: date | None = None
    text: str = ""
    ongoing: bool = False  # "长期坚持" was written too (with or without a first date)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "date": self.date.isoformat() if self.date else None,
                "text": self.text, "ongoing": self.ongoing}


def cn_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if len(token) == 4 and all(c in CN_DIGITS for c in token):  # 二〇二三
        return int("".join(str(CN_DIGITS[c]) for c in token))
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS[token]


def _year(match: re.Match, reference: date, month: int) -> int:
    raw = match.groupdict().get("year")
    if raw:
        return cn_number(raw)
    return reference.year + (1 if month < reference.month else 0)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _candidates(text: str, reference: date) -> list[date]:
    found: list[date] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    for m in DOTTED.finditer(text):
        y, mo = int(m["year"]), int(m["month"])
        if 1 <= mo <= 12:
            day = int(m["day"]) if m["day"] else calendar.monthrange(y, mo)[1]
            found.append(_safe_date(y, mo, day))
            taken.append(m.span())
    for m in QUARTER.finditer(text):
        if free(m):
            q = cn_number(m["q"])
            found.append(_month_end(_year(m, reference, 3 * q), 3 * q))
            taken.append(m.span())
    for m in FULL_DATE.finditer(text):
        if not free(m):
            continue
        month = cn_number(m["month"])
        if not 1 <= month <= 12:
            continue
        year = _year(m, reference, month)
        if m["day"]:
            found.append(_safe_date(year, month, cn_number(m["day"])))
        elif m["end"] in ("上旬",):
            found.append(date(year, month, 10))
        elif m["end"] in ("中旬",):
            found.append(date(year, month, 20))
        else:
            found.append(_month_end(year, month))
        taken.append(m.span())
    for m in HALF.finditer(text):
        if free(m):
            month = 6 if m["half"] in ("上半年", "年中") else 12
            raw = m["year"]
            found.append(_month_end(cn_number(raw) if raw else reference.year, month))
            taken.append(m.span())
    for m in YEAR_ONLY.finditer(text):
        if free(m):
            found.append(date(int(m["year"]), 12, 31))
    return [d for d in found if d is not None]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_deadline(text: str | None, reference: date) -> Deadline:
    """The deadline of `text`; `reference` is the hearing date (for deadlines without a year)."""
    text = (text or "").strip()
    if not text:
        return Deadline("missing", None, "")
    dates = _candidates(text, reference)
    ongoing = LONG_TERM.search(text) is not None
    if dates:
        return Deadline("date", max(dates), text, ongoing)
    if LONG_TERM.search(text):
        return Deadline("long_term", None, text, True)
    if IMMEDIATE.search(text):
        return Deadline("immediate", reference, text)
    return Deadline("unparsed", None, text)
