"""Write corpus/splits.yaml: train / dev / test by report, stratified by unit type.

Reports that share text (a reuse group, or a report and its previous-year version in archive/)
always land in the same split, so that no copied passage leaks from training into evaluation.
Deterministic (seeded). Assignments already in the file are kept: reports added later go to
train or dev, so the test split never changes once evaluated.
"""
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from nlp.corpus import load_dir  # noqa: E402

SEED = 2022
TEST_PER_TYPE = 1
DEV_SHARE = 0.2


def main() -> None:
    reports = load_dir(ROOT / "corpus" / "reports")
    groups: dict[str, list] = defaultdict(list)
    for r in reports:
        key = r.meta.get("reuse_group") or r.id
        groups[key].append(r)
    by_type: dict[str, list[str]] = defaultdict(list)
    for key, members in sorted(groups.items()):
        by_type[members[0].meta["unit_type"]].append(key)
    rng = random.Random(SEED)
    split = {}
    path = ROOT / "corpus" / "splits.yaml"
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    if existing:
        where = {rid: name for name in ("train", "dev", "test") for rid in existing.get(name, [])}
        for key, members in groups.items():
            split[key] = where.get(members[0].id)
        new = sorted(k for k, v in split.items() if v is None)
        rng.shuffle(new)
        for i, key in enumerate(new):
            split[key] = "dev" if i % 4 == 3 else "train"
        by_type = {}
    for unit_type, keys in sorted(by_type.items()):
        keys = sorted(keys)
        rng.shuffle(keys)
        for i, key in enumerate(keys):
            split[key] = "test" if i < TEST_PER_TYPE else None
    rest = sorted(k for k, v in split.items() if v is None)
    rng.shuffle(rest)
    n_dev = round(len(rest) * DEV_SHARE)
    for i, key in enumerate(rest):
        split[key] = "dev" if i < n_dev else "train"
    out = {"train": [], "dev": [], "test": []}
    for key, members in groups.items():
        for r in members:
            out[split[key]].append(r.id)
            if r.meta.get("previous"):
                out[split[key]].append(r.meta["previous"])
    out = {k: sorted(v) for k, v in out.items()}
    out["holdout"] = sorted(p.stem for p in (ROOT / "corpus" / "holdout").glob("*.jsonl"))
    header = ("# Fixed train/dev/test split by report (corpus/tools/make_splits.py, seed "
              f"{SEED}).\n# Reuse groups and previous-year reports stay with their report. The "
              "test split and the\n# holdout are never used for training or tuning.\n")
    (ROOT / "corpus" / "splits.yaml").write_text(
        header + yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print({k: len(v) for k, v in out.items()})


if __name__ == "__main__":
    main()
