"""``clues docs …``, ``clues leads …`` and ``clues db …``: read the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select

from clue_miner.cli.output import console, fail, print_json, safe
from clue_miner.cli.queries import document_row, lead_row, list_leads
from clue_miner.db import init_db, session_scope
from clue_miner.leads.facts import lead_facts
from clue_miner.models import Attachment, Document, Lead
from clue_miner.triage.labels import CATEGORY_LABELS

docs_app = typer.Typer(help="Stored documents.", no_args_is_help=True)
leads_app = typer.Typer(help="Leads (线索).", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _print_documents(rows: list[dict[str, Any]], title: str, last: str, as_json: bool) -> None:
    """Document rows as JSON, or as a table whose last column is ``last``."""
    if as_json:
        print_json(rows)
        return
    table = Table(title=title)
    for column in ("id", "source", "date", "title", last):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]), r["source"], r["published_date"] or "—", safe(r["title"]), safe(r[last])
        )
    console.print(table)


@docs_app.command("list")
def docs_list(
    source: Annotated[str | None, typer.Option("--source", help="Only this source id.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (0 = all).")] = 0,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Also list superseded versions.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List stored documents (their current versions), newest first."""
    init_db()
    with session_scope() as session:
        query = select(Document).order_by(Document.published_date.desc(), Document.id)
        if not all_versions:
            query = query.where(Document.superseded_at.is_(None))
        if source:
            query = query.where(Document.source_id == source)
        if limit:
            query = query.limit(limit)
        rows = [document_row(d) for d in session.scalars(query)]
    _print_documents(rows, f"文档 Documents ({len(rows)})", "attachments", as_json)


@docs_app.command("search")
def docs_search(
    text: Annotated[str, typer.Argument(help="Words to find in titles, texts and attachments.")],
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Find current documents whose title, text or attachment text contains TEXT."""
    init_db()
    pattern = f"%{text}%"
    with session_scope() as session:
        in_attachment = select(Attachment.document_id).where(
            Attachment.text.like(pattern), Attachment.superseded_at.is_(None)
        )
        query = (
            select(Document)
            .where(Document.superseded_at.is_(None))
            .where(
                Document.title.like(pattern)
                | Document.text.like(pattern)
                | Document.id.in_(in_attachment)
            )
            .order_by(Document.published_date.desc(), Document.id)
            .limit(limit)
        )
        rows = []
        for doc in session.scalars(query):
            row = document_row(doc)
            haystack = doc.analysis_text()
            at = haystack.find(text)
            row["excerpt"] = haystack[max(0, at - 30) : at + len(text) + 30] if at >= 0 else ""
            rows.append(row)
    _print_documents(rows, f"检索 “{safe(text)}” ({len(rows)})", "excerpt", as_json)


@leads_app.command("list")
def leads_list(
    category: Annotated[
        str | None, typer.Option(help=f"A category: {' or '.join(CATEGORY_LABELS)}.")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="An adcode: 130000 (province), 130200 (city) …")
    ] = None,
    status: Annotated[str | None, typer.Option(help="new, accepted, dismissed or held.")] = None,
    new_since_last_run: Annotated[
        bool, typer.Option("--new-since-last-run", help="Only leads first seen in the last run.")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many (0 = all).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List leads, highest score first."""
    from clue_miner.cli.output import leads_table
    from clue_miner.cli.queries import LeadFilter

    init_db()
    where = LeadFilter(category, region, status, new_since_last_run)
    with session_scope() as session:
        rows = list_leads(session, limit or None, where)
    if as_json:
        print_json(rows)
    else:
        console.print(leads_table(rows))


@leads_app.command("show")
def leads_show(
    lead_id: Annotated[int, typer.Argument(help="Lead id.")], as_json: JsonOpt = False
) -> None:
    """Show one lead: its facts, features, evidence quotes and their sources."""
    init_db()
    with session_scope() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            fail(f"no lead with id {lead_id}")
            return
        data = lead_row(lead)
        data["features"] = lead.features
        data["facts"] = lead_facts(session, lead)
        data["evidence"] = []
        for ev in lead.evidence:
            doc = session.get_one(Document, ev.document_id)
            data["evidence"].append(
                {
                    "document_id": doc.id,
                    "url": doc.url,
                    "source": doc.source_id,
                    "document_title": doc.title,
                    "rule_id": ev.rule_id,
                    "quote": ev.quote,
                    "start": ev.start,
                    "end": ev.end,
                    "snapshot": doc.snapshot_ref,
                }
            )
        data["history"] = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "reason": e.reason,
            }
            for e in lead.events
        ]
    if as_json:
        print_json(data)
        return
    console.rule(f"线索 #{data['id']} · {safe(data['title'])}")
    for label, key in [
        ("类别 category", "category"),
        ("状态 status", "status"),
        ("评分 score", "score"),
        ("主体 organization", "organization"),
        ("地区 region", "region"),
        ("被监督行政机关 agency", "agency"),
        ("受理检察院 procuratorate", "procuratorate"),
        ("法律依据 legal basis", "legal_basis"),
        ("首次发现 first seen", "first_seen"),
        ("最近发现 last seen", "last_seen"),
    ]:
        console.print(f"[bold]{label}[/]: {safe(str(data[key]))}")
    console.print(
        "[bold]特征 features[/]: "
        + "，".join(f"{f['name']} ({f['weight']})" for f in data["features"])
        + f"  [dim]scorer {data['scorer_version']}[/]"
    )
    console.print("[bold]事实 facts[/]:" + ("" if data["facts"] else " —"))
    for name, value in data["facts"].items():
        console.print(f"  {name}: {safe(value)}")
    console.print("[bold]证据 evidence[/]:")
    seen_quotes: set[str] = set()
    for n, ev in enumerate(data["evidence"], start=1):
        if ev["quote"] in seen_quotes:
            continue
        seen_quotes.add(ev["quote"])
        console.print(
            f"  [{n}] 「{safe(ev['quote'])}」\n      — {safe(ev['document_title'])} "
            f"{ev['url']} (doc {ev['document_id']}, {ev['start']}-{ev['end']})"
        )
    console.print("[bold]经过 history[/]:" + ("" if data["history"] else " —"))
    for event in data["history"]:
        console.print(
            f"  {event['at']} {safe(event['actor'])} {event['action']} "
            f"{event['from']} → {event['to']} {safe(event['reason'] or '')}"
        )


