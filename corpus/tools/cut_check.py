"""For corpus writers: does our sentence splitter cut a report where its gold sentences end?

A sentence of ours that mixes two gold labels is printed with its labels; the report is then
annotated at a finer grain than we can cut, and the labeller is trained on the majority label.

Usage: python corpus/tools/cut_check.py corpus/reports/r133.jsonl [more files]
"""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nlp.classify.dataset import example_from_report  # noqa: E402
from nlp.corpus import CHAR_LABEL, load_report  # noqa: E402

mixed_total = 0
for name in sys.argv[1:]:
    ex = example_from_report(load_report(name))
    mixed = 0
    for s in ex.sentences:
        chars = ex.block_labels[s.block][s.start:s.end]
        text = ex.blocks[s.block].text[s.start:s.end]
        counts = Counter(CHAR_LABEL[ch] for ch, t in zip(chars, text) if not t.isspace())
        if len(counts) > 1:
            mixed += 1
            print(f"  {ex.id}: {dict(counts)} {text[:60]}")
    mixed_total += mixed
    print(f"{ex.id}: {len(ex.sentences)} sentences, {mixed} mixed")
sys.exit(1 if mixed_total else 0)
