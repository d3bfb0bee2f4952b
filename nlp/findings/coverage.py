"""Which content points of the implementation plan (DOMAIN.md §3) a report addresses, with the
sentences that show it."""
from __future__ import annotations


def coverage(sentences: list[dict], lex) -> dict:
    out = {}
    for key, point in lex.content_points.items():
        labels = point["labels"]
        ids = [s["id"] for s in sentences if (not labels or s["label"] in labels)
               and point["pattern"].search(s["text"])]
        out[key] = {"name": point["name"], "covered": bool(ids), "sentence_ids": ids[:8]}
    return out
