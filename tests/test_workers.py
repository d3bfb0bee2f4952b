"""A worker process that dies takes down only the file it was analysing."""
from __future__ import annotations

import os

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
