"""Two crawler processes share one source's frontier through Redis (scrapy-redis): they
split its pages, none is fetched twice, and every document is stored once."""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator

from clue_miner.config import evidence_dir
from clue_miner.crawlers.process import CrawlOutcome, crawl_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import init_db, session_scope
from clue_miner.models import CrawlRun, Document

REDIS_URL = os.environ.get("CLUES_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_available() and os.environ.get("CLUES_REQUIRE_REDIS") != "1",
    reason=f"no Redis at {REDIS_URL}",
)


def fetched_urls(source_id: str) -> Counter[str]:
    """Every response the crawl processes wrote to the evidence store, by URL."""
    urls: Counter[str] = Counter()
    for path in (evidence_dir() / "warc" / source_id).glob("*.warc.gz"):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    urls[record.rec_headers.get_header("WARC-Target-URI")] += 1
    return urls


def test_two_processes_split_one_source_without_fetching_a_page_twice(
    tmp_path: Path, sample_sources: dict[str, SourceConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUES_VAR", str(tmp_path / "var"))
    monkeypatch.setenv("CLUES_REDIS_URL", REDIS_URL)
    url = f"sqlite:///{tmp_path / 'clues.db'}"
    init_db(url)
    news = sample_sources["jiping-legal-news"]
    slow = news.model_copy(
        update={"crawl": news.crawl.model_copy(update={"concurrency": 1, "download_delay": 0.2})}
    )
    batch = uuid.uuid4().hex
    outcomes: list[CrawlOutcome] = []
    workers = [
        threading.Thread(target=lambda: outcomes.append(crawl_source(slow, batch, url)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [o.returncode for o in outcomes] == [0, 0], [o.log_tail for o in outcomes]

    fetched = fetched_urls(news.id)
    pages = {u: n for u, n in fetched.items() if not u.endswith("/robots.txt")}
    assert pages and max(pages.values()) == 1, [u for u, n in pages.items() if n > 1]
    with session_scope(url) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.batch_id == batch)).all()
        assert len(runs) == 2 and all(r.status == "ok" for r in runs)
        assert all(r.documents_new > 0 for r in runs), [r.documents_new for r in runs]
        stored = session.scalar(select(func.count()).select_from(Document)) or 0
        assert stored == sum(r.documents_new for r in runs) == 25
    keys = redis.Redis.from_url(REDIS_URL).keys(f"clues:{news.id}:{batch}:*")
    assert keys and all(redis.Redis.from_url(REDIS_URL).ttl(k) > 0 for k in keys)
