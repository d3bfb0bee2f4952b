"""Plan check sheets (HTML, PDF, DOCX; one page per plan) and the batch table of plan checks."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from nlp.storage import atomic_write_bytes, atomic_write_text
from reports.briefing import _env
from reports.docx_sheet import _font, _heading, _para, _shade, blank_document
from reports.fonts import DOCX_FONTS, css_font_stack
from reports.plan_context import plan_context

SUMMARY_COLUMNS = [("方案", "id"), ("单位", "unit"), ("书记", "secretary"), ("评议日期", "hearing_date"),
                   ("报送日期", "filed_date"), ("是否逾期", "late"), ("整改事项", "items"),
                   ("要素齐全", "complete_items"), ("报告问题", "problems"), ("已对应问题", "problems_answered"),
                   ("点评意见", "critique"), ("已回应点评", "critique_answered"), ("发现", "findings"),
                   ("错误", "error")]


def render_plan_html(context: dict, fonts: str | None = None) -> str:
    if fonts is None:
        try:
            fonts = css_font_stack()
        except Exception:  # a browser finds its own CJK font
            fonts = "serif"
    return _env.get_template("plan.html.j2").render(c=context, fonts=fonts)


def render_plan_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_plan_html(context, css_font_stack())).write_pdf()


def render_plan_docx(c: dict) -> bytes:
    d = blank_document()
    _para(d, f"{c['unit']} · 整改方案核查", DOCX_FONTS["title"], 16, after=4).alignment = 1
    _para(d, f"书记：{c['secretary']}    评议日期：{c['hearing']}    报送：{c['filed']}"
             f"（{c['filed_source']}，{c['on_time']}）", size=9.5)
    n = c["counts"]
    _para(d, f"整改事项 {n.get('items', 0)} 项（要素齐全 {n.get('complete_items', 0)} 项）；报告问题 "
             f"{n.get('problems_answered', 0)}/{n.get('problems', 0)} 已对应；点评意见 "
             f"{n.get('critique_answered', 0)}/{n.get('critique', 0)} 已对应。", size=9.5)
    _heading(d, "核查发现")
    if not c["findings"]:
        _para(d, "未发现明显问题。")
    for i, f in enumerate(c["findings"], 1):
        p = _para(d, f"{i}. [{f['severity_name']}] ", bold=True, size=9.5)
        _font(p.add_run(f"{f['name']}："), DOCX_FONTS["heading"], 9.5, True)
        _font(p.add_run(f["message"]), DOCX_FONTS["body"], 9.5)
    _heading(d, "整改事项")
    table = d.add_table(rows=1, cols=5, style="Table Grid")
    for cell, name in zip(table.rows[0].cells, ("#", "整改项目", "责任部门", "完成时限", "对应")):
        _font(cell.paragraphs[0].add_run(name), DOCX_FONTS["heading"], 9, True)
    for it in c["plan_items"]:
        cells = table.add_row().cells
        values = (str(it["n"]), it["project"] or "（未写明）", it["department"] or "缺",
                  it["deadline"] or "缺", it["answers_text"])
        for k, (cell, value) in enumerate(zip(cells, values)):
            _font(cell.paragraphs[0].add_run(value), DOCX_FONTS["body"], 9)
            if k in (2, 3) and value == "缺":
                _shade(cell, "#FDE8E8")
    for title, rows in (("报告查摆的问题", c["problems"]), ("点评意见", c["critique"])):
        if not rows:
            continue
        _heading(d, title)
        for p in rows:
            answer = f"第 {'、'.join(map(str, p['answered_by']))} 项" if p["answered_by"] else "无对应整改事项"
            text = p["text"] if len(p["text"]) <= 70 else p["text"][:69] + "…"
            _para(d, f"{p['id']} {text} —— {answer}", size=9,
                  color=None if p["answered_by"] else "#C0262D", after=0)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_plan_sheet(record: dict, folder: str | Path, pdf: bool = True) -> list[Path]:
    context = plan_context(record)
    base = str(Path(folder) / record["id"])
    paths = [atomic_write_text(base + ".html", render_plan_html(context)),
             atomic_write_bytes(base + ".docx", render_plan_docx(context))]
    if pdf:
        paths.append(atomic_write_bytes(base + ".pdf", render_plan_pdf(context)))
    return paths


def summary_row(r: dict) -> dict:
    counts = r.get("counts") or {}
    return {"id": r["id"], "unit": r.get("unit") or "", "secretary": r.get("secretary") or "",
            "hearing_date": r.get("hearing_date") or "", "filed_date": r.get("filed_date") or "",
            "late": {True: "逾期", False: "按期", None: ""}[r.get("filed_late")],
            **{k: counts.get(k, "") for k in ("items", "complete_items", "problems", "problems_answered",
                                              "critique", "critique_answered")},
            "findings": len(r.get("findings", [])),
            "error": (r.get("error") or {}).get("message", "")}


def write_plan_summary(records: list[dict], folder: str | Path) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    folder = Path(folder)
    rows = [summary_row(r) for r in records]
    wb = Workbook()
    ws = wb.active
    ws.title = "整改方案"
    ws.append([name for name, _ in SUMMARY_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r[k] for _, k in SUMMARY_COLUMNS])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    detail = wb.create_sheet("核查发现")
    detail.append(["方案", "单位", "事项", "规则", "级别", "说明"])
    for r in records:
        for f in r.get("findings", []):
            detail.append([r["id"], r.get("unit") or "", f.get("item") or "", f["rule"], f["severity"],
                           f["message"]])
    detail.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([name for name, _ in SUMMARY_COLUMNS])
    writer.writerows([[r[k] for _, k in SUMMARY_COLUMNS] for r in rows])
    html = _env.get_template("plans_index.html.j2").render(columns=SUMMARY_COLUMNS, rows=rows)
    return [atomic_write_bytes(folder / "plans_summary.xlsx", buf.getvalue()),
            atomic_write_bytes(folder / "plans_summary.csv", text.getvalue().encode("utf-8-sig")),
            atomic_write_text(folder / "index.html", html)]
