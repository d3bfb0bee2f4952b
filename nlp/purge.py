"""Remove what a batch run wrote (analyses, sheets, summaries, caches), and nothing else."""
from __future__ import annotations

import shutil
from pathlib import Path

GENERATED_DIRS = ("analysis", "briefings", ".cache", "plans", "grades")
GENERATED_FILES = ("index.html", "summary.xlsx", "summary.csv", "batch.json", "index.png")


def purge_outputs(out: str | Path) -> int:
    out = Path(out)
    if not (out / "batch.json").is_file() and not (out / "analysis").is_dir():
        raise ValueError(f"{out} 不是 shuzhi 的输出文件夹（没有 batch.json 或 analysis/），未删除任何文件")
    removed = 0
    for name in GENERATED_DIRS:
        folder = out / name
        if folder.is_dir():
            removed += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder)
    for name in GENERATED_FILES:
        if (out / name).is_file():
            (out / name).unlink()
            removed += 1
    for tmp in out.glob(".*.tmp"):  # leftovers of an interrupted atomic write
        tmp.unlink()
        removed += 1
    return removed
