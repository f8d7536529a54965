"""A night killed halfway (SIGKILL, mid-crawl) and started again finishes with every
document stored once and the same leads as an uninterrupted night, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from clue_miner.config import project_root
from clue_miner.db import session_scope
from clue_miner.models import Document, Lead, NightlyRun

pytestmark = pytest.mark.slow
SOURCES = ("fengnan-rsj-penalties", "jiping-legal-news")  # two portals keep the test short
SAMPLE_DOCUMENTS = 16 + 25


def night(var: Path, base_url: str, database_url: str) -> subprocess.Popen[bytes]:
    """A ``clues run`` of the two portals into ``var``; its stderr goes to ``var.log``."""
    env = {**os.environ, "CLUES_VAR": str(var), "CLUES_DATABASE_URL": database_url}
    sources = var.parent / "sources"
    if not sources.exists():
        sources.mkdir()
        for name in SOURCES:
            shutil.copy(project_root() / "sources" / f"{name}.yml", sources)
    with var.with_suffix(".log").open("ab") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "clue_miner.cli",
                "run",
                "--sources",
                str(sources),
                "--base-url",
                base_url,
            ],
            env=env,
            cwd=project_root(),
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # the crawl runs in a child process: kill the whole group
        )


def last_lines(var: Path, count: int = 30) -> str:
    """The end of what the nights into ``var`` wrote on stderr, for a failure's message."""
    return "\n".join(var.with_suffix(".log").read_text(errors="replace").splitlines()[-count:])


def documents(url: str) -> int:
    try:
        with session_scope(url) as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0
    except (OperationalError, ProgrammingError):
        return 0  # not created yet


def leads(url: str) -> set[tuple[str, str | None, str]]:
    with session_scope(url) as session:
        return {(x.category, x.organization_name, x.title) for x in session.scalars(select(Lead))}


def test_a_night_killed_halfway_is_finished_by_the_next(
    tmp_path: Path, sample_base_url: str, new_store: Callable[[Path], str]
) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    url, clean_url = new_store(killed), new_store(clean)
    process = night(killed, sample_base_url, url)
    deadline = time.monotonic() + 300
    while documents(url) < 10 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert process.poll() is None, (
        f"the night ended ({process.returncode}) before the kill:\n{last_lines(killed)}"
    )
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    stored = documents(url)
    assert 10 <= stored < SAMPLE_DOCUMENTS, stored

    assert night(killed, sample_base_url, url).wait(timeout=600) == 0, last_lines(killed)
    assert night(clean, sample_base_url, clean_url).wait(timeout=600) == 0, last_lines(clean)

    with session_scope(url) as session:
        rows = session.execute(select(Document.source_id, Document.url, Document.version)).all()
        assert len(rows) == SAMPLE_DOCUMENTS  # nothing lost
        assert len({(s, u) for s, u, _ in rows}) == SAMPLE_DOCUMENTS  # nothing twice
        assert {v for _, _, v in rows} == {1}
        statuses = session.scalars(select(NightlyRun.status).order_by(NightlyRun.id)).all()
        assert statuses == ["running", "finished"]  # the killed night shows as unfinished
    assert leads(url) == leads(clean_url)
