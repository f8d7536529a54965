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
