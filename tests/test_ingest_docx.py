"""The .docx reader on real Word files: numbering as printed, tables, text boxes, tracked changes."""
from __future__ import annotations

import zipfile

import pytest

from nlp.document import BlockKind
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest import ingest
from nlp.ingest.numbering import chinese_counting, format_number
from tests import builders


def test_docx_golden_blocks(files, golden):
    doc = ingest(files["docx"])
    golden("docx_report_blocks", [b.to_dict() for b in doc.blocks])


def test_docx_numbering_rendered_as_printed(files):
    texts = [b.text for b in ingest(files["docx"]).blocks]
    assert "一、履职情况" in texts
    assert "（二）建强支部堡垒" in texts
    assert "2. 发展党员15名，其中35岁以下9名。" in texts
    assert "三、下一步打算" in texts
    assert "（1）2023年6月底前完成全部村级阵地改造。" in texts


def test_docx_headings_from_styles(files):
    blocks = ingest(files["docx"]).blocks
    headings = [(b.level, b.text) for b in blocks if b.kind is BlockKind.HEADING]
    assert headings[0] == (0, "青石镇党委书记2022年度抓基层党建工作述职报告")
    assert (2, "（一）强化政治引领") in headings


def test_docx_table_cells_in_document_order(files):
    blocks = ingest(files["docx"]).blocks
    cells = [b for b in blocks if b.kind is BlockKind.TABLE_CELL]
    assert [c.text for c in cells] == ["指标", "2021年", "2022年", "发展党员", "12名", "15名"]
    assert (cells[4].row, cells[4].col) == (1, 1)
    order = [b.text for b in blocks]
    assert order.index("2. 发展党员15名，其中35岁以下9名。") < order.index("指标") < order.index("二、存在的问题")


def test_docx_tracked_changes_textbox_and_excluded_parts(files):
    text = ingest(files["docx"]).text
    assert "二是抓村级组织建设用力不均。" in text  # accepted insertion
    assert "此句已删除" not in text  # deletion
    assert "专栏：东岭村经验" in text  # text box
    assert "内部资料" not in text and "第 1 页" not in text  # header and footer


def test_docx_meta_from_text(files):
    meta = ingest(files["docx"]).meta
    assert meta.unit == "青石镇党委"
    assert meta.secretary == "×××"
    assert meta.year == 2022
    assert meta.date == "2022年12月20日"


@pytest.mark.parametrize("n, fmt, expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCounting", "二十"), (35, "chineseCountingThousand", "三十五"),
    (3, "decimalEnclosedCircle", "③"), (2, "ideographTraditional", "乙"), (4, "upperRoman", "IV"),
    (28, "lowerLetter", "ab"), (7, "decimal", "7"),
])
def test_numbering_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_chinese_counting_hundreds():
    assert chinese_counting(105) == "一百零五"
    assert chinese_counting(110) == "一百一十"


def test_docx_empty_document(tmp_path):
    path = builders.build_empty_docx(tmp_path / "空白.docx")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.EMPTY_DOCUMENT


def test_docx_corrupt_and_truncated(tmp_path, files):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    truncated = tmp_path / "截断.docx"
    truncated.write_bytes(files["docx"].read_bytes()[:3000])
    for path in (bad, truncated):
        with pytest.raises(ShuzhiInputError) as e:
            ingest(path)
        assert e.value.code is ErrorCode.CORRUPT_FILE


def test_docx_with_dtd_is_refused(tmp_path, files):
    evil = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document/>')
    path = builders.build_docx_with_part(tmp_path / "dtd.docx", files["docx"], "word/document.xml", evil)
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.CORRUPT_FILE


def test_docx_zip_bomb_is_refused(tmp_path, files):
    path = builders.build_docx_with_part(tmp_path / "bomb.docx", files["docx"], "word/media/big.bin",
                                         b"\0" * (300 * 1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.ARCHIVE_BOMB


def test_xlsx_named_docx_is_unsupported(tmp_path):
    path = tmp_path / "表格.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.UNSUPPORTED_FORMAT
