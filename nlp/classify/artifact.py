"""A model folder's manifest: the sha256 of each of its files, written when the model is saved
and checked before it is loaded, so that a changed or damaged file is refused, never used."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


def write_manifest(folder: Path, files: list[Path]) -> dict:
    manifest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def verified_manifest(folder: Path) -> dict:
    """The manifest, after checking every file it lists."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest.items():
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            raise ValueError(f"model file {folder / name} does not match its manifest sha256")
    return manifest
