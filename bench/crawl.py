"""make bench-crawl: our crawl stage against a bare Scrapy spider over the same pages.

Both crawl the same generated pages (list pages with 20 links each, detail pages of
realistic Chinese text) served on loopback by a fast asyncio server in its own process.
The bare spider only fetches; ours also extracts text, writes WARC evidence and stores
documents in SQLite. Printed: pages per second of each, their ratio (goal >= 0.5) and the
peak memory of each crawl process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import PER_LIST_PAGE, served_pages


def run_bare(base_url: str, concurrency: int) -> dict[str, float]:
    """The bare spider in its own process, timed like ours: the whole process, start to end."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.bare_spider", base_url, str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - started
    return result


def run_ours(base_url: str, concurrency: int, work: Path) -> dict[str, float]:
    from clue_miner.crawlers.process import crawl_source
    from clue_miner.crawlers.sources import SourceConfig
    from clue_miner.db import init_db, session_scope
    from clue_miner.models import CrawlRun

    url = f"sqlite:///{work / 'bench.db'}"
    init_db(url)
    config = SourceConfig.model_validate(
        {
            "id": "bench-portal",
            "name": "基准测试门户",
            "publisher": "某局",
            "region": {"adcode": "130207", "name": "河北省唐山市丰南区"},
            "record_type": "penalty_notice",
            "spider": "listing",
            "start_urls": [f"{base_url}/list/0.html"],
            "list": {
                "links": "ul.list li a::attr(href)",
                "next_page": "//a[text()='下一页']/@href",
            },
            "detail": {"title": "h1::text", "date": ".pubdate::text", "body": "div.content"},
            "crawl": {"concurrency": concurrency, "max_pages": 100_000},
        }
    )
    started = time.perf_counter()
    outcome = crawl_source(config, database_url=url)
    elapsed = time.perf_counter() - started
    with session_scope(url) as session:
        run = session.get_one(CrawlRun, outcome.crawl_run_id)
        pages, stored = run.pages_fetched, run.documents_new
    return {
        "seconds": elapsed,
        "pages": pages,
        "documents": stored,
        "peak_rss_mb": outcome.peak_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="detail pages (default 5000)")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    lists = (args.pages + PER_LIST_PAGE - 1) // PER_LIST_PAGE
    with served_pages(args.pages) as base:
        print(
            f"{args.pages} detail pages + {lists} list pages on {base}, "
            f"concurrency {args.concurrency}, {os.cpu_count()} cores"
        )
        bare = run_bare(base, args.concurrency)
        with tempfile.TemporaryDirectory(prefix="clues-bench-") as tmp:
            os.environ["CLUES_VAR"] = tmp
            ours = run_ours(base, args.concurrency, Path(tmp))
    bare_rate = bare["pages"] / bare["seconds"]
    ours_rate = ours["pages"] / ours["seconds"]
    print(
        f"bare Scrapy : {bare['pages']:6.0f} pages in {bare['seconds']:6.1f} s = "
        f"{bare_rate:7.1f} pages/s, peak RSS {bare['peak_rss_mb']:.0f} MB"
    )
    print(
        f"clue-miner  : {ours['pages']:6.0f} pages in {ours['seconds']:6.1f} s = "
        f"{ours_rate:7.1f} pages/s, peak RSS {ours['peak_rss_mb']:.0f} MB "
        f"({ours['documents']:.0f} documents stored, text + WARC + SQLite)"
    )
    print(f"ratio ours/bare: {ours_rate / bare_rate:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    main()
