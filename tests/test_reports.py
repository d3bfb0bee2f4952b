"""Briefings and batch outputs checked with real tools: the HTML in headless Chromium (Selenium +
Debian's chromedriver), the PDF with pdfplumber (text round-trips, CJK fonts embedded), the DOCX
reopened with python-docx, the XLSX with openpyxl, the CSV as Excel reads it."""
from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.usefixtures("screened_batch")

REPORT = "青石镇党委书记2022年度述职报告（定稿）"


@pytest.fixture(scope="module")
def out(screened_batch):
    inbox, out, result, _ = screened_batch
    assert result.exit_code == 0, result.output
    return out


def test_reports_every_readable_file_has_three_sheets(out):
    names = {p.name for p in (out / "briefings").iterdir()}
    for rid in (REPORT, "柳溪街道述职报告", "东岭村述职"):
        assert {f"{rid}.html", f"{rid}.pdf", f"{rid}.docx"} <= names
    assert not any(n.startswith("损坏的文件") for n in names)


def test_reports_pdf_text_and_embedded_cjk_fonts(out):
    import pdfplumber

    path = out / "briefings" / f"{REPORT}.pdf"
    with pdfplumber.open(str(path)) as pdf:
        assert 1 <= len(pdf.pages) <= 2
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
    assert "述职报告预审简报" in text and "问题及原因分析占比" in text and "仅供评议参考" in text
    assert "(cid:" not in text and "\ufffd" not in text
    assert any("CJK" in f or "Noto" in f for f in fonts)
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    embedded = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for desc in [font.get("/FontDescriptor")] + [d.get_object().get("/FontDescriptor")
                                                         for d in font.get("/DescendantFonts", [])]:
                if desc is not None and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(font.get("/BaseFont")))
    assert embedded, "fonts must be embedded"


def test_reports_docx_figures_and_east_asian_fonts(out):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(out / "briefings" / f"{REPORT}.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "问题及原因分析占比" in text and "%" in text and "点评参考问题" in text

    def east_asian(style) -> str | None:  # the fonts live in the paragraph and character styles
        r_pr = style.element.rPr
        return None if r_pr is None or r_pr.rFonts is None else r_pr.rFonts.get(qn("w:eastAsia"))

    used = {east_asian(p.style) for p in d.paragraphs if p.text}
    used |= {east_asian(r.style) for p in d.paragraphs for r in p.runs if r.style is not None}
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体"} <= used
    assert all(east_asian(p.style) for p in d.paragraphs if p.text), "every paragraph has a CJK font"
    assert d.tables, "the one-third bar is a table"


def test_reports_xlsx_and_csv(out):
    from openpyxl import load_workbook

    wb = load_workbook(out / "summary.xlsx")
    ws = wb["报告"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["单位", "书记", "文件", "格式", "字数", "问题及原因分析占比"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    assert all(c.font.b for c in ws[1])
    share_col = header.index("问题及原因分析占比") + 1
    shares = [ws.cell(row=r, column=share_col) for r in range(2, ws.max_row + 1)]
    assert any(isinstance(c.value, float) and c.number_format == "0.0%" for c in shares)
    assert ws.conditional_formatting
    roster = wb["名单"]
    statuses = [r[4] for r in roster.iter_rows(min_row=2, values_only=True)]
    assert "未报送" in statuses  # 白沙镇党委 did not submit
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "单位" and len(rows) == 6


def test_reports_index_in_headless_chromium(out, chromium):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = chromium
    driver.get((out / "index.html").as_uri())
    rows = driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    assert len(rows) == 5
    assert driver.find_elements(By.CSS_SELECTOR, "#share-chart rect")
    share_header = driver.find_elements(By.CSS_SELECTOR, "#reports th")[2]
    share_header.click()
    values = [float(r.find_elements(By.TAG_NAME, "td")[2].get_attribute("data-value"))
              for r in driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr")]
    assert values == sorted(values)
    share_header.click()
    values = [float(r.find_elements(By.TAG_NAME, "td")[2].get_attribute("data-value"))
              for r in driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr")]
    assert values == sorted(values, reverse=True)
    Select(driver.find_element(By.ID, "verdict-filter")).select_by_value("error")
    visible = [r for r in driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr") if r.is_displayed()]
    assert len(visible) == 2
    Select(driver.find_element(By.ID, "verdict-filter")).select_by_value("")
    link = driver.find_element(By.LINK_TEXT, "网页")
    href = link.get_attribute("href")
    driver.save_screenshot(str(out / "index.png"))
    driver.get(href)
    assert "述职报告预审简报" in driver.page_source
    assert driver.find_elements(By.CSS_SELECTOR, "#fulltext span.s.counted")
    assert driver.find_elements(By.CSS_SELECTOR, "#share-bar rect")
    assert (out / "index.png").stat().st_size > 10_000


def test_pdf_stylesheets_are_valid_css(out, caplog):
    """WeasyPrint drops a rule it cannot parse with only a log line (an escaped font list once
    left the PDFs on a fontconfig fallback); the sheets must render without such warnings."""
    import json
    import logging

    from reports.briefing import render_pdf
    from reports.context import briefing_context

    record = json.loads((out / "analysis" / f"{REPORT}.json").read_text(encoding="utf-8"))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(briefing_context(record, record.get("roster")))
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text
