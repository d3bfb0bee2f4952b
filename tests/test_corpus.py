"""`shuzhi corpus check` on the real corpus, and the validator on broken files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from nlp.corpus import CorpusFormatError, load_report

ROOT = Path(__file__).resolve().parents[1]


def test_corpus_check_passes_and_counts():
    result = CliRunner().invoke(app, ["corpus", "check"])
    assert result.exit_code == 0, result.output
    assert "corpus OK" in result.output and "unit types" in result.output


@pytest.mark.parametrize("line, message", [
    ('{"block": "paragraph", "sents": [["文本", "XYZ"]]}', "label"),
    ('{"block": "paragraph", "sents": [["  ", "ACH"]]}', "empty"),
    ('{"block": "paragraph", "sents": [["文本", "ACH", ["nonsense"]]]}', "unknown flags"),
    ('{"block": "figure", "sents": [["文本", "ACH"]]}', "block kind"),
])
def test_corpus_validator_rejects(tmp_path, line, message):
    meta = {"meta": {"id": "x", "title": "t", "unit": "u", "unit_type": "村", "year": 2022,
                     "structure": [], "style": "s"}}
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(meta, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=message):
        load_report(path)


@pytest.mark.parametrize("table, message", [
    ({"rows": [["问题", "原因"]]}, "either a label or cols"),
    ({"rows": [["问题", "原因"]], "label": "PROB", "cols": ["PROB", "CAUSE"]}, "either a label or cols"),
    ({"rows": [["问题", "原因"]], "cols": ["PROB"]}, "cols needs 2 labels"),
    ({"rows": [["问题", "原因"]], "cols": ["PROB", "WHY"]}, "cols needs 2 labels"),
])
def test_corpus_validator_rejects_tables(tmp_path, table, message):
    line = json.dumps({"block": "table", **table}, ensure_ascii=False)
    with pytest.raises(CorpusFormatError, match=message):
        _load_one_block(tmp_path, line)


def _load_one_block(tmp_path, line):
    meta = {"meta": {"id": "x", "title": "t", "unit": "u", "unit_type": "村", "year": 2022,
                     "structure": [], "style": "s"}}
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(meta, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    return load_report(path)


def test_table_columns_carry_their_own_labels(tmp_path):
    """A 问题清单 with problem, cause and measure columns: each cell takes its column's label,
    the header too, and the character labels the model is trained on follow the cells."""
    from nlp.corpus import to_blocks

    line = json.dumps({"block": "table", "cols": ["PROB", "CAUSE", "PLAN"], "rows": [
        ["问题", "原因", "整改措施"], ["支部记录补写", "只查别人不查自己", ""],
        ["考评一团和气", "怕得罪人", "修订考评办法"]]}, ensure_ascii=False)
    report = _load_one_block(tmp_path, line)
    assert [(s.text, s.label) for s in report.sentences] == [
        ("问题", "PROB"), ("原因", "CAUSE"), ("整改措施", "PLAN"), ("支部记录补写", "PROB"),
        ("只查别人不查自己", "CAUSE"), ("考评一团和气", "PROB"), ("怕得罪人", "CAUSE"),
        ("修订考评办法", "PLAN")]
    blocks, labels = to_blocks(report)
    assert [(b.row, b.col) for b in blocks][4:6] == [(1, 1), (2, 0)]  # the empty cell is skipped
    assert labels[4] == "C" * len("只查别人不查自己") and labels[-1] == "L" * len("修订考评办法")


def test_corpus_sample_inbox_is_rendered():
    samples = ROOT / "corpus" / "samples"
    suffixes = {p.suffix for p in samples.iterdir() if p.is_file()}
    assert {".docx", ".pdf", ".txt", ".doc", ".csv"} <= suffixes
    assert len([p for p in samples.iterdir() if p.suffix in (".docx", ".pdf", ".txt", ".doc")]) >= 15
    assert len(list((samples / "archive").iterdir())) >= 5


def test_stock_phrase_flags_are_what_the_blind_annotation_decided():
    """The corpus's stock_phrase flags equal the recorded annotation of corpus/specs/stock_phrase_2026
    (both annotators, or the third where they differed), so a hand edit cannot drift from it."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "corpus" / "tools" / "stock_agreement.py"
    spec = importlib.util.spec_from_file_location("stock_agreement", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    result = tool.agreement()
    assert result["corpus_differs"] == []
    assert result["kappa"] > 0.9 and result["per_split"]["test"] == 125
