"""Unit names as people write them: "中共XX镇委员会", "XX镇党委", "XX镇" are the same unit.

Used to find a unit's previous-year report in the archive and to match files to the roster.
"""
from __future__ import annotations

import re

PREFIXES = ("中国共产党", "中共")
SUFFIXES = ("党委员会", "工作委员会", "委员会", "党工委", "党委", "党组", "党总支", "总支部", "党支部",
            "支部", "机关党委", "党建办", "党委会")
NOISE = re.compile(r"[\s（）()《》“”\"'·、，,。：:\-—_]+|书记|述职报告|述职|报告|\d{4}年度?|定稿|修改稿\d*|最终版|终稿")


def normalize_unit(name: str | None) -> str:
    """The core of a unit name: no 中共 prefix, no Party-body suffix, no punctuation."""
    if not name:
        return ""
    text = NOISE.sub("", name)
    for p in PREFIXES:
        if text.startswith(p):
            text = text[len(p):]
    changed = True
    while changed and text:
        changed = False
        for s in SUFFIXES:
            if text.endswith(s) and len(text) > len(s) + 1:
                text = text[: -len(s)]
                changed = True
    return text


def same_unit(a: str | None, b: str | None) -> bool:
    """Equal cores, or one core contained in the other when the shorter has ≥ 4 characters."""
    na, nb = normalize_unit(a), normalize_unit(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    return len(short) >= 4 and short in long_
