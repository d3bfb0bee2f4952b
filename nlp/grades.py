"""The grade distribution check after the hearing (DOMAIN.md §5).

Grades are 好 / 较好 / 一般 / 差. At least 15% of those reviewed must be graded 较好 or lower; a
secretary not graded 好 cannot be 优秀 in the annual appraisal; 一般 and 差 require a talk and a
deadline to rectify. shuzhi never grades anyone: it checks the list the committee decided.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.tabular import find_column, read_rows

GRADES = ("好", "较好", "一般", "差")
LOWER = ("较好", "一般", "差")
TALK = ("一般", "差")
MIN_LOWER_SHARE = 0.15
COLUMNS = {"name": ("姓名", "书记", "书记姓名", "党组织书记", "name", "secretary"),
           "unit": ("单位", "单位名称", "党组织", "党组织名称", "unit"),
           "grade": ("等次", "评价等次", "综合评价等次", "评议等次", "考核等次", "grade")}


@dataclass
class GradeRow:
    line: int
    name: str
    unit: str
    grade: str | None
    raw: str


@dataclass
class GradeCheck:
    rows: list[GradeRow]
    invalid: list[GradeRow] = field(default_factory=list)
    min_lower_share: float = MIN_LOWER_SHARE

    @property
    def graded(self) -> list[GradeRow]:
        return [r for r in self.rows if r.grade]

    @property
    def counts(self) -> dict[str, int]:
        return {g: sum(1 for r in self.graded if r.grade == g) for g in GRADES}

    @property
    def lower_share(self) -> float:
        graded = self.graded
        return sum(1 for r in graded if r.grade in LOWER) / len(graded) if graded else 0.0

    @property
    def meets_15_percent(self) -> bool:
        # compare whole counts so that 3 of 20 (exactly 15%) passes despite float rounding
        graded = self.graded
        return bool(graded) and sum(1 for r in graded if r.grade in LOWER) * 100 >= round(
            self.min_lower_share * 100) * len(graded)

    def needed_lower(self) -> int:
        """How many more secretaries would have to be graded 较好 or lower to meet the rule."""
        graded = self.graded
        lower = sum(1 for r in graded if r.grade in LOWER)
        need = -(-round(self.min_lower_share * 100) * len(graded) // 100)
        return max(0, need - lower)

    def to_dict(self) -> dict:
        def person(r: GradeRow) -> dict:
            return {"name": r.name, "unit": r.unit, "grade": r.grade}

        return {
            "total": len(self.graded),
            "counts": self.counts,
            "lower_share": round(self.lower_share, 4),
            "meets_15_percent": self.meets_15_percent,
            "needed_lower": self.needed_lower(),
            "not_eligible_for_excellent": [person(r) for r in self.graded if r.grade != "好"],
            "talk_required": [person(r) for r in self.graded if r.grade in TALK],
            "invalid": [{"line": r.line, "name": r.name, "unit": r.unit, "value": r.raw}
                        for r in self.invalid],
        }


def normalize_grade(value: str) -> str | None:
    """"较好等次" / "较 好" / "评为一般" → the grade; None if it is none of the four."""
    text = re.sub(r"\s+|等次|等级|评为|评定为|[“”\"'（）()]", "", value or "")
    return text if text in GRADES else None


def load_grades(path: str | Path, min_lower_share: float = MIN_LOWER_SHARE) -> GradeCheck:
    path = Path(path)
    if not path.exists():
        raise ShuzhiInputError(ErrorCode.EMPTY_DOCUMENT, "file not found", path.name)
    try:
        rows = read_rows(path)
    except ValueError as e:
        raise ShuzhiInputError(ErrorCode.UNKNOWN_ENCODING, str(e), path.name) from e
    except Exception as e:  # a damaged .xlsx
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"{type(e).__name__}: {e}", path.name) from e
    if not rows:
        raise ShuzhiInputError(ErrorCode.EMPTY_DOCUMENT, "no rows", path.name)
    header = rows[0]
    idx = {k: find_column(header, names) for k, names in COLUMNS.items()}
    if idx["grade"] is None:
        raise ShuzhiInputError(ErrorCode.MISSING_COLUMN, f"header: {header}", path.name)
    check = GradeCheck([], min_lower_share=min_lower_share)
    for n, r in enumerate(rows[1:], start=2):
        def get(key: str) -> str:
            i = idx[key]
            return r[i].strip() if i is not None and i < len(r) else ""

        raw = get("grade")
        row = GradeRow(n, get("name"), get("unit"), normalize_grade(raw), raw)
        if not (row.name or row.unit):
            continue
        check.rows.append(row)
        if row.grade is None:
            check.invalid.append(row)
    return check
