"""Downloader middlewares: keep every response as evidence, repair charsets, back off.

Order (``settings.DOWNLOADER_MIDDLEWARES``): evidence sits outside redirects and
decompression so it records responses exactly as received (a 302 and a 500 too); the
charset repair runs after decompression; the retry middleware waits longer each time.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings

from clue_miner.crawlers.encoding import UndecodableError, decide_encoding
from clue_miner.crawlers.evidence import WarcEvidenceWriter
from clue_miner.crawlers.items import CrawlProblem


def _headers(response: Response) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in response.headers.items()
        for v in values
    ]


class EvidenceMiddleware:
    """Writes each response to the crawl's WARC file; ``meta["snapshot"]`` points at it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.writer: WarcEvidenceWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidenceMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None:
            spider: Any = self.crawler.spider
            self.writer = WarcEvidenceWriter(spider.config.id)
            spider.evidence_writer = self.writer
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        snapshot = self.writer.write_response(
            response.url, response.status, reason, _headers(response), response.body
        )
        request.meta["snapshot"] = snapshot
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("clues/bytes_fetched", len(response.body))
        return response


class CharsetRepairMiddleware:
    """Re-decodes HTML whose declared charset is missing or wrong (see ``encoding.py``)."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        try:
            decision = decide_encoding(response.body, response.encoding)
        except UndecodableError as exc:
            request.meta["undecodable"] = str(exc)
            return response
        if decision.note:
            request.meta["encoding_note"] = decision.note
        if decision.encoding != response.encoding:
            return response.replace(encoding=decision.encoding)
        return response


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, …): base, 2·base, 4·base …"""
    return float(min(cap, base * 2 ** (attempt - 1)))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting ``RETRY_BACKOFF_BASE * 2**(n-1)`` seconds before retry n."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    async def _wait(self, result: Request | Response | None) -> None:
        if isinstance(result, Request):
            attempt = int(result.meta.get("retry_times", 1))
            await asyncio.sleep(backoff_delay(attempt, self.base, self.cap))

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        await self._wait(result)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        await self._wait(result)
        return result


class ProblemOnExceptionMiddleware:
    """A spider middleware: an exception in a page callback becomes a counted parse problem
    instead of a line in the log, and the crawl goes on."""

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> list[CrawlProblem]:
        message = f"{type(exception).__name__}: {exception}"
        return [CrawlProblem(kind="parse", url=response.url, message=message[:500])]
