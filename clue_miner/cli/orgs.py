"""``clues orgs …``: organizations, and the matches an analyst must decide."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from clue_miner.cli.output import console, fail, print_json, safe
from clue_miner.db import init_db, session_scope
from clue_miner.models import Organization

orgs_app = typer.Typer(help="Organizations (单位) and uncertain matches.", no_args_is_help=True)


@orgs_app.command("review")
def orgs_review(
    accept: Annotated[
        int | None, typer.Option(help="Accept this match: the name is that organization.")
    ] = None,
    reject: Annotated[
        int | None, typer.Option(help="Reject this match: the name is someone else.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--as", help="Who decides (required with --accept/--reject).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List names that may be a known organization, with the features behind each score;
    or decide one. Nothing is merged until someone accepts it."""
    from clue_miner.leads.org_review import ReviewError, decide_match, pending_matches

    init_db()
    if accept is not None or reject is not None:
        if accept is not None and reject is not None:
            fail("give --accept or --reject, not both")
        if not actor:
            fail("say who decides: --as NAME")
        with session_scope() as session:
            try:
                match = decide_match(
                    session, accept or reject or 0, accept is not None, actor or ""
                )
            except ReviewError as exc:
                fail(str(exc))
                return
            candidate = session.get_one(Organization, match.candidate_id)
            console.print(
                f"匹配 {match.id}: 「{safe(match.name)}」 {'=' if accept else '≠'} "
                f"{safe(candidate.name)} ({match.status}, {safe(actor)})"
            )
        return
    with session_scope() as session:
        rows: list[dict[str, Any]] = []
        for match in pending_matches(session):
            candidate = session.get_one(Organization, match.candidate_id)
            rows.append(
                {
                    "id": match.id,
                    "name": match.name,
                    "context_adcode": match.context_adcode,
                    "document_id": match.document_id,
                    "candidate_id": candidate.id,
                    "candidate": candidate.name,
                    "candidate_uscc": candidate.uscc,
                    "candidate_region": candidate.region_adcode,
                    "kept_apart_id": match.kept_apart_id,
                    "score": match.score,
                    "features": match.features,
                }
            )
    if as_json:
        print_json(rows)
        return
    table = Table(title="待核对的单位匹配 Organization matches to review")
    for column in ("id", "名称 name (地区)", "候选 candidate", "score", "features"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            f"{safe(row['name'])} ({row['context_adcode'] or '—'}, doc {row['document_id']})",
            f"#{row['candidate_id']} {safe(row['candidate'])} {row['candidate_uscc'] or ''}",
            f"{row['score']:.2f}",
            " + ".join(f"{f['name']}({f['weight']:+g})" for f in row["features"]),
        )
    console.print(table)
    console.print(
        f"{len(rows)} 条待核对 pending. 确认 accept: clues orgs review --accept ID --as NAME; "
        "否定 reject: clues orgs review --reject ID --as NAME"
    )
