"""Terminal output: rich tables for people, JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

_plain = Console()
# Piped output (make demo | tee, CI logs) gets a wide table instead of rich's 80 columns.
console = _plain if _plain.is_terminal else Console(width=160)
err_console = Console(stderr=True)


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
            escape(row["organization"] or "—"),
            escape(row["region"] or "—"),
            f"{row['score']:.2f}",
            escape(row["title"]),
        )
    return table


def sources_table(sources: list[dict[str, Any]]) -> Table:
    table = Table(title="本次运行各来源计数 Counts per source")
    for column in (
        "source",
        "status",
        "pages",
        "new",
        "changed",
        "unchanged",
        "attachments",
        "errors",
    ):
        table.add_column(column)
    for s in sources:
        table.add_row(
            s["source_id"],
            s["status"],
            str(s["pages_fetched"]),
            str(s["documents_new"]),
            str(s["documents_changed"]),
            str(s["documents_unchanged"]),
            str(s["attachments"]),
            str(s["errors"]),
        )
    return table
