"""Atomic, owner-only output files: a crash never leaves a half-written result behind."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import orjson

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_dir(path: str | Path) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return path


def atomic_write_bytes(path: str | Path, data: bytes, sync: bool = True) -> Path:
    """Write to a temporary file beside the target, fsync, then rename over it. `sync=False`
    skips the fsync for what can be recomputed (a damaged cache entry is)."""
    path = Path(path)
    ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(path, text.encode(encoding))


def json_bytes(obj) -> bytes:
    """What `atomic_write_json` writes (compared with a file to tell whether it changed): UTF-8,
    indented, by orjson — the standard library's encoder falls back to pure Python when asked to
    indent, a millisecond for one analysis, paid for every analysis of a batch."""
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)


def atomic_write_json(path: str | Path, obj, sync: bool = True) -> Path:
    return atomic_write_bytes(path, json_bytes(obj), sync)


def read_json(path: str | Path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
