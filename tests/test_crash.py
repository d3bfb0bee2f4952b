"""Crash safety: a batch run killed at a random point leaves only complete files; the rerun
completes the batch and gives the same analyses as an uninterrupted run."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"


def _screen(inbox: Path, out: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", "screen", str(inbox), "--out", str(out),
                             "--workers", "1", "--no-pdf"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _sample_inbox(tmp_path: Path) -> tuple[Path, dict]:
    """Eight sample reports, and an environment with a Prefect home of the test's own."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in sorted(SAMPLES.iterdir())[:8]:
        if p.is_file() and p.suffix in (".docx", ".pdf", ".txt"):
            shutil.copy(p, inbox / p.name)
    return inbox, {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}


def _analyses(out: Path) -> dict[str, dict]:
    result = {}
    for p in sorted((out / "analysis").glob("*.json")):
        record = json.loads(p.read_text(encoding="utf-8"))  # a half-written file would fail here
        record.pop("cached", None)
        result[p.name] = record
    return result


def test_crash_kill_and_rerun(tmp_path):
    inbox, env = _sample_inbox(tmp_path)
    killed_out, clean_out = tmp_path / "killed", tmp_path / "clean"
    delay = random.uniform(6, 25)
    proc = _screen(inbox, killed_out, env)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    partial = _analyses(killed_out) if (killed_out / "analysis").is_dir() else {}
    assert _screen(inbox, killed_out, env).wait(timeout=600) == 0
    assert _screen(inbox, clean_out, env).wait(timeout=600) == 0
    resumed, clean = _analyses(killed_out), _analyses(clean_out)
    assert set(resumed) == set(clean) and len(clean) == len(list(inbox.iterdir()))
    for name in clean:
        assert resumed[name] == clean[name], f"{name} differs after the crash (killed at {delay:.1f} s)"
    assert set(partial) <= set(clean)
    for name in ("index.html", "summary.xlsx", "summary.csv", "batch.json"):
        assert (killed_out / name).is_file()


def test_sigterm_stops_the_temporary_server_and_the_workers(tmp_path):
    """A service manager stops the command with SIGTERM: nothing of it may stay running."""
    import time

    import psutil

    inbox, env = _sample_inbox(tmp_path)
    proc = _screen(inbox, tmp_path / "out", env)
    command = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    children = []
    while time.monotonic() < deadline and proc.poll() is None:
        children = command.children(recursive=True)
        if any("uvicorn" in " ".join(c.cmdline()) for c in children) and len(children) >= 2:
            break  # the server and a worker are up
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be stopped"
    time.sleep(2)
    children = command.children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) != 0
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, [" ".join(c.cmdline())[:80] for c in alive]
