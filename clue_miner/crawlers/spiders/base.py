"""What every source spider shares: list paging, incremental skipping, errors, evidence.

List pages come from a next-page link, a TRS-style numbered series, or both; a ``since``
date stops paging once every dated entry on a page is older. A detail page already
stored is not fetched again while its listing entry (link and the text around it) is
unchanged; when it changed, the request is conditional (If-None-Match / If-Modified-Since).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from sqlalchemy import select
from twisted.python.failure import Failure

from clue_miner.crawlers.html_text import clean_lines, find_date
from clue_miner.crawlers.items import CrawlProblem
from clue_miner.crawlers.selectors import select as select_nodes
from clue_miner.crawlers.sources import SourceConfig, load_source
from clue_miner.db.engine import session_scope
from clue_miner.models import Document

_ATTR_CSS = re.compile(r"::attr\(href\)\s*$")
_ATTR_XPATH = re.compile(r"/@href\s*$")
_ENTRY_CONTEXT = "ancestor::*[self::li or self::tr or self::dd or self::div or self::p][1]"


@dataclass(frozen=True)
class ListEntry:
    url: str
    fingerprint: str
    listed_date: date | None


@dataclass(frozen=True)
class KnownDocument:
    fingerprint: str | None
    etag: str | None
    last_modified: str | None


class SourceSpider(scrapy.Spider):
    """Base of the spiders named in source YAML (``spider: listing`` / ``table``)."""

    def __init__(
        self, source: str | None = None, source_json: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if source_json:
            self.config = SourceConfig.model_validate(json.loads(source_json))
        elif source:
            self.config = load_source(Path(source))
        else:
            raise ValueError(f"the {self.name} spider needs -a source=FILE")
        self.allowed_domains = sorted({urlparse(u).hostname or "" for u in self.config.start_urls})
        self.counters = {"list_pages": 0, "details_skipped": 0}
        self.known: dict[str, KnownDocument] = {}
        self.stop_paging = False
        self.requested: set[str] = set()
        self.pending_problems: list[CrawlProblem] = []
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.get("CLUES_SHARED_FRONTIER"):
            crawler.signals.connect(spider.wait_for_shared_work, signal=signals.spider_idle)
            crawler.signals.connect(spider.busy_again, signal=signals.response_received)
        return spider

    def wait_for_shared_work(self) -> None:
        """With a shared frontier, an idle process waits a while for requests that other
        processes put in the queue, instead of closing at once."""
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if now - self.idle_since < self.settings.getfloat("CLUES_SHARED_IDLE_SECONDS", 10.0):
            raise DontCloseSpider

    def busy_again(self) -> None:
        self.idle_since = None

    def link(self, response: TextResponse, href: str) -> str | None:
        """``href`` made absolute, or None (and a counted problem) when it is malformed."""
        try:
            url = response.urljoin(href.strip())
            urlparse(url).port  # noqa: B018 - raises ValueError on a bad port or IPv6 host
        except ValueError as exc:
            self.pending_problems.append(
                self.problem("parse", response.url, f"malformed link {href[:200]!r}: {exc}")
            )
            return None
        return url

    def request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request | None:
        """A request for ``url`` unless this crawl already asked for it.

        Requests bypass Scrapy's duplicate filter (we keep our own set), so that a redirect
        loop runs into REDIRECT_MAX_TIMES and is reported instead of silently dropped. With
        a shared frontier (several processes, one Redis), the shared duplicate filter
        decides instead, across all of them.
        """
        if self.settings.get("CLUES_SHARED_FRONTIER"):
            return scrapy.Request(url, callback=callback, errback=self.on_error, **kwargs)
        if url in self.requested:
            return None
        self.requested.add(url)
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, dont_filter=True, **kwargs
        )

    # -- start -----------------------------------------------------------------------
    async def start(self) -> Any:
        self.known = self._load_known_documents()
        for index, url in enumerate(self.config.start_urls):
            if self.config.list_ is None:
                request = self.detail_request(url, None)
            else:
                request = self.request(
                    url,
                    self.parse_list,
                    cb_kwargs={"page_index": 0, "series_base": url if index == 0 else None},
                )
            if request is not None:
                yield request

    def _load_known_documents(self) -> dict[str, KnownDocument]:
        url = self.settings.get("CLUES_DATABASE_URL")
        if not url:
            return {}
        with session_scope(url) as session:
            rows = session.execute(
                select(
                    Document.url,
                    Document.listing_fingerprint,
                    Document.etag,
                    Document.last_modified,
                ).where(Document.source_id == self.config.id, Document.superseded_at.is_(None))
            ).all()
        return {r[0]: KnownDocument(r[1], r[2], r[3]) for r in rows}

    # -- list pages --------------------------------------------------------------------
    def parse_list(
        self, response: Response, page_index: int, series_base: str | None
    ) -> Iterator[Any]:
        self.counters["list_pages"] += 1
        if not isinstance(response, TextResponse):
            yield self.problem("parse", response.url, "list page is not text/HTML")
            return
        entries = self.list_entries(response)
        yield from self.take_problems()
        if not entries:
            yield self.problem("parse", response.url, "list selector matched no links")
        since = self.config.since
        dated = [e for e in entries if e.listed_date is not None]
        if since and dated and all(e.listed_date < since for e in dated):  # type: ignore[operator]
            self.stop_paging = True
            self.logger.info(
                "since %s: %s lists only older entries, paging stops", since, response.url
            )
        for entry in entries:
            if since and entry.listed_date and entry.listed_date < since:
                self.counters["details_skipped"] += 1
                continue
            known = self.known.get(self.config.canonical_url(entry.url))
            if known and known.fingerprint == entry.fingerprint:
                self.counters["details_skipped"] += 1
                continue
            request = self.detail_request(entry.url, entry.fingerprint, known)
            if request is not None:
                yield request
        if not self.stop_paging:
            yield from self.next_list_pages(response, page_index, series_base)

    def next_list_pages(
        self, response: TextResponse, page_index: int, series_base: str | None
    ) -> Iterator[Any]:
        request = self._next_list_request(response, page_index, series_base)
        yield from self.take_problems()
        if request is None:
            return
        if self.counters["list_pages"] >= self.config.crawl.max_pages:
            yield self.problem(
                "parse",
                response.url,
                f"pagination stopped at max_pages={self.config.crawl.max_pages}",
            )
            return
        yield request

    def _next_list_request(
        self, response: TextResponse, page_index: int, series_base: str | None
    ) -> scrapy.Request | None:
        listing = self.config.list_
        assert listing is not None
        if listing.pages is not None and series_base is not None:
            count = self._page_count(response, listing.pages.count_regex)
            next_index = page_index + 1
            if count is not None and next_index < count:
                url = response.urljoin(listing.pages.template.format(n=next_index))
                return self.request(
                    url,
                    self.parse_list,
                    cb_kwargs={"page_index": next_index, "series_base": series_base},
                )
            if count is not None:
                return None
        if listing.next_page:
            href = select_nodes(response.selector, listing.next_page).get()
            link = self.link(response, href) if href else None
            if link:
                return self.request(
                    link,
                    self.parse_list,
                    cb_kwargs={"page_index": page_index + 1, "series_base": None},
                )
        return None

    @staticmethod
    def _page_count(response: TextResponse, count_regex: str) -> int | None:
        match = re.search(count_regex, response.text)
        return int(match.group(1)) if match else None

    def list_entries(self, response: TextResponse) -> list[ListEntry]:
        """Detail links with a fingerprint of their listing entry and the date listed."""
        listing = self.config.list_
        assert listing is not None
        element_query = _ATTR_CSS.sub("", listing.links)
        element_query = _ATTR_XPATH.sub("", element_query)
        found: list[ListEntry | None] = []
        if element_query != listing.links:
            nodes = select_nodes(response.selector, element_query)
            for node in nodes:
                href = node.attrib.get("href")
                if href:
                    found.append(self._entry(response, href, node))
        else:
            for href in select_nodes(response.selector, listing.links).getall():
                found.append(self._entry(response, href, None))
        entries = [e for e in found if e is not None]
        if listing.dates:
            dates = [find_date(t) for t in select_nodes(response.selector, listing.dates).getall()]
            if len(dates) == len(entries):
                entries = [
                    ListEntry(e.url, e.fingerprint, d) for e, d in zip(entries, dates, strict=True)
                ]
        return entries

    def _entry(self, response: TextResponse, href: str, node: Selector | None) -> ListEntry | None:
        url = self.link(response, href)
        if url is None:
            return None
        context = ""
        if node is not None:
            around = node.xpath(_ENTRY_CONTEXT)
            holder = around[0] if around else node
            context = clean_lines(" ".join(holder.xpath(".//text()").getall()))
        fingerprint = hashlib.sha256(f"{url}\n{context}".encode()).hexdigest()[:32]
        return ListEntry(url, fingerprint, find_date(context))

    # -- detail pages ------------------------------------------------------------------
    def detail_request(
        self, url: str, fingerprint: str | None, known: KnownDocument | None = None
    ) -> scrapy.Request | None:
        """A (conditional, when we hold validators) request for a detail page."""
        headers = {}
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return self.request(
            url,
            self.parse_detail,
            headers=headers,
            meta={"handle_httpstatus_list": [304], "listing_fingerprint": fingerprint},
        )

    def parse_detail(self, response: Response) -> Iterator[Any]:
        raise NotImplementedError

    # -- problems ----------------------------------------------------------------------
    def take_problems(self) -> Iterator[CrawlProblem]:
        """Problems noticed while building requests (malformed links), to count them."""
        problems, self.pending_problems = self.pending_problems, []
        yield from problems

    def problem(self, kind: str, url: str, message: str) -> CrawlProblem:
        self.logger.warning("%s error at %s: %s", kind, url, message)
        return CrawlProblem(kind=kind, url=url, message=message)

    def on_error(self, failure: Failure) -> Iterator[CrawlProblem]:
        request = getattr(failure, "request", None)
        # After redirects, report the URL the crawl asked for, not the last hop.
        url = request.meta.get("redirect_urls", [request.url])[0] if request is not None else "?"
        error: Any = failure.value
        if isinstance(error, HttpError):
            yield self.problem("http", url, f"HTTP {error.response.status}")
        elif isinstance(error, IgnoreRequest):
            yield self.problem("http", url, f"request dropped: {error}")
        else:
            yield self.problem("network", url, f"{type(error).__name__}: {error}")
