"""The listing spider: a real Scrapy crawl (in its own process) against servers on 127.0.0.1,
storing into SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clue_miner.crawlers.evidence import read_snapshot
from clue_miner.crawlers.process import crawl_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import session_scope
from clue_miner.models import Attachment, CrawlRun, Document
from tests.crawlers.fault_site import DETAIL, FaultSite, list_page

NEWS_LINKS = [
    ("n1.html", "关于开展夏季危险化学品安全检查的通知", "2024-07-01"),
    ("n2.html", "某区人社局劳动保障监察信息公开", "2024-07-02"),
    ("n3.html", "关于某商贸公司行政处罚的公示", "2024-07-03"),
]

pytestmark = pytest.mark.slow


def fault_source(base_url: str, start: str = "list.html") -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "faulty-portal",
            "name": "某区人社局 行政处罚公示（故障测试）",
            "publisher": "某区人力资源和社会保障局",
            "region": {"adcode": "130207", "name": "河北省唐山市丰南区"},
            "record_type": "penalty_notice",
            "spider": "listing",
            "start_urls": [f"{base_url}/{start}"],
            "list": {
                "links": "ul.list li a::attr(href)",
                "next_page": "//a[text()='下一页']/@href",
            },
            "detail": {"title": "h1::text", "date": ".pubdate::text", "body": "div.content"},
            "crawl": {
                "timeout": 1,
                "retries": 1,
                "retry_backoff": 0.05,
                "max_pages": 6,
                "max_response_bytes": 1_000_000,
            },
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
    assert (rerun.documents_new, rerun.documents_changed, rerun.details_skipped) == (0, 0, 16)
    assert rerun.pages_fetched == rerun.list_pages + 1  # the list pages and robots.txt only
    assert rerun.healthy, rerun.health_notes
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


def test_every_fault_is_recorded_and_everything_else_is_kept(db_url: str) -> None:
    with FaultSite() as site:
        outcome = crawl_source(fault_source(site.base_url), database_url=db_url)
    run = crawl_run(db_url, outcome.crawl_run_id)
    faults = {e["url"].rsplit("/", 1)[-1]: (e["kind"], e["message"]) for e in run.errors}
    assert faults["gone.html"] == ("http", "HTTP 404")
    assert faults["boom.html"] == ("http", "HTTP 500")
    assert faults["loop-a.html"][0] == "http" and "redirect" in faults["loop-a.html"][1]
    assert faults["redesigned.html"][0] == "parse"
    assert faults["slow.html"][0] == "network" and "Timeout" in faults["slow.html"][1]
    assert faults["reset.html"][0] == "network"
    assert faults["truncated.html"][0] == "network"
    assert faults["huge.html"][0] == "network"
    assert faults["internal.html"] == ("http", "request dropped: Forbidden by robots.txt")
    trap = [m for k, m in faults.values() if "max_pages" in m]
    assert trap == ["pagination stopped at max_pages=6"]
    assert (run.http_errors, run.network_errors, run.parse_errors) == (4, 4, 2)
    assert run.status == "partial"
    with session_scope(db_url) as session:
        docs = {d.url.rsplit("/", 1)[-1]: d for d in session.scalars(select(Document))}
    assert sorted(docs) == ["nocharset.html", "ok.html", "ok2.html", "wrongcharset.html"]
    for name in ("nocharset.html", "wrongcharset.html"):
        assert "甲醇燃料油" in docs[name].text, docs[name].text
        assert docs[name].encoding == "gb18030"


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


def test_a_changed_page_becomes_a_new_version_and_unchanged_ones_are_not_fetched(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'clues.db'}"
    with FaultSite() as site:
        site.set_page("/news.html", list_page(NEWS_LINKS, None))
        for href, title, day in NEWS_LINKS:
            site.set_page(
                f"/{href}",
                DETAIL.format(title=title, day=day, body="初稿正文。"),
                modified_at=1_700_000_000,
            )
        config = fault_source(site.base_url, "news.html")
        first = crawl_run(url, crawl_source(config, database_url=url).crawl_run_id)
        assert first.documents_new == 3

        second = crawl_run(url, crawl_source(config, database_url=url).crawl_run_id)
        assert (second.details_skipped, second.pages_fetched) == (3, 2)  # list + robots.txt

        # The listing shows a new date for one entry and its page changed; another entry's
        # listing changed but the page did not (the server answers 304).
        href, title, _ = NEWS_LINKS[0]
        changed = [(href, title, "2024-07-09"), NEWS_LINKS[1], NEWS_LINKS[2]]
        changed[1] = (NEWS_LINKS[1][0], NEWS_LINKS[1][1] + "（更新）", NEWS_LINKS[1][2])
        site.set_page("/news.html", list_page(changed, None))
        site.set_page(
            f"/{href}",
            DETAIL.format(title=title, day="2024-07-09", body="修订后的正文。"),
            modified_at=1_800_000_000,
        )
        third = crawl_run(url, crawl_source(config, database_url=url).crawl_run_id)
    assert (third.documents_changed, third.not_modified, third.details_skipped) == (1, 1, 1)
    with session_scope(url) as session:
        versions = session.scalars(
            select(Document).where(Document.url.endswith(href)).order_by(Document.version)
        ).all()
        assert [(d.version, d.superseded_at is None) for d in versions] == [(1, False), (2, True)]
        assert "初稿正文" in versions[0].text and "修订后的正文" in versions[1].text
        assert read_snapshot(versions[0].snapshot_ref) != read_snapshot(versions[1].snapshot_ref)
