"""The store pipeline: spider items become Documents and Attachments, counted on a CrawlRun."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clue_miner.config import database_url as default_database_url
from clue_miner.crawlers.items import AttachmentItem, CrawlProblem, DocumentItem
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db.engine import get_engine, init_db
from clue_miner.models import Attachment, CrawlRun, Document, Source

log = logging.getLogger(__name__)
MAX_LOGGED_ERRORS = 200


def text_sha256(title: str, text: str) -> str:
    """The content hash of a document: what changes when its title or text change."""
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def upsert_source(session: Session, config: SourceConfig) -> Source:
    """Create or refresh the Source row of a config."""
    source = session.get(Source, config.id) or Source(id=config.id)
    source.name = config.name
    source.publisher = config.publisher
    source.record_type = config.record_type
    source.region_adcode = config.region.adcode
    source.region_name = config.region.name
    source.config_sha256 = config.sha256
    session.add(source)
    return source


class StorePipeline:
    """Writes each item in its own transaction, so a crash loses at most one item."""

    def __init__(self, database_url: str, batch_id: str) -> None:
        init_db(database_url)
        self.factory = sessionmaker(bind=get_engine(database_url), expire_on_commit=False)
        self.batch_id = batch_id
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = crawler.settings
        return cls(
            settings.get("CLUES_DATABASE_URL") or default_database_url(),
            settings.get("CLUES_BATCH_ID") or uuid.uuid4().hex,
        )

    def open_spider(self, spider: Any) -> None:
        config: SourceConfig = spider.config
        with self.factory.begin() as session:
            upsert_source(session, config)
            run = CrawlRun(source_id=config.id, batch_id=self.batch_id, errors=[])
            session.add(run)
            session.flush()
            self.run_id = run.id
        spider.crawl_run_id = self.run_id

    def process_item(self, item: Any, spider: Any) -> Any:
        with self.factory.begin() as session:
            run = session.get_one(CrawlRun, self.run_id)
            if isinstance(item, DocumentItem):
                self._store_document(session, spider.config, run, item)
            elif isinstance(item, AttachmentItem):
                self._store_attachment(session, spider.config, run, item)
            elif isinstance(item, CrawlProblem):
                self._count_problem(run, item)
        return item

    def _store_document(
        self, session: Session, config: SourceConfig, run: CrawlRun, item: DocumentItem
    ) -> None:
        digest = text_sha256(item.title, item.text)
        url = config.canonical_url(item.url)
        doc = session.scalars(
            select(Document).where(Document.source_id == config.id, Document.url == url)
        ).one_or_none()
        if doc is not None and doc.content_sha256 == digest:
            run.documents_unchanged += 1
            return
        if doc is None:
            doc = Document(source_id=config.id, url=url)
            session.add(doc)
            run.documents_new += 1
        else:
            run.documents_changed += 1
        doc.title = item.title
        doc.text = item.text
        doc.published_date = item.published_date
        doc.content_sha256 = digest
        doc.raw_sha256 = item.raw_sha256
        doc.snapshot_ref = item.snapshot_ref
        doc.content_type = item.content_type[:100]
        doc.encoding = item.encoding[:40]
        doc.record_type = config.record_type
        doc.region_adcode = config.region.adcode
        doc.fetched_at = datetime.now(UTC)
        doc.crawl_run_id = run.id

    def _store_attachment(
        self, session: Session, config: SourceConfig, run: CrawlRun, item: AttachmentItem
    ) -> None:
        doc = session.scalars(
            select(Document).where(
                Document.source_id == config.id,
                Document.url == config.canonical_url(item.document_url),
            )
        ).one_or_none()
        if doc is None:
            self._count_problem(
                run, CrawlProblem("parse", item.url, "attachment of a document that was not stored")
            )
            return
        url = config.canonical_url(item.url)
        existing = session.scalars(
            select(Attachment).where(Attachment.document_id == doc.id, Attachment.url == url)
        ).one_or_none()
        if existing is not None and existing.raw_sha256 == item.raw_sha256:
            return
        attachment = existing or Attachment(document_id=doc.id, url=url)
        attachment.filename = item.filename[:300]
        attachment.content_type = item.content_type[:100]
        attachment.size = item.size
        attachment.raw_sha256 = item.raw_sha256
        attachment.snapshot_ref = item.snapshot_ref
        attachment.text = item.text
        attachment.fetched_at = datetime.now(UTC)
        session.add(attachment)
        run.attachments_stored += 1
        if existing is not None:
            doc.analysed_sha256 = None  # its attachment changed: analyse the document again

    @staticmethod
    def _count_problem(run: CrawlRun, problem: CrawlProblem) -> None:
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

    def close_spider(self, spider: Any) -> None:
        with self.factory.begin() as session:
            run = session.get_one(CrawlRun, self.run_id)
            run.pages_fetched = int(spider.crawler.stats.get_value("response_received_count", 0))
            run.finished_at = datetime.now(UTC)
            stored = run.documents_new + run.documents_changed + run.documents_unchanged
            if run.error_count == 0:
                run.status = "ok"
            elif stored == 0:
                run.status = "failed"
            else:
                run.status = "partial"
