"""Prefect's settings for an unattended, server-less run; applied before Prefect is imported.

Prefect 3 starts a temporary local API server for a flow run when no server is configured;
its home (database, logs) lives in ``var/prefect`` so nothing leaks into the user's home.
"""

from __future__ import annotations

import os

from clue_miner.config import var_dir


def configure_prefect() -> None:
    """Set Prefect's home and quiet, reliable defaults (existing values win)."""
    home = var_dir() / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
