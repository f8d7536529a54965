"""The morning queue: leads a user may see, filtered, searched, sorted and paged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from clue_miner.models import Document, Lead, LeadEvidence, LeadStatus, Role, User
from clue_miner.nlp.dictionaries import region_prefix

PAGE_SIZE = 50
Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class QueueFilter:
    """What the queue narrows the leads to (every field optional)."""

    status: str | None = LeadStatus.NEW.value
    category: str | None = None
    region: str | None = None
    source: str | None = None
    assignee: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None
    sort: str = "new"  # new | score
    page: int = 1


@dataclass
class QueuePage:
    leads: list[Lead]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)


def visible_to(query: Q, user: User) -> Q:
    """Only the leads of the user's region (all of them for an admin or an unbound user)."""
    if user.role == Role.ADMIN.value or user.region_adcode is None:
        return query
    return query.where(Lead.region_adcode.startswith(region_prefix(user.region_adcode)))


def _filtered(query: Q, where: QueueFilter) -> Q:
    if where.category:
        query = query.where(Lead.category == where.category)
    if where.region:
        query = query.where(Lead.region_adcode.startswith(region_prefix(where.region)))
    if where.assignee:
        query = query.where(Lead.assignee == where.assignee)
    if where.since:
        query = query.where(Lead.first_seen >= datetime.combine(where.since, time.min))
    if where.until:
        query = query.where(
            Lead.first_seen < datetime.combine(where.until + timedelta(days=1), time.min)
        )
    if where.source:
        cited = (
            select(LeadEvidence.lead_id)
            .join(Document, Document.id == LeadEvidence.document_id)
            .where(Document.source_id == where.source)
        )
        query = query.where(Lead.id.in_(cited))
    if where.text:
        needle = where.text.strip()[:100]
        quoted = select(LeadEvidence.lead_id).where(
            LeadEvidence.quote.contains(needle, autoescape=True)
        )
        query = query.where(
            or_(
                Lead.title.contains(needle, autoescape=True),
                Lead.organization_name.contains(needle, autoescape=True),
                Lead.id.in_(quoted),
            )
        )
    return query


def queue_page(session: Session, user: User, where: QueueFilter) -> QueuePage:
    """One page of the queue and the counts per status under the same filters."""
    base = _filtered(visible_to(select(Lead), user), where)
    counted = _filtered(visible_to(select(Lead.status, func.count()), user), where)
    counts = {status: n for status, n in session.execute(counted.group_by(Lead.status))}
    if where.status:
        base = base.where(Lead.status == where.status)
    total = counts.get(where.status, 0) if where.status else sum(counts.values())
    order = (
        (Lead.score.desc(), Lead.first_seen.desc(), Lead.id.desc())
        if where.sort == "score"
        else (Lead.first_seen.desc(), Lead.score.desc(), Lead.id.desc())
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, where.page), pages)
    leads = session.scalars(
        base.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return QueuePage(list(leads), total, page, pages, counts)
