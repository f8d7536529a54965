"""Sources (one per YAML file) and the crawl runs made of them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clue_miner.models.base import Base, utcnow


class Source(Base):
    """A public-record source as declared in ``sources/<id>.yml``."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(300))
    record_type: Mapped[str] = mapped_column(String(40))
    region_adcode: Mapped[str] = mapped_column(String(6))
    region_name: Mapped[str] = mapped_column(String(100))
    config_sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    runs: Mapped[list[CrawlRun]] = relationship(back_populates="source")


class CrawlRun(Base):
    """One crawl of one source; ``batch_id`` groups the crawls of one nightly run."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    batch_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    since: Mapped[date | None]
    pages_fetched: Mapped[int] = mapped_column(default=0)
    list_pages: Mapped[int] = mapped_column(default=0)
    bytes_fetched: Mapped[int] = mapped_column(default=0)
    details_skipped: Mapped[int] = mapped_column(default=0)
    not_modified: Mapped[int] = mapped_column(default=0)
    records_stored: Mapped[int] = mapped_column(default=0)
    documents_new: Mapped[int] = mapped_column(default=0)
    documents_changed: Mapped[int] = mapped_column(default=0)
    documents_unchanged: Mapped[int] = mapped_column(default=0)
    attachments_stored: Mapped[int] = mapped_column(default=0)
    http_errors: Mapped[int] = mapped_column(default=0)
    network_errors: Mapped[int] = mapped_column(default=0)
    parse_errors: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[Any]] = mapped_column(default=list)
    healthy: Mapped[bool | None]
    health_notes: Mapped[list[Any]] = mapped_column(default=list)

    source: Mapped[Source] = relationship(back_populates="runs")

    @property
    def error_count(self) -> int:
        """All failures of this run: HTTP statuses, network faults and unparsable pages."""
        return self.http_errors + self.network_errors + self.parse_errors

    @property
    def documents_seen(self) -> int:
        """Detail pages the listing showed this run, fetched or known to be unchanged."""
        return (
            self.documents_new
            + self.documents_changed
            + self.documents_unchanged
            + self.details_skipped
            + self.not_modified
        )


class NightlyRun(Base):
    """One run of the nightly flow: when it started and ended, how it ended, and its
    summary (counts per source, analysis, joins, leads). A run killed halfway stays
    ``running``; the next one picks up where it stopped."""

    __tablename__ = "nightly_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
