"""A backup restores into an empty store, on either database, with every row and every
evidence hash intact; a tampered or foreign archive is refused."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clue_miner.crawlers.process import crawl_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import get_engine, session_scope
from clue_miner.leads.store import analyse_pending, link_flags
from clue_miner.models import Base, Lead
from clue_miner.ops.backup import BackupError, backup, restore
from clue_miner.triage.accounts import add_user
from clue_miner.triage.decisions import Decision, decide
from tests.triage_store import PASSWORD


def comparable(value: Any) -> str:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones: compare instants."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return str(value)


def dump(url: str) -> dict[str, list[dict[str, Any]]]:
    with get_engine(url).connect() as conn:
        return {
            t.name: [
                {k: comparable(v) for k, v in row.items()}
                for row in conn.execute(select(t).order_by(*t.primary_key.columns)).mappings()
            ]
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def stored(
    tmp_path: Path, sample_sources: dict[str, SourceConfig], monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setenv("CLUES_VAR", str(tmp_path / "var-a"))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    crawl_source(sample_sources["fengnan-rsj-penalties"], database_url=url)
    with session_scope(url) as session:
        analyse_pending(session)
        link_flags(session)
        user = add_user(session, "analyst", "analyst", PASSWORD)
        lead = session.scalars(select(Lead).order_by(Lead.id)).first()
        assert lead is not None
        decide(session, lead, user, Decision("accept"))
    return url


def test_a_round_trip_keeps_every_row_and_hash(
    stored: str, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = backup(tmp_path / "b.tar.gz", stored)
    assert made.rows["documents"] == 16 and made.rows["triage_events"] == 1
    assert made.evidence_files >= 1

    monkeypatch.setenv("CLUES_VAR", str(tmp_path / "var-b"))
    summary = restore(made.path, db_url)
    assert summary.mismatches == [] and summary.snapshots_checked >= 16 + 8
    assert summary.rows == made.rows
    assert dump(db_url) == dump(stored)
    with pytest.raises(BackupError, match="不是空的"):
        restore(made.path, db_url)


def test_a_tampered_backup_is_refused(
    stored: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = backup(tmp_path / "b.tar.gz", stored)
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(made.path) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "database/leads.jsonl" and data is not None:
                rows = [json.loads(line) for line in data.read().decode().splitlines()]
                rows[0]["status"] = "dismissed"
                body = ("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n").encode()
                member.size = len(body)
                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    monkeypatch.setenv("CLUES_VAR", str(tmp_path / "var-c"))
    with pytest.raises(BackupError, match=r"leads\.jsonl"):
        restore(tampered, f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(BackupError, match="不是有效的备份"):
        (tmp_path / "junk.tar.gz").write_bytes(b"not a tar")
        restore(tmp_path / "junk.tar.gz", f"sqlite:///{tmp_path / 'd.db'}")
