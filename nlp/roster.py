"""The roster of units expected to report, and which file belongs to which unit.

Files are matched by the unit and secretary names found in the file name and in the report text,
tolerant of the usual variations ("XX镇党委" / "中共XX镇委员会" / "XX镇"). Each roster row gets a
status: submitted, late (after the deadline), or missing; each file not matched is "not in
roster". Submission time is the file's modification time in the inbox.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nlp.tabular import find_column, read_rows
from nlp.units import normalize_unit, same_unit

COLUMNS = {"unit": ("单位", "单位名称", "党组织", "unit"), "secretary": ("书记", "姓名", "secretary"),
           "mode": ("述职方式", "方式", "mode"), "organiser": ("组织单位", "组织", "organiser")}


@dataclass
class RosterRow:
    unit: str
    secretary: str = ""
    mode: str = ""
    organiser: str = ""
    report_ids: list[str] = field(default_factory=list)
    status: str = "missing"
    submitted_at: str | None = None


def _column(header: list[str], key: str) -> int | None:
    return find_column(header, COLUMNS[key])


def load_roster(path: str | Path) -> list[RosterRow]:
    """Rows of a roster .csv (UTF-8/GBK) or .xlsx with columns 单位, 书记, 述职方式, 组织单位."""
    rows = read_rows(path)
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    idx = {k: _column(header, k) for k in COLUMNS}
    if idx["unit"] is None:
        raise ValueError(f"{path}: 名单缺少“单位”列（表头应含 单位、书记、述职方式、组织单位）")
    out = []
    for r in body:
        get = lambda k: (r[idx[k]].strip() if idx[k] is not None and idx[k] < len(r) else "")  # noqa: E731
        if get("unit"):
            out.append(RosterRow(get("unit"), get("secretary"), get("mode"), get("organiser")))
    return out


def match_roster(rows: list[RosterRow], records: list[dict], deadline: datetime | None = None) -> list[dict]:
    """Attach each record to a roster row; return per-record matches and set row statuses."""
    matches = []
    for record in records:
        meta = record.get("meta") or {}
        name = record["source"].get("name") or ""
        unit, secretary = meta.get("unit"), meta.get("secretary")
        row = _find(rows, unit, secretary, name)
        submitted = record["source"].get("mtime")
        late = bool(deadline and submitted and datetime.fromisoformat(submitted) > deadline)
        if row is not None:
            row.report_ids.append(record["id"])
            if row.status != "submitted":
                row.status = "late" if late else "submitted"
            row.submitted_at = submitted
        matches.append({"id": record["id"], "roster_unit": row.unit if row else None,
                        "mode": row.mode if row else None, "secretary": (row.secretary if row else None)
                        or secretary, "status": ("late" if late else "submitted") if row else "not_in_roster",
                        "submitted_at": submitted})
    return matches


def _find(rows: list[RosterRow], unit: str | None, secretary: str | None, file_name: str) -> RosterRow | None:
    if unit:
        for row in rows:
            if same_unit(row.unit, unit):
                return row
    core_name = normalize_unit(Path(file_name).stem)
    best = None
    for row in rows:
        core = normalize_unit(row.unit)
        if core and (core in core_name or core_name in core):
            return row
        if secretary and row.secretary and row.secretary == secretary and not row.secretary.startswith("×"):
            best = best or row
        short = core[-4:] if len(core) > 4 else core  # "宁江水务集团" vs "宁江市水务集团有限公司"
        if len(short) >= 3 and _fuzzy_in(core, core_name):
            best = best or row
    return best


def _fuzzy_in(core: str, text: str) -> bool:
    """Most characters of the unit's core appear, in order, in the file name."""
    pos, hit = 0, 0
    for ch in core:
        found = text.find(ch, pos)
        if found >= 0:
            hit += 1
            pos = found + 1
    return len(core) >= 4 and hit >= 0.75 * len(core) and text[:1] in core
