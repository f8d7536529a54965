"""``clues sources …``: the source registry and each source's health."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select

from clue_miner.cli.output import console, fail, print_json, safe
from clue_miner.config import default_sources_dir
from clue_miner.crawlers.health import HISTORY_RUNS
from clue_miner.crawlers.sources import SourceConfigError, load_sources
from clue_miner.db import init_db, session_scope
from clue_miner.models import CrawlRun

sources_app = typer.Typer(help="Sources and their health.", no_args_is_help=True)
SourcesOpt = Annotated[Path | None, typer.Option("--sources", help="Folder of source YAML files.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@sources_app.command("list")
def sources_list(sources: SourcesOpt = None) -> None:
    """Validate and list the source YAML files."""
    try:
        configs = load_sources(sources or default_sources_dir())
    except SourceConfigError as exc:
        fail(str(exc))
        return
    table = Table(title=f"来源 Sources ({len(configs)})")
    for column in ("id", "spider", "record_type", "region", "publisher", "start URL"):
        table.add_column(column, overflow="fold")
    for c in configs:
        table.add_row(
            c.id, c.spider, c.record_type, c.region.adcode, safe(c.publisher), safe(c.start_urls[0])
        )
    console.print(table)


def health_rows() -> list[dict[str, Any]]:
    """The latest crawl of each source that was ever crawled, with its recent yields."""
    rows = []
    with session_scope() as session:
        source_ids = session.scalars(select(CrawlRun.source_id).distinct()).all()
        for source_id in sorted(source_ids):
            runs = session.scalars(
                select(CrawlRun)
                .where(CrawlRun.source_id == source_id)
                .order_by(CrawlRun.id.desc())
                .limit(HISTORY_RUNS)
            ).all()
            last = runs[0]
            rows.append(
                {
                    "source_id": source_id,
                    "last_run": last.started_at.isoformat(timespec="seconds"),
                    "status": last.status,
                    "healthy": last.healthy,
                    "notes": list(last.health_notes),
                    "errors": last.error_count,
                    "recent_documents_seen": [r.documents_seen for r in runs],
                }
            )
    return rows


@sources_app.command("health")
def sources_health(
    unhealthy: Annotated[bool, typer.Option("--unhealthy", help="Only unhealthy sources.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Each source's latest crawl: healthy or not and why, with its recent yields."""
    init_db()
    rows = [r for r in health_rows() if not unhealthy or r["healthy"] is False]
    if as_json:
        print_json(rows)
        return
    table = Table(title="来源健康状况 Source health")
    for column in ("source", "last run", "status", "health", "errors", "recent yields"):
        table.add_column(column, overflow="fold")
    for r in rows:
        health = "ok" if r["healthy"] else "UNHEALTHY: " + "; ".join(r["notes"])
        table.add_row(
            r["source_id"],
            r["last_run"],
            r["status"],
            safe(health),
            str(r["errors"]),
            " ".join(str(n) for n in r["recent_documents_seen"]),
        )
    console.print(table)
