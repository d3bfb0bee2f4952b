"""Characters per label, the problem-and-cause share, and the one-third verdict.

Characters are non-whitespace characters. Plans and measures do not count as problem analysis.
"""
from __future__ import annotations

LABELS = ("ACH", "PROB", "CAUSE", "PLAN", "OTHER")


def nonspace(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def verdict(share: float, threshold: float = 1 / 3, band: float = 0.03) -> str:
    """fail below threshold − band, borderline within ± band, pass above."""
    if share < threshold - band:
        return "fail"
    if share < threshold + band:
        return "borderline"
    return "pass"


def measure(sentences: list[dict], threshold: float = 1 / 3, band: float = 0.03) -> dict:
    """The figures of the JSON contract from labelled sentences ({text, label, id})."""
    chars = dict.fromkeys(LABELS, 0)
    for s in sentences:
        chars[s["label"]] += nonspace(s["text"])
    total = sum(chars.values())
    counted = [s["id"] for s in sentences if s["label"] in ("PROB", "CAUSE")]
    share = (chars["PROB"] + chars["CAUSE"]) / total if total else 0.0
    return {
        "chars": {"total": total, **chars},
        "shares": {k: (v / total if total else 0.0) for k, v in chars.items()},
        "problem_cause_share": round(share, 4),
        "one_third": {"threshold": round(threshold, 4), "band": band,
                      "verdict": verdict(share, threshold, band), "counted_sentence_ids": counted,
                      "counted_chars": chars["PROB"] + chars["CAUSE"]},
    }
