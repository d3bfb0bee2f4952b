"""End-to-end batch benchmark: N submissions generated from the corpus (70% .docx, 20% .pdf,
10% .txt, each text made unique), screened by the Prefect flow; compared with the same nlp/ and
reports/ functions in a plain process pool; then a rerun with one changed file.
Prints one JSON line. Usage: python -m bench.bench_batch [N] [--pdf] [--heavy] [--flow-only]
(--heavy: the session-2 batch with a dozen near-copies of each corpus report; --flow-only: no
plain-pool comparison and no rerun, for the N = 5,000 and 10,000 scale runs)."""
from __future__ import annotations

import json
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.common import DOCS, ROOT, cpu_check_ms, machine
from flows.screen import chunk_size, chunked
from nlp.corpus import load_dir
from nlp.evaluate.docs import replace_section

RESULTS = ROOT / "bench" / "results"
DIGITS = re.compile(r"\d+")


def _mixed_blocks(reports, n: int, rng: random.Random) -> list[list[tuple]]:
    """A batch like a real one: report i keeps the structure and headings of corpus report i mod
    len(corpus), but each of its sentences is a sentence of the same label drawn from any corpus
    report (10% of characters changed), so that every report is its own text; 3% of the reports
    then copy the first quarter of an earlier one (numbers changed) — the reuse to find."""
    from bench.bench_reuse import _mutate

    by_label = defaultdict(list)
    for r in reports:
        for b in r.blocks:
            if b.kind == "paragraph":
                for sent in b.sentences:
                    by_label[sent.label].append(sent.text)
    batch = []
    for i in range(n):
        r = reports[i % len(reports)]
        blocks = []
        for b in r.blocks:
            if b.kind == "table":
                continue
            if b.kind == "heading":
                text = b.text
            else:
                text = "".join(rng.choice(by_label[sent.label]) for sent in b.sentences)
            blocks.append((b.kind, b.level, _mutate(text, rng, 0.1)))
        if i > 10 and rng.random() < 0.03:
            source = batch[rng.randrange(i)]
            k = max(2, len(source) // 4)
            blocks[1:k] = [(kind, level, DIGITS.sub(lambda m: str(int(m.group()) + 1), t))
                           for kind, level, t in source[1:k]]
        batch.append(blocks)
    return batch


def _heavy_blocks(reports, n: int, rng: random.Random) -> list[list[tuple]]:
    """The session-2 batch: corpus report i mod len(corpus) itself, 10% of characters changed, so
    that every corpus report has about a dozen near-copies (far more reuse than a real batch)."""
    from bench.bench_reuse import _mutate

    return [[(b.kind, b.level, _mutate(b.text, rng, 0.1)) for b in reports[i % len(reports)].blocks
             if b.kind != "table"] for i in range(n)]


def build_inbox(n: int, heavy: bool = False, seed: int = 11) -> Path:
    import docx
    from weasyprint import HTML

    inbox = RESULTS / (f"inbox-{n}" if heavy else f"batch-{n}")
    if inbox.is_dir() and len(list(inbox.iterdir())) >= n:
        return inbox
    inbox.mkdir(parents=True, exist_ok=True)
    reports = load_dir(ROOT / "corpus" / "reports")
    rng = random.Random(seed)
    batch = (_heavy_blocks if heavy else _mixed_blocks)(reports, n, rng)
    for i, blocks in enumerate(batch):
        r = reports[i % len(reports)]
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


def plain_pool(files: list[str], out: Path) -> float:
    """The flow's work without Prefect: the same worker functions (flows/workers.py) in a plain
    ProcessPoolExecutor with the same two workers, and the bodies of the flow's own comparison
    and finishing tasks (`.fn`: the function without Prefect), sheets and summaries — so that
    the ratio measures orchestration, not a different job."""
    from flows.held import Held
    from flows.screen import compare_task, feed, finish_task, open_comparison
    from flows.workers import _init_worker, analyze_chunk, render_chunk
    from nlp.analysis import report_id_for
    from nlp.settings import load_settings
    from reports.summary import write_csv, write_index, write_xlsx

    import multiprocessing

    t = time.perf_counter()
    settings = load_settings(None)
    (out / "analysis").mkdir(parents=True)
    (out / "briefings").mkdir()
    items = [(f, report_id_for(f)) for f in files]
    cache = str(out / "analysis")
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_init_worker, initargs=(None,)) as pool:
        chunks = chunked(items, chunk_size(len(items), 2))
        comparison = open_comparison(settings, str(out))
        stubs = []
        for part in pool.map(analyze_chunk, chunks, [cache] * len(chunks)):
            feed(comparison, part, "batch")
            stubs.extend(part)
        comparison = compare_task.fn(Held(comparison))
        rows, _ = finish_task.fn(Held(stubs), comparison, Held({}), settings, str(out)).value
        sheets = [(str(out / "analysis" / f"{r['id']}.json"), None, str(out / "briefings"), False)
                  for r in stubs if not r.get("error")]
        list(pool.map(render_chunk, chunked(sheets, chunk_size(len(sheets), 2))))
    threshold = settings["one_third"]["threshold"]
    write_index(out, rows, [], {}, threshold)
    write_xlsx(out, rows, [], threshold, settings["one_third"]["borderline_band"])
    write_csv(out, rows)
    return time.perf_counter() - t


