"""Load and validate the annotated plans of corpus/plans (format in corpus/plans/README.md)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nlp.corpus import CorpusFormatError, load_report
from nlp.plans.problems import gold_sentences, problem_points

FIELDS = ("project", "measures", "department", "deadline")
BLOCKS = ("heading", "paragraph", "list_item", "table")


@dataclass
class GoldPlan:
    meta: dict
    critique: list[dict]
    blocks: list[dict]
    items: list[dict]
    no_answer_needed: list[str]
    path: Path | None = None

    @property
    def id(self) -> str:
        return self.meta["id"]

    def text(self) -> str:
        parts = []
        for b in self.blocks:
            parts.extend(c for row in b["rows"] for c in row) if b["block"] == "table" \
                else parts.append(b["text"])
        return "\n".join(parts)

    def answered_problems(self) -> set[str]:
        return {p for item in self.items for p in item["problems"]}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_plan(path: str | Path, reports_dir: str | Path | None = None) -> GoldPlan:
    """Read one plan; raise CorpusFormatError naming the file and what is wrong."""
    path = Path(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise CorpusFormatError(f"{path}: invalid JSON: {e}") from e
    plan = GoldPlan(obj.get("meta", {}), obj.get("critique", []), obj.get("blocks", []),
                    obj.get("items", []), obj.get("no_answer_needed", []), path)
    for key in ("id", "report", "hearing_date", "filed_date"):
        if key not in plan.meta:
            raise CorpusFormatError(f"{path}: meta lacks {key}")
    for b in plan.blocks:
        if b.get("block") not in BLOCKS or ("rows" if b.get("block") == "table" else "text") not in b:
            raise CorpusFormatError(f"{path}: bad block {str(b)[:80]}")
    if not plan.items:
        raise CorpusFormatError(f"{path}: no items")
    text = _squash(plan.text())
    critique_ids = {c["id"] for c in plan.critique}
    point_ids = _point_ids(plan, reports_dir or path.parents[1] / "reports",
                           path.parents[1] / "specs" / "plan_assignments.json")
    for n, item in enumerate(plan.items, 1):
        where = f"{path} item {n}"
        for f in FIELDS:
            value = item.get(f)
            if not isinstance(value, str):
                raise CorpusFormatError(f"{where}: field {f} must be a string")
            if value and _squash(value) not in text:
                raise CorpusFormatError(f"{where}: {f} {value[:30]!r} is not verbatim in the plan")
        if item.get("deadline_date") is not None:
            date.fromisoformat(item["deadline_date"])
        bad = [p for p in item.get("problems", []) if p not in point_ids]
        bad += [c for c in item.get("critique", []) if c not in critique_ids]
        if bad:
            raise CorpusFormatError(f"{where}: unknown problem/critique ids {bad}")
    return plan


def _point_ids(plan: GoldPlan, reports_dir: str | Path, briefs: Path) -> set[str]:
    """The point ids the authors linked to: those of the plan's brief (else today's points)."""
    if briefs.is_file():
        for brief in json.loads(briefs.read_text(encoding="utf-8")):
            if brief["id"] == plan.id:
                return {p["id"] for p in brief["problem_points"]}
    report = load_report(Path(reports_dir) / f"{plan.meta['report']}.jsonl")
    return {p.id for p in problem_points(gold_sentences(report))}


def load_plans(folder: str | Path) -> list[GoldPlan]:
    return [load_plan(p) for p in sorted(Path(folder).glob("p*.json"))]
