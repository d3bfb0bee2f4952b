"""A pool of worker processes, each holding one Analyzer built once (pipeline and model load
once per process, not once per file). Tasks of the flow hand chunks of files to this pool.

A worker that dies (a parser crashing the interpreter, the memory limit) breaks a
ProcessPoolExecutor for good. `WorkerPool` replaces the executor and retries the chunk file by
file, so that only the file that kills its worker gets an error record; the batch goes on.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import resource
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from nlp.analysis import Analyzer
from nlp.errors import ErrorCode
from nlp.heap import release_garbage

_ANALYZER: Analyzer | None = None
MB = 1024 * 1024


def _init_worker(rules_file: str | None) -> None:
    global _ANALYZER
    _ANALYZER = Analyzer(rules_file)
    _ANALYZER.warm_up()
    gc.freeze()  # the pipeline and model live as long as the worker: out of the collector's passes
    limit = _ANALYZER.limits.max_memory_mb
    if limit:  # a runaway parser gets a MemoryError (an error record), not the whole machine
        try:
            resource.setrlimit(resource.RLIMIT_AS, (int(limit * MB), int(limit * MB)))
        except (ValueError, OSError):
            pass


_INDEX = None


def _signature_dir(cache_dir: str) -> Path:
    """OUT/analysis → OUT/.cache/minhash/analysis; OUT/.cache/archive → OUT/.cache/minhash/archive
    (analysis/ holds only the analyses, for the tools that read them)."""
    folder = Path(cache_dir)
    out = folder.parent if folder.name == "analysis" else folder.parent.parent
    return out / ".cache" / "minhash" / folder.name


def _signature_path(record: dict, cache_dir: str | None) -> Path | None:
    return _signature_dir(cache_dir) / f"{record['id']}.npz" if cache_dir else None


def cached_signatures(record: dict, cache_dir: str | None):
    """The record's passage MinHash values kept beside its cached analysis, if still valid."""
    import numpy as np

    path = _signature_path(record, cache_dir)
    if path is not None and path.is_file():
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["key"]) == str(record.get("cache_key")):
                    return z["values"]
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache entry is recomputed
    return None


def _signatures(record: dict, view, cache_dir: str | None):
    """The report's passage MinHash values (for the batch comparison), computed here in the
    worker and kept beside the analysis so that a rerun does not compute them again."""
    import io

    import numpy as np

    from nlp.similarity import reuse_index
    from nlp.storage import atomic_write_bytes

    global _INDEX
    if _INDEX is None:
        _INDEX = reuse_index(_ANALYZER.settings)
    values = _INDEX.signatures(view)
    path = _signature_path(record, cache_dir)
    if path is not None and record.get("cache_key"):
        buf = io.BytesIO()
        np.savez(buf, key=np.array(record["cache_key"]), values=values)
        atomic_write_bytes(path, buf.getvalue(), sync=False)
    return values


STUB_KEYS = ("id", "source", "meta", "versions", "error")


def stub_of(record: dict, view=None, signatures=None, cached: bool = False) -> dict:
    """What the flow holds of an analysis while the batch runs: the analysis itself is on disk
    (`cache_dir`), the flow keeps its source, meta and error, the comparison's view and the
    passage signatures — kilobytes instead of the whole analysis. An error record is small and
    is kept whole (a worker that died wrote nothing)."""
    if record.get("error"):
        return {**record, "cached": cached}
    from nlp.similarity import view_of

    return {**{k: record.get(k) for k in STUB_KEYS}, "cached": cached,
            "view": view if view is not None else view_of(record), "_minhash": signatures}


_PREFETCH: tuple[tuple, Future] | None = None


def _prefetch_key(items, cache_dir, versions) -> tuple:
    return tuple(map(tuple, items)), cache_dir, json.dumps(versions, sort_keys=True)


def prefetch_cached(items: list[tuple[str, str]], cache_dir: str | None, versions: dict) -> None:
    """Start reading the cached analyses in a thread while the command waits for Prefect's
    server; `from_cache` takes the result when the flow asks for the same files."""
    global _PREFETCH
    executor = ThreadPoolExecutor(1, thread_name_prefix="prefetch-cache")
    _PREFETCH = (_prefetch_key(items, cache_dir, versions),
                 executor.submit(_read_cached, items, cache_dir, versions))
    executor.shutdown(wait=False)


