"""End-to-end batch benchmark: N submissions generated from the corpus (70% .docx, 20% .pdf,
10% .txt, each text made unique), screened by the Prefect flow; compared with the same nlp/ and
reports/ functions in a plain process pool; then a rerun with one changed file.
Prints one JSON line. Usage: python -m bench.bench_batch [N] [--pdf]"""
from __future__ import annotations

import json
import random
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.common import DOCS, ROOT, machine
from nlp.corpus import load_dir
from nlp.evaluate.docs import replace_section

RESULTS = ROOT / "bench" / "results"


def build_inbox(n: int, seed: int = 11) -> Path:
    import docx
    from weasyprint import HTML

    from bench.bench_reuse import _mutate

    inbox = RESULTS / f"inbox-{n}"
    if inbox.is_dir() and len(list(inbox.iterdir())) >= n:
        return inbox
    inbox.mkdir(parents=True, exist_ok=True)
    reports = load_dir(ROOT / "corpus" / "reports")
    rng = random.Random(seed)
    for i in range(n):
        r = reports[i % len(reports)]
        blocks = [(b.kind, b.level, _mutate(b.text, rng, 0.1)) for b in r.blocks if b.kind != "table"]
        kind = "docx" if i % 10 < 7 else "pdf" if i % 10 < 9 else "txt"
        path = inbox / f"{i:05d}-{r.meta['unit'][:10]}述职报告.{kind}"
        if kind == "docx":
            d = docx.Document()
            for k, level, text in blocks:
                d.add_paragraph(text, style=f"Heading {min(level, 3)}" if k == "heading" and level else
                                ("Title" if k == "heading" else None))
            d.save(path)
        elif kind == "pdf":
            html = "".join(f"<h2>{t}</h2>" if k == "heading" else f"<p>{t}</p>" for k, _, t in blocks)
            HTML(string=f"<meta charset=utf-8><body style='font-family:Noto Serif CJK SC'>{html}</body>").write_pdf(str(path))
        else:
            path.write_text("\n".join(t for _, _, t in blocks), encoding="utf-8")
    return inbox


def _plain(paths: list[str], folder: str) -> int:
    from nlp.analysis import Analyzer
    from reports.briefing import write_briefing

    global _A
    try:
        _A
    except NameError:
        _A = Analyzer()
    for p in paths:
        r = _A.analyze(Path(p))
        if not r["error"]:
            write_briefing(r, None, folder, pdf=False)
    return len(paths)


def run_flow(inbox: Path, out: Path, pdf: bool) -> tuple[float, dict]:
    """Wall time of the flow and its phases (the rest of the wall time is Prefect's start-up:
    the temporary server, the flow run's creation and shutdown)."""
    from flows.prefect_env import configure

    configure()
    from flows.screen import screen_batch

    t = time.perf_counter()
    result = screen_batch(str(inbox), str(out), workers=2, pdf=pdf)
    return time.perf_counter() - t, result["phases"]


def main(n: int = 1000, pdf: bool = False) -> dict:
    inbox = build_inbox(n)
    out = RESULTS / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    t_flow, phases = run_flow(inbox, out, pdf)
    startup = t_flow - sum(phases.values())
    files = sorted(str(p) for p in inbox.iterdir())
    plain_out = RESULTS / f"plain-{n}"
    shutil.rmtree(plain_out, ignore_errors=True)
    plain_out.mkdir(parents=True)
    t = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_plain, [files[i:i + 8] for i in range(0, len(files), 8)], [str(plain_out)] * len(files)))
    t_plain = time.perf_counter() - t
    changed = Path(files[0])
    changed.write_bytes(changed.read_bytes())  # same bytes, new time: no re-analysis needed
    victim = next(p for p in map(Path, files) if p.suffix == ".txt")
    victim.write_text(victim.read_text(encoding="utf-8") + "\n补充：本人将于6月底前完成整改。", encoding="utf-8")
    t_rerun, rerun_phases = run_flow(inbox, out, pdf)
    peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss +
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    work = t_flow - startup
    rerun_work = sum(rerun_phases.values())
    result = {"reports": n, "pdf_sheets": pdf, "flow_s": round(t_flow, 1), "reports_per_s": round(n / t_flow, 2),
              "prefect_startup_s": round(startup, 1), "flow_without_startup_s": round(work, 1),
              "plain_pool_s": round(t_plain, 1), "overhead_ratio": round(work / t_plain, 2),
              "rerun_one_changed_s": round(t_rerun, 1), "rerun_without_startup_s": round(rerun_work, 1),
              "per_report_ms": round(1000 * work / n, 1), "phases": phases,
              "peak_rss_mb_main_plus_largest_child": round(peak_mb)}
    print(json.dumps(result))
    replace_section(DOCS, f"batch-{n}{'-pdf' if pdf else ''}", (
        f"| N | sheets | flow (incl. start-up) | Prefect start-up | reports/s | plain process pool | ratio (no start-up) | rerun, 1 changed (no start-up) | peak RSS |\n"
        f"| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"| {n} | HTML+DOCX{'+PDF' if pdf else ''} | {t_flow:.0f} s | {startup:.0f} s | {n / t_flow:.1f} | {t_plain:.0f} s | "
        f"{work / t_plain:.2f} | {t_rerun:.0f} s ({rerun_work:.0f} s) | {peak_mb:.0f} MB |\n\n"
        f"Phases of the first run (s): {', '.join(f'{k} {v:.1f}' for k, v in phases.items())}.\n\n"
        f"Machine: {machine()}. Command: `.venv/bin/python -m bench.bench_batch {n}{' --pdf' if pdf else ''}`. "
        "Peak RSS is the main process plus the largest worker (getrusage), not the sum."))
    return result


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 1000, "--pdf" in sys.argv)
