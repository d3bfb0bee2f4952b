"""Batch outputs: index.html (offline, sortable, filterable), summary.xlsx, summary.csv."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from nlp.storage import atomic_write_bytes, atomic_write_text
from reports.context import RULE_NAMES, STATUS, VERDICTS

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]))
COLUMNS = [("单位", "unit"), ("书记", "secretary"), ("文件", "file"), ("格式", "format"), ("字数", "chars"),
           ("问题及原因分析占比", "share"), ("结论", "verdict_name"), ("发现数", "n_findings"),
           ("主要发现", "findings_names"), ("最高雷同", "reuse"), ("述职方式", "mode"), ("状态", "status_name"),
           ("报送时间", "submitted_at"), ("错误代码", "error"), ("错误说明", "error_message"), ("报告编号", "id")]


def summary_rows(records: list[dict], matches: dict[str, dict]) -> list[dict]:
    rows = []
    for r in records:
        m = matches.get(r["id"], {})
        meta = r.get("meta") or {}
        error = r.get("error") or {}
        findings = [f["rule"] for f in r.get("findings", [])]
        verdict = None if error else r["one_third"]["verdict"]
        rows.append({
            "id": r["id"], "unit": m.get("roster_unit") or meta.get("unit") or r["source"].get("name"),
            "secretary": m.get("secretary") or meta.get("secretary"), "file": r["source"].get("name"),
            "format": r["source"].get("format"), "chars": None if error else r["chars"]["total"],
            "share": None if error else r["problem_cause_share"], "verdict": verdict,
            "verdict_name": VERDICTS.get(verdict, "无法读取"), "findings": findings,
            "n_findings": len(findings),
            "findings_names": "、".join(RULE_NAMES.get(f, f) for f in findings if f != "one_third"),
            "reuse": max((s["share"] for s in r.get("similarity", [])), default=None),
            "mode": m.get("mode"), "status": m.get("status", "submitted"),
            "status_name": STATUS.get(m.get("status", "submitted")),
            "submitted_at": (m.get("submitted_at") or "")[:16].replace("T", " "),
            "error": error.get("code"), "error_message": error.get("message"),
        })
    return rows


def write_index(out: Path, rows: list[dict], roster: list, versions: dict, threshold: float) -> Path:
    ok = sorted([r for r in rows if r["share"] is not None], key=lambda r: r["share"])
    counts = {"files": len(rows), "analysed": len(ok), "errors": len(rows) - len(ok),
              "fail": sum(r["verdict"] == "fail" for r in ok),
              "borderline": sum(r["verdict"] == "borderline" for r in ok),
              "missing": sum(1 for x in roster if x.status == "missing")}
    roster_view = [{**vars(x), "status_name": STATUS.get(x.status, x.status)} for x in roster]
    html = _env.get_template("index.html.j2").render(
        rows=rows, rows_ok=ok, counts=counts, roster=roster_view, versions=versions,
        threshold=threshold, generated=datetime.now().strftime("%Y-%m-%d %H:%M"))
    return atomic_write_text(out / "index.html", html)


def write_csv(out: Path, rows: list[dict]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([name for name, _ in COLUMNS])
    for r in rows:
        writer.writerow([_cell(r, key, text=True) for _, key in COLUMNS])
    return atomic_write_bytes(out / "summary.csv", buf.getvalue().encode("utf-8-sig"))  # BOM for Excel


def _cell(row: dict, key: str, text: bool = False):
    value = row.get(key)
    if key in ("share", "reuse") and value is not None and text:
        return f"{value:.1%}"
    return "" if value is None else value


def write_xlsx(out: Path, rows: list[dict], roster: list, threshold: float, band: float) -> Path:
    """The workbook in openpyxl's write-only mode: rows are streamed into the file, not held as
    cell objects (a cell object per field of ten thousand reports took tens of megabytes)."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("报告")
    keys = [k for _, k in COLUMNS]
    for i, (name, _) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name) * 2 + 4))
    ws.freeze_panes = "A2"
    last_col = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last_col}{len(rows) + 1}"
    share_col = get_column_letter(keys.index("share") + 1)
    area = f"{share_col}2:{share_col}{max(2, len(rows) + 1)}"
    red, amber, green = (PatternFill("solid", fgColor=c) for c in ("F8D7DA", "FFE8B3", "D4EDDA"))
    ws.conditional_formatting.add(area, CellIsRule(operator="lessThan", formula=[str(threshold - band)], fill=red))
    ws.conditional_formatting.add(area, CellIsRule(operator="between",
                                                   formula=[str(threshold - band), str(threshold + band)], fill=amber))
    ws.conditional_formatting.add(area, CellIsRule(operator="greaterThan", formula=[str(threshold + band)], fill=green))
    ws.append([_styled(ws, name, font=Font(bold=True)) for name, _ in COLUMNS])
    for r in rows:
        ws.append([_styled(ws, _cell(r, key), number_format="0.0%") if key in ("share", "reuse") else _cell(r, key)
                   for key in keys])
    header = ["单位", "书记", "述职方式", "组织单位", "状态", "报告"]
    extra = [r for r in rows if r["status"] == "not_in_roster"]
    rs = wb.create_sheet("名单")
    rs.freeze_panes = "A2"
    rs.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(roster) + len(extra) + 1}"
    rs.append(header)
    for x in roster:
        rs.append([x.unit, x.secretary, x.mode, x.organiser, STATUS.get(x.status, x.status),
                   "、".join(x.report_ids)])
    for r in extra:
        rs.append([r["unit"], r["secretary"] or "", "", "", STATUS["not_in_roster"], r["id"]])
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(out / "summary.xlsx", buf.getvalue())


def _styled(ws, value, **style):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    for name, v in style.items():
        setattr(cell, name, v)
    return cell
