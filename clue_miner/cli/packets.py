"""``clues packet …``: lead packets for case officers, and checking one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from clue_miner.cli.output import console, fail, safe
from clue_miner.db import init_db, session_scope
from clue_miner.models import Lead

packet_app = typer.Typer(help="Lead packets (线索材料包).", no_args_is_help=True)


@packet_app.command("export")
def packet_export(
    lead_id: Annotated[int | None, typer.Argument(help="Lead id (or use --status).")] = None,
    actor: Annotated[str, typer.Option("--as", help="The account exporting.")] = "",
    out: Annotated[Path, typer.Option("--out", help="Folder to write the ZIP(s) to.")] = Path(
        "packets"
    ),
    status: Annotated[
        str | None, typer.Option(help="Export every lead in this status (e.g. accepted).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="With --status: put in that status on or after YYYY-MM-DD.")
    ] = None,
    include_unmasked_evidence: Annotated[
        bool,
        typer.Option(
            "--include-unmasked-evidence",
            help="Include raw snapshots holding minors' personal data (supervisors; logged).",
        ),
    ] = False,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Export a lead that is not accepted yet, marked 草稿 (supervisors; logged).",
        ),
    ] = False,
) -> None:
    """Write one ZIP per lead: 线索报告.docx, evidence/ as fetched, manifest.json. Only
    accepted leads export; a lead exported before gets a new version (XS…-v2.zip)."""
    from clue_miner.packets.export import ExportError, export_batch, export_packet
    from clue_miner.triage.accounts import AccountError, user_named

    if not actor:
        fail("say who exports: --as NAME (clues users add)")
    if (lead_id is None) == (status is None):
        fail("give a lead id or --status (with optional --since), not both")
    try:
        cutoff = date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since must be YYYY-MM-DD, not {since!r}")
        return
    init_db()
    with session_scope() as session:
        try:
            user = user_named(session, actor)
            if lead_id is not None:
                lead = session.get(Lead, lead_id)
                if lead is None:
                    fail(f"no lead with id {lead_id}")
                    return
                path = export_packet(session, lead, user, out, include_unmasked_evidence, draft)
                console.print(f"线索材料包 packet → {safe(path)}")
                return
            paths, summary = export_batch(
                session, user, out, status or "accepted", cutoff, include_unmasked_evidence, draft
            )
        except (AccountError, ExportError) as exc:
            fail(str(exc))
            return
    for path in paths:
        console.print(f"线索材料包 packet → {safe(path)}")
    console.print(f"{len(paths)} 个材料包 packets; 汇总表 summary → {safe(summary)}")


@packet_app.command("verify")
def packet_verify(zip_path: Annotated[Path, typer.Argument(help="A packet ZIP.")]) -> None:
    """Re-hash every file against manifest.json; exit 1 naming each missing, added or
    altered file."""
    from clue_miner.packets.manifest import PacketError, verify_packet

    try:
        result, manifest = verify_packet(zip_path)
    except PacketError as exc:
        fail(str(exc))
        return
    for name in result.missing:
        console.print(f"[red]缺失 missing[/]: {safe(name)}")
    for name in result.added:
        console.print(f"[red]多出 added[/]: {safe(name)}")
    for name in result.altered:
        console.print(f"[red]被改动 altered[/]: {safe(name)}")
    about = (
        f"{manifest.get('lead_number')} exported by {manifest.get('exported_by')} "
        f"at {manifest.get('exported_at')} ({manifest.get('generator')})"
    )
    if not result.ok:
        console.print(f"[bold red]校验失败 FAILED[/]: {safe(about)}")
        raise typer.Exit(1)
    console.print(f"校验通过 OK: {result.checked} files match manifest.json; {safe(about)}")
