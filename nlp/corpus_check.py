"""`shuzhi corpus check`: validate every corpus file and count what issue #3 requires of it."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from nlp.corpus import REQUIRED_META, CorpusFormatError, GoldReport, load_report

PLACEHOLDER = re.compile(r"XX|××|\*\*|__")
REQUIREMENTS = {  # name: (minimum, description)
    "reports": (60, "complete reports of 2,000–7,000 characters in reports/"),
    "unit_types": (10, "unit types"),
    "scattered": (10, "problems scattered in achievement sections, no problem heading"),
    "no_headings": (4, "reports without headings"),
    "table": (3, "reports with a table in the body"),
    "share_below": (15, "problem+cause share clearly below one third (< 25%)"),
    "share_above": (15, "problem+cause share clearly above one third (> 40%)"),
    "share_borderline": (10, "borderline share (28–38%)"),
    "formalism_metric": (8, "formalism counts"),
    "empty_praise": (10, "praise without facts"),
    "disguised_praise": (6, "disguised praise"),
    "objective_causes_only": (8, "objective-only causes"),
    "vague_measure": (10, "vague measures"),
    "not_self_involved": (8, "problems never about oneself"),
    "prior_rectification": (15, "reports accounting for last year's rectification list"),
    "reuse_groups": (4, "groups of reports sharing passages"),
    "with_previous": (5, "units with a previous-year report in archive/"),
    "test": (12, "reports in the test split"),
    "holdout": (6, "style-holdout reports"),
}


def check_corpus(root: str | Path) -> tuple[list[str], dict, dict]:
    """(errors, requirement counts, per-split statistics) of the corpus folder."""
    root = Path(root)
    errors: list[str] = []
    reports: dict[str, GoldReport] = {}
    folders = {"reports": [], "archive": [], "holdout": []}
    for folder in folders:
        for path in sorted((root / folder).glob("*.jsonl")):
            try:
                r = load_report(path)
            except CorpusFormatError as e:
                errors.append(str(e))
                continue
            if r.id != path.stem:
                errors.append(f"{path}: meta.id {r.id!r} differs from the file name")
            if r.id in reports:
                errors.append(f"{path}: duplicate id {r.id}")
            reports[r.id] = r
            folders[folder].append(r)
    splits = yaml.safe_load((root / "splits.yaml").read_text(encoding="utf-8"))
    assigned = Counter(rid for name in ("train", "dev", "test", "holdout") for rid in splits.get(name, []))
    for rid, n in assigned.items():
        if n > 1:
            errors.append(f"splits.yaml: {rid} is in {n} splits")
        if rid not in reports:
            errors.append(f"splits.yaml: {rid} has no file")
    for rid in reports:
        if rid not in assigned:
            errors.append(f"splits.yaml: {rid} is in no split")
    for r in folders["reports"]:
        prev = r.meta.get("previous")
        if prev and prev not in reports:
            errors.append(f"{r.id}: previous {prev} not found in archive/")
    counts = _requirement_counts(folders, splits)
    stats = {}
    for name in ("train", "dev", "test", "holdout"):
        rs = [reports[i] for i in splits.get(name, []) if i in reports]
        chars = Counter()
        for r in rs:
            chars.update(r.char_counts())
        total = sum(chars.values()) or 1
        stats[name] = {"reports": len(rs), "sentences": sum(len(r.sentences) for r in rs),
                       "chars": sum(chars.values()),
                       "label_shares": {k: round(v / total, 3) for k, v in chars.items()}}
    return errors, counts, stats


def _requirement_counts(folders: dict, splits: dict) -> dict:
    main = folders["reports"]
    shares = [r.problem_cause_share() for r in main]
    structure = Counter(tag for r in main for tag in r.meta.get("structure", []))
    failings = Counter(f for r in main for f in r.meta.get("failings", []))
    groups = Counter(r.meta.get("reuse_group") for r in main if r.meta.get("reuse_group"))
    complete = [r for r in main if "fragment" not in r.meta.get("structure", [])
                and 2000 <= sum(r.char_counts().values()) <= 7000]
    return {
        "reports": len(complete),
        "all_reports": len(main),
        "unit_types": len({r.meta["unit_type"] for r in main}),
        "scattered": structure["scattered"],
        "no_headings": structure["no_headings"],
        "table": sum(1 for r in main if any(b.kind == "table" for b in r.blocks)),
        "share_below": sum(s < 0.25 for s in shares),
        "share_above": sum(s > 0.40 for s in shares),
        "share_borderline": sum(0.28 <= s <= 0.38 for s in shares),
        **{k: failings[k] for k in ("formalism_metric", "empty_praise", "disguised_praise",
                                    "objective_causes_only", "vague_measure", "not_self_involved")},
        "prior_rectification": sum(1 for r in main if "prior_rectification" in r.meta.get("covers", [])),
        "reuse_groups": sum(1 for n in groups.values() if n >= 2),
        "with_previous": sum(1 for r in main if r.meta.get("previous")),
        "test": len(splits.get("test", [])),
        "holdout": len(folders["holdout"]),
        "placeholders": sum(1 for r in main if PLACEHOLDER.search("".join(s.text for s in r.sentences))),
        "archive": len(folders["archive"]),
        "chars_min": min((sum(r.char_counts().values()) for r in main), default=0),
        "chars_max": max((sum(r.char_counts().values()) for r in main), default=0),
        "unit_type_counts": dict(Counter(r.meta["unit_type"] for r in main)),
    }


def unmet(counts: dict) -> list[str]:
    return [f"{desc}: {counts[k]} < {minimum}" for k, (minimum, desc) in REQUIREMENTS.items()
            if counts[k] < minimum]


assert "unit_type" in REQUIRED_META
