"""Load: a batch of N files of which 10% are broken completes; every good report is analysed
and every broken one reported. Usage: python -m bench.bench_load [N]"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time

from bench.bench_batch import RESULTS, build_inbox, run_flow
from bench.common import DOCS, machine
from nlp.evaluate.docs import replace_section

BROKEN = [("乱码{}.txt", lambda: os.urandom(5000)), ("空{}.docx", lambda: b""),
          ("假PDF{}.pdf", lambda: "不是PDF".encode()), ("截断{}.docx", None), ("照片{}.jpg", lambda: b"\xff\xd8\xff")]


def main(n: int = 1000) -> dict:
    good_n = n - n // 10
    source = build_inbox(good_n)
    inbox = RESULTS / f"load-{n}"
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.copytree(source, inbox)
    a_docx = next(p for p in sorted(source.iterdir()) if p.suffix == ".docx")
    for i in range(n // 10):
        name, make = BROKEN[i % len(BROKEN)]
        data = a_docx.read_bytes()[:3000] if make is None else make()
        (inbox / name.format(i)).write_bytes(data)
    out = RESULTS / f"load-out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    run_flow(inbox, out, pdf=False)
    elapsed = time.perf_counter() - t
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    errors = [r for r in batch["reports"] if r["error"]]
    result = {"files": batch["counts"]["files"], "broken": n // 10, "errors_reported": len(errors),
              "analysed": batch["counts"]["analysed"], "good": good_n, "seconds": round(elapsed)}
    print(json.dumps(result))
    replace_section(DOCS, "load", (
        "| files | broken | analysed | errors reported | wall time |\n| --- | --- | --- | --- | --- |\n"
        f"| {result['files']} | {result['broken']} | {result['analysed']} of {good_n} | "
        f"{result['errors_reported']} | {result['seconds']} s |\n\n"
        f"Machine: {machine()}. Command: `.venv/bin/python -m bench.bench_load {n}`."))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
