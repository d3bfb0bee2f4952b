"""A deadline run on a real local Prefect server: `shuzhi schedule` with a deadline a few seconds
ahead creates the deployment, the server schedules the run, and the served flow writes the
outputs, its analyses done on a real Dask cluster (`--dask`) started by the test."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from flows.schedule import deadline_rrule, parse_duration

ROOT = Path(__file__).resolve().parents[1]


def test_schedule_rrule():
    rule = deadline_rrule(datetime(2026, 12, 20, 18, 0), parse_duration("72h"), parse_duration("6h"))
    assert rule == "DTSTART:20261220T180000\nRRULE:FREQ=SECONDLY;INTERVAL=21600;COUNT=13"
    with pytest.raises(ValueError):
        parse_duration("3 weeks")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, timeout: float) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError("Prefect server did not start")


def test_schedule_runs_at_deadline_on_real_server(tmp_path, files):
    from distributed import LocalCluster

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(files["docx"], inbox)
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "PREFECT_SERVER_UI_ENABLED": "false"}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    served = None
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        _wait_healthy(api, 90)
        deadline = (datetime.now() + timedelta(seconds=20)).strftime("%Y-%m-%d %H:%M:%S")
        served = subprocess.Popen([sys.executable, "-m", "flows.cli", "schedule", str(inbox), "--out", str(out),
                                   "--deadline", deadline, "--late-window", "0s",
                                   "--dask", cluster.scheduler_address], cwd=ROOT, env=env,
                                  start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.time() + 240
        while time.time() < end and not (out / "batch.json").is_file():
            time.sleep(2)
        assert (out / "batch.json").is_file(), "the scheduled run did not write its outputs"
        assert len(list((out / "analysis").glob("*.json"))) == 1
        # the scheduler keeps a prefix per task function it ever ran (flows/workers._on_dask_worker)
        assert any("on_dask_worker" in k for k in cluster.scheduler.task_prefixes), \
            "the scheduled run did not use the Dask cluster"
    finally:
        cluster.close()
        for proc in (served, server):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