def run_flow(inbox: Path, out: Path, pdf: bool) -> tuple[float, dict]:
    """Wall time of the flow and its phases (the rest of the wall time is Prefect's start-up:
    the temporary server, the flow run's creation and shutdown)."""
    from flows.local_server import prefect_api, start_local_server
    from flows.prefect_env import configure

    t = time.perf_counter()
    configure()
    start_local_server()  # as `shuzhi screen` does: the server, then the workers, start first
    from flows.screen import screen_batch
    from flows.workers import prewarm

    prewarm(2, None)
    with prefect_api():
        result = screen_batch(str(inbox), str(out), workers=2, pdf=pdf)
    return time.perf_counter() - t, result["phases"]


def fresh_rerun(inbox: Path, out: Path, pdf: bool, changed: Path) -> float:
    """Wall time of `shuzhi screen` in a new process after one more late file changed: what a
    reviewer who reruns the command, or a scheduled late-window run, waits for."""
    import subprocess

    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充：支部将于5月底前补齐台账。",
                       encoding="utf-8")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.cli", "screen", str(inbox), "--out", str(out),
                    "--workers", "2"] + ([] if pdf else ["--no-pdf"]), check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


class PeakMemory:
    """Peak of the summed RSS of this process and all its descendants (workers, Prefect's
    temporary server), sampled every 0.2 s in a thread (psutil); and the peak of this process
    alone (the flow's: what grows with the batch)."""

    def __init__(self):
        import threading

        self.peak = 0
        self.own_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass  # a process that ended between listing and reading
            self.peak = max(self.peak, total)
            try:
                self.own_peak = max(self.own_peak, me.memory_info().rss)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> int:
        return round(self.peak / 2 ** 20)

    @property
    def own_mb(self) -> int:
        return round(self.own_peak / 2 ** 20)


def main(n: int = 1000, pdf: bool = False, heavy: bool = False, flow_only: bool = False) -> dict:
    inbox = build_inbox(n, heavy)
    name = f"{n}{'-pdf' if pdf else ''}{'-heavy' if heavy else ''}"
    out = RESULTS / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    check_before = cpu_check_ms()
    with PeakMemory() as memory:
        t_flow, phases = run_flow(inbox, out, pdf)
    startup = t_flow - sum(phases.values())
    work = t_flow - startup
    result = {"reports": n, "pdf_sheets": pdf, "reuse_heavy": heavy, "flow_s": round(t_flow, 1),
              "reports_per_s": round(n / t_flow, 2), "prefect_startup_s": round(startup, 1),
              "flow_without_startup_s": round(work, 1), "per_report_ms": round(1000 * work / n, 1),
              "phases": phases, "peak_rss_mb_all_processes": memory.mb,
              "peak_rss_mb_flow_process": memory.own_mb, "cpu_check_ms_before": check_before}
    row = (f"| {n} | {'mixed' if not heavy else 'reuse-heavy'} | HTML+DOCX{'+PDF' if pdf else ''} | "
           f"{t_flow:.0f} s | {startup:.0f} s | {n / t_flow:.1f} | {1000 * work / n:.0f} ms | ")
    if flow_only:
        row += f"— | — | — | — | {memory.mb} MB |"
    else:
        files = sorted(str(p) for p in inbox.iterdir())
        plain_out = RESULTS / f"plain-{name}"
        shutil.rmtree(plain_out, ignore_errors=True)
        t_plain = plain_pool(files, plain_out)
        changed = Path(files[0])
        changed.write_bytes(changed.read_bytes())  # same bytes, new time: no re-analysis needed
        victim = next(p for p in map(Path, files) if p.suffix == ".txt")
        victim.write_text(victim.read_text(encoding="utf-8") + "\n补充：本人将于6月底前完成整改。",
                          encoding="utf-8")
        t_rerun, rerun_phases = run_flow(inbox, out, pdf)
        rerun_work = sum(rerun_phases.values())
        t_fresh = fresh_rerun(inbox, out, pdf, next(p for p in map(Path, files)
                                                    if p.suffix == ".txt" and p != victim))
        result.update({"plain_pool_s": round(t_plain, 1), "overhead_ratio": round(work / t_plain, 2),
                       "rerun_one_changed_s": round(t_rerun, 1),
                       "rerun_without_startup_s": round(rerun_work, 1), "rerun_phases": rerun_phases,
                       "rerun_fresh_cli_s": round(t_fresh, 1)})
        row += (f"{t_plain:.0f} s | {work / t_plain:.2f} | {t_rerun:.0f} s ({rerun_work:.0f} s) | "
                f"{t_fresh:.0f} s | {memory.mb} MB |")
    result["cpu_check_ms_after"] = check_after = cpu_check_ms()
    print(json.dumps(result))
    command = " ".join(["python -m bench.bench_batch", str(n)] + ["--pdf"] * pdf + ["--heavy"] * heavy +
                       ["--flow-only"] * flow_only)
    replace_section(DOCS, f"batch-{name}{'-flow' if flow_only else ''}", (
        "| N | batch | sheets | flow (incl. start-up) | Prefect start-up | reports/s | per report (no start-up) "
        "| plain process pool | ratio (no start-up) | rerun, 1 changed (no start-up) | rerun, 1 changed, "
        "`shuzhi screen` in a new process | peak RSS, all processes |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n" + row + "\n\n"
        f"Phases of the first run (s): {', '.join(f'{k} {v:.1f}' for k, v in phases.items())}; "
        f"peak RSS of the flow's own process {memory.own_mb} MB."
        + (f" Rerun: {', '.join(f'{k} {v:.1f}' for k, v in result['rerun_phases'].items())}."
           if not flow_only else "") +
        f"\n\nMachine: {machine(check=False)}; CPU check {check_before} ms before the run, "
        f"{check_after} ms after. Command: `.venv/bin/{command}`."))
    return result


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 1000, "--pdf" in sys.argv, "--heavy" in sys.argv,
         "--flow-only" in sys.argv)
