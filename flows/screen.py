"""The `screen_batch` flow: inbox in, one analysis JSON per file and the batch files out.

Task granularity: one task per chunk of files, executed by a pool of persistent worker processes
(flows/workers.py), so that orchestration costs little next to the analysis itself.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.workers import analyze_chunk, default_workers, make_pool
from nlp.inbox import Submission, discover
from nlp.storage import atomic_write_json, ensure_dir

CHUNK = 8


@task(name="discover-inbox", cache_policy=NONE)
def discover_task(inbox: str) -> list[Submission]:
    return discover(inbox)


@task(name="analyze-chunk", cache_policy=NONE)
def analyze_chunk_task(pool, chunk: list[Submission], out: str) -> list[dict]:
    """Analyse a chunk in the worker pool and write each analysis atomically as it arrives."""
    results = pool.submit(analyze_chunk, [(str(s.path), s.id) for s in chunk]).result()
    analysis_dir = Path(out) / "analysis"
    for record in results:
        atomic_write_json(analysis_dir / f"{record['id']}.json", record)
    return [_row(r) for r in results]


def _row(record: dict) -> dict:
    """The batch line of one report: ids, codes and figures only, never report text."""
    return {
        "id": record["id"],
        "file": record["source"].get("name"),
        "format": record["source"].get("format"),
        "sha256": record["source"].get("sha256"),
        "sentences": len(record.get("sentences", [])),
        "error": (record.get("error") or {}).get("code"),
    }


@task(name="write-batch", cache_policy=NONE)
def write_batch_task(out: str, rows: list[dict], inbox: str) -> str:
    errors = [r for r in rows if r["error"]]
    batch = {"schema": "shuzhi.batch/1", "inbox": str(inbox), "reports": rows,
             "counts": {"files": len(rows), "analysed": len(rows) - len(errors),
                        "errors": len(errors)}}
    return str(atomic_write_json(Path(out) / "batch.json", batch))


@flow(name="screen_batch", task_runner=ThreadPoolTaskRunner(max_workers=default_workers()),
      log_prints=False)
def screen_batch(inbox: str, out: str, rules: str | None = None, workers: int | None = None) -> dict:
    logger = get_run_logger()
    ensure_dir(Path(out) / "analysis")
    submissions = discover_task(inbox)
    logger.info("inbox: %d files", len(submissions))
    chunks = [submissions[i:i + CHUNK] for i in range(0, len(submissions), CHUNK)]
    with make_pool(workers or default_workers(), rules) as pool:
        futures = [analyze_chunk_task.submit(pool, chunk, out) for chunk in chunks]
        rows = [row for f in futures for row in f.result()]
    write_batch_task(out, rows, inbox)
    errors = sum(1 for r in rows if r["error"])
    logger.info("done: %d analysed, %d errors", len(rows) - errors, errors)
    return {"files": len(rows), "errors": errors, "out": out}
