"""The store pipeline's Source row: crawl processes of one source may open at once."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select

from clue_miner.crawlers.pipelines import upsert_source
from clue_miner.crawlers.process import crawl_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import session_scope
from clue_miner.models import Source


def test_crawls_of_one_source_opening_together_share_one_source_row(
    db_url: str, sample_sources: dict[str, SourceConfig]
) -> None:
    config = sample_sources["jiping-legal-news"]
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def open_crawl() -> None:
        start.wait()
        try:
            with session_scope(db_url) as session:
                upsert_source(session, config)
        except Exception as exc:  # the assertion below reports it
            failures.append(exc)

    workers = [threading.Thread(target=open_crawl) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert failures == []
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 1
        assert session.get_one(Source, config.id).publisher == config.publisher


def test_a_changed_config_refreshes_the_stored_source(
    db_url: str, sample_sources: dict[str, SourceConfig]
) -> None:
    config = sample_sources["jiping-legal-news"]
    with session_scope(db_url) as session:
        upsert_source(session, config)
    renamed = config.model_copy(update={"name": "冀平法治网 新闻（改版后）"})
    with session_scope(db_url) as session:
        upsert_source(session, renamed)
    with session_scope(db_url) as session:
        assert session.get_one(Source, config.id).name == "冀平法治网 新闻（改版后）"


def test_a_crawl_whose_store_cannot_open_exits_with_an_error(
    tmp_path: Path, sample_sources: dict[str, SourceConfig]
) -> None:
    broken = tmp_path / "clues.db"
    broken.write_bytes("这不是一个 SQLite 数据库文件".encode() * 100)
    outcome = crawl_source(sample_sources["jiping-legal-news"], database_url=f"sqlite:///{broken}")
    assert outcome.returncode != 0
    assert outcome.crawl_run_id is None
    assert "DatabaseError" in outcome.log_tail, outcome.log_tail
