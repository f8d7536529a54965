"""What spiders hand to the store pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class DocumentItem:
    url: str
    title: str
    text: str
    published_date: date | None
    raw_sha256: str
    snapshot_ref: str
    content_type: str
    encoding: str
    attachment_urls: list[str] = field(default_factory=list)


@dataclass
class AttachmentItem:
    document_url: str
    url: str
    filename: str
    content_type: str
    size: int
    raw_sha256: str
    snapshot_ref: str
    text: str | None


@dataclass
class CrawlProblem:
    """A failure worth counting on the crawl run: ``kind`` is http, network or parse."""

    kind: str
    url: str
    message: str
