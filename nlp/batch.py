"""The batch step: compare the reports with each other, the archive and known templates, then
(re)build each report's critique questions from all its findings."""
from __future__ import annotations

from nlp.findings import Lexicon, questions
from nlp.similarity import compare_batch


def finalize_batch(records: list[dict], archive: list[dict], templates: list[dict],
                   settings: dict, signatures: dict | None = None, alignments=None) -> list[dict]:
    lex = Lexicon.from_settings(settings)
    good = [r for r in records if not r.get("error")]
    for r in good:  # batch findings are recomputed on every run: drop the previous run's
        r["findings"] = [f for f in r["findings"] if not f.get("batch")]
        for f in r["findings"]:
            f.pop("batch_common", None)
    compare_batch(good, archive, templates, settings, lex, signatures, alignments)
    for r in good:
        r["questions"] = questions(r["findings"], r["sentences"], lex, settings["questions"])
    return records
