"""Migrations build exactly the schema of the ORM, on SQLite and PostgreSQL, both ways."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from clue_miner.db import get_engine
from clue_miner.db.migrate import downgrade, upgrade
from clue_miner.models import Base


def test_head_matches_the_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_downgrade_removes_everything(db_url: str) -> None:
    upgrade(db_url)
    tables = set(inspect(get_engine(db_url)).get_table_names())
    assert {"documents", "leads", "triage_events", "lead_evidence"} <= tables
    downgrade(db_url, "base")
    assert set(inspect(get_engine(db_url)).get_table_names()) <= {"alembic_version"}
    upgrade(db_url)
    assert {"documents", "leads"} <= set(inspect(get_engine(db_url)).get_table_names())
