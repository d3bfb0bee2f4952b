"""Text reuse at scale: N synthetic reports of ~5,000 characters (sentences of the corpus
recombined, 2% of them copying passages of another with numbers changed) compared as one batch.
Target: 10,000 reports in ≤ 5 minutes. Usage: python -m bench.bench_reuse [N]"""
from __future__ import annotations

import json
import random
import sys
import time

from bench.common import DOCS, machine
from nlp.batch import new_comparison
from nlp.corpus import load_dir
from nlp.evaluate.docs import replace_section
from nlp.settings import load_settings
from nlp.similarity import view_of


def _mutate(text: str, rng: random.Random, rate: float = 0.25) -> str:
    """A corpus sentence with a quarter of its characters replaced: every report's own text is its
    own, as in a real batch (only stock phrases and copied passages are shared)."""
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) if rng.random() < rate and "\u4e00" <= c <= "\u9fff"
                   else c for c in text)


def synthetic(n: int, seed: int = 7) -> tuple[list[dict], set[tuple[str, str]]]:
    from bench.common import ROOT

    pool = [s.text for r in load_dir(ROOT / "corpus" / "reports") for s in r.sentences if len(s.text) > 12]
    rng = random.Random(seed)
    records, copies = [], set()
    for i in range(n):
        sents, chars = [], 0
        while chars < 5000:
            t = _mutate(rng.choice(pool), rng)
            sents.append(t)
            chars += len(t)
        if i > 10 and rng.random() < 0.02:  # copy a quarter of an earlier report
            j = rng.randrange(i)
            src = [s["text"] for s in records[j]["sentences"]]
            k = len(src) // 4
            sents[:k] = [s.replace("0", "9") for s in src[:k]]
            copies.add((f"r{i}", f"r{j}"))
        records.append({"id": f"r{i}", "sentences": [{"id": k, "text": t, "block": k // 4}
                                                      for k, t in enumerate(sents)]})
    return records, copies


def main(n: int = 10_000) -> dict:
    settings = load_settings()
    records, copies = synthetic(n)
    t0 = time.perf_counter()
    comparison = new_comparison(settings)
    for r in records:
        comparison.add(view_of(r))
    comparison.prepare()
    t1 = time.perf_counter()
    found = set()
    for r in records:
        for s in comparison.reuse(r["id"]):
            found.add((r["id"], s["other"]))
    comparison.close()
    t2 = time.perf_counter()
    hit = sum(1 for a, b in copies if (a, b) in found or (b, a) in found)
    unrelated = len({tuple(sorted(p)) for p in found} - {tuple(sorted(p)) for p in copies})
    result = {"reports": n, "index_s": round(t1 - t0, 1), "compare_s": round(t2 - t1, 1),
              "total_s": round(t2 - t0, 1), "copied_pairs": len(copies), "found": hit,
              "unrelated_pairs": unrelated}
    print(json.dumps(result))
    replace_section(DOCS, "reuse", (
        "| reports | index: MinHash LSH, pairs aligned | similarity per report | total | copied pairs found | unrelated pairs | target |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        f"| {n} | {result['index_s']} s | {result['compare_s']} s | {result['total_s']} s | "
        f"{hit}/{len(copies)} | {unrelated} | 10,000 in ≤ 300 s |\n\n"
        f"Synthetic reports of ~5,000 characters recombined from corpus sentences. Machine: {machine()}. "
        f"Command: `.venv/bin/python -m bench.bench_reuse {n}`."))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
