"""A source is unhealthy when it yields nothing, far less than usual, or breaks its assertions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from clue_miner.crawlers.health import assess_health
from clue_miner.crawlers.sources import Assertions
from clue_miner.db import session_scope
from clue_miner.models import CrawlRun, Source


def finished_run(
    session: object, new: int, errors: int = 0, since: date | None = None, pages: int = 20
) -> CrawlRun:
    run = CrawlRun(
        source_id="fengnan-rsj-penalties",
        batch_id="b",
        status="ok",
        errors=[],
        health_notes=[],
        documents_new=new,
        http_errors=errors,
        pages_fetched=pages,
        since=since,
        finished_at=datetime.now(UTC),
    )
    session.add(run)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return run


def test_health_against_history_and_assertions(db_url: str) -> None:
    with session_scope(db_url) as session:
        session.add(
            Source(
                id="fengnan-rsj-penalties",
                name="丰南区人社局 行政处罚公示",
                publisher="唐山市丰南区人力资源和社会保障局",
                record_type="penalty_notice",
                region_adcode="130207",
                region_name="河北省唐山市丰南区",
                config_sha256="x",
            )
        )
        for count in (16, 18, 17):
            finished_run(session, count)
        normal = finished_run(session, 15)
        assert assess_health(session, normal, Assertions()) == (True, [])

        collapsed = finished_run(session, 5)
        healthy, notes = assess_health(session, collapsed, Assertions(min_documents=10))
        assert not healthy
        assert any("under half the recent median" in n for n in notes)
        assert any("min_documents=10" in n for n in notes)

        empty = finished_run(session, 0)
        assert "yielded no documents" in assess_health(session, empty, Assertions())[1]

        failing = finished_run(session, 16, errors=8, pages=20)
        healthy, notes = assess_health(session, failing, Assertions(max_error_rate=0.2))
        assert not healthy and notes == ["assertion max_error_rate=0.2 broken: 0.40"]

        # A `since` crawl is compared with `since` crawls, and min_documents does not apply.
        nightly = finished_run(session, 3, since=date(2025, 1, 1))
        assert assess_health(session, nightly, Assertions(min_documents=10)) == (True, [])
