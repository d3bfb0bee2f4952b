"""Rendering speed: all outputs of one report (HTML, DOCX, PDF) once loaded; median over the
demo's reports. Target ≤ 1 s per report, PDF included."""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time

from bench.common import DOCS, ROOT, machine
from nlp.analysis import Analyzer
from nlp.evaluate.docs import replace_section
from reports.briefing import write_briefing


def main() -> dict:
    analyzer = Analyzer()
    samples = sorted(p for p in (ROOT / "corpus" / "samples").iterdir() if p.is_file() and p.suffix in (".docx", ".pdf", ".txt"))
    records = [r for r in (analyzer.analyze(p) for p in samples) if not r["error"]]
    with tempfile.TemporaryDirectory() as tmp:
        write_briefing(records[0], None, tmp)  # warm-up: fonts and templates load once
        times = {"all": [], "no_pdf": []}
        for r in records:
            t = time.perf_counter()
            write_briefing(r, None, tmp, pdf=True)
            times["all"].append(time.perf_counter() - t)
            t = time.perf_counter()
            write_briefing(r, None, tmp, pdf=False)
            times["no_pdf"].append(time.perf_counter() - t)
    result = {"reports": len(records), "median_s_all": round(statistics.median(times["all"]), 3),
              "median_s_html_docx": round(statistics.median(times["no_pdf"]), 3),
              "max_s_all": round(max(times["all"]), 3)}
    print(json.dumps(result))
    table = ("| outputs of one report | median | max | target |\n| --- | --- | --- | --- |\n"
             f"| HTML + DOCX + PDF | {result['median_s_all']:.2f} s | {result['max_s_all']:.2f} s | ≤ 1 s |\n"
             f"| HTML + DOCX | {result['median_s_html_docx']:.3f} s | | |\n\n"
             f"{len(records)} sample reports. Machine: {machine()}. Command: `.venv/bin/python -m bench.bench_render`.")
    replace_section(DOCS, "render", table)
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
