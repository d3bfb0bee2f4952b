"""One plan in, one plan check (the JSON record "shuzhi.plan/1") out.

The checks are those of the 实施方案 (DOMAIN.md §4): every item has 整改项目, 具体措施, 责任部门 and
完成时限; deadlines are dates after the hearing; measures are concrete; the plan is filed within a
month of the hearing; every problem the report found and every point of the critique is answered
by an item; items that answer nothing are listed for a look.
"""
from __future__ import annotations

import calendar
from datetime import date

from nlp.findings.rules import Lexicon, quote
from nlp.plans.deadlines import DOTTED, FULL_DATE, parse_deadline
from nlp.plans.items import FIELDS, PlanItem
from nlp.plans.matching import link
from nlp.plans.problems import problem_points

SCHEMA = "shuzhi.plan/1"
def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def is_vague_measure(text: str, lex: Lexicon, min_chars: int) -> bool:
    """No measurable target, and either a slogan ("进一步加强…") or a few words only."""
    if any(p.search(text) for p in lex.target):
        return False
    if DOTTED.search(text) or FULL_DATE.search(text):
        return False
    return bool(lex.vague and lex.vague.search(text)) or len(text) < min_chars


def needs_answer(point_text: str, lex: Lexicon) -> bool:
    """A "problem" that is praise in disguise (对家庭照顾不够) needs no rectification item; the
    report's `disguised_praise` finding already names it."""
    return lex.disguised_in(point_text) is None


def check_plan(items: list[PlanItem], *, settings: dict, hearing: date | None,
               filed: date | None, report: dict | None, critique: list[dict]) -> dict:
    """The checks of one plan. `report` is the report's analysis record (or None)."""
    conf = settings["plans"]
    lex = Lexicon.from_settings(settings)
    messages, severity, names = conf["messages"], conf["severity"], conf["field_names"]
    findings: list[dict] = []

    def add(rule: str, item: int | None = None, target: str | None = None, **kw) -> None:
        findings.append({"rule": rule, "severity": severity[rule], "item": item, "target": target,
                         "message": messages[rule].format(**kw)})

    reference = hearing or filed or date.today()
    out_items = []
    for n, it in enumerate(items, 1):
        project = quote(it.project or it.measures, 24)
        deadline = parse_deadline(it.deadline, reference)
        for f in FIELDS:
            if not getattr(it, f):
                add("plan_missing_field", n, n=n, project=project, field=names[f])
        if deadline.kind == "date" and hearing and deadline.date < hearing:
            add("plan_deadline_before_hearing", n, n=n, project=project, deadline=it.deadline,
                hearing=hearing.isoformat())
        elif deadline.kind == "unparsed":
            add("plan_deadline_not_date", n, n=n, project=project, deadline=it.deadline)
        elif deadline.kind == "long_term":
            add("plan_deadline_long_term", n, n=n, project=project, deadline=it.deadline)
        if it.measures and is_vague_measure(it.measures, lex, conf["vague_measure_min_chars"]):
            add("plan_vague_measure", n, n=n, project=project, measures=quote(it.measures, 30))
        out_items.append({"n": n, **it.fields(), "source": it.source,
                          "deadline_parsed": deadline.to_dict(), "answers": {"problems": [], "critique": []}})

    filed_late = None
    if hearing and filed:
        limit = add_months(hearing, conf["filing_months"])
        filed_late = filed > limit
        if filed_late:
            add("plan_filed_late", filed=filed.isoformat(), hearing=hearing.isoformat())

    problems = []
    if report is not None and not report.get("error"):
        points = problem_points(report.get("sentences", []), lead_in=conf["problem_lead_in"])
        problems = [p.to_dict() for p in points]
    background = [s["text"] for s in (report or {}).get("sentences", [])]
    pairs = [(it.project, it.measures) for it in items]
    match = conf["matching"]
    for targets, key in ((problems, "problems"), (critique, "critique")):
        links = link([(t["id"], t["text"]) for t in targets], pairs, background,
                     match["threshold"], match["floor"], match["project_weight"])
        by_target: dict[str, list[int]] = {}
        for lk in links:
            by_target.setdefault(lk.target, []).append(lk.item + 1)
            out_items[lk.item]["answers"][key].append(lk.target)
        for t in targets:
            t["answered_by"] = sorted(by_target.get(t["id"], []))
            if not t["answered_by"] and (key == "critique" or needs_answer(t["text"], lex)):
                rule = "plan_problem_unanswered" if key == "problems" else "plan_critique_unanswered"
                add(rule, target=t["id"], text=quote(t["text"], 40))
    if report is None:
        add("plan_no_report")
    if problems or critique:
        for it in out_items:
            if not it["answers"]["problems"] and not it["answers"]["critique"]:
                add("plan_item_unlinked", it["n"], n=it["n"],
                    project=quote(it["project"] or it["measures"], 24))
    return {"items": out_items, "problems": problems, "critique": critique,
            "findings": findings, "filed_late": filed_late,
            "counts": {"items": len(items), "complete_items": sum(
                1 for it in items if all(getattr(it, f) for f in FIELDS)),
                "problems": len(problems), "problems_answered": sum(1 for p in problems if p["answered_by"]),
                "critique": len(critique), "critique_answered": sum(1 for c in critique if c["answered_by"]),
                "findings": len(findings)}}
