"""Findings with evidence: each rule names the sentences that show it, so that the reviewer can
quote them in the critique. Rule ids are stable (docs/FINDINGS.md); thresholds, severities,
lexicons and messages come from the settings (nlp/data/defaults.yaml, nlp/data/findings.yaml).

`report_findings` runs the rules that need one report only; nlp/similarity.py adds the batch
rules (text_reuse, repeated_problem, batch-wide stock phrases).
"""
from __future__ import annotations

from nlp.findings.coverage import coverage
from nlp.findings.questions import questions
from nlp.findings.rules import REPORT_RULES, Finding, Lexicon


def report_findings(sentences: list[dict], figures: dict, settings: dict) -> tuple[list[dict], dict]:
    """(findings, coverage) of one labelled report."""
    lex = Lexicon.from_settings(settings)
    cover = coverage(sentences, lex)
    found: list[Finding] = []
    for rule in REPORT_RULES:
        found.extend(rule(sentences, figures, cover, lex, settings))
    return [f.to_dict() for f in found], cover


__all__ = ["report_findings", "questions", "coverage", "Finding", "Lexicon"]
