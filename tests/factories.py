"""Stored sources and documents for tests that start from the store, not from a crawl."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from clue_miner.crawlers.pipelines import text_sha256, upsert_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.models import Document


def source_config(source_id: str, record_type: str, publisher: str, adcode: str) -> SourceConfig:
    """A listing source on 127.0.0.1 (never crawled by these tests)."""
    return SourceConfig.model_validate(
        {
            "id": source_id,
            "name": publisher,
            "publisher": publisher,
            "region": {"adcode": adcode, "name": publisher},
            "record_type": record_type,
            "spider": "listing",
            "start_urls": [f"http://127.0.0.1:8000/{source_id}/index.html"],
            "list": {"links": "ul li a::attr(href)"},
            "detail": {"title": "h1::text", "body": "div.content"},
        }
    )


def store_document(
    session: Session, config: SourceConfig, path: str, title: str, body: str, published: date
) -> Document:
    """A document of ``config`` as the crawler would have stored it."""
    upsert_source(session, config)
    doc = Document(
        source_id=config.id,
        url=f"http://127.0.0.1:8000/{config.id}/{path}",
        title=title,
        text=body,
        published_date=published,
        content_sha256=text_sha256(title, body),
        raw_sha256="0" * 64,
        snapshot_ref="sha256/00/" + "0" * 64,
        record_type=config.record_type,
        region_adcode=config.region.adcode,
    )
    session.add(doc)
    session.flush()
    return doc
