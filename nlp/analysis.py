"""One report in, one ReportAnalysis (the JSON contract of docs/ARCHITECTURE.md) out.

`Analyzer` holds what is expensive to build (settings, NLP pipeline, model) and is created once
per process; `analyze` never raises for bad input: it returns a record with `error` set.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from nlp.cache import cache_key
from nlp.classify.context import report_contexts
from nlp.classify.labeller import load_labeller
from nlp.document import Block, BlockKind, Document
from nlp.errors import ShuzhiInputError, internal_error_record
from nlp.findings import Lexicon, questions, report_findings
from nlp.ingest import ingest, sha256_of
from nlp.measure import measure
from nlp.sentences import split_blocks
from nlp.settings import limits_from, load_settings, settings_digest

SCHEMA = "shuzhi.report/1"
CODE_VERSION = "0.1.0"


def _mtime(path) -> str | None:
    """When the file arrived in the inbox (its modification time), for on-time checks."""
    try:
        return datetime.fromtimestamp(Path(path).stat().st_mtime).isoformat(timespec="seconds")
    except OSError:
        return None


def report_id_for(path: str | Path) -> str:
    """A readable id from the file name: Chinese kept, characters unsafe in file names replaced."""
    stem = Path(path).stem.strip() or "report"
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", stem)[:120]


def model_version(config: dict, manifest: dict) -> str:
    """name@version+weights digest: a retrained model must not reuse analyses cached under the
    same version number."""
    digest = manifest.get("weights.npz", "")[:8]
    return f"{config.get('name', 'model')}@{config.get('version', '?')}" + (f"+{digest}" if digest else "")


def rules_version(settings: dict) -> str:
    """The settings' fingerprint, with the stock-sentence model's weights: the findings depend on
    both, and a change of either must not reuse cached analyses."""
    from nlp.findings.stock_model import model_digest

    return settings_digest({**settings, "_stock_model": model_digest()})


def analysis_versions(rules_file: str | Path | None = None, model_dir: str | Path | None = None) -> dict:
    """The versions an Analyzer would stamp on its records, read from the rules and the model's
    config and manifest without loading the pipeline or the model (the cache check of a batch
    runs in the flow's own process)."""
    import json

    from nlp.classify.labeller import DEFAULT_MODEL

    folder = Path(model_dir) if model_dir else DEFAULT_MODEL
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {"code": CODE_VERSION, "rules": rules_version(load_settings(rules_file)),
            "model": model_version(config, manifest)}


def with_tables(sentences: list[dict], blocks: list[Block]) -> list[dict]:
    """The sentences as the findings rules see them: a table cell's sentence knows its table
    (a statistics table of meeting counts is formalism as a whole)."""
    tables = {i: b.table if b.table is not None else -1 for i, b in enumerate(blocks)
              if b.kind is BlockKind.TABLE_CELL}
    return [{**s, "table": tables[s["block"]]} if s["block"] in tables else s for s in sentences] \
        if tables else sentences


class Analyzer:
    """Builds the per-process resources once; `analyze` is then cheap and deterministic."""

    def __init__(self, rules_file: str | Path | None = None, model_dir: str | Path | None = None):
        self.settings = load_settings(rules_file)
        self.limits = limits_from(self.settings)
        self.rules_version = rules_version(self.settings)
        self.labeller = load_labeller(str(model_dir) if model_dir else None)
        self.model_version = model_version(getattr(self.labeller, "config_", {}),
                                           getattr(self.labeller, "manifest_", {}))

    @property
    def versions(self) -> dict:
        return {"code": CODE_VERSION, "rules": self.rules_version, "model": self.model_version}

    def warm_up(self) -> None:
        """Build what the first report would otherwise pay for (spaCy with jieba's dictionaries,
        the readers' libraries, the rules' lazy imports): about 3 s, spent while the batch is
        still starting rather than on the first file."""
        from nlp.ingest import InputFormat, reader_for

        for fmt in (InputFormat.DOCX, InputFormat.PDF, InputFormat.TXT):
            try:
                reader_for(fmt)
            except ImportError:  # the run will report it on the files of that format
                pass
        blocks = [Block(BlockKind.HEADING, "二、存在的问题", level=1),
                  Block(BlockKind.PARAGRAPH, "一是理论学习不够深入，全年只召开3次专题学习会。")]
        self.analyze_document(Document(blocks, "txt", "", "warm-up"), "warm-up")

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

    def label(self, document: Document) -> list[dict]:
        """Sentences with their label, confidence, block and section heading."""
        sentences = split_blocks(document.blocks)
        contexts = report_contexts(document.blocks, sentences)
        labels, confidences = self.labeller.predict(contexts)
        return [{"id": s.id, "text": s.text, "label": label, "confidence": round(conf, 3),
                 "block": s.block, "section": c.section_heading, "section_kind": c.section_kind,
                 "heading": c.heading_level is not None}
                for s, c, label, conf in zip(sentences, contexts, labels, confidences)]

    def analyze_document(self, document: Document, report_id: str) -> dict:
        sentences = self.label(document)
        meta = {k: v for k, v in vars(document.meta).items()}
        one_third = self.settings["one_third"]
        figures = measure(sentences, one_third["threshold"], one_third["borderline_band"])
        findings, coverage = report_findings(with_tables(sentences, document.blocks), figures, self.settings)
        asks = questions(findings, sentences, Lexicon.from_settings(self.settings),
                         self.settings["questions"])
        return {
            "schema": SCHEMA,
            "id": report_id,
            "source": {"path": document.path, "sha256": document.sha256, "format": document.format,
                       "name": Path(document.path).name, "mtime": _mtime(document.path)},
            "meta": meta,
            "versions": self.versions,
            "cache_key": cache_key(document.sha256, self.versions),
            "warnings": list(document.warnings),
            "blocks": [{"kind": b.kind.value, "level": b.level} for b in document.blocks],
            **figures,
            "sentences": sentences,
            "findings": findings,
            "coverage": coverage,
            "questions": asks,
            "similarity": [],
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
                       "name": path.name, "mtime": _mtime(path)},
            "meta": {},
            "versions": self.versions,
            "cache_key": cache_key(sha, self.versions) if sha else None,
            "sentences": [],
            "findings": [],
            "error": error,
        }
