"""Terminal output: rich tables for people, JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from clue_miner.leads.score_text import score_percent
from clue_miner.text_safety import strip_controls

_plain = Console()
# Piped output (make demo | tee, CI logs) gets a wide table instead of rich's 80 columns.
console = _plain if _plain.is_terminal else Console(width=160)
err_console = Console(stderr=True, soft_wrap=True)  # messages are never cut into lines


def safe(text: object) -> str:
    """Crawled text made safe for a terminal: control characters dropped, markup escaped."""
    return escape(strip_controls(str(text)))


def safe_database_url() -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    from clue_miner.config import database_url

    return make_url(database_url()).render_as_string(hide_password=True)


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8, no rich markup."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def fail(message: str, code: int = 2) -> None:
    """Print a clear error on stderr and exit."""
    import typer

    err_console.print(f"[bold red]错误 / error:[/] {escape(message)}")
    raise typer.Exit(code)


def leads_table(rows: list[dict[str, Any]], title: str = "线索 Leads") -> Table:
    table = Table(title=title, show_lines=False)
    for column in ("id", "category", "organization", "region", "score", "title"):
        table.add_column(column, overflow="fold", no_wrap=column in {"id", "score", "category"})
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["category"],
            safe(row["organization"] or "—"),
            safe(row["region"] or "—"),
            score_percent(row["score"]),
            safe(row["title"]),
        )
    return table


def sources_table(sources: list[dict[str, Any]]) -> Table:
    """Counts per source of one run; ``known`` = listed, stored before, not fetched again."""
    table = Table(title="本次运行各来源计数 Counts per source")
    columns = (
        "source",
        "status",
        "health",
        "pages",
        "new",
        "changed",
        "unchanged",
        "known",
        "attachments",
        "records",
        "errors",
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    for s in sources:
        notes = "; ".join(s["health_notes"])
        health = "ok" if s["healthy"] in (True, None) else f"UNHEALTHY: {notes}"
        counts = (
            "pages_fetched",
            "documents_new",
            "documents_changed",
            "documents_unchanged",
            "details_skipped",
            "attachments",
            "records",
            "errors",
        )
        table.add_row(s["source_id"], s["status"], safe(health), *(str(s[k]) for k in counts))
    return table
