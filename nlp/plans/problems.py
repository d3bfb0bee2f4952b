"""The report's problems as a reviewer counts them: one point per problem item, not per sentence.

A plan answers "理论学习不够深入" as one item, although the report spends three sentences on it
(the claim, an example, a consequence). A new point starts at an enumeration marker (一是, （二）,
3.), at a new paragraph, or after a non-problem sentence; a section title such as "二、存在的问题"
is not a point. The same function runs on gold labels (corpus/plans briefs and evaluation) and on
predicted labels (`shuzhi plans`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.settings import data_path, read_yaml
from nlp.structure import heading_kind

MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}是|其[一二三四五六七八九十]|第[一二三四五六七八九十]{1,3}[，,、]"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[.．、](?!\d)"
    r"|[①-⑳])"
)
SECTION_TITLE_CHARS = 24


@dataclass
class ProblemPoint:
    id: str
    sentence_ids: list = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    heading_only: bool = field(default=False, repr=False)  # so far only a sub-heading ("（一）…")

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def to_dict(self) -> dict:
        return {"id": self.id, "sentences": self.sentence_ids, "text": self.text}


@lru_cache(maxsize=4)
def _lead_in(patterns: tuple[str, ...] | None) -> re.Pattern:
    """The lead-in patterns of the settings (`plans.problem_lead_in`), else of plans.yaml."""
    if patterns is None:
        spec = read_yaml(data_path("plans.yaml"))
        patterns = tuple(spec["problem_lead_in"])
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _is_lead_in(sentence: dict, lead_in: re.Pattern) -> bool:
    """"主要存在以下问题：" announces the list; it is not itself a point to answer."""
    text = sentence["text"].strip()
    return MARKER.match(text) is None and lead_in.search(text) is not None


def _is_section_title(sentence: dict) -> bool:
    text = sentence["text"].strip()
    return (sentence.get("heading") and len(text) <= SECTION_TITLE_CHARS
            and heading_kind(text, strong_only=True) in ("problems", "problems_causes"))


def problem_points(sentences: list[dict], label_key: str = "label",
                   lead_in: list[str] | None = None) -> list[ProblemPoint]:
    """Group the PROB sentences ({"id", "text", label_key, "block", "heading"}) into points.
    `lead_in`: the settings' lead-in patterns (default: those of plans.yaml)."""
    pattern = _lead_in(tuple(lead_in) if lead_in is not None else None)
    points: list[ProblemPoint] = []
    current: ProblemPoint | None = None
    previous_block = None
    for s in sentences:
        is_problem = s[label_key] == "PROB"
        if not is_problem or _is_section_title(s) or _is_lead_in(s, pattern):
            if not (is_problem and s.get("heading")):
                current = None  # other text ends the point; a problem section title does not
            previous_block = s.get("block")
            continue
        starts = (current is None or MARKER.match(s["text"]) is not None
                  or (s.get("block") != previous_block and not _follows_heading(current, s)))
        if starts:
            current = ProblemPoint(f"P{len(points) + 1}", heading_only=bool(s.get("heading")))
            points.append(current)
        else:
            current.heading_only = False
        current.sentence_ids.append(s["id"])
        current.texts.append(s["text"])
        previous_block = s.get("block")
    return points


def _follows_heading(point: ProblemPoint | None, sentence: dict) -> bool:
    """A problem sub-heading ("（一）理论学习有差距") is continued by the paragraph under it."""
    return point is not None and point.heading_only and not sentence.get("heading")


def gold_sentences(report) -> list[dict]:
    """A corpus GoldReport as sentence dicts with gold labels (tables left out)."""
    out = []
    for b, block in enumerate(report.blocks):
        if block.kind == "table":
            continue
        for s in block.sentences:
            out.append({"id": len(out), "text": s.text, "label": s.label, "block": b,
                        "heading": block.kind == "heading"})
    return out
