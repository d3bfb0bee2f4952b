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


def test_cached_analyses_are_read_without_workers(tmp_path, files):
    """The flow's own process finds unchanged files in the cache (with their signatures); a
    changed file, or one whose signatures are gone, is left to the workers."""
    from flows.workers import _signature_dir, from_cache
    from nlp.analysis import analysis_versions

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for kind in ("docx", "gbk"):
        shutil.copy(files[kind], inbox)
    _screen(inbox, out)
    items = sorted((str(p), p.stem) for p in inbox.iterdir())
    cache = str(out / "analysis")
    found, missing = from_cache(items, cache, analysis_versions())
    assert missing == [] and len(found) == 2 and all(r["cached"] and "_minhash" in r for r in found)
    changed = inbox / files["gbk"].name
    changed.write_bytes(changed.read_bytes() + b"\r\n")
    (_signature_dir(cache) / f"{files['docx'].stem}.npz").unlink()
    found, missing = from_cache(items, cache, analysis_versions())
    assert found == [] and sorted(missing) == [0, 1]
    assert from_cache(items, cache, {**analysis_versions(), "model": "another"})[1] == [0, 1]


def test_analyses_survive_a_run_that_fails_after_the_workers(tmp_path, files, monkeypatch):
    """The workers write each analysis (and its signatures) as soon as it is made, and the flow
    holds only small stubs: a run that dies in the batch comparison loses no analysis, and the
    next run finds them all in the cache."""
    from flows import screen
    from flows.workers import from_cache
    from nlp.analysis import analysis_versions

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for kind in ("docx", "gbk"):
        shutil.copy(files[kind], inbox)

    def dies(comparison):
        assert len(comparison.value.refs) == 2
        raise RuntimeError("killed during the comparison")

    monkeypatch.setattr(screen, "compare_task", dies)
    result = CliRunner().invoke(app, ["screen", str(inbox), "--out", str(out), "--workers", "1", "--no-pdf"])
    assert result.exit_code != 0
    items = sorted((str(p), p.stem) for p in inbox.iterdir())
    found, missing = from_cache(items, str(out / "analysis"), analysis_versions())
    assert missing == [] and len(found) == 2 and not any("sentences" in s for s in found)
    monkeypatch.undo()
    assert "已处理 2 个文件" in _screen(inbox, out)
    record = json.loads((out / "analysis" / f"{files['docx'].stem}.json").read_text(encoding="utf-8"))
    assert record["questions"] and "roster" in record


def test_an_analysis_lost_before_the_batch_finishes_is_one_error(tmp_path, files, monkeypatch):
    """An analysis file removed while the batch runs (by hand, a full disk) costs that report an
    error record, in Chinese with its code; the other reports and the batch go on."""
    from flows import screen

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for kind in ("docx", "gbk"):
        shutil.copy(files[kind], inbox)
    compare = screen.compare_task

    def compare_then_lose_one(comparison):
        (out / "analysis" / f"{files['gbk'].stem}.json").unlink()
        return compare(comparison)

    monkeypatch.setattr(screen, "compare_task", compare_then_lose_one)
    assert "其中 1 个无法读取" in _screen(inbox, out)
    rows = {r["id"]: r for r in json.loads((out / "batch.json").read_text(encoding="utf-8"))["reports"]}
    assert rows[files["gbk"].stem]["error"] == "internal_error" and rows[files["gbk"].stem]["error_message"]
    assert rows[files["docx"].stem]["error"] is None
    assert (out / "briefings" / f"{files['docx'].stem}.html").is_file()
    assert not (out / "briefings" / f"{files['gbk'].stem}.html").exists()


def test_prefetched_cache_is_taken_once_and_only_for_the_same_files(tmp_path, files, monkeypatch):
    """The CLI starts reading the cache while Prefect's server starts; the flow takes that read
    only when it asks for the same files with the same versions, and only once."""
    from flows import workers
    from nlp.analysis import analysis_versions

    items = [(str(files["docx"]), "a"), (str(files["gbk"]), "b")]
    cache, versions = str(tmp_path / "analysis"), analysis_versions()
    reads = []
    monkeypatch.setattr(workers, "_read_cached", lambda *args: reads.append(args) or ([], [0, 1]))
    workers.prefetch_cached(items, cache, versions)
    assert workers.from_cache(items, cache, dict(versions)) == ([], [0, 1]) and len(reads) == 1
    workers.from_cache(items, cache, versions)  # the prefetch is used up: read again
    workers.prefetch_cached(items, cache, versions)
    workers.from_cache(items[:1], cache, versions)  # other files: read afresh, prefetch dropped
    assert len(reads) == 4 and reads[-1][0] == items[:1] and workers._PREFETCH is None


def test_likely_pending_counts_new_and_touched_files(tmp_path, files):
    """The warm-up estimate: nothing after a run, a touched file after it, all of them when the
    analyses were made by another model."""
    import os

    from nlp.analysis import analysis_versions
    from nlp.cache import likely_pending

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for kind in ("docx", "gbk"):
        shutil.copy(files[kind], inbox)
    items = sorted((p, p.stem) for p in inbox.iterdir())
    assert likely_pending(items, out / "analysis", analysis_versions()) == 2
    _screen(inbox, out)
    assert likely_pending(items, out / "analysis", analysis_versions()) == 0
    later = (out / "analysis" / f"{items[0][1]}.json").stat().st_mtime + 10
    os.utime(items[0][0], (later, later))
    assert likely_pending(items, out / "analysis", analysis_versions()) == 1
    assert likely_pending(items, out / "analysis", {**analysis_versions(), "model": "x"}) == 2


def test_flow_finds_a_problem_repeated_from_the_archive(tmp_path):
    """The flow's views are made by workers that do not know a report is an archive report; its
    problem sentences must still be there for repeated_problem."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (inbox / "archive").mkdir(parents=True)
    body = ("一、履职情况\n全年发展党员15名，新建党群服务中心2个。\n二、存在的问题\n"
            "一是村级组织建设不平衡，东岭村党支部活动{}不正常，全年只开了3次支委会。\n"
            "三、下一步打算\n由组织委员负责，6月底前完成东岭村支部整顿。\n")
    (inbox / "青石镇党委书记述职.txt").write_text(
        "青石镇党委书记2023年度抓基层党建工作述职报告\n" + body.format("仍"), encoding="utf-8")
    (inbox / "archive" / "青石镇党委书记2022年述职.txt").write_text(
        "青石镇党委书记2022年度抓基层党建工作述职报告\n" + body.format(""), encoding="utf-8")
    _screen(inbox, out)
    record = json.loads((out / "analysis" / "青石镇党委书记述职.json").read_text(encoding="utf-8"))
    repeated = [f for f in record["findings"] if f["rule"] == "repeated_problem"]
    assert repeated and any("东岭村" in record["sentences"][i]["text"] for i in repeated[0]["sentence_ids"])
