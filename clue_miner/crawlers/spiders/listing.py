"""The ``listing`` spider: list pages with detail links → documents with their attachments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlparse

from scrapy.http import Response, TextResponse

from clue_miner.crawlers.attachments import AttachmentError, attachment_text
from clue_miner.crawlers.evidence import Snapshot
from clue_miner.crawlers.html_text import MAX_TEXT_CHARS, find_date, html_to_text
from clue_miner.crawlers.items import AttachmentItem, DocumentItem, NotModifiedItem
from clue_miner.crawlers.selectors import select, select_text
from clue_miner.crawlers.spiders.base import SourceSpider


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _snapshot(response: Response) -> Snapshot:
    snapshot = response.meta.get("snapshot")
    if not isinstance(snapshot, Snapshot):
        raise RuntimeError("EvidenceMiddleware did not record this response")
    return snapshot


class ListingSpider(SourceSpider):
    """Stores each detail page as a document; its attachments' text goes with it.

    Run it as ``scrapy crawl listing -a source=sources/<id>.yml`` or through ``clues crawl``.
    """

    name = "listing"

    def parse_detail(self, response: Response) -> Iterator[Any]:
        fingerprint = response.meta.get("listing_fingerprint")
        if response.status == 304:
            yield NotModifiedItem(response.url, fingerprint)
            return
        if not isinstance(response, TextResponse):
            yield self.problem("parse", response.url, "detail page is not text/HTML")
            return
        if "undecodable" in response.meta:
            yield self.problem("parse", response.url, response.meta["undecodable"])
            return
        if "encoding_note" in response.meta:
            self.logger.info(
                "charset repaired at %s: %s", response.url, response.meta["encoding_note"]
            )
        detail = self.config.detail
        title = select_text(response.selector, detail.title)[:500]
        body_html = "".join(select(response.selector, detail.body).getall())
        text = html_to_text(body_html, MAX_TEXT_CHARS)
        if not title or not text:
            missing = "title" if not title else "body"
            yield self.problem(
                "parse", response.url, f"detail selector for {missing} matched nothing"
            )
            return
        date_text = select_text(response.selector, detail.date) if detail.date else ""
        snapshot = _snapshot(response)
        yield DocumentItem(
            url=response.url,
            title=title,
            text=text,
            published_date=find_date(date_text) or find_date(text[:300]),
            raw_sha256=snapshot.sha256,
            snapshot_ref=snapshot.ref,
            content_type=_header(response, "Content-Type") or "text/html",
            encoding=response.encoding,
            listing_fingerprint=fingerprint,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
        )
        yield from self.detail_extras(response)
        if detail.attachments:
            for href in select(response.selector, detail.attachments).getall():
                url = self.link(response, href)
                request = (
                    self.request(
                        url, self.parse_attachment, cb_kwargs={"document_url": response.url}
                    )
                    if url
                    else None
                )
                if request is not None:
                    yield request
            yield from self.take_problems()

    def detail_extras(self, response: TextResponse) -> Iterator[Any]:
        """More items from a detail page (the table spider adds registry rows)."""
        return iter(())

    def parse_attachment(self, response: Response, document_url: str) -> Iterator[Any]:
        snapshot = _snapshot(response)
        filename = unquote(urlparse(response.url).path.rsplit("/", 1)[-1]) or "attachment"
        try:
            text = attachment_text(filename, response.body)
        except AttachmentError as exc:
            yield self.problem("parse", response.url, str(exc))
            text = None
        yield AttachmentItem(
            document_url=document_url,
            url=response.url,
            filename=filename,
            content_type=_header(response, "Content-Type") or "",
            size=len(response.body),
            raw_sha256=snapshot.sha256,
            snapshot_ref=snapshot.ref,
            text=text,
        )
        yield from self.attachment_extras(response, document_url, filename)

    def attachment_extras(
        self, response: Response, document_url: str, filename: str
    ) -> Iterator[Any]:
        """More items from an attachment (the table spider adds registry rows)."""
        return iter(())
