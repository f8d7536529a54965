"""Read-side queries the CLI shares (lead rows, document rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clue_miner.models import CrawlRun, Document, Lead, LeadEvidence
from clue_miner.nlp.dictionaries import region_prefix


def lead_row(lead: Lead) -> dict[str, Any]:
    """The public fields of a lead, as printed and as JSON."""
    return {
        "id": lead.id,
        "key": lead.key,
        "category": lead.category,
        "status": lead.status,
        "score": round(lead.score, 4),
        "organization": lead.organization_name,
        "region": lead.region_name,
        "region_adcode": lead.region_adcode,
        "agency": lead.agency,
        "procuratorate": lead.procuratorate,
        "legal_basis": lead.legal_basis,
        "title": lead.title,
        "scorer_version": lead.scorer_version,
        "merged_into": lead.merged_into_id,
        "first_seen": lead.first_seen.isoformat(),
        "last_seen": lead.last_seen.isoformat(),
    }


@dataclass(frozen=True)
class LeadFilter:
    """What ``clues leads list`` narrows the leads to."""

    category: str | None = None
    region: str | None = None  # an adcode: 130000 = the province, 130200 = the city …
    status: str | None = None
    new_since_last_run: bool = False


def last_run_started(session: Session) -> datetime | None:
    """When the latest nightly run (its batch of crawls) began."""
    latest = session.scalar(select(CrawlRun.batch_id).order_by(CrawlRun.id.desc()).limit(1))
    if latest is None:
        return None
    return session.scalar(select(func.min(CrawlRun.started_at)).where(CrawlRun.batch_id == latest))


def list_leads(
    session: Session, limit: int | None = None, where: LeadFilter | None = None
) -> list[dict[str, Any]]:
    """Leads, highest score first, narrowed by ``where``."""
    query = select(Lead).order_by(Lead.score.desc(), Lead.id)
    where = where or LeadFilter()
    if where.category:
        query = query.where(Lead.category == where.category)
    if where.status:
        query = query.where(Lead.status == where.status)
    if where.region:
        query = query.where(Lead.region_adcode.startswith(region_prefix(where.region)))
    if where.new_since_last_run:
        started = last_run_started(session)
        if started is not None:
            query = query.where(Lead.first_seen >= started)
    if limit:
        query = query.limit(limit)
    rows = []
    for lead in session.scalars(query):
        row = lead_row(lead)
        row["evidence_count"] = session.scalar(
            select(func.count()).select_from(LeadEvidence).where(LeadEvidence.lead_id == lead.id)
        )
        rows.append(row)
    return rows


def document_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source_id,
        "url": doc.url,
        "title": doc.title,
        "published_date": doc.published_date.isoformat() if doc.published_date else None,
        "record_type": doc.record_type,
        "version": doc.version,
        "content_sha256": doc.content_sha256,
        "raw_sha256": doc.raw_sha256,
        "snapshot": doc.snapshot_ref,
        "attachments": len(doc.attachments),
        "fetched_at": doc.fetched_at.isoformat(),
    }
