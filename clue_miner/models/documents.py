"""Documents and attachments as fetched, with a pointer to the raw bytes kept as evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clue_miner.models.base import Base, utcnow


class Document(Base):
    """One detail page of a source: its extracted text and the evidence it came from."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("source_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
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
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    analysed_sha256: Mapped[str | None] = mapped_column(String(64))
    analysis_version: Mapped[str | None] = mapped_column(String(40))

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )

    def analysis_text(self) -> str:
        """Title, body and attachment texts joined: what analysis reads and what the
        character offsets of mentions, flags and lead evidence point into."""
        parts = [self.title, self.text, *(a.text for a in self.attachments if a.text)]
        return "\n\n".join(p for p in parts if p)


class Attachment(Base):
    """A file linked from a document (XLSX, PDF …) with its text when we can read it."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("document_id", "url"),)

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

    document: Mapped[Document] = relationship(back_populates="attachments")
