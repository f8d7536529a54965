"""Run one source's crawl in a fresh process (Twisted's reactor cannot be restarted).

``crawl_source`` is what flows and the CLI call; it starts
``python -m clue_miner.crawlers.process`` and reads back the CrawlRun id it printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from clue_miner.config import database_url as default_database_url
from clue_miner.crawlers.sources import SourceConfig

if TYPE_CHECKING:
    from scrapy.settings import Settings

RESULT_PREFIX = "CLUES_CRAWL_RESULT "


@dataclass(frozen=True)
class CrawlOutcome:
    source_id: str
    crawl_run_id: int | None
    returncode: int
    log_tail: str
    peak_rss_mb: float = 0.0


def scrapy_settings(config: SourceConfig, database_url: str, batch_id: str) -> Settings:
    """Project settings overridden by the source's politeness and limits."""
    from scrapy.settings import Settings

    from clue_miner.crawlers import settings as project_settings

    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    crawl = config.crawl
    settings.setdict(
        {
            "DOWNLOAD_DELAY": crawl.download_delay,
            "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 0.1),
            "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency),
            "CONCURRENT_REQUESTS": crawl.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency,
            "DOWNLOAD_TIMEOUT": crawl.timeout,
            "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
            "RETRY_TIMES": crawl.retries,
            "RETRY_BACKOFF_BASE": crawl.retry_backoff,
            "CLUES_DATABASE_URL": database_url,
            "CLUES_BATCH_ID": batch_id,
        },
        priority="cmdline",
    )
    redis_url = os.environ.get("CLUES_REDIS_URL")
    if redis_url:
        settings.setdict(shared_frontier_settings(redis_url, config.id, batch_id), "cmdline")
    return settings


def shared_frontier_settings(redis_url: str, source_id: str, batch_id: str) -> dict[str, Any]:
    """scrapy-redis settings that let every crawl process of one source and one night
    (same ``batch_id``) share a request queue and a duplicate filter in Redis, so the
    processes split the pages and none is fetched twice. The keys expire with the night."""
    prefix = f"clues:{source_id}:{batch_id}"
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # the first process to finish must not flush the others' queue
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "REDIS_URL": redis_url,
        "CLUES_SHARED_FRONTIER": prefix,
    }


def crawl_source(
    config: SourceConfig,
    batch_id: str | None = None,
    database_url: str | None = None,
    since: date | None = None,
) -> CrawlOutcome:
    """Crawl one source in a subprocess and return the id of its CrawlRun.

    ``since`` (or the YAML's own ``since``, whichever is later) stops paging at older
    entries. A crawl still running after ``crawl.max_minutes`` is killed; its run is marked
    failed and keeps what it stored.
    """
    batch = batch_id or uuid.uuid4().hex
    url = database_url or default_database_url()
    floor = max(d for d in (since, config.since) if d) if since or config.since else None
    payload = config.model_copy(update={"since": floor}).model_dump_json(by_alias=True)
    cmd = [
        sys.executable,
        "-m",
        "clue_miner.crawlers.process",
        "--batch-id",
        batch,
        "--database-url",
        url,
    ]
    timeout = config.crawl.max_minutes * 60
    try:
        proc = subprocess.run(
            cmd,
            input=payload,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=os.environ.copy(),
        )
    except subprocess.TimeoutExpired:
        message = f"crawl killed after {config.crawl.max_minutes:g} minutes (crawl.max_minutes)"
        return CrawlOutcome(
            config.id, _fail_running_run(url, config.id, batch, message), -9, message
        )
    result: dict[str, Any] = {}
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    return CrawlOutcome(
        config.id,
        result.get("crawl_run_id"),
        proc.returncode,
        proc.stderr[-4000:],
        float(result.get("peak_rss_mb", 0.0)),
    )


def _fail_running_run(database_url: str, source_id: str, batch_id: str, message: str) -> int | None:
    """Close the run a killed crawl left open, with the reason among its errors."""
    from sqlalchemy import select

    from clue_miner.db import session_scope
    from clue_miner.models import CrawlRun

    with session_scope(database_url) as session:
        run = session.scalars(
            select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.batch_id == batch_id)
        ).first()
        if run is None:
            return None
        run.status = "failed"
        run.finished_at = datetime.now(UTC)
        run.network_errors += 1
        run.errors = [*run.errors, {"kind": "network", "url": source_id, "message": message}]
        run.healthy = False
        run.health_notes = [*run.health_notes, message]
        return run.id


def _expire_shared_frontier(settings: Settings) -> None:
    """Let a night's shared queue and duplicate filter expire a day after its last crawl."""
    prefix = settings.get("CLUES_SHARED_FRONTIER")
    if not prefix:
        return
    import redis

    server = redis.Redis.from_url(settings.get("REDIS_URL"))
    for key in (f"{prefix}:requests", f"{prefix}:dupefilter"):
        server.expire(key, 24 * 3600)


def main() -> None:
    parser = argparse.ArgumentParser(description="Crawl one source (config as JSON on stdin).")
    parser.add_argument("--batch-id", required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    config = SourceConfig.model_validate_json(sys.stdin.read())

    from scrapy.crawler import CrawlerProcess

    from clue_miner.crawlers.spiders import SPIDERS

    process = CrawlerProcess(scrapy_settings(config, args.database_url, args.batch_id))
    crawler = process.create_crawler(SPIDERS[config.spider])
    process.crawl(crawler, source_json=config.model_dump_json(by_alias=True))
    process.start()
    _expire_shared_frontier(crawler.settings)
    run_id = getattr(crawler.spider, "crawl_run_id", None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT_PREFIX + json.dumps({"crawl_run_id": run_id, "peak_rss_mb": peak_mb}), flush=True)
    if run_id is None:  # the store never opened: Scrapy logged why, the exit code says so
        sys.exit(1)


if __name__ == "__main__":
    main()
