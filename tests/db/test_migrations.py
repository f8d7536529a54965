"""Migrations build exactly the schema of the ORM, on SQLite and PostgreSQL, both ways."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

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


def test_upgrading_from_the_first_migration_keeps_stored_rows(db_url: str) -> None:
    downgrade(db_url, "0001")
    with get_engine(db_url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (id, name, publisher, record_type, region_adcode, region_name,"
                " config_sha256, updated_at) VALUES ('s', '样例来源', '某局', 'news', '130207',"
                " '河北省唐山市丰南区', 'x', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO documents (id, source_id, url, title, text, content_sha256, raw_sha256,"
                " snapshot_ref, content_type, encoding, record_type, region_adcode, fetched_at)"
                " VALUES (1, 's', 'http://127.0.0.1/a.html', '标题', '正文', 'c', 'r', 'ref',"
                " 'text/html', 'utf-8', 'news', '130207', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO attachments (document_id, url, filename, content_type, size, raw_sha256,"
                " snapshot_ref, fetched_at) VALUES (1, 'http://127.0.0.1/a.xlsx', 'a.xlsx', 'x', 1,"
                " 'r', 'ref', CURRENT_TIMESTAMP)"
            )
        )
    upgrade(db_url)
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT version FROM documents")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM attachments")).scalar_one() == 1
