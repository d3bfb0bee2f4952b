"""Reruns reuse earlier analyses: an unchanged inbox changes nothing, a late file is analysed alone."""
from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from flows.cli import app


def _screen(inbox, out):
    result = CliRunner().invoke(app, ["screen", str(inbox), "--out", str(out), "--workers", "1", "--no-pdf"])
    assert result.exit_code == 0, result.output
    return result.output


def test_flow_rerun_reuses_cache_and_adds_late_file(tmp_path, files):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(files["docx"], inbox)
    assert "1 份分析有更新" in _screen(inbox, out)
    first = (out / "analysis" / f"{files['docx'].stem}.json").read_bytes()
    assert "0 份分析有更新" in _screen(inbox, out)
    assert (out / "analysis" / f"{files['docx'].stem}.json").read_bytes() == first
    shutil.copy(files["gbk"], inbox)  # a late submission
    output = _screen(inbox, out)
    assert "已处理 2 个文件" in output and "1 份分析有更新" in output
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch["counts"]["files"] == 2
