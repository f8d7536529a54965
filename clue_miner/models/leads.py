"""Leads (线索), their evidence and the append-only trail of triage decisions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from clue_miner.models.base import Base, utcnow


class LeadStatus(enum.StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    HELD = "held"
    MERGED = "merged"


class Lead(Base):
    """One case: a stable key so that nightly reruns update it instead of duplicating it.

    ``version`` is checked on every update (optimistic locking): a change made from a
    stale copy, by an analyst or by the nightly run, fails instead of overwriting."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20), default=LeadStatus.NEW.value, index=True)
    score: Mapped[float] = mapped_column(Float)
    title: Mapped[str] = mapped_column(Text)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    organization_name: Mapped[str | None] = mapped_column(String(300))
    region_adcode: Mapped[str | None] = mapped_column(String(6), index=True)
    region_name: Mapped[str | None] = mapped_column(String(100))
    agency: Mapped[str | None] = mapped_column(String(200))
    procuratorate: Mapped[str | None] = mapped_column(String(200))
    legal_basis: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    assignee: Mapped[str | None] = mapped_column(String(100), index=True)
    features: Mapped[list[Any]] = mapped_column(default=list)
    scorer_version: Mapped[str | None] = mapped_column(String(20))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    evidence: Mapped[list[LeadEvidence]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadEvidence.id"
    )
    events: Mapped[list[TriageEvent]] = relationship(order_by="TriageEvent.id")


class LeadEvidence(Base):
    """A quote in a stored document that supports a lead, by character offsets."""

    __tablename__ = "lead_evidence"
    __table_args__ = (UniqueConstraint("lead_id", "document_id", "start", "end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="SET NULL"))
    rule_id: Mapped[str] = mapped_column(String(40))
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int]
    end: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="evidence")


class TriageEvent(Base):
    """Who changed a lead, when, from what to what and why. Never updated, never deleted."""

    __tablename__ = "triage_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a triage event."""


@event.listens_for(Session, "before_flush")
def _guard_triage_events(session: Session, _context: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TriageEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyError("triage events are append-only")
