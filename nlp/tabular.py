"""Rows of a small table file (.csv in UTF-8 or GBK, or .xlsx) as lists of strings.

Rosters and grade lists come from Excel or from a CSV saved by Excel on a Chinese Windows (GBK);
both are read the same way so that every command accepts both.
"""
from __future__ import annotations

import csv
from pathlib import Path


def read_rows(path: str | Path) -> list[list[str]]:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [[_text(c) for c in r] for r in wb.active.iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        data = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError(f"{path.name}: 无法识别表格文件的编码（应为 UTF-8 或 GBK）")
        rows = list(csv.reader(text.splitlines()))
    return [r for r in rows if any(c.strip() for c in r)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    """The first column whose header is one of `names` (exact, then containing)."""
    cleaned = [h.strip().lower() for h in header]
    for i, h in enumerate(cleaned):
        if h in names:
            return i
    for i, h in enumerate(cleaned):
        if h and any(n in h for n in names):
            return i
    return None
