"""The `screen_batch` flow: inbox in; analyses, briefing sheets and batch summaries out.

Task granularity: one task per chunk of files, executed by a pool of persistent worker processes
(flows/workers.py), so that orchestration costs little next to the analysis itself. The batch
comparison (text reuse, repeated problems) runs once over all reports.

Memory: the workers write each analysis to OUT/analysis at once; this process holds only a
stub per report (source, meta, the comparison's view), then finishes the analyses one at a time
from disk, and the workers render the sheets from the files. So memory grows by kilobytes per
report, not by whole analyses.
"""
from __future__ import annotations

import gc
import json
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.held import Held
from flows.workers import crash_record, default_workers, from_cache, render_chunk, worker_pool
from nlp.analysis import analysis_versions
from nlp.batch import finish_record, new_comparison
from nlp.inbox import Submission, discover
from nlp.roster import load_roster, match_roster
from nlp.settings import load_settings
from nlp.storage import atomic_write_bytes, atomic_write_json, ensure_dir, json_bytes
from reports.summary import summary_rows, write_csv, write_index, write_xlsx

MIN_CHUNK, MAX_CHUNK, TASKS_PER_WORKER = 8, 64, 12
TASK_THREADS = 32


def chunk_size(n: int, workers: int) -> int:
    """Files per task: about a dozen tasks per worker, 8 to 64 files each. Each task run costs
    Prefect's client and server some tens of milliseconds of CPU on the same cores as the
    workers, so 1,000 files in tasks of 8 (125 task runs) kept the server busy; a dozen tasks per
    worker still balances the load at the end of the batch."""
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-n // (max(1, workers) * TASKS_PER_WORKER))))


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


ROSTER_NAMES = ("roster.csv", "roster.xlsx", "名单.csv", "名单.xlsx")


@task(name="discover-inbox", cache_policy=NONE)
def discover_task(folder: str) -> list[Submission]:
    return discover(folder) if folder and Path(folder).is_dir() else []


@task(name="read-cached-analyses", cache_policy=NONE)
def read_cache_task(items: list[tuple[str, str]], cache_dir: str | None, versions: dict) -> Held:
    """Unchanged files' analyses, read here; only the others go to the worker pool."""
    return Held(from_cache(items, cache_dir, versions))


@task(name="analyze-chunk", cache_policy=NONE)
def analyze_chunk_task(pool, chunk: list[Submission], cache_dir: str | None) -> Held:
    """Analyse a chunk of files (none of them with a valid cached analysis) in the worker pool."""
    return Held(pool.analyze([(str(s.path), s.id) for s in chunk], cache_dir))


def open_comparison(settings: dict, out: str):
    """The batch comparison, fed each report's view as its analysis arrives (`feed`); its spool
    files are in OUT/.cache, unnamed."""
    return new_comparison(settings, str(ensure_dir(Path(out) / ".cache")))


def feed(comparison, stubs: list[dict], kind: str) -> None:
    """Move the stubs' views and signatures into the comparison as they arrive, so that the
    stubs hold them no longer than a chunk."""
    for stub in stubs:
        view, signature = stub.pop("view", None), stub.pop("_minhash", None)
        if view is not None and not stub.get("error"):
            view.kind = kind
            comparison.add(view, signature)


@task(name="compare-batch", cache_policy=NONE)
def compare_task(comparison: Held) -> Held:
    """The candidate passage pairs (LSH bands) and batch-common phrases, once all views are in;
    the analyses are finished one by one afterwards (`finish_task`)."""
    comparison.value.prepare()
    return comparison


