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
