"""One report in, one ReportAnalysis (the JSON contract of docs/ARCHITECTURE.md) out.

`Analyzer` holds what is expensive to build (settings, NLP pipeline, model) and is created once
per process; `analyze` never raises for bad input: it returns a record with `error` set.
"""
from __future__ import annotations

import re
from pathlib import Path

from nlp.document import Document
from nlp.errors import ShuzhiInputError, internal_error_record
from nlp.ingest import ingest, sha256_of
from nlp.sentences import split_blocks
from nlp.settings import limits_from, load_settings, settings_digest

SCHEMA = "shuzhi.report/1"
CODE_VERSION = "0.1.0"


def report_id_for(path: str | Path) -> str:
    """A readable id from the file name: Chinese kept, characters unsafe in file names replaced."""
    stem = Path(path).stem.strip() or "report"
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", stem)[:120]


class Analyzer:
    """Builds the per-process resources once; `analyze` is then cheap and deterministic."""

    def __init__(self, rules_file: str | Path | None = None):
        self.settings = load_settings(rules_file)
        self.limits = limits_from(self.settings)
        self.rules_version = settings_digest(self.settings)

    @property
    def versions(self) -> dict:
        return {"code": CODE_VERSION, "rules": self.rules_version}

    def analyze(self, path: str | Path, report_id: str | None = None) -> dict:
        path = Path(path)
        report_id = report_id or report_id_for(path)
        try:
            document = ingest(path, self.limits)
            return self.analyze_document(document, report_id)
        except ShuzhiInputError as e:
            return self._error_record(path, report_id, e.to_record())
        except Exception as e:  # a defect in shuzhi: record it and let the batch go on
            return self._error_record(path, report_id, internal_error_record(e))

    def analyze_document(self, document: Document, report_id: str) -> dict:
        sentences = split_blocks(document.blocks)
        meta = {k: v for k, v in vars(document.meta).items()}
        return {
            "schema": SCHEMA,
            "id": report_id,
            "source": {"path": document.path, "sha256": document.sha256, "format": document.format,
                       "name": Path(document.path).name},
            "meta": meta,
            "versions": self.versions,
            "warnings": list(document.warnings),
            "blocks": [{"kind": b.kind.value, "level": b.level} for b in document.blocks],
            "sentences": [{"id": s.id, "text": s.text, "block": s.block} for s in sentences],
            "findings": [],
            "error": None,
        }

    def _error_record(self, path: Path, report_id: str, error: dict) -> dict:
        try:
            sha = sha256_of(path)
        except OSError:
            sha = None
        return {
            "schema": SCHEMA,
            "id": report_id,
            "source": {"path": str(path), "sha256": sha, "format": path.suffix.lower().lstrip("."),
                       "name": path.name},
            "meta": {},
            "versions": self.versions,
            "sentences": [],
            "findings": [],
            "error": error,
        }
