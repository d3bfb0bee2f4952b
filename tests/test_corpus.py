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
