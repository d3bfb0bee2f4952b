"""The grade check as a workbook the committee can file: summary, lists, and every row."""
from __future__ import annotations

import io
from pathlib import Path

from nlp.grades import GRADES, GradeCheck
from nlp.storage import atomic_write_bytes


def write_grades_xlsx(check: GradeCheck, out: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    data = check.to_dict()
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    bold = Font(bold=True)
    ws.append(["述职评议考核等次分布核查"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["参评人数", data["total"]])
    for g in GRADES:
        ws.append([f"“{g}”人数", data["counts"][g]])
    ws.append(["“较好”及以下占比", data["lower_share"]])
    ws.cell(ws.max_row, 2).number_format = "0.0%"
    verdict = "符合" if data["meets_15_percent"] else "不符合"
    ws.append(["是否符合“较好”及以下不低于15%", verdict])
    fill = PatternFill("solid", fgColor="D4EDDA" if data["meets_15_percent"] else "F8D7DA")
    ws.cell(ws.max_row, 2).fill = fill
    if not data["meets_15_percent"]:
        ws.append(["尚需调整为“较好”及以下的人数（至少）", data["needed_lower"]])
    ws.append(["无效或缺少等次的行", len(data["invalid"])])
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].font = bold
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 14
    for title, people, note in (
            ("不得评定为优秀", data["not_eligible_for_excellent"], "等次未达到“好”，个人年度考核不得评定为“优秀”"),
            ("约谈提醒", data["talk_required"], "等次为“一般”或“差”，应约谈提醒、限期整改")):
        sheet = wb.create_sheet(title)
        sheet.append([note])
        sheet.append(["姓名", "单位", "等次"])
        for cell in sheet[2]:
            cell.font = bold
        for p in people:
            sheet.append([p["name"], p["unit"], p["grade"]])
        sheet.freeze_panes = "A3"
        sheet.column_dimensions["B"].width = 36
    rows = wb.create_sheet("全部")
    rows.append(["行号", "姓名", "单位", "等次（原文）", "等次（识别）"])
    for cell in rows[1]:
        cell.font = bold
    for r in check.rows:
        rows.append([r.line, r.name, r.unit, r.raw, r.grade or "无效"])
    rows.freeze_panes = "A2"
    rows.auto_filter.ref = rows.dimensions
    rows.column_dimensions["C"].width = 36
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(Path(out) / "grades_check.xlsx", buf.getvalue())
