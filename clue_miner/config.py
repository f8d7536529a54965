"""Where clue-miner keeps its files and which database it uses.

Everything is read from the environment so that a deployment can move state without code
changes: ``CLUES_HOME`` (project root holding ``sources/`` and ``sample_site/``),
``CLUES_VAR`` (state folder, default ``$CLUES_HOME/var``), ``CLUES_MODELS`` (trained
classifiers, default ``var/models``; a team can share one folder) and ``CLUES_DATABASE_URL``
(default: SQLite at ``var/clues.db``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder that holds ``sources/`` and ``sample_site/``."""
    env = os.environ.get("CLUES_HOME")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def var_dir() -> Path:
    """The state folder (database, evidence, models, Prefect home); created on demand."""
    env = os.environ.get("CLUES_VAR")
    path = Path(env).resolve() if env else project_root() / "var"
    path.mkdir(parents=True, exist_ok=True)
    return path


def models_dir() -> Path:
    """``CLUES_MODELS`` or ``var/models``: the trained classifiers; created on demand."""
    env = os.environ.get("CLUES_MODELS")
    path = Path(env).resolve() if env else var_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """``CLUES_DATABASE_URL`` or the default SQLite file ``var/clues.db``."""
    return os.environ.get("CLUES_DATABASE_URL") or f"sqlite:///{var_dir() / 'clues.db'}"


def default_sources_dir() -> Path:
    """``CLUES_SOURCES`` or the ``sources/`` folder of the project."""
    env = os.environ.get("CLUES_SOURCES")
    return Path(env).resolve() if env else project_root() / "sources"


def evidence_dir() -> Path:
    """Content-addressed store of raw responses exactly as fetched."""
    path = var_dir() / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path
