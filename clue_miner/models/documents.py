"""Documents and attachments as fetched, with a pointer to the raw bytes kept as evidence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clue_miner.models.base import Base, utcnow


class Document(Base):
    """One version of a detail page: its extracted text and the evidence it came from.

    A page that changes gets a new row with ``version + 1``; the old row gets
    ``superseded_at`` and is never overwritten, so evidence cited from it stays valid.
    """

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("source_id", "url", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    version: Mapped[int] = mapped_column(default=1)
    superseded_at: Mapped[datetime | None]
    title: Mapped[str] = mapped_column(String(500))
    published_date: Mapped[date | None]
    text: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    snapshot_ref: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100), default="text/html")
    encoding: Mapped[str] = mapped_column(String(40), default="utf-8")
    record_type: Mapped[str] = mapped_column(String(40))
    region_adcode: Mapped[str] = mapped_column(String(6))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    listing_fingerprint: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    analysed_sha256: Mapped[str | None] = mapped_column(String(64))
    analysis_version: Mapped[str | None] = mapped_column(String(40))

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    def analysis_text(self) -> str:
        """Title, body and attachment texts joined: what analysis reads and what the
        character offsets of mentions, flags and lead evidence point into."""
        current = [a for a in self.attachments if a.superseded_at is None]
        parts = [self.title, self.text, *(a.text for a in current if a.text)]
        return "\n\n".join(p for p in parts if p)


class Attachment(Base):
    """A file linked from a document (XLSX, PDF …) with its text when we can read it.

    A file that changes under an unchanged page gets a new row; the old one is superseded.
    """

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("document_id", "url", "raw_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    raw_sha256: Mapped[str] = mapped_column(String(64))
    snapshot_ref: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None]

    document: Mapped[Document] = relationship(back_populates="attachments")


class Record(Base):
    """One structured row of a registry (a permit, an enterprise filing) with its fields
    mapped by the source's ``table.columns`` and the cells as published."""

    __tablename__ = "records"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE")
    )
    record_type: Mapped[str] = mapped_column(String(40))
    row_number: Mapped[int]
    key: Mapped[str | None] = mapped_column(String(200), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    cells: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentFingerprint(Base):
    """A document's 64-bit simhash, split into four 16-bit bands for blocking: two texts
    within 3 bits of each other share at least one band. A repost of an earlier document
    points at it."""

    __tablename__ = "document_fingerprints"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    simhash: Mapped[int] = mapped_column(BigInteger)
    band0: Mapped[int] = mapped_column(index=True)
    band1: Mapped[int] = mapped_column(index=True)
    band2: Mapped[int] = mapped_column(index=True)
    band3: Mapped[int] = mapped_column(index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    distance: Mapped[int | None]
