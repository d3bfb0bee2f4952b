"""One end-to-end run of the real Prefect flow on three reports and two bad files."""
from __future__ import annotations

import hashlib
import json

import pytest


@pytest.fixture(scope="module")
def screened(screened_batch):
    return screened_batch


def test_flow_screen_writes_one_json_per_file(screened):
    inbox, out, result, _ = screened
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "analysis").glob("*.json"))
    assert len(names) == 5
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch["counts"]["files"] == 5 and batch["counts"]["errors"] == 2


def test_flow_screen_contract_fields(screened):
    _, out, _, _ = screened
    for path in (out / "analysis").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert record["schema"] == "shuzhi.report/1"
        for key in ("id", "source", "meta", "error", "sentences"):
            assert key in record
        assert len(record["source"]["sha256"]) == 64
        if record["error"] is None:
            assert record["sentences"] and all(s["text"] for s in record["sentences"])
            assert {s["label"] for s in record["sentences"]} <= {"ACH", "PROB", "CAUSE", "PLAN", "OTHER"}
            assert 0 <= record["problem_cause_share"] <= 1
            assert record["one_third"]["verdict"] in ("pass", "borderline", "fail")
            assert sum(record["chars"][k] for k in ("ACH", "PROB", "CAUSE", "PLAN", "OTHER")) == \
                record["chars"]["total"]
            assert 3 <= len(record["questions"]) <= 6 and "coverage" in record
            assert [s["id"] for s in record["sentences"]] == list(range(len(record["sentences"])))


def test_flow_screen_error_records(screened):
    _, out, _, _ = screened
    broken = json.loads((out / "analysis" / "损坏的文件.json").read_text(encoding="utf-8"))
    assert broken["error"]["code"] == "corrupt_file"
    assert "无法打开" in broken["error"]["message"]
    empty = json.loads((out / "analysis" / "空文件.json").read_text(encoding="utf-8"))
    assert empty["error"]["code"] == "empty_document"


def test_flow_screen_leaves_inbox_untouched(screened):
    inbox, _, _, hashes = screened
    assert hashes == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}


def test_chunks_are_a_dozen_per_worker_within_bounds():
    from flows.screen import chunk_size, chunked

    assert chunk_size(1000, 2) == 42 and chunk_size(5, 2) == 8 and chunk_size(10**6, 2) == 64
    parts = chunked(list(range(1000)), chunk_size(1000, 2))
    assert len(parts) == 24 and sum(map(len, parts)) == 1000
