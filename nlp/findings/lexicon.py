"""Compiled lexicons of the findings: phrase alternations and regular expressions."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from nlp.settings import data_path


def alternation(words) -> re.Pattern | None:
    words = sorted({str(w) for w in words or []}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def patterns(items) -> list[re.Pattern]:
    return [re.compile(p) for p in items or []]


@dataclass
class StockPhrase:
    pattern: re.Pattern
    phrase: str
    category: str
    suggestion: str


@lru_cache(maxsize=1)
def stock_phrases() -> tuple[StockPhrase, ...]:
    entries = yaml.safe_load(data_path("stock_phrases.yaml").read_text(encoding="utf-8"))
    return tuple(StockPhrase(re.compile(e["phrase"] if e.get("regex") else re.escape(e["phrase"])),
                             e["phrase"], e["category"], e.get("suggestion", "")) for e in entries)
