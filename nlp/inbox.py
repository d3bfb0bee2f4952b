"""Find the submissions in an inbox folder and give each a stable, readable report id."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.analysis import report_id_for

IGNORED_NAMES = {"thumbs.db", ".ds_store", "desktop.ini"}
SKIPPED_DIRS = {"archive", "templates", "__macosx"}  # below the folder being discovered
ROSTER_NAMES = {"roster.csv", "roster.xlsx", "名单.csv", "名单.xlsx", "花名册.xlsx"}


@dataclass(frozen=True)
class Submission:
    path: Path
    id: str


def discover(inbox: str | Path) -> list[Submission]:
    """Every file of the inbox that could be a report, sorted, with ids unique within the batch.

    Skipped: hidden files, Word lock files (~$…), the roster, and the archive/templates folders.
    Files with unknown extensions are kept so that the summary can report them.
    """
    inbox = Path(inbox)
    files = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox)
        if not path.is_file() or any(p.lower() in SKIPPED_DIRS for p in rel.parts[:-1]):
            continue
        name = path.name
        if name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES or name in ROSTER_NAMES:
            continue
        files.append(path)
    seen: dict[str, int] = {}
    out = []
    for path in files:
        base = report_id_for(path)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(Submission(path, base if n == 0 else f"{base}_{path.suffix.lstrip('.').lower() or n}"))
    return out
