"""Read-side queries the CLI shares (lead rows, document rows)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clue_miner.models import Document, Lead, LeadEvidence


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
        "legal_basis": lead.legal_basis,
        "title": lead.title,
        "first_seen": lead.first_seen.isoformat(),
        "last_seen": lead.last_seen.isoformat(),
    }


def list_leads(session: Session, limit: int | None = None) -> list[dict[str, Any]]:
    """Leads, highest score first."""
    query = select(Lead).order_by(Lead.score.desc(), Lead.id)
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
