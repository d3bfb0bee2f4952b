"""Text reuse against the corpus reuse groups: every pair of reports in a group should be found,
and no unrelated pair should come close (the issue's bar: ≥ 95% of copied pairs found, no
unrelated pair above 20% shared)."""
from __future__ import annotations

from itertools import combinations

from nlp.corpus import GoldReport, to_blocks
from nlp.document import Document


def evaluate_reuse(reports: list[GoldReport], analyzer) -> dict:
    from nlp.batch import finalize_batch

    records = []
    for report in reports:
        blocks, _ = to_blocks(report)
        record = analyzer.analyze_document(Document(blocks, "corpus", "", report.id), report.id)
        record["meta"]["unit"] = report.meta["unit"]
        records.append(record)
    finalize_batch(records, [], [], analyzer.settings)
    found = {}
    for r in records:
        for s in r["similarity"]:
            key = tuple(sorted((r["id"], s["other"])))
            found[key] = max(found.get(key, 0.0), s["share"])
    groups: dict[str, list[str]] = {}
    for report in reports:
        if report.meta.get("reuse_group"):
            groups.setdefault(report.meta["reuse_group"], []).append(report.id)
    gold = {tuple(sorted(p)) for ids in groups.values() for p in combinations(ids, 2)}
    unrelated = {k: v for k, v in found.items() if k not in gold}
    return {
        "reports": len(reports), "gold_pairs": len(gold),
        "found_gold_pairs": sum(1 for p in gold if p in found),
        "recall": (sum(1 for p in gold if p in found) / len(gold)) if gold else None,
        "gold_shares": {f"{a}~{b}": found.get((a, b)) for a, b in sorted(gold)},
        "unrelated_pairs_flagged": len(unrelated),
        "max_unrelated_share": max(unrelated.values(), default=0.0),
        "unrelated": {f"{a}~{b}": v for (a, b), v in sorted(unrelated.items(), key=lambda x: -x[1])[:10]},
    }
