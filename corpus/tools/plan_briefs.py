"""Write the per-plan briefs (corpus/specs/plan_assignments.json) for the plan authors.

Each brief names the report the plan answers, its problem points (nlp.plans.problems on the gold
labels, so that the gold links use the same ids as the evaluation), the hearing date, the form of
the plan and the defects to build in. Seeded, so the briefs are reproducible.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.corpus import load_report  # noqa: E402
from nlp.plans.problems import gold_sentences, problem_points  # noqa: E402

REPORTS = ["r001", "r003", "r006", "r012", "r024", "r043", "r054", "r058", "r020", "r045",
           "r048", "r053", "r036", "r014", "r010", "r056", "r002", "r009", "r017", "r027",
           "r031", "r039", "r050", "r063"]
FORMS = [
    "table: 5 columns 序号/整改项目/具体措施/责任部门/完成时限",
    "table: other headers and order, e.g. 问题清单/整改措施/责任单位/责任人/整改时限 (a 责任人 column too)",
    "prose: 一是…二是…, each item one paragraph ending with 责任部门：…；完成时限：…",
    "numbered: （一）… item headings, then 整改措施：/责任部门：/完成时限： lines under each",
    "mixed: a prose introduction and a closing paragraph around a table of items",
]
DEFECTS = [
    "one item has no 完成时限 at all",
    "one item's deadline is 长期坚持 (no date)",
    "one item's measure is vague (进一步加强…, no owner, date or target inside the measure)",
    "one problem point of the report is answered by no item",
    "one item answers nothing in the report or the critique (a pet project)",
    "one item has no 责任部门",
    "one deadline falls before the hearing date",
]


def main() -> None:
    rng = random.Random(2023)
    briefs = []
    for n, rid in enumerate(REPORTS, 1):
        report = load_report(ROOT / "corpus" / "reports" / f"{rid}.jsonl")
        points = problem_points(gold_sentences(report))
        hearing = date(report.meta["year"] + 1, 1, 9) + timedelta(days=rng.randrange(0, 40))
        late = n % 6 == 0
        filed = hearing + timedelta(days=rng.randrange(35, 60) if late else rng.randrange(8, 30))
        defects = rng.sample(DEFECTS, k=rng.choice([1, 2, 2, 3])) if n % 5 else []
        briefs.append({
            "id": f"p{n:02d}", "report": rid, "title": report.meta["title"],
            "unit": report.meta["unit"], "secretary": report.meta.get("secretary"),
            "year": report.meta["year"], "hearing_date": hearing.isoformat(),
            "filed_date": filed.isoformat(), "filed_late": late,
            "form": FORMS[(n - 1) % len(FORMS)], "defects": defects,
            "problem_points": [{"id": p.id, "text": p.text} for p in points],
        })
    out = ROOT / "corpus" / "specs" / "plan_assignments.json"
    out.write_text(json.dumps(briefs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(briefs)} briefs → {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