@task(name="finish-analyses", cache_policy=NONE)
def finish_task(stubs: Held, comparison: Held, matches: Held, settings: dict, out: str) -> Held:
    """The comparison's second pass, one analysis at a time read from disk: batch findings,
    critique questions and roster status added; the analysis written if its content changed.
    Returns the summary rows and the ids whose sheets need rendering."""
    comparison, matches = comparison.value, matches.value
    rows, changed = [], []
    for stub in stubs.value:
        path = Path(out) / "analysis" / f"{stub['id']}.json"
        old = None
        if stub.get("error"):
            record = {k: v for k, v in stub.items() if k != "cached"}
        else:
            try:
                old = path.read_bytes()
                record = json.loads(old)
            except (OSError, ValueError) as e:  # removed or damaged since: this file, not the batch
                old, record = None, crash_record(stub["source"]["path"], stub["id"],
                                                 f"the analysis written during this run could not be read back: {e}")
            finish_record(record, comparison, settings)
        record["roster"] = matches.get(record["id"])  # part of the record: a new status re-renders the sheet
        data = json_bytes(record)
        if stub.get("cached") and data == old and (Path(out) / "briefings" / f"{record['id']}.html").is_file():
            _mark_checked(path, record)
        else:
            atomic_write_bytes(path, data)
            changed.append(record["id"])
        rows.extend(summary_rows([record], matches))
    comparison.close()
    return Held((rows, changed))


def _mark_checked(analysis: Path, record: dict) -> None:
    """An unchanged analysis of a file touched since (same bytes, newer time) gets the current
    time, so that the next run's warm-up estimate (nlp.cache.likely_pending) does not count the
    file again and again."""
    import os

    try:
        if analysis.stat().st_mtime < Path(record["source"]["path"]).stat().st_mtime:
            os.utime(analysis)
    except (OSError, KeyError, TypeError):
        pass


@task(name="render-chunk", cache_policy=NONE)
def render_chunk_task(pool, items: Held) -> int:
    return len(pool.call(render_chunk, items.value))


@task(name="write-summaries", cache_policy=NONE)
def summaries_task(out: str, rows: Held, roster: list, inbox: str, settings: dict,
                   versions: dict) -> None:
    out_path = Path(out)
    rows = rows.value
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


class Progress:
    """Counts of finished files, reported to whoever listens (the CLI's progress bar)."""

    listener = None  # callable(stage: str, done: int, total: int)

    @classmethod
    def report(cls, stage: str, done: int, total: int) -> None:
        if cls.listener is not None:
            cls.listener(stage, done, total)


def _analyze_all(pool, submissions: list[Submission], cache_dir: str | None, versions: dict,
                 comparison, kind: str, stage: str) -> list[dict]:
    """Stubs (`flows.workers.stub_of`) of the submissions' analyses in their order: valid cached
    ones read here, the others made by the worker pool in chunks; the analyses are on disk, the
    views go into `comparison` as they arrive."""
    if not submissions:
        return []
    Progress.report(stage, 0, len(submissions))
    records, missing = read_cache_task([(str(s.path), s.id) for s in submissions], cache_dir,
                                       versions).value
    feed(comparison, records, kind)
    done = len(records)
    Progress.report(stage, done, len(submissions))
    todo = [submissions[i] for i in missing]
    chunks = chunked(todo, chunk_size(len(todo), pool.workers))
    futures = [analyze_chunk_task.submit(pool, chunk, cache_dir) for chunk in chunks]
    for f in futures:
        part = f.result().value
        feed(comparison, part, kind)
        records.extend(part)
        gc.freeze()  # stubs live until the run ends: keep them out of the collector's passes
        done += len(part)
        Progress.report(stage, done, len(submissions))
    order = {s.id: i for i, s in enumerate(submissions)}
    return sorted(records, key=lambda r: order.get(r["id"], len(order)))


def _roster_path(inbox: str, roster: str | None) -> Path | None:
    if roster:
        return Path(roster)
    return next((Path(inbox) / n for n in ROSTER_NAMES if (Path(inbox) / n).is_file()), None)


# task threads only wait for the pool: with more of them than workers, the next chunks are
# already queued at the pool while Prefect records a finished task, so no worker idles between
# two tasks (and a Dask cluster of many workers is kept busy)
@flow(name="screen_batch", task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS),
      log_prints=False)
