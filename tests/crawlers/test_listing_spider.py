"""The listing spider: a real Scrapy crawl (in its own process) against servers on 127.0.0.1,
storing into SQLite and PostgreSQL."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from clue_miner.crawlers.evidence import read_snapshot
from clue_miner.crawlers.process import crawl_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import session_scope
from clue_miner.models import Attachment, CrawlRun, Document
from tests.crawlers.fault_site import FaultSite

pytestmark = pytest.mark.slow


def fault_source(base_url: str) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "faulty-portal",
            "name": "某区人社局 行政处罚公示（故障测试）",
            "publisher": "某区人力资源和社会保障局",
            "region": {"adcode": "130207", "name": "河北省唐山市丰南区"},
            "record_type": "penalty_notice",
            "spider": "listing",
            "start_urls": [f"{base_url}/list.html"],
            "list": {
                "links": "ul.list li a::attr(href)",
                "next_page": "//a[text()='下一页']/@href",
            },
            "detail": {"title": "h1::text", "date": ".pubdate::text", "body": "div.content"},
        }
    )


def crawl_run(url: str, run_id: int | None) -> CrawlRun:
    assert run_id is not None
    with session_scope(url) as session:
        return session.get_one(CrawlRun, run_id)


def test_a_paginated_portal_is_stored_once_with_its_evidence(
    db_url: str, sample_sources: dict[str, SourceConfig]
) -> None:
    config = sample_sources["fengnan-rsj-penalties"]
    first = crawl_source(config, database_url=db_url)
    run = crawl_run(db_url, first.crawl_run_id)
    assert (run.status, run.documents_new, run.error_count) == ("ok", 16, 0), first.log_tail
    with session_scope(db_url) as session:
        docs = session.scalars(select(Document).order_by(Document.url)).all()
        assert len(docs) == 16
        assert all(d.url.startswith("{base_url}/xzcf/") for d in docs)
        penalty = next(d for d in docs if "星芒" in d.text and d.published_date is not None)
        assert penalty.title.startswith(("丰南区", "唐山市丰南区", "关于", "行政处罚"))
        raw = read_snapshot(penalty.snapshot_ref)
        assert penalty.title.encode("utf-8") in raw  # the bytes as fetched, not our text

    second = crawl_source(config, database_url=db_url)
    rerun = crawl_run(db_url, second.crawl_run_id)
    assert (rerun.documents_new, rerun.documents_changed, rerun.documents_unchanged) == (0, 0, 16)
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 16


def test_a_gbk_portal_decodes_and_its_xlsx_attachments_become_text(
    db_url: str, sample_sources: dict[str, SourceConfig]
) -> None:
    outcome = crawl_source(sample_sources["zhangjiakou-yjj-notices"], database_url=db_url)
    run = crawl_run(db_url, outcome.crawl_run_id)
    assert run.status == "ok", outcome.log_tail
    with session_scope(db_url) as session:
        docs = session.scalars(select(Document)).all()
        assert len(docs) == 16
        assert all(d.encoding.lower() in {"gbk", "gb18030", "cp936"} for d in docs)
        assert any("应急管理局" in d.title for d in docs)
        assert not any("\ufffd" in d.text for d in docs)  # no mojibake stored
        attachments = session.scalars(select(Attachment)).all()
        assert len(attachments) >= 4
        permits = "\n".join(a.text or "" for a in attachments)
        assert "张家口市桥东区恒盛商务有限公司" in permits
        assert "91130702MA03AGYG1H" in permits


def test_dead_pages_and_changed_layouts_are_counted_and_the_rest_is_kept(db_url: str) -> None:
    with FaultSite() as site:
        outcome = crawl_source(fault_source(site.base_url), database_url=db_url)
    run = crawl_run(db_url, outcome.crawl_run_id)
    assert run.documents_new == 2
    assert run.http_errors == 2  # 404 and 500
    assert run.parse_errors == 1  # the redesigned detail page
    assert run.status == "partial"
    kinds = sorted((e["kind"], e["url"].rsplit("/", 1)[-1]) for e in run.errors)
    assert kinds == [("http", "boom.html"), ("http", "gone.html"), ("parse", "redesigned.html")]


def test_an_unreachable_source_fails_its_run_without_raising(db_url: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = crawl_source(fault_source(f"http://127.0.0.1:{port}"), database_url=db_url)
    run = crawl_run(db_url, outcome.crawl_run_id)
    assert outcome.returncode == 0
    assert run.status == "failed"
    assert run.network_errors >= 1
    assert run.documents_new == 0
