"""The `screen_batch` flow: inbox in, one analysis JSON per file and the batch files out.

Task granularity: one task per chunk of files, executed by a pool of persistent worker processes
(flows/workers.py), so that orchestration costs little next to the analysis itself. The batch
comparison (text reuse, repeated problems) runs once over all analyses.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.workers import analyze_chunk, default_workers, make_pool
from nlp.batch import finalize_batch
from nlp.inbox import Submission, discover
from nlp.settings import load_settings
from nlp.storage import atomic_write_json, ensure_dir

CHUNK = 8


@task(name="discover-inbox", cache_policy=NONE)
def discover_task(folder: str) -> list[Submission]:
    return discover(folder) if folder and Path(folder).is_dir() else []


@task(name="analyze-chunk", cache_policy=NONE)
def analyze_chunk_task(pool, chunk: list[Submission]) -> list[dict]:
    """Analyse a chunk of files in the worker pool."""
    return pool.submit(analyze_chunk, [(str(s.path), s.id) for s in chunk]).result()


@task(name="compare-batch", cache_policy=NONE)
def compare_task(records: list[dict], archive: list[dict], templates: list[dict],
                 rules: str | None) -> list[dict]:
    return finalize_batch(records, archive, templates, load_settings(rules))


@task(name="write-analyses", cache_policy=NONE)
def write_task(records: list[dict], out: str) -> None:
    for record in records:
        atomic_write_json(Path(out) / "analysis" / f"{record['id']}.json", record)


def _row(record: dict) -> dict:
    """The batch line of one report: ids, codes and figures only, never report text."""
    return {
        "id": record["id"],
        "file": record["source"].get("name"),
        "format": record["source"].get("format"),
        "sha256": record["source"].get("sha256"),
        "unit": (record.get("meta") or {}).get("unit"),
        "sentences": len(record.get("sentences", [])),
        "problem_cause_share": record.get("problem_cause_share"),
        "verdict": (record.get("one_third") or {}).get("verdict"),
        "findings": [f["rule"] for f in record.get("findings", [])],
        "error": (record.get("error") or {}).get("code"),
    }


@task(name="write-batch", cache_policy=NONE)
def write_batch_task(out: str, records: list[dict], inbox: str) -> str:
    rows = [_row(r) for r in records]
    errors = [r for r in rows if r["error"]]
    batch = {"schema": "shuzhi.batch/1", "inbox": str(inbox), "reports": rows,
             "counts": {"files": len(rows), "analysed": len(rows) - len(errors),
                        "errors": len(errors)}}
    return str(atomic_write_json(Path(out) / "batch.json", batch))


def _analyze_all(pool, submissions: list[Submission]) -> list[dict]:
    chunks = [submissions[i:i + CHUNK] for i in range(0, len(submissions), CHUNK)]
    futures = [analyze_chunk_task.submit(pool, chunk) for chunk in chunks]
    return [record for f in futures for record in f.result()]


@flow(name="screen_batch", task_runner=ThreadPoolTaskRunner(max_workers=default_workers()),
      log_prints=False)
def screen_batch(inbox: str, out: str, rules: str | None = None, archive: str | None = None,
                 workers: int | None = None) -> dict:
    logger = get_run_logger()
    ensure_dir(Path(out) / "analysis")
    archive = archive or (str(Path(inbox) / "archive") if (Path(inbox) / "archive").is_dir() else None)
    submissions = discover_task(inbox)
    previous = discover_task(archive) if archive else []
    templates = discover_task(str(Path(archive) / "templates")) if archive else []
    logger.info("inbox: %d files; archive: %d; templates: %d", len(submissions), len(previous),
                len(templates))
    with make_pool(workers or default_workers(), rules) as pool:
        records = _analyze_all(pool, submissions)
        archive_records = _analyze_all(pool, previous)
        template_records = _analyze_all(pool, templates)
    records = compare_task(records, archive_records, template_records, rules)
    write_task(records, out)
    write_batch_task(out, records, inbox)
    errors = sum(1 for r in records if r.get("error"))
    logger.info("done: %d analysed, %d errors", len(records) - errors, errors)
    return {"files": len(records), "errors": errors, "out": out}