def from_cache(items: list[tuple[str, str]], cache_dir: str | None,
               versions: dict) -> tuple[list[dict], list[int]]:
    """The still-valid cached analyses of (path, report id) items, with their signatures, read
    in the calling process: a rerun does not wait for the workers, or ship the analyses through
    them, to find that most files are unchanged. Returns the records found and the indexes of
    the items that need a worker."""
    global _PREFETCH
    prefetched, _PREFETCH = _PREFETCH, None
    if prefetched is not None and prefetched[0] == _prefetch_key(items, cache_dir, versions):
        return prefetched[1].result()
    return _read_cached(items, cache_dir, versions)


def _read_cached(items: list[tuple[str, str]], cache_dir: str | None,
                 versions: dict) -> tuple[list[dict], list[int]]:
    from nlp.cache import cached_record
    from nlp.ingest import sha256_of

    found, missing = [], []
    for i, (path, report_id) in enumerate(items):
        record = None
        if cache_dir:
            try:
                record = cached_record(Path(cache_dir), report_id, sha256_of(Path(path)), versions)
            except OSError:
                record = None
        stub = None
        if record is not None and record.get("error"):
            stub = stub_of(record, cached=True)
        elif record is not None:
            signatures = cached_signatures(record, cache_dir)
            stub = None if signatures is None else stub_of(record, signatures=signatures, cached=True)
        if stub is None:
            missing.append(i)
            continue
        found.append(stub)
    return found, missing


def analyze_chunk(items: list[tuple[str, str]], cache_dir: str) -> list[dict]:
    """Analyse (path, report id) pairs inside a worker process; the flow has already taken the
    still-valid cached analyses (`from_cache`). Each analysis is written to `cache_dir` at once
    (the work of a run that then crashes is kept) with its passage signatures beside it; the
    flow gets its stub (`stub_of`) and finishes the analysis from the file after the batch
    comparison."""
    from nlp.similarity import view_of
    from nlp.storage import atomic_write_json

    assert _ANALYZER is not None, "worker not initialised"
    out = []
    for path, report_id in items:
        record = _ANALYZER.analyze(Path(path), report_id)
        try:
            atomic_write_json(Path(cache_dir) / f"{report_id}.json", record, sync=False)
        except OSError as e:  # a full disk, a folder made read-only: this file's error, not the batch's
            record = crash_record(path, report_id, f"the analysis could not be written: {e}")
        if record.get("error"):
            out.append(stub_of(record))
            continue
        view = view_of(record)
        out.append(stub_of(record, view, _signatures(record, view, cache_dir)))
    release_garbage()
    return out


def render_chunk(items: list[tuple[str, dict | None, str, bool]]) -> list[str]:
    """Write the briefing sheets of (analysis file, roster match, folder, with PDF) items; the
    worker reads the analysis, so that the flow need not hold it."""
    from nlp.storage import read_json
    from reports.briefing import write_briefing

    written = []
    for analysis, match, folder, pdf in items:
        written.extend(str(p) for p in write_briefing(read_json(analysis), match, folder, pdf))
    release_garbage()
    return written


def crash_record(path: str, report_id: str,
                 detail: str = "the worker process analysing this file died") -> dict:
    """The record of a file whose analysis killed its worker process (or was lost otherwise)."""
    from nlp.analysis import SCHEMA
    from nlp.errors import MESSAGES

    p = Path(path)
    return {"schema": SCHEMA, "id": report_id,
            "source": {"path": str(p), "sha256": None, "format": p.suffix.lower().lstrip("."),
                       "name": p.name, "mtime": None},
            "meta": {}, "versions": {}, "cache_key": None, "sentences": [], "findings": [],
            "cached": False,
            "error": {"code": ErrorCode.INTERNAL_ERROR.value, "message": MESSAGES[ErrorCode.INTERNAL_ERROR],
                      "detail": detail}}


