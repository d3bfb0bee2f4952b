"""Precision and recall of the findings against the corpus flags (corpus/GUIDELINES.md).

Sentence rules are scored sentence by sentence: a finding's evidence sentences against our
sentences whose gold sentence (the one covering most of their characters) carries the flag.
Report rules are scored report by report against the report-level failings in the meta line.
Findings run on the model's predicted labels, as in production.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from nlp.corpus import GoldReport
from nlp.document import Document

SENTENCE_RULES = {"empty_praise": "empty_praise", "formalism_metric": "formalism_metric",
                  "stock_phrase": "stock_phrase", "disguised_praise": "disguised_praise",
                  "generic_problem": "generic_problem", "vague_measure": "vague_measure"}
REPORT_RULES = {"not_self_involved": "not_self_involved",
                "objective_causes_only": "objective_causes_only",
                "missing_prior_rectification": "missing_prior_rectification",
                "vague_measure": "vague_measure", "empty_praise": "empty_praise",
                "formalism_metric": "formalism_metric", "disguised_praise": "disguised_praise",
                "generic_problem": "generic_problem"}


def gold_flags_per_block(report: GoldReport) -> list[list[tuple[int, int, set]]]:
    """For each block (in to_blocks order): (start, end, flags) of its gold sentences."""
    out = []
    for gb in report.blocks:
        if gb.kind == "table":
            flags = set(gb.sentences[0].flags) if gb.sentences else set()
            for row in gb.rows or []:
                for cell in row:
                    if cell.strip():
                        out.append([(0, len(cell), flags)])
            continue
        spans, pos = [], 0
        for s in gb.sentences:
            spans.append((pos, pos + len(s.text), set(s.flags)))
            pos += len(s.text)
        out.append(spans)
    return out


def flags_of(spans: list[tuple[int, int, set]], start: int, end: int) -> set:
    """The flags of the gold sentence that covers most of the characters start..end of a block."""
    best, overlap = set(), 0
    for a, b, flags in spans:
        o = min(b, end) - max(a, start)
        if o > overlap:
            best, overlap = flags, o
    return best


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def evaluate_findings(reports: list[GoldReport], analyzer) -> dict:
    from nlp.corpus import to_blocks
    from nlp.sentences import split_blocks

    sent_counts = defaultdict(Counter)
    report_counts = defaultdict(Counter)
    clean_findings, flawed_findings = [], []
    for report in reports:
        blocks, _ = to_blocks(report)
        doc = Document(blocks=blocks, format="corpus", sha256="", path=report.id)
        record = analyzer.analyze_document(doc, report.id)
        spans = gold_flags_per_block(report)
        ours = split_blocks(blocks)
        gold = {s.id: flags_of(spans[s.block], s.start, s.end) for s in ours}
        by_rule = defaultdict(set)
        for f in record["findings"]:
            by_rule[f["rule"]].update(f["sentence_ids"])
        fired = {f["rule"] for f in record["findings"]}
        for rule, flag in SENTENCE_RULES.items():
            predicted = by_rule.get(rule, set())
            truth = {i for i, fl in gold.items() if flag in fl}
            sent_counts[rule].update(tp=len(predicted & truth), fp=len(predicted - truth),
                                     fn=len(truth - predicted))
        failings = set(report.meta.get("failings", []))
        for rule, failing in REPORT_RULES.items():
            p, t = rule in fired, failing in failings
            report_counts[rule].update(tp=int(p and t), fp=int(p and not t), fn=int(t and not p))
        n_flaws = len({f["rule"] for f in record["findings"]} - {"missing_content", "one_third"})
        if not (failings - {"missing_prior_rectification"}):
            clean_findings.append(n_flaws)
        else:
            flawed_findings.append(n_flaws)
    return {
        "reports": len(reports),
        "sentence_level": {r: _prf(c["tp"], c["fp"], c["fn"]) for r, c in sent_counts.items()},
        "report_level": {r: _prf(c["tp"], c["fp"], c["fn"]) for r, c in report_counts.items()},
        "findings_per_report": {
            "without_failings": (sum(clean_findings) / len(clean_findings)) if clean_findings else None,
            "n_without_failings": len(clean_findings),
            "with_failings": (sum(flawed_findings) / len(flawed_findings)) if flawed_findings else None,
            "n_with_failings": len(flawed_findings)},
    }