@leads_app.command("decide")
def leads_decide(
    lead_id: Annotated[int, typer.Argument(help="Lead id.")],
    action: Annotated[str, typer.Argument(help="accept, dismiss, hold or reopen.")],
    actor: Annotated[str, typer.Option("--as", help="The account deciding (clues users add).")],
    reason: Annotated[
        str | None,
        typer.Option(help="Why; a dismissal needs 误报, 证据不足, 不属于公益诉讼范围 or 重复线索."),
    ] = None,
) -> None:
    """Decide a lead from a script, exactly as the web app does (a triage event records it)."""
    from clue_miner.triage.accounts import AccountError, user_named
    from clue_miner.triage.decisions import STATUS_ACTIONS, Decision, DecisionError, decide

    if action not in STATUS_ACTIONS:
        fail(f"action must be one of {', '.join(STATUS_ACTIONS)}")
    init_db()
    with session_scope() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            fail(f"no lead with id {lead_id}")
            return
        try:
            user = user_named(session, actor)
            event = decide(session, lead, user, Decision(action, reason))
        except (AccountError, DecisionError) as exc:
            fail(str(exc))
            return
        console.print(
            f"线索 #{lead.id}: {event.from_status} → {event.to_status} "
            f"({safe(event.actor)}, {event.at:%Y-%m-%d %H:%M})"
        )


def snapshot(
    doc_id: Annotated[int, typer.Argument(help="Document id (see clues docs list).")],
    out: Annotated[Path, typer.Option("--out", help="File to write the bytes to.")],
    attachment: Annotated[
        int | None, typer.Option(help="Write this attachment of the document instead.")
    ] = None,
) -> None:
    """Write the exact bytes that were fetched for a document (or one of its attachments)."""
    from clue_miner.crawlers.evidence import EvidenceError, read_response

    init_db()
    with session_scope() as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            fail(f"no document with id {doc_id}")
            return
        ref, expected = doc.snapshot_ref, doc.raw_sha256
        if attachment is not None:
            att = session.get(Attachment, attachment)
            if att is None or att.document_id != doc_id:
                fail(f"document {doc_id} has no attachment {attachment}")
                return
            ref, expected = att.snapshot_ref, att.raw_sha256
    try:
        stored = read_response(ref)
    except EvidenceError as exc:
        fail(str(exc))
        return
    if stored.sha256 != expected:
        fail(f"evidence for {ref} does not match its SHA-256 {expected}: the store was altered")
    out.write_bytes(stored.body)
    console.print(
        f"{len(stored.body)} bytes, SHA-256 {stored.sha256}, HTTP {stored.status}, "
        f"fetched from {safe(stored.url)} → {out}"
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database (CLUES_DATABASE_URL) to the newest migration."""
    from clue_miner.cli.output import safe_database_url

    init_db()
    console.print(f"数据库已是最新 database at head: {safe_database_url()}")
