"""Reading crawl runs back: summaries for people and the ``since`` of the next night."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.models import CrawlRun

SINCE_MARGIN = timedelta(days=2)


def run_summary(run: CrawlRun) -> dict[str, Any]:
    """The counts of one crawl run, as printed and as JSON."""
    return {
        "source_id": run.source_id,
        "crawl_run_id": run.id,
        "status": run.status,
        "healthy": run.healthy,
        "health_notes": list(run.health_notes),
        "since": run.since.isoformat() if run.since else None,
        "pages_fetched": run.pages_fetched,
        "list_pages": run.list_pages,
        "documents_new": run.documents_new,
        "documents_changed": run.documents_changed,
        "documents_unchanged": run.documents_unchanged + run.not_modified,
        "details_skipped": run.details_skipped,
        "attachments": run.attachments_stored,
        "records": run.records_stored,
        "errors": run.error_count,
        "bytes_fetched": run.bytes_fetched,
    }


def failed_start_summary(source_id: str, message: str) -> dict[str, Any]:
    """The summary of a crawl whose process never opened a run (it crashed on start)."""
    return {
        "source_id": source_id,
        "crawl_run_id": None,
        "status": "failed",
        "healthy": False,
        "health_notes": [f"crawl did not start: {message}"],
        "since": None,
        "pages_fetched": 0,
        "list_pages": 0,
        "documents_new": 0,
        "documents_changed": 0,
        "documents_unchanged": 0,
        "details_skipped": 0,
        "attachments": 0,
        "records": 0,
        "errors": 1,
        "bytes_fetched": 0,
    }


def nightly_since(session: Session, source_id: str) -> date | None:
    """Where tonight's paging may stop: two days before the last successful crawl started
    (None when the source never had one, so the first night crawls everything)."""
    started = session.scalar(
        select(CrawlRun.started_at)
        .where(CrawlRun.source_id == source_id, CrawlRun.status == "ok")
        .order_by(CrawlRun.id.desc())
        .limit(1)
    )
    return (started - SINCE_MARGIN).date() if started else None
