"""What the lead page shows: evidence in its context, facts, features, related leads and
the history. Everything here is data; the template escapes all of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from clue_miner.leads.fact_labels import describe_facts
from clue_miner.leads.facts import lead_facts
from clue_miner.models import Document, Lead, LeadEvidence, Organization, User
from clue_miner.models.users import Role
from clue_miner.nlp.personal_data import speaks_of_minors
from clue_miner.packets.export import lead_texts
from clue_miner.packets.masking import mask_minors, mask_ranges
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


def sees_personal_data(user: User) -> bool:
    """Supervisors and administrators see minors' personal data in clear; analysts see it
    masked, as a packet shows it."""
    return user.role in (Role.SUPERVISOR.value, Role.ADMIN.value)


def evidence_views(
    session: Session, lead: Lead, masked: bool = False, minors: bool = False
) -> list[EvidenceView]:
    """Each evidence quote with up to CONTEXT_CHARS characters of its document around it;
    ``masked``: minors' personal data masked (found in the whole document; ``minors``: the
    lead is a minors' case, every sentence read as about a minor)."""
    views: list[EvidenceView] = []
    texts: dict[int, str] = {}
    for item in lead.evidence:
        doc = session.get_one(Document, item.document_id)
        text = texts.setdefault(doc.id, doc.analysis_text())
        start, end = item.start, min(item.end, item.start + MAX_QUOTE)
        if text[start:end] != item.quote[: end - start]:
            start, end = 0, 0  # the stored quote is authoritative if offsets moved
        if not end:
            before, quote, after = "", item.quote[:MAX_QUOTE], ""
            quote = mask_minors(quote, minors).text if masked else quote
        elif masked:
            before, quote, after = mask_ranges(
                text,
                [(max(0, start - CONTEXT_CHARS), start), (start, end), (end, end + CONTEXT_CHARS)],
                minors,
            )
        else:
            before = text[max(0, start - CONTEXT_CHARS) : start]
            quote, after = item.quote[:MAX_QUOTE], text[end : end + CONTEXT_CHARS]
        views.append(EvidenceView(len(views) + 1, doc, before, quote, after, item.rule_id))
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
    masked = not sees_personal_data(user)
    minors = masked and speaks_of_minors(list(lead_texts(session, lead).values()))
    facts = describe_facts(lead_facts(session, lead))
    if masked:
        facts = [(label, mask_minors(text, minors).text) for label, text in facts]
    return {
        "lead": lead,
        "title": mask_minors(lead.title, minors).text if masked else lead.title,
        "organization": org,
        "facts": facts,
        "evidence": evidence_views(session, lead, masked, minors),
        "related": related_leads(session, lead, user),
        "events": lead.events,
        "reasons": {
            event.id: mask_minors(event.reason, minors).text if masked else event.reason
            for event in lead.events
            if event.reason
        },
        "masked": masked,
    }
