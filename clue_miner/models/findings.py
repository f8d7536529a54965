"""What analysis finds in documents: organizations, typed mentions and flags."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clue_miner.models.base import Base, utcnow


class Organization(Base):
    """A company or other body, keyed by its credit code when known, else by its name.
    One merged into another (after review) points at it and is no longer matched."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    normalized_name: Mapped[str] = mapped_column(String(300), index=True)
    core_name: Mapped[str] = mapped_column(String(300), index=True, server_default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    region_adcode: Mapped[str | None] = mapped_column(String(6))
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganizationMatch(Base):
    """A name that may or may not be a known organization: the matcher's score and named
    features, kept for an analyst (``clues orgs review``) instead of merging silently.

    An accepted match makes the name (in that region) mean the candidate from then on; an
    organization created for the name meanwhile (``kept_apart_id``) is merged into it."""

    __tablename__ = "organization_matches"
    __table_args__ = (UniqueConstraint("name_key", "context_adcode", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    context_adcode: Mapped[str] = mapped_column(String(6), default="")
    candidate_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    kept_apart_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mention(Base):
    """A typed fact extracted from a document's text, with character offsets into it."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_type_value", "type", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(String(500))
    value: Mapped[str] = mapped_column(String(500))
    start: Mapped[int]
    end: Mapped[int]
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Flag(Base):
    """A rule that fired on a document: category, score, named features and evidence spans."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(40), index=True)
    rule_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    title: Mapped[str] = mapped_column(Text)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    organization_name: Mapped[str | None] = mapped_column(String(300))
    agency: Mapped[str | None] = mapped_column(String(200))
    region_adcode: Mapped[str | None] = mapped_column(String(6))
    region_name: Mapped[str | None] = mapped_column(String(100))
    legal_basis: Mapped[str | None] = mapped_column(Text)
    lead_key: Mapped[str] = mapped_column(String(300), index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    features: Mapped[list[Any]] = mapped_column(default=list)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Permit(Base):
    """A licence as a registry or an announcement publishes it: who holds it, for which
    chemicals (parsed from the scope text), valid until when, and the record it came from."""

    __tablename__ = "permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), unique=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(300))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    permit_no: Mapped[str | None] = mapped_column(String(100), index=True)
    permit_type: Mapped[str] = mapped_column(String(100))
    scope_text: Mapped[str] = mapped_column(Text)
    chemicals: Mapped[list[Any]] = mapped_column(default=list)
    mode: Mapped[str | None] = mapped_column(String(100))
    storage_site: Mapped[str | None] = mapped_column(String(300))
    change_type: Mapped[str | None] = mapped_column(String(40))
    valid_until: Mapped[date | None]
    issuer: Mapped[str] = mapped_column(String(300))
    published: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
