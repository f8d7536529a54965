"""Is a source still working? Checked after every crawl, against its YAML assertions and
its own recent history (spidermon-style health checks, kept on the CrawlRun)."""

from __future__ import annotations

from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.crawlers.sources import Assertions
from clue_miner.models import CrawlRun

HISTORY_RUNS = 5


def recent_yields(session: Session, run: CrawlRun) -> list[int]:
    """Documents seen by the last finished runs of the same source and the same kind
    (full crawls are compared with full crawls, ``since`` crawls with ``since`` crawls)."""
    query = (
        select(CrawlRun)
        .where(
            CrawlRun.source_id == run.source_id,
            CrawlRun.id != run.id,
            CrawlRun.finished_at.is_not(None),
            CrawlRun.since.is_(None) if run.since is None else CrawlRun.since.is_not(None),
        )
        .order_by(CrawlRun.id.desc())
        .limit(HISTORY_RUNS)
    )
    return [r.documents_seen for r in session.scalars(query)]


def assess_health(
    session: Session, run: CrawlRun, assertions: Assertions
) -> tuple[bool, list[str]]:
    """Whether the run looks healthy, and why not (notes in plain words)."""
    notes: list[str] = []
    seen = run.documents_seen
    if seen == 0:
        notes.append("yielded no documents")
    history = recent_yields(session, run)
    if history and seen < median(history) / 2:
        notes.append(f"yielded {seen} documents, under half the recent median {median(history):g}")
    full_crawl = run.since is None  # a `since` crawl stops early by design
    if full_crawl and assertions.min_documents is not None and seen < assertions.min_documents:
        notes.append(f"assertion min_documents={assertions.min_documents} broken: {seen}")
    requests = run.pages_fetched + run.network_errors
    if assertions.max_error_rate is not None and requests:
        rate = run.error_count / requests
        if rate > assertions.max_error_rate:
            notes.append(
                f"assertion max_error_rate={assertions.max_error_rate:g} broken: {rate:.2f}"
            )
    return not notes, notes
