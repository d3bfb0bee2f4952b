"""Render corpus reports into the sample inbox corpus/samples/, the way people send them.

.docx with real Word heading styles (some with Word automatic numbering instead of typed "一、"),
.pdf paginated like a WPS export (running header, page numbers), .txt in GBK, one legacy .doc
(when LibreOffice is installed), one scanned PDF without text, a roster that misses one file's
unit and lists one unit that did not submit, and archive/ with previous-year reports.

Run:  .venv/bin/python corpus/tools/render_samples.py   (rebuilds corpus/samples/ from scratch)
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from nlp.corpus import GoldReport, load_report  # noqa: E402

SAMPLES = ROOT / "corpus" / "samples"

# (report id, format, file name as the sender wrote it)
INBOX = [
    ("r001", "docx-numbered", "云溪县教育局党委书记2022年度抓基层党建工作述职报告（定稿）.docx"),
    ("r003", "docx", "河阳县住建局党组书记述职报告.docx"),
    ("r006", "pdf", "松浦县交通运输局党组书记2022年度述职报告.pdf"),
    ("r012", "docx-numbered", "石门县农业农村局 述职报告 修改稿2.docx"),
    ("r024", "docx", "翠园社区党委书记述职报告（何建国）.docx"),
    ("r043", "docx-numbered", "关于报送2022年度抓基层党建述职报告的函-宁江水务集团.docx"),
    ("r054", "pdf", "化学与材料学院党委书记述职报告2022.pdf"),
    ("r058", "pdf", "宁川水投集团党委书记2022年度述职.pdf"),
    ("r020", "docx", "瑞丰新材料党委述职报告(最终版).docx"),
    ("r045", "docx", "枫林街道党工委书记2022年述职报告.docx"),
    ("r048", "pdf", "桐湾街道党工委书记述职报告.pdf"),
    ("r053", "docx", "岚江市二院党委书记述职报告.docx"),
    ("r036", "txt", "XX街道党工委书记述职报告.txt"),
    ("r014", "txt", "临河县实验中学党总支书记述职.txt"),
    ("r010", "txt", "石川县卫健局党委书记2022年度述职报告.txt"),
    ("r056", "doc", "白杨铺镇党委书记述职报告.doc"),
]
ARCHIVE = ["a001", "a002", "a003", "a005", "a006", "a007"]
SCANNED = "青石镇东岭村党总支述职报告（扫描件）.pdf"
NOT_IN_ROSTER = "r020"
MISSING_UNIT = ("白沙镇党委", "×××", "现场", "县委组织部")
MODES = {"乡镇": "现场", "教育局党委": "现场", "卫健局党委": "现场", "财政局党组": "现场",
         "街道": "现场", "县直机关": "备案"}

OUTLINE = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>"""
NUMBERED = {1: re.compile(r"^[一二三四五六七八九十]+、\s*"), 2: re.compile(r"^（[一二三四五六七八九十]+）\s*")}


def _add_outline(document) -> str:
    numbering = document.part.numbering_part.element
    first = numbering.find(qn("w:num"))
    node = parse_xml(OUTLINE)
    if first is not None:
        first.addprevious(node)
    else:
        numbering.append(node)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def render_docx(report: GoldReport, path: Path, numbered: bool) -> None:
    d = docx.Document()
    num = _add_outline(d) if numbered else None
    for b in report.blocks:
        if b.kind == "table":
            rows = b.rows or []
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows), style="Table Grid")
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            continue
        text = b.text
        if b.kind == "heading" and b.level == 0:
            d.add_paragraph(text, style="Title")
        elif b.kind == "heading":
            level = min(b.level, 3)
            match = NUMBERED.get(level) and NUMBERED[level].match(text)
            if num and match:
                p = d.add_paragraph(text[match.end():], style=f"Heading {level}")
                p._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{num}"/></w:numPr>'))
            else:
                d.add_paragraph(text, style=f"Heading {level}")
        else:
            p = d.add_paragraph(text)
            p.paragraph_format.first_line_indent = docx.shared.Pt(24)
    section = d.sections[0]
    section.header.paragraphs[0].text = report.meta["unit"]
    d.save(path)


