"""Permits from registry rows: who is licensed for which chemicals, until when."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.crawlers.html_text import find_date
from clue_miner.leads.org_matching import resolve_organization
from clue_miner.models import Attachment, Document, Permit, Record, Source
from clue_miner.nlp.extractors.chemicals import extract_chemicals
from clue_miner.nlp.extractors.identifiers import uscc_status

PERMIT_RECORD_TYPES = ("permit_registry", "permit_announcement")
HAZMAT_PERMIT = "危险化学品经营许可证"


def licensed_chemicals(scope: str) -> list[str]:
    """Chemicals a scope text names ("乙醇、甲苯、丙酮（仅限工业用途）" → 乙醇, 甲苯, 丙酮)."""
    return sorted({m.value for m in extract_chemicals(scope)})


def _date(text: str | None) -> date | None:
    return find_date(text) if text else None


def build_permits(session: Session) -> int:
    """Turn every permit record of a current document that has no Permit yet into one."""
    done = select(Permit.record_id)
    rows = session.execute(
        select(Record, Document, Source)
        .join(Document, Record.document_id == Document.id)
        .join(Source, Record.source_id == Source.id)
        .outerjoin(Attachment, Record.attachment_id == Attachment.id)
        .where(
            Record.record_type.in_(PERMIT_RECORD_TYPES),
            Record.id.not_in(done),
            Document.superseded_at.is_(None),
            Attachment.superseded_at.is_(None),
        )
        .order_by(Record.id)
    ).all()
    made = 0
    for record, doc, source in rows:
        fields = record.fields
        holder = str(fields.get("org_name") or "").strip()
        if not holder:
            continue
        uscc = str(fields.get("uscc") or "").strip().upper() or None
        if uscc and uscc_status(uscc) != "valid":
            uscc = None
        scope = str(fields.get("scope") or "")
        org = resolve_organization(session, holder, uscc, doc.region_adcode, doc.id)
        session.add(
            Permit(
                record_id=record.id,
                document_id=doc.id,
                organization_id=org.id,
                holder_name=holder[:300],
                uscc=uscc,
                permit_no=str(fields.get("permit_no") or "")[:100] or None,
                permit_type=HAZMAT_PERMIT,
                scope_text=scope,
                chemicals=licensed_chemicals(scope),
                mode=fields.get("mode"),
                storage_site=str(fields.get("storage_site") or "")[:300] or None,
                change_type=fields.get("change_type"),
                valid_until=_date(fields.get("valid_until")),
                issuer=source.publisher,
                published=doc.published_date,
            )
        )
        made += 1
    session.flush()
    return made
