"""What the lead page shows: evidence in its context, facts, features, related leads and
the history. Everything here is data; the template escapes all of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from clue_miner.leads.facts import lead_facts
from clue_miner.models import Document, Lead, LeadEvidence, Organization, User
from clue_miner.web.queue import visible_to

CONTEXT_CHARS = 120
MAX_QUOTE = 2000


@dataclass
class EvidenceView:
    number: int
    document: Document
    before: str
    quote: str
    after: str
    rule_id: str


def evidence_views(session: Session, lead: Lead) -> list[EvidenceView]:
    """Each evidence quote with up to CONTEXT_CHARS characters of its document around it."""
    views: list[EvidenceView] = []
    texts: dict[int, str] = {}
    for item in lead.evidence:
        doc = session.get_one(Document, item.document_id)
        text = texts.setdefault(doc.id, doc.analysis_text())
        start, end = item.start, min(item.end, item.start + MAX_QUOTE)
        if text[start:end] != item.quote[: end - start]:
            start, end = 0, 0  # the stored quote is authoritative if offsets moved
        views.append(
            EvidenceView(
                number=len(views) + 1,
                document=doc,
                before=text[max(0, start - CONTEXT_CHARS) : start] if end else "",
                quote=item.quote[:MAX_QUOTE],
                after=text[end : end + CONTEXT_CHARS] if end else "",
                rule_id=item.rule_id,
            )
        )
    return views


def related_leads(session: Session, lead: Lead, user: User) -> list[tuple[Lead, str]]:
    """Other leads about the same organization, or citing the same documents (possible
    duplicates), that the user may see."""
    documents = select(LeadEvidence.document_id).where(LeadEvidence.lead_id == lead.id)
    sharing = select(LeadEvidence.lead_id).where(LeadEvidence.document_id.in_(documents))
    conditions: list[ColumnElement[bool]] = [Lead.id.in_(sharing)]
    if lead.organization_id is not None:
        conditions.append(Lead.organization_id == lead.organization_id)
    query = visible_to(select(Lead), user).where(Lead.id != lead.id, or_(*conditions))
    found = []
    shared = set(session.scalars(sharing))
    for other in session.scalars(query.order_by(Lead.id).limit(20)):
        if other.id in shared and other.category == lead.category:
            why = "可能重复：引用相同文档"
        elif other.organization_id == lead.organization_id and lead.organization_id:
            why = "同一单位"
        else:
            why = "引用相同文档"
        found.append((other, why))
    return found


def lead_context(session: Session, lead: Lead, user: User) -> dict[str, Any]:
    """Everything the lead page template needs."""
    org = session.get(Organization, lead.organization_id) if lead.organization_id else None
    return {
        "lead": lead,
        "organization": org,
        "facts": lead_facts(session, lead),
        "evidence": evidence_views(session, lead),
        "related": related_leads(session, lead, user),
        "events": lead.events,
    }
