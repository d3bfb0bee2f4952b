"""The briefing sheet as an editable Word document.

Fonts are those of Chinese official documents (方正小标宋简体 title, 黑体 headings, 仿宋_GB2312
body), set as the East Asian font of every run so that Word applies them to Chinese text; where
they are not installed Word substitutes its own fallback. The one-third figure is drawn as a table
row whose cells are as wide as each share, so that it stays editable and prints without images.
"""
from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.fonts import DOCX_FONTS


def _font(run, east_asian: str, size: float, bold: bool = False, color: str | None = None) -> None:
    run.font.name = DOCX_FONTS["latin"]
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), DOCX_FONTS["latin"])
    fonts.set(qn("w:hAnsi"), DOCX_FONTS["latin"])
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())


def _para(d, text: str = "", east_asian: str = DOCX_FONTS["body"], size: float = 10.5,
          bold: bool = False, color: str | None = None, after: float = 2):
    p = d.add_paragraph()
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if text:
        _font(p.add_run(text), east_asian, size, bold, color)
    return p


def _heading(d, text: str):
    return _para(d, text, DOCX_FONTS["heading"], 12, bold=True, after=2)


def _shade(cell, color: str) -> None:
    tc_pr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color.lstrip("#").upper())
    tc_pr.append(shd)


def _bar(d, c: dict, width_cm: float = 17.0) -> None:
    segments = [s for s in c["bar"] if s["share"] >= 0.005]
    table = d.add_table(rows=1, cols=len(segments))
    table.autofit = False
    for cell, seg in zip(table.rows[0].cells, segments):
        cell.width = Cm(max(0.3, seg["share"] * width_cm))
        _shade(cell, seg["color"])
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if seg["share"] >= 0.06:
            _font(p.add_run(f"{seg['name']}{seg['share']:.0%}"), DOCX_FONTS["body"], 8, color="#FFFFFF")


def render_docx(c: dict) -> bytes:
    d = docx.Document()
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    title = _para(d, f"{c['unit']} · 述职报告预审简报", DOCX_FONTS["title"], 16, after=4)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(d, f"书记：{c['secretary']}    述职方式：{c['mode']}    报送：{c['submitted_at']}（{c['status']}）"
             f"    字数：{c['chars']}", size=9.5)
    verdict_color = {"pass": "#2B7A2B", "borderline": "#B36B00", "fail": "#C0262D"}[c["verdict"]]
    p = _para(d, f"问题及原因分析占比：{c['share'] * 100:.1f}%（{c['counted_chars']} / {c['chars']} 字，"
                 f"计入 {len(c['counted_ids'])} 句）—— ", bold=True)
    _font(p.add_run(c["verdict_name"]), DOCX_FONTS["heading"], 10.5, True, verdict_color)
    _bar(d, c)
    _para(d, f"三分之一线位于 {c['threshold'] * 100:.1f}% 处；措施、打算不计入。", size=8.5)
    _heading(d, "主要发现")
    if not c["findings"]:
        _para(d, "未发现明显问题。")
    for i, f in enumerate(c["findings"], 1):
        p = _para(d, f"{i}. [{f['severity_name']}] ", bold=True, size=10)
        _font(p.add_run(f"{f['name']}："), DOCX_FONTS["heading"], 10, True)
        _font(p.add_run(f["message"]), DOCX_FONTS["body"], 10)
        for q in f["quotes"][:1]:
            _para(d, f"    “{q}”", size=9, color="#444444")
    _heading(d, "述职内容要点")
    for point in c["coverage"]:
        _para(d, f"{'☑' if point['covered'] else '☐'} {point['name']}", size=9.5, after=0)
    _heading(d, "雷同与重复")
    if c["similarity"]:
        for s in c["similarity"]:
            _para(d, f"与“{s['other']}”相同约 {s['share']:.0%}", size=9.5, after=0)
    else:
        _para(d, "未发现与其他报告雷同。", size=9.5)
    for r in c["repeated"]:
        _para(d, f"与上年重复：“{r}”", size=9, color="#444444")
    _heading(d, "点评参考问题")
    for i, q in enumerate(c["questions"], 1):
        _para(d, f"{i}. {q}", size=10)
    _para(d, f"{c['footer']}。文件：{c['file']}；模型 {c['versions'].get('model')}，"
             f"规则 {c['versions'].get('rules')}。", size=8, color="#666666")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
