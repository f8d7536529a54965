"""``clues backup`` and ``clues restore``: the database and the evidence store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from clue_miner.cli.output import console, fail, safe, safe_database_url


def backup(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Archive to write (default: backups/clues-<time>.tar.gz)."),
    ] = None,
) -> None:
    """Back up the database (every table, portable between SQLite and PostgreSQL) and the
    evidence store into one .tar.gz with the SHA-256 of every file."""
    from clue_miner.db import init_db
    from clue_miner.ops.backup import backup as make_backup

    init_db()
    target = out or Path("backups") / f"clues-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    summary = make_backup(target)
    console.print(
        f"备份完成 backup of {safe_database_url()} (revision {summary.revision}): "
        f"{sum(summary.rows.values())} rows in {len(summary.rows)} tables, "
        f"{summary.evidence_files} evidence files → {safe(summary.path)}"
    )


def restore(
    archive: Annotated[Path, typer.Argument(help="A backup made by clues backup.")],
) -> None:
    """Restore a backup into an empty database (CLUES_DATABASE_URL) and evidence store
    (CLUES_VAR); then check every stored snapshot against its SHA-256."""
    from clue_miner.ops.backup import BackupError
    from clue_miner.ops.backup import restore as run_restore

    try:
        summary = run_restore(archive)
    except BackupError as exc:
        fail(str(exc))
        return
    console.print(
        f"恢复完成 restored into {safe_database_url()}: {sum(summary.rows.values())} rows, "
        f"{summary.evidence_files} evidence files; {summary.snapshots_checked} snapshots "
        "match their SHA-256"
    )
    if summary.mismatches:
        for ref in summary.mismatches:
            console.print(f"[red]快照不符 snapshot missing or altered[/]: {safe(ref)}")
        raise typer.Exit(1)


def runs(
    limit: Annotated[int, typer.Option(help="How many of the latest runs.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Recent nightly runs: when, how long, how they ended, their counts, unhealthy sources."""
    from rich.table import Table
    from sqlalchemy import select

    from clue_miner.cli.output import print_json
    from clue_miner.db import init_db, session_scope
    from clue_miner.models import NightlyRun

    init_db()
    with session_scope() as session:
        rows = []
        for run in session.scalars(select(NightlyRun).order_by(NightlyRun.id.desc()).limit(limit)):
            summary = run.summary or {}
            sources = summary.get("sources", [])
            finished = run.finished_at
            rows.append(
                {
                    "id": run.id,
                    "batch_id": run.batch_id,
                    "status": run.status,
                    "started_at": run.started_at.isoformat(),
                    "seconds": round((finished - run.started_at).total_seconds(), 1)
                    if finished
                    else None,
                    "documents_new": sum(s.get("documents_new", 0) for s in sources),
                    "documents_changed": sum(s.get("documents_changed", 0) for s in sources),
                    "errors": sum(s.get("errors", 0) for s in sources),
                    "documents_analysed": summary.get("documents_analysed", 0),
                    "flags": summary.get("flags", 0),
                    "leads_new": summary.get("leads_new", 0),
                    "unhealthy": [s["source_id"] for s in sources if s.get("healthy") is False],
                }
            )
    if as_json:
        print_json(rows)
        return
    table = Table(title="夜间运行 Nightly runs")
    for column in (
        "id",
        "started (UTC)",
        "status",
        "took",
        "new",
        "changed",
        "errors",
        "analysed",
        "flags",
        "new leads",
        "unhealthy sources",
    ):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["started_at"][:19].replace("T", " "),
            {"finished": "完成 finished", "failed": "失败 failed"}.get(
                row["status"], "未结束 running/interrupted"
            ),
            f"{row['seconds']:.0f} s" if row["seconds"] is not None else "—",
            str(row["documents_new"]),
            str(row["documents_changed"]),
            str(row["errors"]),
            str(row["documents_analysed"]),
            str(row["flags"]),
            str(row["leads_new"]),
            ", ".join(row["unhealthy"]) or "—",
        )
    console.print(table)


def schedule(
    cron: Annotated[str, typer.Option(help="When to run (cron, in --timezone).")] = "0 2 * * *",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the cron.")] = "Asia/Shanghai",
    sources: Annotated[
        Path | None, typer.Option(help="Folder of source YAML files (default CLUES_SOURCES).")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Fill {base_url} in source URLs with this.")
    ] = None,
    server_port: Annotated[
        int, typer.Option(help="Port of the local Prefect server started when none is set.")
    ] = 4200,
) -> None:
    """Serve the nightly deployment with Prefect until Ctrl-C: on the cron schedule, one
    run at a time, each task with retries and a timeout. Uses PREFECT_API_URL when set;
    otherwise starts a Prefect server on 127.0.0.1 (its UI shows the runs)."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from clue_miner.config import default_sources_dir, var_dir

    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(var_dir() / "prefect"))
    server = None
    if not env.get("PREFECT_API_URL"):
        api = f"http://127.0.0.1:{server_port}/api"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "prefect",
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(server_port),
            ],
            env=env,
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{api}/health", timeout=2)
                break
            except OSError:
                time.sleep(1)
        else:
            server.terminate()
            fail(f"Prefect server did not start on 127.0.0.1:{server_port}")
        env["PREFECT_API_URL"] = api
        console.print(f"Prefect UI: http://127.0.0.1:{server_port}/")
    folder = str((sources or default_sources_dir()).resolve())
    command = [
        sys.executable,
        "-m",
        "clue_miner.flows.schedule",
        "--cron",
        cron,
        "--timezone",
        timezone,
        "--sources",
        folder,
    ]
    if base_url:
        command += ["--base-url", base_url]
    console.print(f"夜间任务 nightly deployment: '{cron}' ({timezone}); Ctrl-C 停止")
    try:
        subprocess.run(command, env=env, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
