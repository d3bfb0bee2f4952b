"""Load the annotated corpus (corpus/*.jsonl): one report per file, one block per line.

The format is documented in corpus/README.md. The loader validates as it reads, so that a
malformed file is reported with its name and line instead of failing later in training.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("ACH", "PROB", "CAUSE", "PLAN", "OTHER")
FLAGS = (
    "empty_praise", "formalism_metric", "stock_phrase", "disguised_praise", "generic_problem",
    "not_self_involved", "objective_cause", "subjective_cause", "vague_measure",
    "prior_rectification",
)
BLOCK_KINDS = ("heading", "paragraph", "list_item", "table")
REQUIRED_META = ("id", "title", "unit", "unit_type", "year", "structure", "style")


class CorpusFormatError(ValueError):
    """A corpus file does not follow corpus/README.md."""


@dataclass
class GoldSentence:
    text: str
    label: str
    flags: list[str] = field(default_factory=list)


@dataclass
class GoldBlock:
    kind: str
    sentences: list[GoldSentence]
    level: int = 0
    rows: list[list[str]] | None = None  # tables only

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)


@dataclass
class GoldReport:
    meta: dict
    blocks: list[GoldBlock]
    path: Path | None = None

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def sentences(self) -> list[GoldSentence]:
        return [s for b in self.blocks for s in b.sentences]

    def char_counts(self) -> dict[str, int]:
        """Non-whitespace characters per label (the unit of the one-third rule)."""
        counts = dict.fromkeys(LABELS, 0)
        for s in self.sentences:
            counts[s.label] += sum(1 for c in s.text if not c.isspace())
        return counts

    def problem_cause_share(self) -> float:
        counts = self.char_counts()
        total = sum(counts.values())
        return (counts["PROB"] + counts["CAUSE"]) / total if total else 0.0


def _sentence(raw, where: str) -> GoldSentence:
    if not isinstance(raw, list) or len(raw) not in (2, 3):
        raise CorpusFormatError(f"{where}: a sentence is [text, label] or [text, label, [flags]]")
    text, label = raw[0], raw[1]
    flags = raw[2] if len(raw) == 3 else []
    if not isinstance(text, str) or not text.strip():
        raise CorpusFormatError(f"{where}: empty sentence text")
    if label not in LABELS:
        raise CorpusFormatError(f"{where}: label {label!r} not in {LABELS}")
    unknown = [f for f in flags if f not in FLAGS]
    if unknown:
        raise CorpusFormatError(f"{where}: unknown flags {unknown}; valid: {FLAGS}")
    return GoldSentence(text, label, list(flags))


def _block(obj: dict, where: str) -> GoldBlock:
    kind = obj.get("block")
    if kind not in BLOCK_KINDS:
        raise CorpusFormatError(f"{where}: block kind {kind!r} not in {BLOCK_KINDS}")
    if kind == "table":
        return _table(obj, where)
    sents = [_sentence(s, f"{where} sentence {i}") for i, s in enumerate(obj.get("sents", []))]
    if not sents:
        raise CorpusFormatError(f"{where}: block has no sentences")
    return GoldBlock(kind, sents, level=int(obj.get("level", 0)))


def _table(obj: dict, where: str) -> GoldBlock:
    """A table labelled as a whole (`label`) or column by column (`cols`), as when a 问题清单
    sets problems, causes and measures side by side."""
    rows, label, cols = obj.get("rows"), obj.get("label"), obj.get("cols")
    if not rows or not all(isinstance(r, list) for r in rows):
        raise CorpusFormatError(f"{where}: a table needs rows")
    width = max(len(r) for r in rows)
    if (label is None) == (cols is None):
        raise CorpusFormatError(f"{where}: a table needs either a label or cols (one per column)")
    if cols is None:
        cols = [label] * width
    if len(cols) != width or any(c not in LABELS for c in cols):
        raise CorpusFormatError(f"{where}: cols needs {width} labels from {LABELS}")
    flags = list(obj.get("flags", []))
    unknown = [f for f in flags if f not in FLAGS]
    if unknown:
        raise CorpusFormatError(f"{where}: unknown flags {unknown}; valid: {FLAGS}")
    sents = [GoldSentence(cell, cols[c], list(flags)) for row in rows for c, cell in enumerate(row)
             if cell.strip()]
    return GoldBlock("table", sents, rows=rows)


def load_report(path: str | Path) -> GoldReport:
    """Read one annotated report; raise CorpusFormatError naming the file and line."""
    path = Path(path)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        raise CorpusFormatError(f"{path}: empty file")
    try:
        objs = [json.loads(ln) for ln in lines]
    except json.JSONDecodeError as e:
        raise CorpusFormatError(f"{path}: invalid JSON: {e}") from e
    meta = objs[0].get("meta")
    if not isinstance(meta, dict):
        raise CorpusFormatError(f"{path}: line 1 must be {{\"meta\": {{...}}}}")
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise CorpusFormatError(f"{path}: meta lacks {missing}")
    blocks = [_block(o, f"{path} line {i + 2}") for i, o in enumerate(objs[1:])]
    return GoldReport(meta, blocks, path)


def load_dir(folder: str | Path) -> list[GoldReport]:
    """All reports of a corpus folder, sorted by file name."""
    return [load_report(p) for p in sorted(Path(folder).glob("*.jsonl"))]


def to_blocks(report: GoldReport):
    """The report as the readers would give it: Document blocks (a table → one block per cell)."""
    from nlp.document import Block, BlockKind

    kinds = {"heading": BlockKind.HEADING, "paragraph": BlockKind.PARAGRAPH,
             "list_item": BlockKind.LIST_ITEM}
    blocks, labels = [], []
    table = 0
    for gb in report.blocks:
        if gb.kind == "table":
            cells = iter(gb.sentences)  # the non-empty cells, row by row
            for r, row in enumerate(gb.rows or []):
                for c, cell in enumerate(row):
                    if cell.strip():
                        blocks.append(Block(BlockKind.TABLE_CELL, cell, table=table, row=r, col=c))
                        labels.append(_label_char(next(cells).label) * len(cell))
            table += 1
            continue
        blocks.append(Block(kinds[gb.kind], gb.text, level=gb.level))
        labels.append("".join(_label_char(s.label) * len(s.text) for s in gb.sentences))
    return blocks, labels


LABEL_CHAR = {label: label[0] if label != "PLAN" else "L" for label in LABELS}  # A P C L O
CHAR_LABEL = {v: k for k, v in LABEL_CHAR.items()}


def _label_char(label: str) -> str:
    return LABEL_CHAR[label]
