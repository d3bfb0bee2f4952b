"""Shared helpers of the benchmarks: timing with medians, machine facts, the docs writer."""
from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "BENCHMARKS.md"


def median_ms(fn, repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def cpu_check_ms() -> float:
    """The median time of a fixed pure-Python loop: this shared machine's speed drifts by up to
    half again from minute to minute, and a figure means little without it (docs/BENCHMARKS.md
    says what it is when the machine is quiet)."""
    def loop():
        total = 0
        for i in range(3_000_000):
            total += i * i
        return total

    return round(median_ms(loop, repeat=5, warmup=1))


def machine(check: bool = True) -> str:
    facts = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return f"{facts}; CPU check {cpu_check_ms()} ms" if check else facts