class WorkerPool:
    """A process pool that survives the death of a worker."""

    def __init__(self, workers: int, rules_file: str | None, initializer=_init_worker):
        self.workers = workers
        self.rules_file = rules_file
        self.initializer = initializer
        self._lock = threading.Lock()
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn, not fork: Prefect runs threads and event loops that a forked child must not inherit
        ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                   initializer=self.initializer, initargs=(self.rules_file,))

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new()

    def call(self, fn, *args):
        executor = self._executor
        try:
            return executor.submit(fn, *args).result()
        except BrokenProcessPool:
            self._replace(executor)
            raise

    def analyze(self, items: list[tuple[str, str]], cache_dir: str | None,
                fn=analyze_chunk) -> list[dict]:
        """Analyse a chunk; if a worker dies, retry file by file and record the culprit."""
        try:
            return self.call(fn, items, cache_dir)
        except BrokenProcessPool:
            out = []
            for item in items:
                try:
                    out.extend(self.call(fn, [item], cache_dir))
                except BrokenProcessPool:
                    out.append(crash_record(*item))
            return out

    def warm(self, count: int | None = None) -> None:
        """Start `count` workers (all by default) now; a spawn pool starts its processes on demand,
        one per task, so the others start if the work needs them."""
        for _ in range(self.workers if count is None else min(count, self.workers)):
            self._executor.submit(_ready)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def _on_dask_worker(fn_name: str, rules_file: str | None, *args):
    """Run one of this module's functions on a Dask worker, building its Analyzer once."""
    if _ANALYZER is None:
        _init_worker(rules_file)
    return globals()[fn_name](*args)


class DaskPool:
    """The same interface as WorkerPool, on an existing Dask cluster (dask.distributed)."""

    def __init__(self, address: str, rules_file: str | None):
        from distributed import Client

        self.client = Client(address)
        self.rules_file = rules_file
        self.workers = max(1, sum(self.client.nthreads().values()))

    def call(self, fn, *args):
        return self.client.submit(_on_dask_worker, fn.__name__, self.rules_file, *args, pure=False).result()

    def analyze(self, items: list[tuple[str, str]], cache_dir: str | None, fn=analyze_chunk) -> list[dict]:
        return self.call(fn, items, cache_dir)

    def __enter__(self) -> "DaskPool":
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


_SHARED: dict[tuple[int, str | None], tuple[str, WorkerPool]] = {}


def _loaded_files_digest(rules_file: str | None) -> str:
    """What a worker loaded at start: the rules file and the model (by its manifest)."""
    from nlp.classify.labeller import DEFAULT_MODEL

    digest = hashlib.sha256()
    for path in (rules_file, DEFAULT_MODEL / "manifest.json"):
        if path and Path(path).is_file():
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def shared_pool(workers: int, rules_file: str | None) -> WorkerPool:
    """The process's pool for these settings, kept for later runs in the same process (a script
    or notebook that screens twice, the benchmark's rerun), and started before Prefect by
    `prewarm`: a worker needs seconds to load the pipeline and model. Prefect's `serve` runs each
    scheduled run in a new process, which starts its own. A changed rules file or model gets
    fresh workers."""
    key = (workers, rules_file)
    digest = _loaded_files_digest(rules_file)
    known = _SHARED.get(key)
    if known is not None and known[0] == digest:
        return known[1]
    if known is not None:
        known[1].shutdown()
    pool = WorkerPool(workers, rules_file)
    _SHARED[key] = (digest, pool)
    return pool


def _ready() -> bool:
    return _ANALYZER is not None


def prewarm(workers: int | None, rules_file: str | None, pending: int | None = None) -> None:
    """Start the workers now, so that each loads the pipeline and model (`Analyzer.warm_up`)
    while Prefect starts its server rather than after it; no more workers than files likely to
    need analysing (`pending`), so that a rerun with nothing or little new does not load the model
    in every worker while the server starts on the same cores."""
    shared_pool(workers or default_workers(), rules_file).warm(pending)


@contextmanager
def worker_pool(workers: int, rules_file: str | None, dask: str | None = None):
    """The pool a flow run uses: the shared local one (kept after the run) or a Dask client
    (closed after it)."""
    if not dask:
        yield shared_pool(workers, rules_file)
        return
    with DaskPool(dask, rules_file) as pool:
        yield pool
