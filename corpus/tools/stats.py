"""Quick per-file statistics for corpus writers: size, label shares, flags.

Usage: python corpus/tools/stats.py corpus/reports/r001.jsonl [more files]
"""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nlp.corpus import load_report  # noqa: E402

for name in sys.argv[1:]:
    report = load_report(name)
    counts = report.char_counts()
    total = sum(counts.values())
    flags = Counter(f for s in report.sentences for f in s.flags)
    shares = " ".join(f"{k}={v / total:.0%}" for k, v in counts.items())
    print(f"{report.id}: {total} chars, {len(report.sentences)} sentences, "
          f"problem+cause={report.problem_cause_share():.1%} | {shares} | flags {dict(flags)}")
