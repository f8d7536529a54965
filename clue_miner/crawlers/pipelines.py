"""The store pipeline: spider items become Documents, Attachments and Records, counted on
a CrawlRun. Items are written in batches of ``BATCH_SIZE``: a crash loses at most one batch
of fetched pages (they are fetched again the next night), never what was committed.

A page whose content changed becomes a new document version; the old row is kept and
marked superseded, never overwritten.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from clue_miner.config import database_url as default_database_url
from clue_miner.crawlers.health import assess_health
from clue_miner.crawlers.items import (
    AttachmentItem,
    CrawlProblem,
    DocumentItem,
    NotModifiedItem,
    RecordsItem,
)
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db.engine import get_engine, init_db
from clue_miner.models import Attachment, CrawlRun, Document, Record, Source

MAX_LOGGED_ERRORS = 200
BATCH_SIZE = 50  # items per transaction: a crash loses at most this many fetched pages


@dataclass
class RunTally:
    """Counters of a crawl run, added to its row with each batch of stored items."""

    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    not_modified: int = 0
    attachments_stored: int = 0
    records_stored: int = 0
    http_errors: int = 0
    network_errors: int = 0
    parse_errors: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def add_to(self, run: CrawlRun) -> None:
        """Add these counts to ``run`` and start again from zero."""
        for name in COUNTERS:
            setattr(run, name, getattr(run, name) + getattr(self, name))
            setattr(self, name, 0)
        if self.errors:
            run.errors = [*run.errors, *self.errors][:MAX_LOGGED_ERRORS]
            self.errors = []


COUNTERS = [f.name for f in fields(RunTally) if f.name != "errors"]


def text_sha256(title: str, text: str) -> str:
    """The content hash of a document: what changes when its title or text change."""
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def upsert_source(session: Session, config: SourceConfig) -> Source:
    """Create or refresh the Source row of a config.

    Two crawl processes of one source (a shared frontier) open at the same moment, so the
    row is inserted with ON CONFLICT DO NOTHING: the loser of that race updates the row
    the winner inserted instead of failing on the primary key.
    """
    fields = {
        "name": config.name,
        "publisher": config.publisher,
        "record_type": config.record_type,
        "region_adcode": config.region.adcode,
        "region_name": config.region.name,
        "config_sha256": config.sha256,
    }
    source = session.get(Source, config.id)
    if source is None:
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
        session.execute(insert(Source).values(id=config.id, **fields).on_conflict_do_nothing())
        source = session.get_one(Source, config.id)
    for name, value in fields.items():
        setattr(source, name, value)
    return source


class CurrentDocuments:
    """The newest version of each document a batch of items touches, read with one query
    for the whole batch rather than one per item."""

    def __init__(self, session: Session, config: SourceConfig, items: list[Any]) -> None:
        self.session, self.config = session, config
        self.known: dict[str, Document | None] = {}
        urls = {
            getattr(item, "url", None)
            if isinstance(item, DocumentItem | NotModifiedItem)
            else getattr(item, "document_url", None)
            for item in items
        }
        self._read({config.canonical_url(u) for u in urls if u})

    def _read(self, urls: set[str]) -> None:
        self.known.update(dict.fromkeys(urls))
        if not urls:
            return
        for doc in self.session.scalars(
            select(Document).where(
                Document.source_id == self.config.id,
                Document.url.in_(urls),
                Document.superseded_at.is_(None),
            )
        ):
            self.known[doc.url] = doc

    def get(self, url: str) -> Document | None:
        """The newest version of the document at ``url`` (canonical), or None."""
        if url not in self.known:
            self._read({url})
        return self.known[url]

    def replace(self, url: str, doc: Document) -> None:
        self.known[url] = doc


class StorePipeline:
    def __init__(self, crawler: Crawler, database_url: str, batch_id: str) -> None:
        init_db(database_url)
        self.crawler = crawler
        self.factory = sessionmaker(bind=get_engine(database_url), expire_on_commit=False)
        self.batch_id = batch_id
        self.run_id: int | None = None
        self.tally = RunTally()
        self.buffer: list[Any] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(
            crawler,
            settings.get("CLUES_DATABASE_URL") or default_database_url(),
            settings.get("CLUES_BATCH_ID") or uuid.uuid4().hex,
        )

    @property
    def config(self) -> SourceConfig:
        spider: Any = self.crawler.spider
        return spider.config  # type: ignore[no-any-return]

    def open_spider(self) -> None:
        with self.factory.begin() as session:
            upsert_source(session, self.config)
            run = CrawlRun(
                source_id=self.config.id,
                batch_id=self.batch_id,
                errors=[],
                health_notes=[],
                since=self.config.since,
            )
            session.add(run)
            session.flush()
            self.run_id = run.id
        spider: Any = self.crawler.spider
        spider.crawl_run_id = self.run_id

    def process_item(self, item: Any) -> Any:
        self.buffer.append(item)
        if len(self.buffer) >= BATCH_SIZE:
            self._write_buffer()
        return item

    def _write_buffer(self) -> None:
        """Store the buffered items and the run's counters in one transaction; if the
        database refuses it, store them one by one so only the bad item is lost (and
        counted)."""
        items, self.buffer = self.buffer, []
        saved = copy.deepcopy(self.tally)
        try:
            with self.factory.begin() as session:
                current = CurrentDocuments(session, self.config, items)
                for item in items:
                    self._store(session, current, item)
                self.tally.add_to(session.get_one(CrawlRun, self.run_id))
            return
        except SQLAlchemyError:
            self.tally = saved
        for item in items:
            try:
                with self.factory.begin() as session:
                    self._store(session, CurrentDocuments(session, self.config, [item]), item)
            except SQLAlchemyError as exc:
                url = str(getattr(item, "url", None) or getattr(item, "document_url", "?"))
                problem = CrawlProblem("parse", url, f"not stored: {type(exc).__name__}: {exc}")
                self._count_problem(self.tally, problem)
        with self.factory.begin() as session:
            self.tally.add_to(session.get_one(CrawlRun, self.run_id))

    def _store(self, session: Session, current: CurrentDocuments, item: Any) -> None:
        tally = self.tally
        if isinstance(item, DocumentItem):
            self._store_document(session, current, tally, item)
        elif isinstance(item, NotModifiedItem):
            self._not_modified(current, tally, item)
        elif isinstance(item, AttachmentItem):
            self._store_attachment(session, current, tally, item)
        elif isinstance(item, RecordsItem):
            self._store_records(session, current, tally, item)
        elif isinstance(item, CrawlProblem):
            self._count_problem(tally, item)

    def _store_document(
        self, session: Session, documents: CurrentDocuments, run: RunTally, item: DocumentItem
    ) -> None:
        config = self.config
        digest = text_sha256(item.title, item.text)
        url = config.canonical_url(item.url)
        current = documents.get(url)
        if current is not None and current.content_sha256 == digest:
            run.documents_unchanged += 1
            current.listing_fingerprint = item.listing_fingerprint or current.listing_fingerprint
            current.etag, current.last_modified = item.etag, item.last_modified
            return
        version = 1
        if current is not None:
            current.superseded_at = datetime.now(UTC)
            version = current.version + 1
            run.documents_changed += 1
            session.flush()
        else:
            run.documents_new += 1
        document = Document(
            source_id=config.id,
            url=url,
            version=version,
            title=item.title,
            text=item.text,
            published_date=item.published_date,
            content_sha256=digest,
            raw_sha256=item.raw_sha256,
            snapshot_ref=item.snapshot_ref,
            content_type=item.content_type[:100],
            encoding=item.encoding[:40],
            record_type=config.record_type,
            region_adcode=config.region.adcode,
            fetched_at=datetime.now(UTC),
            crawl_run_id=self.run_id,
            listing_fingerprint=item.listing_fingerprint,
            etag=item.etag,
            last_modified=item.last_modified,
        )
        session.add(document)
        documents.replace(url, document)

    def _not_modified(
        self, documents: CurrentDocuments, run: RunTally, item: NotModifiedItem
    ) -> None:
        run.not_modified += 1
        current = documents.get(self.config.canonical_url(item.url))
        if current is not None and item.listing_fingerprint:
            current.listing_fingerprint = item.listing_fingerprint

    def _document_of(self, documents: CurrentDocuments, run: RunTally, url: str) -> Document | None:
        doc = documents.get(self.config.canonical_url(url))
        if doc is None:
            self._count_problem(
                run, CrawlProblem("parse", url, "belongs to a page that was not stored")
            )
        return doc

    def _store_attachment(
        self, session: Session, documents: CurrentDocuments, run: RunTally, item: AttachmentItem
    ) -> None:
        doc = self._document_of(documents, run, item.document_url)
        if doc is None:
            return
        url = self.config.canonical_url(item.url)
        existing = session.scalars(
            select(Attachment).where(
                Attachment.document_id == doc.id,
                Attachment.url == url,
                Attachment.superseded_at.is_(None),
            )
        ).one_or_none()
        if existing is not None and existing.raw_sha256 == item.raw_sha256:
            return
        if existing is not None:
            existing.superseded_at = datetime.now(UTC)
        doc.analysed_sha256 = None  # a new or changed attachment: analyse the document again
        session.add(
            Attachment(
                document_id=doc.id,
                url=url,
                filename=item.filename[:300],
                content_type=item.content_type[:100],
                size=item.size,
                raw_sha256=item.raw_sha256,
                snapshot_ref=item.snapshot_ref,
                text=item.text,
                fetched_at=datetime.now(UTC),
            )
        )
        run.attachments_stored += 1

    def _store_records(
        self, session: Session, documents: CurrentDocuments, run: RunTally, item: RecordsItem
    ) -> None:
        doc = self._document_of(documents, run, item.document_url)
        if doc is None:
            return
        attachment_id = None
        if item.attachment_url is not None:
            attachment_id = session.scalars(
                select(Attachment.id).where(
                    Attachment.document_id == doc.id,
                    Attachment.url == self.config.canonical_url(item.attachment_url),
                    Attachment.superseded_at.is_(None),
                )
            ).one_or_none()
        session.execute(
            delete(Record).where(
                Record.document_id == doc.id,
                Record.attachment_id.is_(attachment_id)
                if attachment_id is None
                else Record.attachment_id == attachment_id,
            )
        )
        key_field = self.config.table.key if self.config.table else None
        for row in item.rows:
            key = row["fields"].get(key_field) if key_field else None
            session.add(
                Record(
                    source_id=self.config.id,
                    document_id=doc.id,
                    attachment_id=attachment_id,
                    record_type=self.config.record_type,
                    row_number=row["row_number"],
                    key=str(key)[:200] if key else None,
                    fields=row["fields"],
                    cells=row["cells"],
                )
            )
        run.records_stored += len(item.rows)

    @staticmethod
    def _count_problem(run: RunTally, problem: CrawlProblem) -> None:
        if problem.kind == "http":
            run.http_errors += 1
        elif problem.kind == "network":
            run.network_errors += 1
        else:
            run.parse_errors += 1
        if len(run.errors) < MAX_LOGGED_ERRORS:
            run.errors = [
                *run.errors,
                {"kind": problem.kind, "url": problem.url, "message": problem.message[:500]},
            ]

    def close_spider(self) -> None:
        spider: Any = self.crawler.spider
        stats = self.crawler.stats
        self._write_buffer()
        with self.factory.begin() as session:
            run = session.get_one(CrawlRun, self.run_id)
            run.pages_fetched = int(stats.get_value("response_received_count", 0)) if stats else 0
            run.bytes_fetched = int(stats.get_value("clues/bytes_fetched", 0)) if stats else 0
            run.list_pages = spider.counters["list_pages"]
            run.details_skipped = spider.counters["details_skipped"]
            run.finished_at = datetime.now(UTC)
            if run.error_count == 0:
                run.status = "ok"
            elif run.documents_seen == 0:
                run.status = "failed"
            else:
                run.status = "partial"
            run.healthy, run.health_notes = assess_health(session, run, self.config.assertions)
        writer = getattr(spider, "evidence_writer", None)
        if writer is not None:
            writer.close()
