"""A worker process that dies takes down only the file it was analysing."""
from __future__ import annotations

import os
from pathlib import Path

from flows.workers import WorkerPool


def _no_init(rules_file):
    return None


def _fragile(items, cache_dir):
    """Stands in for analyze_chunk: kills its own process on the poisoned file."""
    out = []
    for path, rid in items:
        if "poison" in path:
            os._exit(3)
        out.append({"id": rid, "error": None})
    return out


def test_workers_survive_a_dying_worker():
    items = [(f"/in/{n}.docx", n) for n in ("a", "poison", "c")]
    with WorkerPool(2, None, initializer=_no_init) as pool:
        records = pool.analyze(items, None, fn=_fragile)
        assert [r["id"] for r in records] == ["a", "poison", "c"]
        assert records[0]["error"] is None and records[2]["error"] is None
        assert records[1]["error"]["code"] == "internal_error"
        again = pool.analyze([("/in/d.docx", "d")], None, fn=_fragile)  # the pool was replaced
        assert again == [{"id": "d", "error": None}]


def test_worker_start_builds_the_pipeline_and_the_readers():
    """A pre-warmed worker has paid for spaCy, jieba and the readers before its first file (the
    first file of a rerun is on the critical path)."""
    import subprocess
    import sys

    code = ("import sys; from flows.workers import _init_worker; from nlp.segment import get_nlp; "
            "_init_worker(None); "
            "print(get_nlp.cache_info().currsize, all(m in sys.modules for m in "
            "('docx', 'pdfplumber', 'pypdfium2', 'charset_normalizer')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert out == ["1", "True"]
