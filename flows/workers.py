"""A pool of worker processes, each holding one Analyzer built once (pipeline and model load
once per process, not once per file). Tasks of the flow hand chunks of files to this pool."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from nlp.analysis import Analyzer

_ANALYZER: Analyzer | None = None


def _init_worker(rules_file: str | None) -> None:
    global _ANALYZER
    _ANALYZER = Analyzer(rules_file)


def analyze_chunk(items: list[tuple[str, str]], cache_dir: str | None = None) -> list[dict]:
    """Analyse (path, report id) pairs inside a worker process, reusing valid cached analyses."""
    from nlp.cache import cached_record
    from nlp.ingest import sha256_of

    assert _ANALYZER is not None, "worker not initialised"
    out = []
    for path, report_id in items:
        record = None
        if cache_dir:
            try:
                record = cached_record(Path(cache_dir), report_id, sha256_of(Path(path)),
                                       _ANALYZER.versions)
            except OSError:
                record = None
        if record is not None:
            record["cached"] = True
        else:
            record = _ANALYZER.analyze(Path(path), report_id)
            record["cached"] = False
        out.append(record)
    return out


def render_chunk(items: list[tuple[dict, dict | None, str, bool]]) -> list[str]:
    """Write the briefing sheets of (record, roster match, folder, with PDF) items."""
    from reports.briefing import write_briefing

    written = []
    for record, match, folder, pdf in items:
        written.extend(str(p) for p in write_briefing(record, match, folder, pdf))
    return written


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def make_pool(workers: int, rules_file: str | None) -> ProcessPoolExecutor:
    # spawn, not fork: Prefect runs threads and event loops that a forked child must not inherit
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(rules_file,))
