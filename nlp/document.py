"""The document model every reader returns: ordered blocks with their source location.

Defined once here so that readers, NLP and rendering depend on this model and not on each other.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"


@dataclass
class Block:
    """One unit of text as the author laid it out.

    `level` is the heading level (0 title, 1 一、, 2 （一）, 3 1., 4 （1）); 0 for non-headings.
    `page` (PDF, 1-based) or `paragraph` (docx/txt, 0-based index in the source) locate it.
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def to_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if v is not None}
        d["kind"] = self.kind.value
        return d


@dataclass
class Meta:
    title: str | None = None
    unit: str | None = None
    secretary: str | None = None
    date: str | None = None
    year: int | None = None


@dataclass
class Document:
    blocks: list[Block]
    format: str
    sha256: str
    path: str
    meta: Meta = field(default_factory=Meta)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def char_count(self) -> int:
        """Non-whitespace characters: the unit of every share shuzhi reports."""
        return sum(1 for b in self.blocks for c in b.text if not c.isspace())

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format,
            "sha256": self.sha256,
            "meta": asdict(self.meta),
            "warnings": list(self.warnings),
            "blocks": [b.to_dict() for b in self.blocks],
        }
