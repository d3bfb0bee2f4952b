"""The `check_plans` flow: a folder of rectification plans (整改方案) in; plan checks out.

Plans come weeks after the hearing, tens or hundreds at a time; reading and checking one takes a
fraction of a second and needs no model, so the flow checks them in a thread pool of its own and
keeps Prefect to one task per plan. The report analyses come from the `screen_batch` output
folder; the reviewer's critiques are text files in the inbox's 点评/ folder, named by unit.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.held import Held
from nlp.inbox import discover
from nlp.plans.checker import PlanChecker, load_hearings
from nlp.storage import atomic_write_json, ensure_dir, read_json

CRITIQUE_DIRS = ("点评", "点评意见", "critiques")
HEARING_NAMES = ("hearings.csv", "hearings.xlsx", "评议日期.csv", "评议日期.xlsx")


def _plan_files(inbox: Path) -> list:
    return [s for s in discover(inbox)
            if s.path.name not in HEARING_NAMES
            and not any(part in CRITIQUE_DIRS for part in s.path.relative_to(inbox).parts[:-1])]


def _critiques(inbox: Path, folder: str | None) -> dict[str, str]:
    from nlp.errors import ShuzhiInputError
    from nlp.ingest.txt_backend import decode

    dirs = [Path(folder)] if folder else [inbox / d for d in CRITIQUE_DIRS]
    out = {}
    for d in dirs:
        if d.is_dir():
            for p in sorted(d.glob("*.txt")):
                try:
                    out[p.name] = decode(p.read_bytes())[0]
                except ShuzhiInputError:
                    get_run_logger().warning("critique file skipped (unknown encoding): %s", p.name)
    return out


def _reports(reports_dir: Path) -> list[dict]:
    folder = reports_dir / "analysis"
    return [read_json(p) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


@task(name="check-plan", cache_policy=NONE)
def check_plan_task(checker: PlanChecker, path: str, plan_id: str, context: Held,
                    hearing: date | None, out: str) -> Held:
    """`context` holds (report analyses, critiques, hearings): every plan task shares them, and
    Prefect must not walk the analyses once per task."""
    reports, critiques, hearings = context.value
    record = checker.check(path, plan_id, reports, critiques, hearings, hearing)
    atomic_write_json(Path(out) / f"{plan_id}.json", record)
    return Held(record)


@task(name="render-plan-sheets", cache_policy=NONE)
def render_task(held: Held, out: str, pdf: bool) -> int:
    from reports.plan_sheet import write_plan_sheet, write_plan_summary

    records, n = held.value, 0
    for r in records:
        if not r.get("error"):
            n += len(write_plan_sheet(r, out, pdf))
    write_plan_summary(records, out)
    return n


@flow(name="check_plans", task_runner=ThreadPoolTaskRunner(max_workers=4), log_prints=False)
def check_plans(inbox: str, reports: str, out: str | None = None, critiques: str | None = None,
                hearing: str | None = None, rules: str | None = None, pdf: bool = True) -> dict:
    logger = get_run_logger()
    inbox_path = Path(inbox)
    out = out or str(Path(reports) / "plans")
    ensure_dir(out)
    checker = PlanChecker(rules)
    files = _plan_files(inbox_path)
    analyses = _reports(Path(reports))
    hearings_file = next((inbox_path / n for n in HEARING_NAMES if (inbox_path / n).is_file()), None)
    hearings = load_hearings(hearings_file)
    default = date.fromisoformat(hearing) if hearing else None
    notes = _critiques(inbox_path, critiques)
    logger.info("plans: %d files; report analyses: %d; critiques: %d; hearing dates: %d",
                len(files), len(analyses), len(notes), len(hearings))
    context = Held((analyses, notes, hearings))
    futures = [check_plan_task.submit(checker, str(s.path), s.id, context, default, out) for s in files]
    records = [f.result().value for f in futures]
    rendered = render_task(Held(records), out, pdf)
    errors = sum(1 for r in records if r.get("error"))
    logger.info("done: %d plans, %d errors, %d sheet files", len(records), errors, rendered)
    _publish(records, out)
    return {"plans": len(records), "errors": errors, "out": out}


def _publish(records: list[dict], out: str) -> None:
    """Ids, counts and codes only: plan text stays out of Prefect's database."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_table_artifact(key="shuzhi-plans", description="整改方案核查", table=[
        {"id": r["id"], "items": (r.get("counts") or {}).get("items"),
         "findings": len(r.get("findings", [])), "filed_late": r.get("filed_late"),
         "error": (r.get("error") or {}).get("code")} for r in records])
    where = Path(out).resolve()
    create_markdown_artifact(key="shuzhi-plans-outputs", markdown=(
        f"# 整改方案核查输出\n\n- 汇总: {where / 'index.html'}\n- 汇总表: {where / 'plans_summary.xlsx'}\n"))
