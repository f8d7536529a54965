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
def packet_verify(
    zip_path: Annotated[Path, typer.Argument(help="A packet ZIP or its unpacked folder.")],
) -> None:
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


@packet_app.command("evaluate-masking")
def packet_evaluate_masking(
    corpus: Annotated[
        Path | None,
        typer.Option("--in", help="Labelled sentences (default: the bundled masking corpus)."),
    ] = None,
    show: Annotated[int, typer.Option(help="Print up to this many misses and corruptions.")] = 20,
    context_only: Annotated[
        bool,
        typer.Option(
            "--context-only",
            help="Read each sentence alone, not as part of a minors' case "
            "(as the web masks a document that is not a minors' lead's).",
        ),
    ] = False,
) -> None:
    """Mask the labelled sentences: recall of minors' personal data per kind (goal 100 %)
    and corruption, characters changed outside personal data (goal 0); exit 1 if either
    misses its goal."""
    from clue_miner.nlp.classify.corpus import CorpusError
    from clue_miner.packets.masking_eval import (
        MASKING_CORPUS,
        evaluate_masking,
        read_masking_corpus,
    )

    try:
        report = evaluate_masking(
            read_masking_corpus(corpus or MASKING_CORPUS), minors_case=not context_only
        )
    except (OSError, CorpusError) as exc:
        fail(str(exc))
        return
    mode = "仅凭句内语境 context only" if context_only else "作为未成年人案件材料 as a minors' case"
    console.print(
        f"{safe(str(corpus or MASKING_CORPUS))}: {report.sentences} 句 sentences, "
        f"{sum(report.spans.values())} 处个人信息 spans; {mode}"
    )
    for kind, total in sorted(report.spans.items()):
        masked = report.masked[kind]
        console.print(f"  {kind:14s} {masked:4d}/{total:<4d} recall {masked / total:.3f}")
    console.print(f"召回率 recall {report.recall:.4f} (goal 1.0)")
    console.print(
        f"误改 corruption {report.corrupted}/{report.outside} characters outside personal data "
        f"= {report.corruption:.4f} (goal 0)"
    )
    for sentence_id, kind, clear in report.misses[:show]:
        console.print(f"[red]漏遮 missed[/] {safe(sentence_id)} {kind}: {safe(clear)}")
    for sentence_id, before, after in report.corruptions[:show]:
        console.print(f"[red]误改 corrupted[/] {safe(sentence_id)}: {safe(before)} → {safe(after)}")
    if report.misses or report.corrupted:
        raise typer.Exit(1)
