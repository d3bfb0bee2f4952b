"""Prefect's temporary local server, started at the beginning of a command instead of on the
first flow call.

With no server configured, Prefect starts a temporary one when the first flow runs: it imports
its (large) server module in our process and then waits while a subprocess imports it again and
starts, all before the first task. Starting that same subprocess (Prefect's own server app, run
by uvicorn exactly as Prefect runs it) as the command's first step lets it start while our
process imports its libraries and the workers load the model, and spares our process the server
import. Its lifetime is the command's; state stays under the project's PREFECT_HOME.
"""
from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

_SERVER: "LocalServer | None" = None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """One uvicorn subprocess serving `prefect.server.api.server:create_app` on 127.0.0.1."""

    def __init__(self, log_file: Path):
        self.log_file = log_file
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._ready = False
        self._spawn()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _spawn(self) -> None:
        self.port = _free_port()
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}  # as Prefect's own temporary server
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error",
                 "--lifespan", "on"], env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float) -> None:
        """Block until the server answers its health check; one restart on another port if the
        process died (the port was taken between choosing and binding it)."""
        import httpx

        if self._ready:
            return
        deadline, restarted = time.monotonic() + timeout, False
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if restarted:
                    break
                restarted = True
                self._spawn()
            try:
                if httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    self._ready = True
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Prefect 本地服务未能启动（日志：{self.log_file}）")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._ready = False


def start_local_server() -> LocalServer | None:
    """Start the temporary server now, unless the user configured a Prefect server (then it is
    used) or one was started already. Call after `configure()` and before importing Prefect."""
    global _SERVER
    if _SERVER is not None or os.environ.get("PREFECT_API_URL") or _profile_sets_api_url():
        return _SERVER
    home = Path(os.environ.get("PREFECT_HOME", Path.cwd() / ".shuzhi" / "prefect"))
    _SERVER = LocalServer(home / "server.log")
    atexit.register(_SERVER.stop)
    _exit_on_sigterm()
    return _SERVER


def _exit_on_sigterm() -> None:
    """A SIGTERM (a scheduler or service manager stopping the command) ends Python without its
    exit handlers, which would leave the server running: turn it into a normal exit, so that the
    server is stopped and the workers are joined. Outputs are written atomically, so a stop
    mid-run loses only the files still in progress; the next run redoes them."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _profile_sets_api_url() -> bool:
    """Whether the active Prefect profile names a server (its profiles.toml under PREFECT_HOME)."""
    home = os.environ.get("PREFECT_HOME")
    profiles = Path(home) / "profiles.toml" if home else None
    try:
        return bool(profiles and profiles.is_file() and "PREFECT_API_URL" in profiles.read_text("utf-8"))
    except OSError:
        return False


@contextmanager
def prefect_api(timeout: float | None = None):
    """Run flows against the server started by `start_local_server`, once it is ready; without
    one, Prefect's own behaviour (the user's server, or its temporary server) is left alone."""
    if _SERVER is None:
        yield
        return
    _SERVER.wait_ready(timeout or float(os.environ.get(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: _SERVER.api_url}):
        yield
