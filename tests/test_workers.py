"""A worker process that dies takes down only the file it was analysing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

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


def test_release_garbage_collects_cycles_without_spawning_a_compiler(monkeypatch):
    """After each chunk a worker collects the cycles parsers leave and trims the heap; looking up
    malloc_trim must not run gcc (ctypes.util.find_library does) in every worker."""
    import gc
    import subprocess
    import weakref

    from nlp import heap

    heap._malloc_trim.cache_clear()
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("spawned a process"))

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    gc.disable()
    try:
        del a, b
        assert gone() is not None  # a cycle: only the collector frees it
        heap.release_garbage()
        assert gone() is None
    finally:
        gc.enable()
    assert heap._malloc_trim() is not None  # glibc here
