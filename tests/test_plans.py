"""Rectification plans (issue #9): item extraction from real .docx/.pdf/.txt plans, deadline
reading, the checks, a real Prefect run of `check_plans`, the sheets, and the annotated corpus."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from nlp.evaluate.plans import field_match
from nlp.ingest import ingest
from nlp.plans.corpus import FIELDS, load_plan, load_plans
from nlp.plans.deadlines import parse_deadline
from nlp.plans.items import extract_items
from nlp.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
HEARING = ROOT / "corpus" / "hearing_samples"
PLANS = ROOT / "corpus" / "plans"
SAMPLE_PLANS = {  # sample file → corpus plan it was rendered from, and the report it answers
    "河阳县住建局党组述职评议问题整改方案（定稿）.docx": ("p02", "河阳县住建局党组书记述职报告.docx"),
    "宁江水务集团党委整改方案.docx": ("p06", "关于报送2022年度抓基层党建述职报告的函-宁江水务集团.docx"),
    "化学与材料学院党委整改方案.pdf": ("p07", "化学与材料学院党委书记述职报告2022.pdf"),
    "宁川水投集团党委整改方案.txt": ("p08", "宁川水投集团党委书记2022年度述职.pdf"),
}


@pytest.mark.parametrize("name", sorted(SAMPLE_PLANS))
def test_items_are_read_from_real_plan_files(name):
    """A Word table (other headers, a 责任人 column), a PDF table over ruled lines, GBK prose."""
    gold = load_plan(PLANS / f"{SAMPLE_PLANS[name][0]}.json")
    items = extract_items(ingest(HEARING / "plans" / name).blocks, load_settings()["plans"])
    assert len(items) == len(gold.items)
    for got, want in zip(items, gold.items):
        for f in FIELDS:
            assert field_match(f, getattr(got, f), want[f]) or (not getattr(got, f) and not want[f]), \
                (f, getattr(got, f), want[f])


@pytest.mark.parametrize("text, expected", [
    ("2023年6月底前", ("date", "2023-06-30")), ("6月30日前", ("date", "2023-06-30")),
    ("二〇二三年第二季度", ("date", "2023-06-30")), ("2023年上半年", ("date", "2023-06-30")),
    ("年底前", ("date", "2023-12-31")), ("2023.9.15", ("date", "2023-09-15")),
    ("3月底前完成摸排，6月底前全部整改到位", ("date", "2023-06-30")),
    ("2023年10月中旬", ("date", "2023-10-20")), ("长期坚持", ("long_term", None)),
    ("立行立改", ("immediate", "2023-02-02")), ("", ("missing", None)), ("尽快", ("unparsed", None)),
    ("1月底前", ("date", "2024-01-31")),  # no year, month already past at the hearing: next year
])
def test_deadlines_are_read_as_the_last_day_they_allow(text, expected):
    d = parse_deadline(text, date(2023, 2, 2))
    assert (d.kind, d.date.isoformat() if d.date else None) == expected


def test_long_term_with_a_first_date_keeps_the_date():
    d = parse_deadline("长期坚持，2023年6月底前建立制度", date(2023, 2, 2))
    assert d.kind == "date" and d.ongoing and d.date == date(2023, 6, 30)


def test_every_annotated_plan_is_valid_and_the_corpus_is_big_enough():
    plans = load_plans(PLANS)
    assert len(plans) >= 20
    assert {p.meta["form"] for p in plans} >= {"table", "table_alt", "prose", "numbered", "mixed"}
    assert sum(len(p.items) for p in plans) >= 150


@pytest.fixture(scope="module")
def checked_plans(tmp_path_factory, analyzer):
    """Four sample reports analysed, then a real Prefect run of `shuzhi plans` on their plans."""
    from typer.testing import CliRunner

    from flows.cli import app
    from nlp.storage import atomic_write_json

    reports = tmp_path_factory.mktemp("screened")
    for plan_file, (_, report_file) in SAMPLE_PLANS.items():
        record = analyzer.analyze(ROOT / "corpus" / "samples" / report_file)
        atomic_write_json(reports / "analysis" / f"{record['id']}.json", record)
    inbox = tmp_path_factory.mktemp("plans")
    (inbox / "点评").mkdir()
    for plan_file in SAMPLE_PLANS:
        shutil.copy(HEARING / "plans" / plan_file, inbox)
    for critique in (HEARING / "plans" / "点评").iterdir():
        shutil.copy(critique, inbox / "点评")
    shutil.copy(HEARING / "plans" / "hearings.csv", inbox)
    (inbox / "不是整改方案.txt").write_text("会议通知\n请各单位准时参会。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["plans", str(inbox), "--reports", str(reports)])
    out = reports / "plans"
    records = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
    return result, out, records


def _rules(record: dict) -> dict[str, list]:
    found: dict[str, list] = {}
    for f in record["findings"]:
        found.setdefault(f["rule"], []).append(f.get("item") or f.get("target"))
    return found


def test_check_plans_flow_links_each_plan_to_its_report_critique_and_hearing(checked_plans):
    result, out, records = checked_plans
    assert result.exit_code == 0, result.output
    for plan_file, (pid, report_file) in SAMPLE_PLANS.items():
        r = records[Path(plan_file).stem]
        gold = load_plan(PLANS / f"{pid}.json")
        assert r["error"] is None
        assert r["report_id"] == Path(report_file).stem
        assert r["hearing_date"] == gold.meta["hearing_date"]
        assert r["filed_date"] == gold.meta["filed_date"]
        assert r["counts"]["critique"] == len(gold.critique)
        assert r["counts"]["items"] == len(gold.items)


def test_the_checks_find_the_defects_built_into_the_plans(checked_plans):
    _, _, records = checked_plans
    hy = _rules(records["河阳县住建局党组述职评议问题整改方案（定稿）"])
    assert hy["plan_deadline_before_hearing"] == [5]  # 2023年1月20日前, hearing 2023-01-30
    nj = _rules(records["宁江水务集团党委整改方案"])
    assert "plan_filed_late" in nj and [5] == nj["plan_missing_field"]
    assert 9 in nj["plan_item_unlinked"]  # the 党建品牌展厅 answers nothing
    hx = _rules(records["化学与材料学院党委整改方案"])
    assert hx["plan_deadline_long_term"] == [4]
    nc = _rules(records["宁川水投集团党委整改方案"])
    assert nc["plan_missing_field"] == [6] and 7 in nc["plan_item_unlinked"]
    assert "plan_filed_late" not in nc


def test_a_file_that_is_no_plan_gets_a_coded_error_and_the_batch_goes_on(checked_plans):
    _, out, records = checked_plans
    bad = records["不是整改方案"]
    assert bad["error"]["code"] == "no_plan_items" and "整改" in bad["error"]["message"]
    assert len([r for r in records.values() if not r["error"]]) == 4


def test_plan_sheets_and_batch_table_are_written(checked_plans):
    import pdfplumber
    from openpyxl import load_workbook
    from pypdf import PdfReader

    import docx

    _, out, records = checked_plans
    stem = "宁江水务集团党委整改方案"
    with pdfplumber.open(out / f"{stem}.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "整改方案核查" in text and "逾期" in text and "(cid:" not in text
    fonts = [f for page in PdfReader(out / f"{stem}.pdf").pages
             for f in page["/Resources"]["/Font"].values()]
    assert all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
               or "/FontFile3" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
               for f in fonts if "/DescendantFonts" in f.get_object())
    sheet = docx.Document(out / f"{stem}.docx")
    assert any("缺" in c.text for t in sheet.tables for row in t.rows for c in row.cells)
    ws = load_workbook(out / "plans_summary.xlsx").active
    assert ws.max_row == 1 + len(records)
    assert (out / "index.html").read_text(encoding="utf-8").count("<tr>") == 1 + len(records)
    assert (out / "plans_summary.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_plans_command_without_screen_output_explains_in_chinese(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["plans", str(HEARING / "plans"), "--reports", str(tmp_path)])
    assert result.exit_code == 2 and "shuzhi screen" in result.output


def test_plan_sheet_stylesheet_is_valid_css(checked_plans, caplog):
    import logging

    from reports.plan_context import plan_context
    from reports.plan_sheet import render_plan_pdf

    _, _, records = checked_plans
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_plan_pdf(plan_context(records["宁江水务集团党委整改方案"]))
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text


def test_plans_index_and_sheet_in_headless_chromium(checked_plans, chromium):
    from selenium.webdriver.common.by import By

    _, out, records = checked_plans
    chromium.get((out / "index.html").as_uri())
    rows = chromium.find_elements(By.CSS_SELECTOR, "#plans tbody tr")
    assert len(rows) == len(records)
    late = [r for r in rows if "逾期" in r.text]
    assert len(late) == 1 and "宁江水务" in late[0].text
    chromium.find_element(By.LINK_TEXT, "宁江水务集团党委整改方案").click()
    assert "整改方案核查" in chromium.title
    items = chromium.find_elements(By.CSS_SELECTOR, "#items tbody tr")
    assert len(items) == records["宁江水务集团党委整改方案"]["counts"]["items"]
    assert chromium.find_elements(By.CSS_SELECTOR, "#items td.missing")  # the missing deadline
