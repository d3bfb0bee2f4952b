"""Reuse of earlier analyses: a report is analysed again only when its bytes, the model, the rules
or the code changed. The previous run's JSON in OUT/analysis/ is the cache."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nlp.storage import read_json


def cache_key(sha256: str, versions: dict) -> str:
    blob = json.dumps({"sha256": sha256, **versions}, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


def cached_record(analysis_dir: Path, report_id: str, sha256: str, versions: dict) -> dict | None:
    """The previous analysis of this report if it is still valid, else None."""
    path = Path(analysis_dir) / f"{report_id}.json"
    if not path.is_file():
        return None
    try:
        record = read_json(path)
    except (OSError, ValueError):
        return None  # a damaged cache entry is simply recomputed
    if record.get("cache_key") == cache_key(sha256, versions):
        return record
    return None


def likely_pending(files: list[tuple[Path, str]], analysis_dir: Path, versions: dict) -> int:
    """How many of the (path, report id) files probably need analysing, judged from file times
    alone: no analysis yet, an analysis older than the file, or analyses made by other versions
    (one is read to tell). Only for deciding how many workers to start ahead of time; the flow
    itself checks every file by its sha256."""
    pending, sample = 0, None
    for path, report_id in files:
        cached = Path(analysis_dir) / f"{report_id}.json"
        try:
            if cached.stat().st_mtime < Path(path).stat().st_mtime:
                pending += 1
            elif sample is None:
                sample = cached
        except OSError:
            pending += 1
    if sample is not None:
        try:
            if read_json(sample).get("versions") != versions:
                return len(files)
        except (OSError, ValueError):
            return len(files)
    return pending
