"""The ``listing`` spider: list pages with detail links (and a next-page link) → documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from clue_miner.crawlers.attachments import AttachmentError, attachment_text
from clue_miner.crawlers.evidence import store_snapshot
from clue_miner.crawlers.html_text import MAX_TEXT_CHARS, find_date, html_to_text
from clue_miner.crawlers.items import AttachmentItem, CrawlProblem, DocumentItem
from clue_miner.crawlers.selectors import select, select_text
from clue_miner.crawlers.sources import SourceConfig, load_source


def _headers(response: Response) -> dict[str, str]:
    return {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }


def _content_type(response: Response, default: str) -> str:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else default


class ListingSpider(scrapy.Spider):
    """Follows list pages of one source and stores each detail page as a document.

    Run it as ``scrapy crawl listing -a source=sources/<id>.yml`` or through
    ``clues crawl``; the config may also come as JSON (``-a source_json=…``).
    """

    name = "listing"

    def __init__(
        self, source: str | None = None, source_json: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if source_json:
            self.config = SourceConfig.model_validate(json.loads(source_json))
        elif source:
            self.config = load_source(Path(source))
        else:
            raise ValueError("the listing spider needs -a source=FILE")
        self.list_pages = 0
        self.problems: list[CrawlProblem] = []
        self.allowed_domains = sorted({urlparse(u).hostname or "" for u in self.config.start_urls})

    async def start(self) -> Any:
        for url in self.config.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error)

    def parse_list(self, response: Response) -> Iterator[Any]:
        self.list_pages += 1
        self.keep(response)
        if not isinstance(response, TextResponse):
            yield self.problem("parse", response.url, "list page is not text/HTML")
            return
        links = select(response.selector, self.config.list_.links).getall()
        if not links:
            yield self.problem("parse", response.url, "list selector matched no links")
        for link in links:
            yield response.follow(link.strip(), self.parse_detail, errback=self.on_error)
        next_query = self.config.list_.next_page
        if next_query and self.list_pages < self.config.crawl.max_pages:
            next_link = select(response.selector, next_query).get()
            if next_link:
                yield response.follow(next_link.strip(), self.parse_list, errback=self.on_error)

    def parse_detail(self, response: Response) -> Iterator[Any]:
        snapshot = self.keep(response)
        if not isinstance(response, TextResponse):
            yield self.problem("parse", response.url, "detail page is not text/HTML")
            return
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
        attachment_urls = []
        if detail.attachments:
            for href in select(response.selector, detail.attachments).getall():
                attachment_urls.append(response.urljoin(href.strip()))
        yield DocumentItem(
            url=response.url,
            title=title,
            text=text,
            published_date=find_date(date_text) or find_date(text[:300]),
            raw_sha256=snapshot.sha256,
            snapshot_ref=snapshot.ref,
            content_type=_content_type(response, "text/html"),
            encoding=response.encoding,
            attachment_urls=attachment_urls,
        )
        for url in attachment_urls:
            yield scrapy.Request(
                url,
                callback=self.parse_attachment,
                errback=self.on_error,
                cb_kwargs={"document_url": response.url},
            )

    def parse_attachment(self, response: Response, document_url: str) -> Iterator[Any]:
        snapshot = self.keep(response)
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
            content_type=_content_type(response, ""),
            size=len(response.body),
            raw_sha256=snapshot.sha256,
            snapshot_ref=snapshot.ref,
            text=text,
        )

    def keep(self, response: Response) -> Any:
        """Store the raw response as evidence before anything else happens to it."""
        return store_snapshot(response.body, response.url, response.status, _headers(response))

    def problem(self, kind: str, url: str, message: str) -> CrawlProblem:
        self.logger.warning("%s error at %s: %s", kind, url, message)
        return CrawlProblem(kind=kind, url=url, message=message)

    def on_error(self, failure: Failure) -> Iterator[CrawlProblem]:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        error: Any = failure.value
        if isinstance(error, HttpError):
            yield self.problem("http", url, f"HTTP {error.response.status}")
        else:
            yield self.problem("network", url, f"{type(error).__name__}: {error}")
