"""Shared fixtures: an isolated var folder, the sample site on 127.0.0.1, databases.

Every test session gets its own ``CLUES_VAR`` (database, evidence, models, Prefect home),
so the suite never touches the project's own ``var/``. Every test that stores anything
runs twice: on SQLite and on a fresh PostgreSQL database (created per test, dropped after)
on the server of ``CLUES_TEST_POSTGRES_URL``, else of a PostgreSQL ``CLUES_DATABASE_URL``,
else of 127.0.0.1:5432; the given database itself is never written. Where no server is
reachable the PostgreSQL runs skip, unless ``CLUES_REQUIRE_POSTGRES=1`` (set by
``.ci/run``) turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

_VAR = Path(tempfile.mkdtemp(prefix="clues-test-var-"))
os.environ["CLUES_VAR"] = str(_VAR)
# One trained model for the whole session, in process and in every `clues` subprocess.
os.environ["CLUES_MODELS"] = str(_VAR / "models")
_GIVEN_DATABASE = os.environ.pop("CLUES_DATABASE_URL", "")

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from clue_miner.config import project_root  # noqa: E402
from clue_miner.crawlers.sources import SourceConfig, load_sources, resolve_base_url  # noqa: E402
from clue_miner.db import get_engine, init_db  # noqa: E402

SHARED_DIR = project_root().parent / "shared"
SEED_PAGE = SHARED_DIR / "seed" / "hebei-legal-daily-procuratorate-page.txt"
POSTGRES_URL = (
    os.environ.get("CLUES_TEST_POSTGRES_URL")
    or (_GIVEN_DATABASE if _GIVEN_DATABASE.startswith("postgresql") else "")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("CLUES_REQUIRE_POSTGRES") == "1"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_VAR, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_base_url() -> Iterator[str]:
    """The bundled sample site, built and served on a free port of 127.0.0.1."""
    from clue_miner.sample_site.build import build_site
    from clue_miner.sample_site.server import SampleSiteServer

    with SampleSiteServer(build_site()) as server:
        yield server.base_url


@pytest.fixture(scope="session")
def sample_sources(sample_base_url: str) -> dict[str, SourceConfig]:
    """The project's bundled sources, pointed at the served sample site, by id."""
    configs = resolve_base_url(load_sources(project_root() / "sources"), sample_base_url)
    return {c.id: c for c in configs}


def _postgres_available() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of a reachable PostgreSQL, or a skip (a failure in CI)."""
    problem = _postgres_available()
    if problem:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({problem})"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " and CLUES_REQUIRE_POSTGRES=1")
        pytest.skip(message)
    return POSTGRES_URL


@contextmanager
def _fresh_postgres(server: str) -> Iterator[str]:
    name = f"clues_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with _fresh_postgres(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], str]]:
    """Makes empty stores for ``clues`` subprocesses, which create and migrate them (set
    ``CLUES_DATABASE_URL`` to the URL): the default SQLite file ``<var>/clues.db`` of a
    var folder, then a fresh PostgreSQL database per call, dropped afterwards."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            yield lambda var: f"sqlite:///{var / 'clues.db'}"
        else:
            server = request.getfixturevalue("postgres_server")
            yield lambda var: stack.enter_context(_fresh_postgres(server))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database at the newest migration: SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'clues.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    init_db(url)
    return url


_LEASE_HOLDER = """
import sys, time
from clue_miner.db.lease import night_lease
with night_lease(sys.argv[1]):
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def other_night() -> Iterator[Callable[[str], subprocess.Popen[str]]]:
    """Starts a process that holds a store's nightly lease, as a running night does, and
    returns once it holds it; whatever is still running is SIGKILLed after the test."""
    holders: list[subprocess.Popen[str]] = []

    def hold(url: str) -> subprocess.Popen[str]:
        holder = subprocess.Popen(
            [sys.executable, "-c", _LEASE_HOLDER, url], stdout=subprocess.PIPE, text=True
        )
        holders.append(holder)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        return holder

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait(timeout=30)
