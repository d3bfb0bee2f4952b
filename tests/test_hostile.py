"""The hostile-input suite through a real batch run: every bad file gets its error code and
message, the good files are analysed exactly as when alone, nothing in the inbox changes."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.hostile import build_suite

BATCH_RULES = {"text_reuse", "repeated_problem"}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, files):
    inbox = tmp_path_factory.mktemp("hostile")
    expected = build_suite(inbox, files["docx"], files["pdf"])
    shutil.copy(files["pdf"], inbox / "正常报告.pdf")
    expected["正常报告.pdf"] = None
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir() if p.is_file()}
    out = tmp_path_factory.mktemp("hostile-out")
    result = CliRunner().invoke(app, ["screen", str(inbox), "--out", str(out), "--workers", "2", "--no-pdf"])
    return inbox, out, result, expected, before


def test_hostile_every_file_gets_its_code(hostile_run):
    inbox, out, result, expected, _ = hostile_run
    assert result.exit_code == 0, result.output
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    by_file = {r["file"]: r for r in batch["reports"]}
    for name, code in expected.items():
        assert name in by_file, f"{name} missing from the summary"
        assert by_file[name]["error"] == code, (name, by_file[name]["error"], code)
    assert batch["counts"]["errors"] == sum(1 for c in expected.values() if c)


def test_hostile_errors_have_chinese_messages(hostile_run):
    _, out, _, _, _ = hostile_run
    for path in (out / "analysis").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["error"]:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in record["error"]["message"])
            assert record["error"]["code"] != "internal_error", record["error"]


def test_hostile_good_file_same_as_alone(hostile_run, analyzer, files):
    _, out, _, _, _ = hostile_run
    mixed = json.loads((out / "analysis" / "正常报告.json").read_text(encoding="utf-8"))
    alone = analyzer.analyze(files["pdf"], "正常报告")
    for key in ("sentences", "chars", "problem_cause_share", "coverage"):
        assert mixed[key] == alone[key], key
    assert [f for f in mixed["findings"] if f["rule"] not in BATCH_RULES] == alone["findings"]


def test_hostile_inbox_unchanged(hostile_run):
    inbox, _, _, _, before = hostile_run
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir() if p.is_file()}
    assert before == after