PDF_CSS = """@page { size: A4; margin: 28mm 24mm 25mm;
  @top-center { content: "%s"; font-size: 9pt; color: #555; }
  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 15pt; line-height: 1.55; }
h1 { font-size: 21pt; text-align: center; font-family: "Noto Sans CJK SC", sans-serif; }
h2 { font-size: 16pt; font-family: "Noto Sans CJK SC", sans-serif; margin: 0.6em 0 0.2em; }
h3 { font-size: 15pt; margin: 0.4em 0 0.2em; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 11pt; }
td { border: 1px solid #333; padding: 2pt 4pt; }"""


def render_pdf(report: GoldReport, path: Path) -> None:
    from weasyprint import HTML

    parts = []
    for b in report.blocks:
        if b.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in b.rows or [])
            parts.append(f"<table>{rows}</table>")
        elif b.kind == "heading":
            tag = f"h{min(b.level + 1, 4)}"
            parts.append(f"<{tag}>{escape(b.text)}</{tag}>")
        else:
            parts.append(f"<p>{escape(b.text)}</p>")
    css = PDF_CSS % escape(report.meta["unit"]).replace('"', "")
    HTML(string=f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>"
                f"{''.join(parts)}</body></html>").write_pdf(str(path))


def render_txt(report: GoldReport, path: Path) -> None:
    lines = []
    for b in report.blocks:
        if b.kind == "table":
            lines.extend("\t".join(r) for r in b.rows or [])
        else:
            lines.append(("" if b.kind == "heading" else "　　") + b.text)
    path.write_bytes("\r\n".join(lines).encode("gbk", errors="replace") + b"\r\n")


def render_doc(report: GoldReport, path: Path) -> bool:
    soffice = shutil.which("soffice")
    if not soffice:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src.docx"
        render_docx(report, src, numbered=False)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "doc", "--outdir", tmp, str(src)], check=True,
                       capture_output=True, timeout=180)
        shutil.copyfile(Path(tmp) / "src.doc", path)
    return True


def render_scanned(path: Path) -> None:
    from weasyprint import HTML

    grey = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGPY"
            "DwAAtwC2wHTtuQAAAABJRU5ErkJggg==")
    HTML(string="".join(f"<img src='{grey}' style='width:170mm;height:250mm'>" for _ in range(2))
         ).write_pdf(str(path))


def main() -> None:
    if SAMPLES.exists():
        shutil.rmtree(SAMPLES)
    (SAMPLES / "archive").mkdir(parents=True)
    roster = []
    for rid, fmt, name in INBOX:
        report = load_report(ROOT / "corpus" / "reports" / f"{rid}.jsonl")
        path = SAMPLES / name
        if fmt.startswith("docx"):
            render_docx(report, path, numbered=fmt == "docx-numbered")
        elif fmt == "pdf":
            render_pdf(report, path)
        elif fmt == "txt":
            render_txt(report, path)
        elif fmt == "doc" and not render_doc(report, path):
            print(f"LibreOffice not installed: {name} rendered as .docx instead")
            render_docx(report, path.with_suffix(".docx"), numbered=False)
        if rid != NOT_IN_ROSTER:
            m = report.meta
            roster.append((m["unit"], m.get("secretary") or "×××",
                           MODES.get(m["unit_type"], "书面"), "县委组织部"))
    render_scanned(SAMPLES / SCANNED)
    roster.append(("青石镇东岭村党总支", "赵德顺", "书面", "青石镇党委"))
    roster.append(MISSING_UNIT)
    with open(SAMPLES / "roster.csv", "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["单位", "书记", "述职方式", "组织单位"])
        writer.writerows(roster)
    for aid in ARCHIVE:
        report = load_report(ROOT / "corpus" / "archive" / f"{aid}.jsonl")
        render_docx(report, SAMPLES / "archive" / f"{report.meta['unit']}{report.meta['year']}年度述职报告.docx",
                    numbered=False)
    print(f"{len(INBOX) + 1} files, roster of {len(roster)} units, {len(ARCHIVE)} archive reports "
          f"written to {SAMPLES}")


if __name__ == "__main__":
    main()
