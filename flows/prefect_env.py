"""Prefect settings that must be in place before Prefect is imported.

Nothing leaves the machine: telemetry and analytics are off. With no server configured
(PREFECT_API_URL unset), Prefect runs its temporary local server with its state under a
project-local PREFECT_HOME, so `shuzhi screen` works with nothing to start.
"""
from __future__ import annotations

import os
from pathlib import Path

OFFLINE = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    # the temporary server migrates a fresh database on first start; on a busy 2-core machine
    # that can exceed Prefect's 20 s default and fail the run before it begins
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def configure(home: str | Path | None = None) -> None:
    """Set the offline defaults; an explicit PREFECT_HOME or PREFECT_API_URL of the user is kept."""
    for key in ("DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED",
                "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY"):
        os.environ[key] = OFFLINE[key]  # never overridable: these are internal documents
    for key, value in OFFLINE.items():
        os.environ.setdefault(key, value)
    if "PREFECT_HOME" not in os.environ:
        base = Path(home) if home else Path.cwd() / ".shuzhi"
        prefect_home = base / "prefect"
        prefect_home.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["PREFECT_HOME"] = str(prefect_home)
