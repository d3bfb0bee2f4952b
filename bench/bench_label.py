"""Labelling speed: loading the pipeline and model, and labelling a 6,000-character report on one
core once loaded (median). Targets: load ≤ 3 s, label ≤ 100 ms."""
from __future__ import annotations

import json
import subprocess
import sys
import time

from bench.common import DOCS, ROOT, machine, median_ms
from nlp.evaluate.docs import replace_section

LOAD = ("import time; t=time.perf_counter(); from nlp.analysis import Analyzer; a=Analyzer(); "
        "a.labeller; from nlp.segment import get_nlp; get_nlp(); print(time.perf_counter()-t)")


def main() -> dict:
    loads = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, cwd=ROOT,
                             env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                                  "PATH": "/usr/bin:/bin"}, check=True)
        loads.append(float(out.stdout.strip().splitlines()[-1]))
    from nlp.analysis import Analyzer
    from nlp.classify.train import load_split
    from nlp.document import Document

    analyzer = Analyzer()
    examples = sorted(load_split("test"), key=lambda e: -sum(len(b.text) for b in e.blocks))
    blocks, chars = [], 0
    for ex in examples:  # concatenate test reports up to ~6,000 characters
        for b in ex.blocks:
            if chars >= 6000:
                break
            blocks.append(b)
            chars += len(b.text)
    doc = Document(blocks=blocks, format="txt", sha256="0" * 64, path="bench")
    label_ms = median_ms(lambda: analyzer.analyze_document(doc, "bench"), repeat=20)
    t = time.perf_counter()
    result = {"load_s": round(sorted(loads)[1], 2), "label_ms": round(label_ms, 1), "chars": chars}
    print(json.dumps(result))
    table = ("| step | median | target |\n| --- | --- | --- |\n"
             f"| load settings, spaCy+jieba pipeline and model (fresh process) | {result['load_s']:.2f} s | ≤ 3 s |\n"
             f"| label and measure a {chars}-character report (one core) | {label_ms:.1f} ms | ≤ 100 ms |\n\n"
             f"Machine: {machine()}. Command: `.venv/bin/python -m bench.bench_label`.")
    replace_section(DOCS, "label", table)
    del t
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
