"""Briefing sheets: one A4 page per report, as HTML (with the full coloured text), PDF
(WeasyPrint, fonts embedded) and DOCX (editable, the fonts offices use)."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from nlp.storage import atomic_write_bytes, atomic_write_text
from reports.context import briefing_context
from reports.fonts import css_font_stack

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]))


def render_html(context: dict, fulltext: bool = True) -> str:
    try:
        fonts = css_font_stack()
    except Exception:  # the HTML still works in a browser without our font list
        fonts = "serif"
    return _env.get_template("briefing.html.j2").render(c=context, fonts=fonts, fulltext=fulltext)


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = _env.get_template("briefing.html.j2").render(c=context, fonts=css_font_stack(), fulltext=False)
    return HTML(string=html).write_pdf()


def write_briefing(record: dict, match: dict | None, folder: str | Path, pdf: bool = True) -> list[Path]:
    """The sheets of one report, written atomically into `folder`; returns the paths."""
    from reports.docx_sheet import render_docx

    folder = Path(folder)
    context = briefing_context(record, match)
    base = str(folder / record["id"])  # ids may contain dots: no with_suffix
    paths = [atomic_write_text(base + ".html", render_html(context)),
             atomic_write_bytes(base + ".docx", render_docx(context))]
    if pdf:
        paths.append(atomic_write_bytes(base + ".pdf", render_pdf(context)))
    return paths
