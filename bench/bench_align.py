"""Passage alignment: RapidFuzz's longest common subsequence (what the comparison uses) against
difflib's matching blocks (what it used until session 7), on passage pairs of the corpus: random
pairs and near-copies (every 17th character changed). Prints one JSON line and rewrites the
"align" section of docs/BENCHMARKS.md. Usage: python -m bench.bench_align [PAIRS]"""
from __future__ import annotations

import json
import random
import sys
import time
from difflib import SequenceMatcher

from bench.common import DOCS, ROOT, machine
from nlp.corpus import load_dir
from nlp.evaluate.docs import replace_section
from nlp.similarity import MIN_BLOCK, shared_chars, view_of


def _difflib_chars(a: str, b: str) -> int:
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
               if m.size >= MIN_BLOCK)


def passage_pairs(n: int, seed: int = 1) -> list[tuple[str, str]]:
    texts = []
    for r in load_dir(ROOT / "corpus" / "reports"):
        sentences = [{"text": s.text, "block": k} for k, b in enumerate(r.blocks) for s in b.sentences]
        view = view_of({"id": r.meta["id"], "sentences": sentences})
        texts.extend(view.passage_text(k) for k in range(len(view.passages)))
    rng = random.Random(seed)
    pairs = [(rng.choice(texts), rng.choice(texts)) for _ in range(n)]
    for t in rng.sample(texts, n // 6):
        pairs.append((t, "".join("某" if i % 17 == 0 else c for i, c in enumerate(t))))
    return pairs


def main(n: int = 3000) -> dict:
    pairs = passage_pairs(n)
    t0 = time.perf_counter()
    old = [_difflib_chars(a, b) for a, b in pairs]
    t1 = time.perf_counter()
    new = [shared_chars(a, b) for a, b in pairs]
    t2 = time.perf_counter()
    differ = [abs(x - y) for x, y in zip(old, new) if x != y]
    result = {"pairs": len(pairs), "difflib_us": round((t1 - t0) / len(pairs) * 1e6, 1),
              "rapidfuzz_us": round((t2 - t1) / len(pairs) * 1e6, 1),
              "speed_up": round((t1 - t0) / (t2 - t1), 1), "differ": len(differ),
              "max_difference": max(differ, default=0)}
    print(json.dumps(result))
    replace_section(DOCS, "align", (
        "| passage pairs | difflib | RapidFuzz (shipped) | speed-up | pairs whose count differs | largest difference |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        f"| {result['pairs']} | {result['difflib_us']} µs | {result['rapidfuzz_us']} µs | {result['speed_up']}× | "
        f"{result['differ']} | {result['max_difference']} characters |\n\n"
        f"Corpus passages, random pairs and near-copies. Machine: {machine()}. "
        f"Command: `.venv/bin/python -m bench.bench_align {n}`."))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
