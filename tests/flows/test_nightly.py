"""The nightly flow as a real Prefect flow run: crawl → analyse → leads, idempotent, and a
dead source does not stop the night."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clue_miner.config import project_root
from clue_miner.db import session_scope
from clue_miner.db.lease import NightAlreadyRunning
from clue_miner.models import (
    CrawlRun,
    Document,
    Flag,
    Lead,
    LeadEvidence,
    NightlyRun,
    Organization,
)

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def counts(url: str) -> tuple[int, int]:
    with session_scope(url) as session:
        return (
            session.scalar(select(func.count()).select_from(Document)) or 0,
            session.scalar(select(func.count()).select_from(Lead)) or 0,
        )


def lead_of(session: Session, organization: str) -> Lead:
    return session.scalars(select(Lead).where(Lead.organization_name == organization)).one()


def test_a_second_night_over_an_unchanged_site_adds_nothing(
    db_url: str, sample_base_url: str
) -> None:
    from clue_miner.flows.nightly import nightly_flow

    sources = str(project_root() / "sources")
    first = nightly_flow(sources_dir=sources, base_url=sample_base_url, database_url=db_url)
    assert [s["status"] for s in first["sources"]] == ["ok"] * 5
    assert all(s["healthy"] for s in first["sources"])
    assert sum(s["documents_new"] for s in first["sources"]) == 89
    assert sum(s["records"] for s in first["sources"]) >= 80  # permit rows from XLSX and HTML
    assert first["documents_analysed"] == 89
    assert first["leads_new"] >= 12
    assert first["joined_flags"] == {"HZ-101": 1, "HZ-102": 1, "ML-101": 1}
    assert first["reposts"] == 1
    documents, leads = counts(db_url)
    assert documents == 89 and leads == first["leads_new"]
    with session_scope(db_url) as session:
        categories = set(session.scalars(select(Lead.category)))
        assert categories == {"minors_livestream", "hazmat_unlicensed"}

    with session_scope(db_url) as session:  # the join scenario: neither record alone
        lead = session.scalars(
            select(Lead)
            .join(Organization, Lead.organization_id == Organization.id)
            .where(Organization.uscc == "91130708MA0QQJE702")
        ).one()
        cited = {e.document_id: e for e in lead.evidence}
        assert len(cited) == 2 and {e.rule_id for e in lead.evidence} == {"HZ-101"}
        sources_cited = {session.get_one(Document, d).source_id for d in cited}
        assert sources_cited == {"jiping-legal-news", "zhangjiakou-spj-permits"}
        assert any("液氨" in e.quote for e in lead.evidence)
        assert any("氧气" in e.quote for e in lead.evidence)
        assert "液氨" in lead.title and lead.organization_name == "张家口市万全区利民气体有限公司"
        corroboration = [f for f in lead.features if f["name"] == "corroboration"]
        # two independent sources: the second raises the score, its share of the log-odds
        # named as corroboration
        [(share, independent)] = [(f["weight"], f["sources"]) for f in corroboration]
        assert independent == 2 and share > 0
        flag_scores = [session.get_one(Flag, e.flag_id).score for e in lead.evidence]
        assert lead.score > max(flag_scores)
        assert lead.procuratorate == "张家口市万全区人民检察院"

    with session_scope(db_url) as session:  # a filing and a parent's complaint: ML-101
        lead = lead_of(session, "唐山市丰南区锦程文化传媒有限公司")
        assert {e.rule_id for e in lead.evidence} == {"ML-101"}
        sources_cited = {session.get_one(Document, e.document_id).source_id for e in lead.evidence}
        assert sources_cited == {"jiping-legal-news", "tangshan-scjg-registrations"}
        assert lead.agency == "丰南区人力资源和社会保障局"

    with session_scope(db_url) as session:  # a garage licensed as a chemical store: HZ-102
        lead = lead_of(session, "张家口市经开区鼎盛商务有限公司")
        assert lead.agency == "张家口市行政审批局（发证机关）"
        assert any("地下车库" in e.quote and "000235" in e.quote for e in lead.evidence)

    with session_scope(db_url) as session:  # a repost joins the original's lead
        repost = session.scalars(select(Document).where(Document.title.like("【转载】%"))).one()
        [lead_id] = session.scalars(
            select(LeadEvidence.lead_id).where(LeadEvidence.document_id == repost.id).distinct()
        ).all()
        lead = session.get_one(Lead, lead_id)
        assert lead.organization_name == "张家口市桥东区恒盛商务有限公司"
        assert len({e.document_id for e in lead.evidence}) >= 2

    second = nightly_flow(sources_dir=sources, base_url=sample_base_url, database_url=db_url)
    assert sum(s["documents_new"] + s["documents_changed"] for s in second["sources"]) == 0
    for source in second["sources"]:  # the last run is recent: only the first list page
        assert source["since"] is not None
        assert source["pages_fetched"] == source["list_pages"] + 1 == 2  # and robots.txt
        assert source["details_skipped"] > 0 and source["healthy"], source
    assert (second["documents_analysed"], second["flags"], second["leads_new"]) == (0, 0, 0)
    assert counts(db_url) == (documents, leads)


def test_a_dead_source_is_counted_and_the_night_goes_on(
    tmp_path: Path, sample_base_url: str
) -> None:
    from clue_miner.flows.nightly import nightly_flow

    url = f"sqlite:///{tmp_path / 'clues.db'}"
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(project_root() / "sources" / "fengnan-rsj-penalties.yml", sources)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    dead = (project_root() / "sources" / "jiping-legal-news.yml").read_text(encoding="utf-8")
    (sources / "dead-portal.yml").write_text(
        dead.replace("id: jiping-legal-news", "id: dead-portal").replace(
            "{base_url}", f"http://127.0.0.1:{dead_port}"
        ),
        encoding="utf-8",
    )

    summary = nightly_flow(sources_dir=str(sources), base_url=sample_base_url, database_url=url)
    by_id = {s["source_id"]: s for s in summary["sources"]}
    assert by_id["dead-portal"]["status"] == "failed"
    assert by_id["dead-portal"]["errors"] >= 1
    assert by_id["fengnan-rsj-penalties"]["status"] == "ok"
    assert by_id["fengnan-rsj-penalties"]["documents_new"] == 16
    assert summary["leads_new"] >= 4
    with session_scope(url) as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.source_id)).all()
        assert [r.source_id for r in runs] == ["dead-portal", "fengnan-rsj-penalties"]
        assert runs[0].errors and runs[0].errors[0]["kind"] == "network"


def test_a_night_started_while_another_runs_on_the_store_refuses_and_stores_nothing(
    tmp_path: Path, sample_base_url: str, other_night: Callable[[str], subprocess.Popen[str]]
) -> None:
    from clue_miner.flows.nightly import nightly_flow

    url = f"sqlite:///{tmp_path / 'clues.db'}"
    sources = str(project_root() / "sources")
    other_night(url)  # the scheduled night, say, while an administrator types clues run
    with pytest.raises(NightAlreadyRunning):
        nightly_flow(sources_dir=sources, base_url=sample_base_url, database_url=url)
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(NightlyRun)) == 0
        assert session.scalar(select(func.count()).select_from(CrawlRun)) == 0
