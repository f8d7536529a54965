"""The ``clues`` command: a thin layer over the stages (see ``clues --help``)."""

from __future__ import annotations

import typer

from clue_miner.cli import nlp_commands, ops, orgs, packets, records, runs, sample, sources, users

app = typer.Typer(
    help="clue-miner: finds public-interest-litigation leads (公益诉讼线索) in public records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
runs.register(app)
nlp_commands.register(app)
app.add_typer(records.docs_app, name="docs")
app.add_typer(records.leads_app, name="leads")
app.add_typer(orgs.orgs_app, name="orgs")
app.add_typer(sample.sample_app, name="sample")
app.add_typer(records.db_app, name="db")
app.add_typer(sources.sources_app, name="sources")
app.add_typer(users.users_app, name="users")
app.add_typer(packets.packet_app, name="packet")
app.command()(records.snapshot)
app.command()(users.web)
app.command()(ops.backup)
app.command()(ops.restore)
app.command()(ops.runs)
app.command()(ops.schedule)


DATABASE_UNUSABLE_EXIT = 4


def main() -> None:
    """The ``clues`` command. A database that cannot be reached or opened, or a URL that is
    not one, ends the command with one clear line (exit code 4), not a traceback."""
    import sys

    from rich.markup import escape
    from sqlalchemy.exc import ArgumentError, OperationalError

    from clue_miner.cli.output import err_console, safe_database_url
    from clue_miner.config import var_dir

    try:
        var_dir()  # the state folder (CLUES_VAR), where the default store lives, exists
        app()
        return
    except ArgumentError as exc:
        message = (
            f"CLUES_DATABASE_URL 不是有效的数据库地址 is not a database URL ({exc}); expected "
            "sqlite:///path/to/clues.db or postgresql+psycopg://user@host:5432/db"
        )
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        message = f"数据库无法使用 cannot use the database {safe_database_url()}: {reason}"
    err_console.print(f"[bold red]错误 / error:[/] {escape(message)}")
    sys.exit(DATABASE_UNUSABLE_EXIT)
