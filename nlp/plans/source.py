"""A plan file read for checking: its items, the unit that filed it and the date it was filed.

The unit is taken from the title ("中共XX镇委员会关于……的整改方案"), else from the signature line
above the date, else from the file name; it links the plan to the unit's report analysis and to
the reviewer's critique file. The filing date is the signature date; without one, the file's
modification time (recorded as such, since copying a file changes it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from nlp.document import BlockKind, Document
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest import ingest
from nlp.ingest.meta import DATE
from nlp.plans.deadlines import cn_number
from nlp.plans.items import PlanItem, extract_items
from nlp.units import normalize_unit, same_unit

TITLE_UNIT = re.compile(r"^(?P<unit>.{2,40}?)(?:关于|\d{4}\s*年度?|[（(]?20\d{2})")
SIGNED = re.compile(DATE.pattern + r"\s*$")  # a date alone at the end of a block: the signature
SIGNATURE_UNIT = re.compile(r"(党委|党组|党工委|党总支|党支部|委员会|公司|学院|医院|局|镇|街道|社区|村)$")


@dataclass
class PlanSource:
    path: Path
    document: Document
    items: list[PlanItem]
    unit: str | None
    filed: date | None
    filed_source: str  # "signature" | "file_time" | "unknown"
    warnings: list[str] = field(default_factory=list)


def signed_date(blocks) -> date | None:
    """The date under the signature: a full date ending one of the last blocks."""
    for b in reversed(blocks[-6:]):
        m = SIGNED.search(b.text.strip())
        if m:
            try:
                return date(cn_number(m[1]), cn_number(m[2]), cn_number(m[3]))
            except ValueError:
                return None
    return None


def plan_unit(document: Document) -> str | None:
    blocks = [b for b in document.blocks if b.kind is not BlockKind.TABLE_CELL]
    for b in blocks[:3]:
        text = re.sub(r"\s+", "", b.text)
        if "整改" in text and len(text) <= 80:
            m = TITLE_UNIT.match(text)
            if m and not m["unit"].startswith("关于") and SIGNATURE_UNIT.search(m["unit"]):
                return m["unit"]
    for b in reversed(blocks[-4:]):
        text = re.sub(r"\s+", "", b.text)
        if 2 < len(text) <= 40 and SIGNATURE_UNIT.search(text):
            return text
    return None


def read_plan(path: str | Path, settings: dict, limits) -> PlanSource:
    path = Path(path)
    document = ingest(path, limits)
    items = extract_items(document.blocks, settings["plans"])
    if not items:
        raise ShuzhiInputError(ErrorCode.NO_PLAN_ITEMS, "no table with item columns and no labelled prose items",
                               str(path))
    unit = plan_unit(document) or path.stem
    filed = signed_date(document.blocks)
    source = "signature"
    if filed is None:
        try:
            filed, source = datetime.fromtimestamp(path.stat().st_mtime).date(), "file_time"
        except OSError:
            filed, source = None, "unknown"
    return PlanSource(path, document, items, unit, filed, source)


def find_by_unit(unit: str | None, candidates: list[tuple[str, str]]) -> str | None:
    """The key of the candidate (key, unit or file name) that names the same unit."""
    if not unit:
        return None
    for key, name in candidates:
        if same_unit(unit, name):
            return key
    core = normalize_unit(unit)
    for key, name in candidates:
        other = normalize_unit(name)
        if len(core) >= 4 and len(other) >= 4 and (core in other or other in core):
            return key
    return None
