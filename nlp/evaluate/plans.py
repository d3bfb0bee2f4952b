"""Field extraction, deadline reading and problem-to-item matching, scored on corpus/plans.

Extraction runs on the plan's blocks as the readers give them (tables as cells). A predicted field
is right when, whitespace and final punctuation aside, it equals the gold text; for the long fields
(project, measures) a character F1 ≥ 0.9 also counts, since whether "一是" or a closing 。 belongs
to the project is a matter of taste, not of extraction. Matching is scored on the gold items and
the problem points of the gold labels, so that its figure is not mixed with extraction errors.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

from nlp.corpus import load_report
from nlp.document import Block, BlockKind
from nlp.plans.corpus import FIELDS, GoldPlan
from nlp.findings.rules import Lexicon
from nlp.plans.checks import needs_answer
from nlp.plans.deadlines import parse_deadline
from nlp.settings import load_settings
from nlp.plans.items import PlanItem, extract_items
from nlp.plans.matching import link
from nlp.plans.problems import gold_sentences, problem_points

LONG_FIELDS = ("project", "measures")
LONG_MATCH = 0.9


def plan_blocks(plan: GoldPlan) -> list[Block]:
    """The gold plan as Document blocks (what the .docx reader returns)."""
    blocks, table = [], 0
    for b in plan.blocks:
        if b["block"] == "table":
            for r, row in enumerate(b["rows"]):
                for c, cell in enumerate(row):
                    if cell.strip():
                        blocks.append(Block(BlockKind.TABLE_CELL, cell, table=table, row=r, col=c))
            table += 1
        elif b["block"] == "heading":
            blocks.append(Block(BlockKind.HEADING, b["text"], level=int(b.get("level", 1))))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, b["text"]))
    return blocks


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "").strip("。；;，,：: ")


def _char_f1(a: str, b: str) -> float:
    ca, cb = Counter(_norm(a)), Counter(_norm(b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


def field_match(field: str, pred: str, gold: str) -> bool:
    if _norm(pred) == _norm(gold):
        return True
    return field in LONG_FIELDS and _char_f1(pred, gold) >= LONG_MATCH


def align(pred: list[PlanItem], gold: list[dict]) -> list[tuple[int | None, int | None]]:
    """Pairs (pred index, gold index), greedily by the similarity of project + measures."""
    scores = sorted(((_char_f1(p.project + p.measures, g["project"] + g["measures"]), i, j)
                     for i, p in enumerate(pred) for j, g in enumerate(gold)), reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for s, i, j in scores:
        if s < 0.3 or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    pairs += [(i, None) for i in range(len(pred)) if i not in used_p]
    pairs += [(None, j) for j in range(len(gold)) if j not in used_g]
    return pairs


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def evaluate_extraction(plans: list[GoldPlan], lex: dict) -> dict:
    counts = {f: Counter() for f in FIELDS}
    items = Counter()
    deadlines = Counter()
    for plan in plans:
        pred = extract_items(plan_blocks(plan), lex)
        hearing = date.fromisoformat(plan.meta["hearing_date"])
        for i, j in align(pred, plan.items):
            items["tp" if i is not None and j is not None else "fp" if j is None else "fn"] += 1
            for f in FIELDS:
                p = getattr(pred[i], f) if i is not None else ""
                g = plan.items[j][f] if j is not None else ""
                if p and g:
                    counts[f]["tp" if field_match(f, p, g) else "fp"] += 1
                    if not field_match(f, p, g):
                        counts[f]["fn"] += 1
                elif p:
                    counts[f]["fp"] += 1
                elif g:
                    counts[f]["fn"] += 1
            if j is not None and plan.items[j]["deadline"]:
                gold_date = plan.items[j].get("deadline_date")
                parsed = parse_deadline(plan.items[j]["deadline"], hearing)
                deadlines["n"] += 1
                deadlines["right"] += (parsed.date.isoformat() if parsed.date and parsed.kind == "date"
                                       else None) == gold_date
    total = sum((c for c in counts.values()), Counter())
    return {"fields": {f: _prf(c["tp"], c["fp"], c["fn"]) for f, c in counts.items()},
            "all_fields": _prf(total["tp"], total["fp"], total["fn"]),
            "items": _prf(items["tp"], items["fp"], items["fn"]),
            "deadline_accuracy": deadlines["right"] / deadlines["n"] if deadlines["n"] else 1.0,
            "deadlines": deadlines["n"]}


def gold_links(plan: GoldPlan, point_map: dict[str, str] | None = None) -> tuple[set, set]:
    """Gold (point, item) pairs; `point_map` renames the brief's point ids to today's."""
    rename = (lambda p: point_map.get(p, f"lost:{p}")) if point_map is not None else (lambda p: p)
    problems = {(rename(p), n) for n, it in enumerate(plan.items) for p in it["problems"]}
    critique = {(c, n) for n, it in enumerate(plan.items) for c in it["critique"]}
    return problems, critique


def load_briefs(path: Path) -> dict[str, dict[str, str]]:
    """The problem points the plan authors linked to, by plan id: {"P1": text, …}."""
    if not path.is_file():
        return {}
    return {b["id"]: {p["id"]: p["text"] for p in b["problem_points"]}
            for b in json.loads(path.read_text(encoding="utf-8"))}


def map_points(brief: dict[str, str], points: list) -> dict[str, str]:
    """Brief point id → id of today's point covering most of its text.

    The gold links name the points of the brief; if the grouping of problem sentences changes
    (a better lead-in rule), the evaluation follows the text instead of the numbering.
    """
    out = {}
    for bid, text in brief.items():
        best, overlap = None, 0.0
        for p in points:
            common = _common_chars(text, p.text)
            score = common / max(1, min(len(_norm(text)), len(_norm(p.text))))
            if score > overlap:
                best, overlap = p.id, score
        if best is not None and overlap >= 0.6:
            out[bid] = best
    return out


def _common_chars(a: str, b: str) -> int:
    from difflib import SequenceMatcher

    return sum(m.size for m in SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).get_matching_blocks())


def evaluate_matching(plans: list[GoldPlan], reports_dir: Path, conf: dict,
                      briefs: dict[str, dict[str, str]] | None = None) -> dict:
    """Pair-level P/R/F1 of (point, item) links, problems and critique separately and together."""
    match = conf["matching"]
    lex = Lexicon.from_settings(load_settings())
    briefs = briefs if briefs is not None else load_briefs(reports_dir.parent / "specs" / "plan_assignments.json")
    c = {"problems": Counter(), "critique": Counter()}
    unanswered = Counter()
    for plan in plans:
        report = load_report(reports_dir / f"{plan.meta['report']}.jsonl")
        sentences = gold_sentences(report)
        current = problem_points(sentences)
        points = [(p.id, p.text) for p in current]
        pairs = [(it["project"], it["measures"]) for it in plan.items]
        background = [s["text"] for s in sentences]
        point_map = map_points(briefs[plan.id], current) if plan.id in briefs else None
        gold_p, gold_c = gold_links(plan, point_map)
        no_answer = {point_map.get(p, p) if point_map else p for p in plan.no_answer_needed}
        for key, targets, gold in (("problems", points, gold_p),
                                   ("critique", [(x["id"], x["text"]) for x in plan.critique], gold_c)):
            pred = {(lk.target, lk.item) for lk in link(targets, pairs, background, match["threshold"],
                                                        match["floor"], match["project_weight"])}
            c[key]["tp"] += len(pred & gold)
            c[key]["fp"] += len(pred - gold)
            c[key]["fn"] += len(gold - pred)
            if key == "problems":
                answered_pred = {t for t, _ in pred} | {t for t, text in targets
                                                        if not needs_answer(text, lex)}
                answered_gold = {t for t, _ in gold} | no_answer
                for tid, _ in targets:
                    truth, said = tid not in answered_gold, tid not in answered_pred
                    unanswered["tp" if truth and said else "fp" if said else "fn" if truth else "tn"] += 1
    total = c["problems"] + c["critique"]
    return {"problems": _prf(**{k: c["problems"][k] for k in ("tp", "fp", "fn")}),
            "critique": _prf(**{k: c["critique"][k] for k in ("tp", "fp", "fn")}),
            "all": _prf(total["tp"], total["fp"], total["fn"]),
            "unanswered_problems": _prf(unanswered["tp"], unanswered["fp"], unanswered["fn"])}


def tune_matching(plans: list[GoldPlan], reports_dir: Path, conf: dict,
                  false_alarm_rate: float = 0.05) -> dict:
    """Matching thresholds from the dev plans.

    `floor` decides when a problem counts as unanswered: it is set so that at most
    `false_alarm_rate` of the dev problems that are answered would be flagged (their best item's
    similarity is below it); a checker that misses unanswered problems is worse than one that asks
    the reviewer to look at one more. `threshold` (further links) then maximises the pair F1.
    """
    import copy

    import numpy as np

    from nlp.plans.matching import similarity

    briefs = load_briefs(reports_dir.parent / "specs" / "plan_assignments.json")
    best_of_answered = []
    for plan in plans:
        sentences = gold_sentences(load_report(reports_dir / f"{plan.meta['report']}.jsonl"))
        points = problem_points(sentences)
        gold, _ = gold_links(plan, map_points(briefs[plan.id], points) if plan.id in briefs else None)
        items = [(it["project"], it["measures"]) for it in plan.items]
        sims = similarity([f"{p}。{m}" for p, m in items], [p.text for p in points],
                          [s["text"] for s in sentences], conf["matching"]["project_weight"],
                          [p for p, _ in items])
        answered = {t for t, _ in gold}
        best_of_answered += [float(sims[r].max()) for r, p in enumerate(points) if p.id in answered]
    floor = round(float(np.percentile(best_of_answered, 100 * false_alarm_rate)), 2)
    best = None
    for threshold in [round(floor + 0.01 * k, 2) for k in range(30)]:
        trial = copy.deepcopy(conf)
        trial["matching"].update(threshold=threshold, floor=floor)
        f1 = evaluate_matching(plans, reports_dir, trial)["all"]["f1"]
        if best is None or (round(f1, 4), threshold) > best[0]:
            best = ((round(f1, 4), threshold), threshold)
    return {"threshold": best[1], "floor": floor, "link_f1": best[0][0]}


def plans_table(extraction: dict, matching: dict, split: str, n_plans: int, n_items: int) -> str:
    f = extraction["fields"]
    rows = ["| field | precision | recall | F1 |", "| --- | --- | --- | --- |"]
    names = {"project": "整改项目 project", "measures": "具体措施 measures",
             "department": "责任部门 department", "deadline": "完成时限 deadline"}
    for key, name in names.items():
        rows.append(f"| {name} | {f[key]['precision']:.3f} | {f[key]['recall']:.3f} | {f[key]['f1']:.3f} |")
    a = extraction["all_fields"]
    rows.append(f"| **all fields** | {a['precision']:.3f} | {a['recall']:.3f} | **{a['f1']:.3f}** |")
    rows += ["", "| matching (pairs point ↔ item) | precision | recall | F1 |", "| --- | --- | --- | --- |"]
    for key, name in (("problems", "report problems ↔ items"), ("critique", "critique points ↔ items"),
                      ("all", "**all links**"), ("unanswered_problems", "unanswered problems flagged")):
        m = matching[key]
        rows.append(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    return ("\n".join(rows) + f"\n\nSplit `{split}`: {n_plans} plans, {n_items} items; items found "
            f"{extraction['items']['tp']}/{extraction['items']['tp'] + extraction['items']['fn']} "
            f"(spurious {extraction['items']['fp']}); deadlines read to the right day "
            f"{extraction['deadline_accuracy']:.1%} of {extraction['deadlines']}. "
            "Command: `shuzhi evaluate --plans --split test`.")
