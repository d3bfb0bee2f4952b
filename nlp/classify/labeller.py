"""The shipped labeller, loaded once per process from models/sentence_roles/."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from nlp.classify.model import SentenceRoleModel

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "sentence_roles"


@lru_cache(maxsize=2)
def load_labeller(folder: str | None = None) -> SentenceRoleModel:
    path = Path(folder) if folder else DEFAULT_MODEL
    if not (path / "manifest.json").exists():
        raise FileNotFoundError(f"模型文件缺失: {path}（运行 `shuzhi train` 生成）")
    return SentenceRoleModel.load(path)
