"""Settings from nlp/data/defaults.yaml, optionally overridden by a user rules file.

Thresholds and limits live in data files so that a local 组织部 can adapt them without code.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    """Path of a bundled data file (lexicons, defaults)."""
    return DATA / name


def read_yaml(path: str | Path):
    """A YAML file, parsed by libyaml where PyYAML has it: the pure-Python parser takes most of a
    second for the bundled lexicons, which every worker and every batch comparison reads."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=1)
def _defaults() -> dict:
    settings = read_yaml(data_path("defaults.yaml"))
    settings["lexicon"] = read_yaml(data_path("findings.yaml"))
    settings["plans"] = read_yaml(data_path("plans.yaml"))
    return settings


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 50
    max_uncompressed_mb: float = 200
    max_compression_ratio: float = 200
    max_pdf_pages: int = 300
    max_text_chars: int = 400_000
    timeout_s: float = 60
    legacy_timeout_s: float = 60
    max_memory_mb: float = 6144


def load_settings(rules_file: str | Path | None = None) -> dict:
    """Defaults (defaults.yaml, with findings.yaml under `lexicon` and plans.yaml under `plans`) merged with the user's rules
    file: only the keys it gives are changed; a list replaces the default list."""
    settings = _defaults()
    if rules_file:
        user = read_yaml(rules_file) or {}
        if not isinstance(user, dict):
            raise ValueError(f"{rules_file}: 规则文件应为 YAML 映射（键: 值）")
        settings = _merge(settings, user)
    return copy.deepcopy(settings)


def limits_from(settings: dict) -> Limits:
    return Limits(**settings.get("limits", {}))


def settings_digest(settings: dict) -> str:
    """A short fingerprint of the settings, part of every cache key and briefing footer."""
    blob = json.dumps(settings, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:12]
