"""The baseline of bench-crawl: a bare Scrapy spider that only fetches the same pages.

Usage: python -m bench.bare_spider BASE_URL CONCURRENCY (prints one JSON line).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [f"{base_url}/list/0.html"]

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        for href in response.css("ul.list li a::attr(href)").getall():
            yield response.follow(href, self.parse_detail)
        next_page = response.xpath("//a[text()='下一页']/@href").get()
        if next_page:
            yield response.follow(next_page, self.parse)

    def parse_detail(self, response: Response) -> Iterator[Any]:
        yield from ()


def main() -> None:
    base_url, concurrency = sys.argv[1], int(sys.argv[2])
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "ERROR",
            "TELNETCONSOLE_ENABLED": False,
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        }
    )
    crawler = process.create_crawler(BareSpider)
    started = time.perf_counter()
    process.crawl(crawler, base_url=base_url)
    process.start()
    elapsed = time.perf_counter() - started
    assert crawler.stats is not None
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "pages": crawler.stats.get_value("response_received_count"),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
