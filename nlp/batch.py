"""The batch step: compare the reports with each other, the archive and known templates, then
(re)build each report's critique questions from all its findings.

Two ways in: `finalize_batch` for analyses held in memory (the evaluation, tests), and
`BatchComparison` + `finish_record` for the flow, which holds only each report's view and
finishes the analyses one at a time, read from disk."""
from __future__ import annotations

from nlp.findings import Lexicon, questions
from nlp.similarity import BatchComparison, compare_batch


def drop_batch_findings(r: dict) -> None:
    """Batch findings are recomputed on every run: drop the previous run's."""
    r["findings"] = [f for f in r["findings"] if not f.get("batch")]
    for f in r["findings"]:
        f.pop("batch_common", None)


def new_comparison(settings: dict, directory: str | None = None) -> BatchComparison:
    return BatchComparison(settings, Lexicon.from_settings(settings), directory)


def finish_record(r: dict, comparison: BatchComparison, settings: dict) -> dict:
    """One analysis of the batch completed: batch findings and critique questions."""
    if r.get("error"):
        return r
    drop_batch_findings(r)
    comparison.finish(r)
    r["questions"] = questions(r["findings"], r["sentences"], comparison.lex, settings["questions"])
    return r


def finalize_batch(records: list[dict], archive: list[dict], templates: list[dict],
                   settings: dict, signatures: dict | None = None) -> list[dict]:
    lex = Lexicon.from_settings(settings)
    good = [r for r in records if not r.get("error")]
    for r in good:
        drop_batch_findings(r)
    compare_batch(good, archive, templates, settings, lex, signatures)
    for r in good:
        r["questions"] = questions(r["findings"], r["sentences"], lex, settings["questions"])
    return records
