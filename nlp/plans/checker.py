"""Check one plan file against its unit's report analysis and the reviewer's critique.

Like `Analyzer.analyze`, `PlanChecker.check` never raises for bad input: a file that cannot be
read, or holds no items, gets a record with `error` set and the batch goes on.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from nlp.analysis import _mtime
from nlp.errors import ShuzhiInputError, internal_error_record
from nlp.ingest import sha256_of
from nlp.plans.checks import SCHEMA, check_plan
from nlp.plans.critique import critique_points
from nlp.plans.source import find_by_unit, read_plan
from nlp.settings import limits_from, load_settings
from nlp.tabular import find_column, read_rows

HEARING_COLUMNS = {"unit": ("单位", "单位名称", "党组织", "unit"),
                   "date": ("评议日期", "述职日期", "会议日期", "日期", "date")}


def load_hearings(path: str | Path | None) -> list[tuple[str, date]]:
    """(unit, hearing date) rows of hearings.csv/xlsx (columns 单位, 评议日期)."""
    if not path or not Path(path).is_file():
        return []
    rows = read_rows(path)
    if not rows:
        return []
    iu, idate = (find_column(rows[0], HEARING_COLUMNS[k]) for k in ("unit", "date"))
    out = []
    for r in rows[1:]:
        if iu is None or idate is None or max(iu, idate) >= len(r):
            continue
        try:
            out.append((r[iu].strip(), date.fromisoformat(r[idate].strip()[:10].replace("/", "-"))))
        except ValueError:
            continue
    return out


def _first_match(names: list[str | None], *candidate_lists) -> str | None:
    for candidates in candidate_lists:
        for name in names:
            key = find_by_unit(name, candidates)
            if key is not None:
                return key
    return None


class PlanChecker:
    def __init__(self, rules_file: str | Path | None = None):
        self.settings = load_settings(rules_file)
        self.limits = limits_from(self.settings)

    def check(self, path: str | Path, plan_id: str, reports: list[dict],
              critiques: dict[str, str], hearings: list[tuple[str, date]],
              default_hearing: date | None = None) -> dict:
        """`reports`: analysis records; `critiques`: {file name: text}; hearings per unit."""
        path = Path(path)
        base = {"schema": SCHEMA, "id": plan_id,
                "source": {"path": str(path), "name": path.name, "mtime": _mtime(path)}}
        try:
            base["source"]["sha256"] = sha256_of(path)
            plan = read_plan(path, self.settings, self.limits)
        except ShuzhiInputError as e:
            return {**base, "error": e.to_record()}
        except Exception as e:  # a defect: record it, go on with the batch
            return {**base, "error": internal_error_record(e)}
        names = [plan.unit, path.stem]  # the unit the plan states, else its file name
        units = [(r["id"], (r.get("meta") or {}).get("unit") or "") for r in reports]
        files = [(r["id"], Path(r["source"].get("name", "")).stem) for r in reports]
        report_key = _first_match(names, units, files)
        report = next((r for r in reports if r["id"] == report_key), None)
        if report is not None and (report.get("meta") or {}).get("unit"):
            names.append(report["meta"]["unit"])
        critique_key = _first_match(names, [(name, Path(name).stem) for name in critiques])
        hearing_key = _first_match(names, [(str(i), u) for i, (u, _) in enumerate(hearings)])
        hearing = hearings[int(hearing_key)][1] if hearing_key is not None else default_hearing
        critique = critique_points(critiques[critique_key]) if critique_key else []
        result = check_plan(plan.items, settings=self.settings, hearing=hearing, filed=plan.filed,
                            report=report, critique=critique)
        return {**base, "unit": plan.unit,
                "secretary": (report or {}).get("meta", {}).get("secretary"),
                "report_id": report["id"] if report else None,
                "critique_file": critique_key,
                "hearing_date": hearing.isoformat() if hearing else None,
                "filed_date": plan.filed.isoformat() if plan.filed else None,
                "filed_date_source": plan.filed_source,
                **result, "error": None}
