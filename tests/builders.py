"""Build real input files for the tests: Word files with numbering definitions, tables, text boxes
and tracked changes; PDFs with running headers and page numbers; GBK text.

Files are built with the same libraries offices' files come from (python-docx for Word's XML,
WeasyPrint for a paginated text PDF), so the readers are tested on real formats.
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Word's usual outline list for reports: 一、 / （一） / 1. / （1）
ABSTRACT_NUM = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:suff w:val="space"/>
    <w:lvlText w:val="%3."/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="（%4）"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>"""
NUM = f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'


def add_outline_numbering(document) -> str:
    """Add the 一、/（一）/1./（1） list to numbering.xml; return its numId."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(ABSTRACT_NUM)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(NUM))
    return "90"


def numbered(paragraph, num_id: str, ilvl: int):
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
                          f'<w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def add_tracked_changes(paragraph, inserted: str, deleted: str):
    """Append an insertion (kept when accepted) and a deletion (dropped) to a paragraph."""
    p = paragraph._p
    p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a" w:date="2022-12-01T00:00:00Z">'
                       f'<w:r><w:t>{inserted}</w:t></w:r></w:ins>'))
    p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a" w:date="2022-12-01T00:00:00Z">'
                       f'<w:r><w:delText>{deleted}</w:delText></w:r></w:del>'))


def add_text_box(paragraph, text: str):
    """A floating text box (VML, as older Word and WPS write it) anchored in the paragraph."""
    run = parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        f'<v:shape id="tb1" style="width:200pt;height:40pt"><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
        f'</w:pict></w:r>')
    paragraph._p.append(run)


def build_report_docx(path: Path) -> Path:
    """A small report with a title, Word numbering, headings, a table, a text box and tracked changes."""
    d = docx.Document()
    num = add_outline_numbering(d)
    d.add_paragraph("青石镇党委书记2022年度抓基层党建工作述职报告", style="Title")
    d.add_paragraph("（×××）")
    d.add_paragraph("现将本人2022年度抓基层党建工作情况报告如下。")
    numbered(d.add_paragraph("履职情况", style="Heading 1"), num, 0)
    numbered(d.add_paragraph("强化政治引领", style="Heading 2"), num, 1)
    d.add_paragraph("全年召开党委会专题研究党建工作12次，整顿软弱涣散村党组织2个。")
    numbered(d.add_paragraph("建强支部堡垒", style="Heading 2"), num, 1)
    numbered(d.add_paragraph("新建党群服务中心3个。"), num, 2)
    numbered(d.add_paragraph("发展党员15名，其中35岁以下9名。"), num, 2)
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2021年", "2022年"], ["发展党员", "12名", "15名"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    numbered(d.add_paragraph("存在的问题", style="Heading 1"), num, 0)
    p = d.add_paragraph("一是理论学习不够深入。")
    add_tracked_changes(p, "二是抓村级组织建设用力不均。", "此句已删除。")
    add_text_box(d.add_paragraph("三是党员教育方式单一。"), "专栏：东岭村经验")
    numbered(d.add_paragraph("下一步打算", style="Heading 1"), num, 0)
    numbered(d.add_paragraph("2023年6月底前完成全部村级阵地改造。"), num, 3)
    section = d.sections[0]
    section.header.paragraphs[0].text = "内部资料 注意保存"
    section.footer.paragraphs[0].text = "第 1 页"
    d.add_paragraph("2022年12月20日")
    d.save(path)
    return path


PDF_CSS = """
@page { size: A4; margin: 25mm 22mm;
  @top-center { content: "青石镇党委 内部资料"; font-size: 9pt; }
  @bottom-center { content: "- " counter(page) " -"; font-size: 9pt; } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 14pt; line-height: 1.6; }
h1 { font-size: 20pt; text-align: center; }
p { text-indent: 2em; margin: 0; text-align: justify; }
"""


def build_report_pdf(path: Path, paragraphs: list[str], title: str, watermark: str = "") -> Path:
    """A paginated text PDF like a WPS export: running header, "- n -" page numbers, indents;
    optionally a large watermark turned 45°."""
    from html import escape

    from weasyprint import HTML

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if watermark:
        body += (f"<div style='position: fixed; top: 120mm; left: 30mm; font-size: 48pt; "
                 f"color: #ddd; transform: rotate(-45deg)'>{escape(watermark)}</div>")
    html = (f"<html><head><meta charset='utf-8'><style>{PDF_CSS}</style></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")
    HTML(string=html).write_pdf(str(path))
    return path


def build_gbk_txt(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("gbk"))
    return path


def write_encoded(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def build_empty_docx(path: Path) -> Path:
    docx.Document().save(path)
    return path


def build_docx_with_part(path: Path, source: Path, part: str, data: bytes) -> Path:
    """Copy a .docx, replacing (or adding) one part: for DTD, bomb and relationship tricks."""
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != part:
                zout.writestr(item, zin.read(item.filename))
        zout.writestr(part, data)
    return path


def build_image_only_pdf(path: Path) -> Path:
    """A 'scanned' PDF: one page that is an image, no text layer."""
    from weasyprint import HTML

    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
             "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    HTML(string=f"<img src='{pixel}' style='width:150mm;height:200mm'>").write_pdf(str(path))
    return path


def build_encrypted_pdf(path: Path, source: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as f:
        writer.write(f)
    return path