def screen_batch(inbox: str, out: str, rules: str | None = None, archive: str | None = None,
                 roster: str | None = None, deadline: str | None = None, workers: int | None = None,
                 pdf: bool = True, dask: str | None = None) -> dict:
    logger = get_run_logger()
    gc.unfreeze()  # what a failed earlier run in this process left frozen
    settings = load_settings(rules)
    versions = analysis_versions(rules)
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
    clock = _Clock(logger)
    with worker_pool(workers or default_workers(), rules, dask) as pool:
        comparison = open_comparison(settings, out)
        stubs = _analyze_all(pool, submissions, str(Path(out) / "analysis"), versions, comparison,
                             "batch", "分析报告")
        clock.lap("analyse")
        _analyze_all(pool, previous, str(Path(out) / ".cache" / "archive"), versions, comparison,
                     "archive", "往年报告")
        _analyze_all(pool, templates, str(Path(out) / ".cache" / "templates"), versions, comparison,
                     "template", "模板")
        clock.lap("archive and templates")
        comparison = compare_task(Held(comparison))
        clock.lap("compare")
        when = datetime.fromisoformat(str(deadline)) if deadline else None
        matches = {m["id"]: m for m in match_roster(roster_rows, stubs, when)} if roster_rows else {}
        rows, changed = finish_task(Held(stubs), comparison, Held(matches), settings, out).value
        changed = set(changed)
        clock.lap("write analyses")
        sheets = Path(out) / "briefings"
        items = [(str(Path(out) / "analysis" / f"{r['id']}.json"), matches.get(r["id"]), str(sheets), pdf)
                 for r in rows if not r["error"]
                 and (r["id"] in changed or (pdf and not (sheets / f"{r['id']}.pdf").is_file()))]
        parts = chunked(items, chunk_size(len(items), pool.workers))
        futures = [render_chunk_task.submit(pool, Held(part)) for part in parts]
        rendered = done = 0
        Progress.report("生成简报", 0, len(items))
        for part, f in zip(parts, futures):
            rendered += f.result()
            done += len(part)
            Progress.report("生成简报", done, len(items))
        clock.lap("render")
    versions = next((r["versions"] for r in stubs if r.get("versions")), versions)
    summaries_task(out, Held(rows), roster_rows, inbox, settings, versions)
    clock.lap("summaries")
    gc.unfreeze()  # a later run in this process: this run's analyses may now be collected
    errors = sum(1 for r in rows if r["error"])
    logger.info("done: %d files, %d errors, %d analyses changed, %d sheet files written",
                len(rows), errors, len(changed), rendered)
    publish_artifacts(rows, out)
    return {"files": len(rows), "errors": errors, "out": out, "changed": len(changed),
            "rendered": rendered, "phases": clock.laps}


class _Clock:
    """Phase durations in the flow log (ids and seconds only), for finding where time goes."""

    def __init__(self, logger):
        import time

        self._time = time.perf_counter
        self.logger = logger
        self.last = self._time()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._time()
        self.laps[name] = round(now - self.last, 2)
        self.logger.info("phase %s: %.2f s", name, now - self.last)
        self.last = now


def publish_artifacts(rows: list[dict], out: str) -> None:
    """A table artifact of the batch and a markdown artifact linking the outputs: ids, codes and
    figures only, never report text (Prefect's database is not the place for it)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    table = [{"id": r["id"], "share": r["share"], "verdict": r["verdict"],
              "findings": r["n_findings"], "error": r["error"]} for r in rows]
    create_table_artifact(key="shuzhi-batch", table=table, description="述职报告预审批次")
    out_path = Path(out).resolve()
    create_markdown_artifact(key="shuzhi-outputs", markdown=(
        f"# 述职报告预审输出\n\n- 总览: {out_path / 'index.html'}\n- 汇总表: {out_path / 'summary.xlsx'}\n"
        f"- 简报: {out_path / 'briefings'}\n- 分析结果: {out_path / 'analysis'}\n"))
