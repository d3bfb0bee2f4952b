"""The `screen_batch` flow: inbox in; analyses, briefing sheets and batch summaries out.

Task granularity: one task per chunk of files, executed by a pool of persistent worker processes
(flows/workers.py), so that orchestration costs little next to the analysis itself. The batch
comparison (text reuse, repeated problems) runs once over all analyses.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.workers import analyze_chunk, default_workers, make_pool, render_chunk
from nlp.batch import finalize_batch
from nlp.inbox import Submission, discover
from nlp.roster import load_roster, match_roster
from nlp.settings import load_settings
from nlp.storage import atomic_write_json, ensure_dir
from reports.summary import summary_rows, write_csv, write_index, write_xlsx

CHUNK = 8
ROSTER_NAMES = ("roster.csv", "roster.xlsx", "名单.csv", "名单.xlsx")


@task(name="discover-inbox", cache_policy=NONE)
def discover_task(folder: str) -> list[Submission]:
    return discover(folder) if folder and Path(folder).is_dir() else []


@task(name="analyze-chunk", cache_policy=NONE)
def analyze_chunk_task(pool, chunk: list[Submission]) -> list[dict]:
    """Analyse a chunk of files in the worker pool."""
    return pool.submit(analyze_chunk, [(str(s.path), s.id) for s in chunk]).result()


@task(name="compare-batch", cache_policy=NONE)
def compare_task(records: list[dict], archive: list[dict], templates: list[dict],
                 settings: dict) -> list[dict]:
    return finalize_batch(records, archive, templates, settings)


@task(name="write-analyses", cache_policy=NONE)
def write_task(records: list[dict], out: str) -> None:
    for record in records:
        atomic_write_json(Path(out) / "analysis" / f"{record['id']}.json", record)


@task(name="render-chunk", cache_policy=NONE)
def render_chunk_task(pool, items: list) -> int:
    return len(pool.submit(render_chunk, items).result())


@task(name="write-summaries", cache_policy=NONE)
def summaries_task(out: str, records: list[dict], matches: dict, roster: list, inbox: str,
                   settings: dict, versions: dict) -> None:
    out_path = Path(out)
    rows = summary_rows(records, matches)
    one_third = settings["one_third"]
    write_index(out_path, rows, roster, versions, one_third["threshold"])
    write_xlsx(out_path, rows, roster, one_third["threshold"], one_third["borderline_band"])
    write_csv(out_path, rows)
    batch = {"schema": "shuzhi.batch/1", "inbox": str(inbox), "versions": versions,
             "reports": [{k: v for k, v in r.items() if k != "findings_names"} for r in rows],
             "roster": [{"unit": x.unit, "secretary": x.secretary, "mode": x.mode,
                         "organiser": x.organiser, "status": x.status, "reports": x.report_ids}
                        for x in roster],
             "counts": {"files": len(rows), "analysed": sum(1 for r in rows if not r["error"]),
                        "errors": sum(1 for r in rows if r["error"]),
                        "missing": sum(1 for x in roster if x.status == "missing"),
                        "not_in_roster": sum(1 for r in rows if r["status"] == "not_in_roster")}}
    atomic_write_json(out_path / "batch.json", batch)


def _analyze_all(pool, submissions: list[Submission]) -> list[dict]:
    chunks = [submissions[i:i + CHUNK] for i in range(0, len(submissions), CHUNK)]
    futures = [analyze_chunk_task.submit(pool, chunk) for chunk in chunks]
    return [record for f in futures for record in f.result()]


def _roster_path(inbox: str, roster: str | None) -> Path | None:
    if roster:
        return Path(roster)
    return next((Path(inbox) / n for n in ROSTER_NAMES if (Path(inbox) / n).is_file()), None)


@flow(name="screen_batch", task_runner=ThreadPoolTaskRunner(max_workers=default_workers()),
      log_prints=False)
def screen_batch(inbox: str, out: str, rules: str | None = None, archive: str | None = None,
                 roster: str | None = None, deadline: str | None = None, workers: int | None = None,
                 pdf: bool = True) -> dict:
    logger = get_run_logger()
    settings = load_settings(rules)
    ensure_dir(Path(out) / "analysis")
    ensure_dir(Path(out) / "briefings")
    archive = archive or (str(Path(inbox) / "archive") if (Path(inbox) / "archive").is_dir() else None)
    submissions = discover_task(inbox)
    previous = discover_task(archive) if archive else []
    templates = discover_task(str(Path(archive) / "templates")) if archive else []
    logger.info("inbox: %d files; archive: %d; templates: %d", len(submissions), len(previous),
                len(templates))
    roster_file = _roster_path(inbox, roster)
    roster_rows = load_roster(roster_file) if roster_file else []
    deadline = deadline or settings.get("deadline")
    with make_pool(workers or default_workers(), rules) as pool:
        records = _analyze_all(pool, submissions)
        archive_records = _analyze_all(pool, previous)
        template_records = _analyze_all(pool, templates)
        records = compare_task(records, archive_records, template_records, settings)
        write_task(records, out)
        when = datetime.fromisoformat(str(deadline)) if deadline else None
        matches = {m["id"]: m for m in match_roster(roster_rows, records, when)} if roster_rows else {}
        items = [(r, matches.get(r["id"]), str(Path(out) / "briefings"), pdf)
                 for r in records if not r.get("error")]
        futures = [render_chunk_task.submit(pool, items[i:i + CHUNK]) for i in range(0, len(items), CHUNK)]
        rendered = sum(f.result() for f in futures)
    versions = next((r["versions"] for r in records if r.get("versions")), {})
    summaries_task(out, records, matches, roster_rows, inbox, settings, versions)
    errors = sum(1 for r in records if r.get("error"))
    logger.info("done: %d analysed, %d errors, %d sheets", len(records) - errors, errors, rendered)
    return {"files": len(records), "errors": errors, "out": out}
