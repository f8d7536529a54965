"""What spiders hand to the store pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


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
    listing_fingerprint: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class NotModifiedItem:
    """A conditional request answered 304: the stored version is still current."""

    url: str
    listing_fingerprint: str | None


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
class RecordsItem:
    """The rows of one registry table (an HTML table, or an attachment when ``attachment_url``)."""

    document_url: str
    attachment_url: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CrawlProblem:
    """A failure worth counting on the crawl run: ``kind`` is http, network or parse."""

    kind: str
    url: str
    message: str
