"""The briefing sheet as an editable Word document.

Fonts are those of Chinese official documents (方正小标宋简体 title, 黑体 headings, 仿宋_GB2312
body), set as the East Asian font of the paragraph and character styles so that Word applies them
to Chinese text; where
they are not installed Word substitutes its own fallback. The one-third figure is drawn as a table
row whose cells are as wide as each share, so that it stays editable and prints without images.
"""
from __future__ import annotations

import io
import threading

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.fonts import DOCX_FONTS


class _Sheet(threading.local):
    """One blank A4 document per thread, reused: opening python-docx's template parses a dozen XML
    parts (about half of a sheet's cost), so each sheet empties the body of the same document
    instead, and the formatting lives in styles made once rather than on every run."""

    document = None
    style_ids: dict | None = None


_SHEET = _Sheet()


_KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}
_DROPPED_PARTS = ("/stylesWithEffects", "/customXml", "/thumbnail")


def _slim(d) -> None:
    """Drop what python-docx's template carries and a sheet never uses: 800 KB of style
    definitions (latent styles, a second styles part) and a thumbnail, which every save would
    otherwise serialise and compress again."""
    styles = d.styles.element
    for el in styles.findall(qn("w:latentStyles")):
        styles.remove(el)
    for el in styles.findall(qn("w:style")):
        if el.get(qn("w:styleId")) not in _KEPT_STYLES:
            styles.remove(el)
    for rels in (d.part.rels, d.part.package.rels):
        for rel_id in [k for k, r in rels.items() if r.reltype.endswith(_DROPPED_PARTS)]:
            del rels[rel_id]


def blank_document():
    """The thread's A4 document with an empty body (styles made earlier are kept)."""
    d = _SHEET.document
    if d is None:
        d = _SHEET.document = docx.Document()
        _SHEET.style_ids = {}
        _slim(d)
        section = d.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(1.8)
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return d


def _style(d, kind, east_asian: str, size: float, bold: bool, color: str | None,
           after: float = 0) -> str:
    """The id of the paragraph or character style with these fonts, made on first use (looking
    styles up through python-docx scans them all, so the ids are kept)."""
    char = kind == WD_STYLE_TYPE.CHARACTER
    name = f"shuzhi {'c' if char else 'p'} {east_asian} {size} {int(bold)} {color or ''} {after}"
    ours = _SHEET.document is not None and d.element is _SHEET.document.element
    known = _SHEET.style_ids if ours else {}
    if name not in known:
        style = d.styles.add_style(name, kind)
        font = style.font
        font.name, font.size, font.bold = DOCX_FONTS["latin"], Pt(size), bold
        if color:
            font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
        if not char:
            style.paragraph_format.space_after = Pt(after)
            style.paragraph_format.space_before = Pt(0)
        known[name] = style.style_id
    return known[name]


def _font(run, east_asian: str, size: float, bold: bool = False, color: str | None = None) -> None:
    """Give a run the East Asian font Word needs for Chinese text (through a character style)."""
    run._r.style = _style(run.part.document, WD_STYLE_TYPE.CHARACTER, east_asian, size, bold, color)


def _para(d, text: str = "", east_asian: str = DOCX_FONTS["body"], size: float = 10.5,
          bold: bool = False, color: str | None = None, after: float = 2):
    p = d.add_paragraph()
    p._p.style = _style(d, WD_STYLE_TYPE.PARAGRAPH, east_asian, size, bold, color, after)
    if text:
        p.add_run(text)
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
    d = blank_document()
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
