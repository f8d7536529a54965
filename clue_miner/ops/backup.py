"""Backup and restore of the database and the evidence store, on either database.

A backup is one ``.tar.gz``: ``database/<table>.jsonl`` (every row of every table, in
primary-key order, values as JSON), ``evidence/…`` (the WARC files as they are) and
``backup.json`` (the schema revision, row counts, and the SHA-256 of every file). Rows are
portable: a SQLite backup restores into PostgreSQL and back. Restoring checks every file
against ``backup.json`` first, refuses a database that already holds documents, loads the
rows in dependency order, copies the evidence, and finally re-reads the raw bytes of every
stored document and attachment to check them against their recorded SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Table, func, insert, select, text
from sqlalchemy.engine import Engine

from clue_miner import __version__
from clue_miner.config import evidence_dir
from clue_miner.crawlers.evidence import EvidenceError, read_response
from clue_miner.db import get_engine, init_db
from clue_miner.models import Attachment, Base, Document

FORMAT = 1
BATCH = 2000


class BackupError(ValueError):
    """A backup that cannot be made or restored; the message names the file or table."""


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int]
    evidence_files: int
    revision: str


@dataclass
class RestoreSummary:
    rows: dict[str, int]
    evidence_files: int
    snapshots_checked: int
    mismatches: list[str] = field(default_factory=list)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(out: Path, database_url: str | None = None) -> BackupSummary:
    """Write a backup of the database at ``database_url`` and of the evidence store."""
    engine = get_engine(database_url)
    revision = _revision(engine)
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="clues-backup-") as tmp:
        root = Path(tmp)
        (root / "database").mkdir()
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                order = [c for c in table.primary_key.columns]
                count = 0
                with (root / "database" / f"{table.name}.jsonl").open("w", encoding="utf-8") as fh:
                    for row in conn.execute(select(table).order_by(*order)).mappings():
                        record = {k: _jsonable(v) for k, v in row.items()}
                        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                        count += 1
                rows[table.name] = count
        evidence = evidence_dir()
        files = {f"database/{p.name}": _sha256(p) for p in sorted((root / "database").iterdir())}
        evidence_files = sorted(p for p in evidence.rglob("*") if p.is_file())
        for path in evidence_files:
            files[f"evidence/{path.relative_to(evidence).as_posix()}"] = _sha256(path)
        about = {
            "format": FORMAT,
            "generator": f"clue-miner {__version__}",
            "created_at": datetime.now(UTC).isoformat(),
            "revision": revision,
            "rows": rows,
            "files": files,
        }
        (root / "backup.json").write_text(json.dumps(about, ensure_ascii=False, indent=2))
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:gz") as archive:
            archive.add(root / "backup.json", "backup.json")
            archive.add(root / "database", "database")
            for path in evidence_files:
                archive.add(path, f"evidence/{path.relative_to(evidence).as_posix()}")
    return BackupSummary(out, rows, len(evidence_files), revision)


def _coerce(table: Table, record: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for column in table.columns:
        if column.name not in record:
            continue
        value = record[column.name]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        values[column.name] = value
    return values


def _reset_sequences(engine: Engine) -> None:
    """After explicit ids, PostgreSQL's sequences must continue after the highest one."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            column = table.columns.get("id")
            if column is None or not isinstance(column.type, Integer):
                continue
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def restore(archive_path: Path, database_url: str | None = None) -> RestoreSummary:
    """Restore a backup into the (empty) database at ``database_url`` and the evidence
    store."""
    with tempfile.TemporaryDirectory(prefix="clues-restore-") as tmp:
        root = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(root, filter="data")
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{archive_path}: 不是有效的备份文件 not a backup ({exc})") from exc
        about_path = root / "backup.json"
        if not about_path.exists():
            raise BackupError(f"{archive_path}: 缺少 backup.json")
        about = json.loads(about_path.read_text())
        for name, digest in about["files"].items():
            path = root / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"{archive_path}: {name} 缺失或已被改动 missing or altered")
        init_db(database_url)
        engine = get_engine(database_url)
        if _revision(engine) != about["revision"]:
            raise BackupError(
                f"备份的数据库版本 {about['revision']} 与当前 {_revision(engine)} 不同："
                "请用同一版本的 clue-miner 恢复"
            )
        with engine.connect() as conn:
            used = [
                t.name
                for t in Base.metadata.sorted_tables
                if conn.execute(select(func.count()).select_from(t)).scalar_one()
            ]
        if used:
            raise BackupError(
                "目标数据库不是空的，拒绝覆盖（triage_events 只增不改）: " + ", ".join(used)
            )
        rows: dict[str, int] = {}
        with engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                source = root / "database" / f"{table.name}.jsonl"
                batch: list[dict[str, Any]] = []
                count = 0
                with source.open(encoding="utf-8") as fh:
                    for line in fh:
                        batch.append(_coerce(table, json.loads(line)))
                        if len(batch) >= BATCH:
                            conn.execute(insert(table), batch)
                            count += len(batch)
                            batch = []
                if batch:
                    conn.execute(insert(table), batch)
                    count += len(batch)
                rows[table.name] = count
        _reset_sequences(engine)
        evidence = evidence_dir()
        copied = 0
        for name in about["files"]:
            if name.startswith("evidence/"):
                target = evidence / name[len("evidence/") :]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / name, target)
                copied += 1
    summary = RestoreSummary(rows, copied, 0)
    _check_snapshots(engine, summary)
    return summary


def _check_snapshots(engine: Engine, summary: RestoreSummary) -> None:
    with engine.connect() as conn:
        refs = conn.execute(
            select(Document.snapshot_ref, Document.raw_sha256).union_all(
                select(Attachment.snapshot_ref, Attachment.raw_sha256)
            )
        ).all()
    for ref, expected in refs:
        try:
            body = read_response(ref).body
        except EvidenceError:
            summary.mismatches.append(ref)
            continue
        summary.snapshots_checked += 1
        if hashlib.sha256(body).hexdigest() != expected:
            summary.mismatches.append(ref)
