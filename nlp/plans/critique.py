"""The reviewer's critique (点评意见) as separate points, from a plain text file.

Reviewers type the critique as numbered paragraphs or as one paragraph of "一是…二是…"; each
numbered part is one point a plan item should answer. Headings such as "点评意见：" are dropped.
"""
from __future__ import annotations

import re

from nlp.plans.items import MARKER, _split_inline

MIN_POINT_CHARS = 8


def critique_points(text: str) -> list[dict]:
    points: list[str] = []
    for para in re.split(r"\n\s*", text or ""):
        para = para.strip()
        if not para:
            continue
        pieces = _split_inline(para)
        for piece in pieces:
            piece = MARKER.sub("", piece.strip(), count=1).strip()
            if len(piece) >= MIN_POINT_CHARS and not re.fullmatch(r".{0,12}[：:]", piece):
                points.append(piece)
    return [{"id": f"C{n}", "text": p} for n, p in enumerate(points, 1)]
