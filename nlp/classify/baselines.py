"""The rules the trained labeller must beat.

(a) `heading_rule`: what a reviewer with Ctrl+F does: every sentence under a heading that says
    问题/不足 counts as a problem, under 原因 as a cause, under 措施/打算 as a plan, the rest as
    achievements.
(b) `cue_rule`: cue words of the sentence itself (nlp/data/cues.yaml), the section as fallback.
"""
from __future__ import annotations

from nlp.classify.context import SentenceContext
from nlp.classify.cues import cue_lexicon

SECTION_LABEL = {"achievements": "ACH", "problems": "PROB", "problems_causes": "PROB",
                 "causes": "CAUSE", "measures": "PLAN", "rectification": "ACH", "other": "OTHER",
                 "unknown": "ACH", "none": "ACH"}


def heading_rule(report: list[SentenceContext]) -> list[str]:
    out = []
    for c in report:
        if c.heading_level == 0:
            out.append("OTHER")
        else:
            out.append(SECTION_LABEL[c.section_kind])
    return out


def cue_rule(report: list[SentenceContext]) -> list[str]:
    lex = cue_lexicon()
    out = []
    for c in report:
        cues = lex.match(c.text)
        n = {k: v[0] for k, v in cues.items()}
        start = {k: v[1] for k, v in cues.items()}
        if c.heading_level == 0 or (n["other"] and len(c.text) < 60) or start["other"] and n["other"]:
            label = "OTHER"
        elif start["cause"] or (n["cause"] and c.section_kind in ("causes", "problems_causes")):
            label = "CAUSE"
        elif start["plan"] and c.section_kind != "achievements" or n["plan"] >= 2:
            label = "PLAN"
        elif n["problem"] and (start["problem"] or c.section_kind in ("problems", "problems_causes")
                               or n["problem"] >= 2):
            label = "PROB"
        else:
            label = SECTION_LABEL[c.section_kind]
        out.append(label)
    return out
