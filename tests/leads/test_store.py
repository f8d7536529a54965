"""Analysis results are stored per document and folded into one lead per case."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clue_miner.crawlers.pipelines import text_sha256, upsert_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import init_db, session_scope
from clue_miner.leads.store import (
    SCORER_VERSION,
    analyse_pending,
    link_flags,
    pending_document_ids,
)
from clue_miner.models import (
    Document,
    Flag,
    Lead,
    LeadEvidence,
    Mention,
    Organization,
    TriageEvent,
)

SOURCE = SourceConfig.model_validate(
    {
        "id": "fengnan-rsj-penalties",
        "name": "丰南区人社局 行政处罚公示",
        "publisher": "唐山市丰南区人力资源和社会保障局",
        "region": {"adcode": "130207", "name": "河北省唐山市丰南区"},
        "record_type": "penalty_notice",
        "spider": "listing",
        "start_urls": ["http://127.0.0.1:8000/xzcf/index.html"],
        "list": {"links": "ul.list li a::attr(href)"},
        "detail": {"title": "h1::text", "body": "div.content"},
    }
)
PENALTY = (
    "当事人：唐山市丰南区星芒文化传媒有限公司，统一社会信用代码：91130207MA0MA6C854。\n"
    "经查，该公司于2024年3月与3名未满十八周岁的在校学生签订《主播合作协议》，安排其在某直播平台从事才艺直播，"
    "其中1人不满十六周岁。依据《禁止使用童工规定》第六条，决定罚款人民币一万五千元。"
)
FOLLOW_UP = (
    "经复查，唐山市丰南区星芒文化传媒有限公司（统一社会信用代码：91130207MA0MA6C854）仍安排1名15周岁的学生"
    "在直播间担任主播，区人社局依法再次作出行政处罚。"
)


def add_document(url: str, path: str, title: str, body: str) -> None:
    with session_scope(url) as session:
        upsert_source(session, SOURCE)
        session.add(
            Document(
                source_id=SOURCE.id,
                url=f"http://127.0.0.1:8000/xzcf/{path}",
                title=title,
                text=body,
                published_date=date(2024, 5, 14),
                content_sha256=text_sha256(title, body),
                raw_sha256="0" * 64,
                snapshot_ref="sha256/00/" + "0" * 64,
                record_type="penalty_notice",
                region_adcode="130207",
            )
        )


def run_analysis(url: str) -> tuple[int, int]:
    with session_scope(url) as session:
        counts = analyse_pending(session)
        leads = link_flags(session)
    return counts.documents, leads.leads_new


def test_two_documents_about_one_company_make_one_lead(db_url: str) -> None:
    add_document(
        db_url, "t1.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕7号）", PENALTY
    )
    assert run_analysis(db_url) == (1, 1)
    add_document(
        db_url, "t2.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕15号）", FOLLOW_UP
    )
    assert run_analysis(db_url) == (1, 0)
    with session_scope(db_url) as session:
        [lead] = session.scalars(select(Lead)).all()
        [org] = session.scalars(select(Organization)).all()
        assert lead.key == f"minors_livestream:org:{org.id}"
        assert lead.procuratorate == "唐山市丰南区人民检察院"
        assert lead.organization_name == "唐山市丰南区星芒文化传媒有限公司"
        assert lead.agency == "丰南区人力资源和社会保障局"
        assert lead.region_adcode == "130207"
        assert "禁止使用童工规定" in (lead.legal_basis or "")
        assert len({e.document_id for e in lead.evidence}) == 2
        assert org.uscc == "91130207MA0MA6C854"
        for evidence in lead.evidence:
            doc = session.get_one(Document, evidence.document_id)
            assert doc.analysis_text()[evidence.start : evidence.end] == evidence.quote


SEED_NEWS = (
    "2024年6月，唐山市丰南区人民检察院在履职中发现，唐山市丰南区某文化传媒有限公司与13名未成年人"
    "签订劳动合同，安排其担任网络主播从事直播带货。该院经调查认为，区人力资源和社会保障局对辖区直播机构"
    "招用未成年人的行为未依法履行监管职责，遂向其发出诉前检察建议。"
)
SEED_FOLLOW_UP = (
    "记者从丰南区检察院获悉，某文化传媒有限公司招用13名未成年人担任网络主播并签订劳动合同，"
    "丰南区人力资源和社会保障局收到检察建议后已责令该公司整改。"
)


def test_a_lead_is_described_the_same_whichever_document_arrives_first(
    db_url: str, tmp_path: Path
) -> None:
    reports = [
        ("news.html", "丰南区检察院督促整治直播机构招用未成年人", SEED_NEWS),
        ("follow-up.html", "直播机构招用未成年人问题整改到位", SEED_FOLLOW_UP),
    ]
    described = []
    for url, order in ((db_url, reports), (f"sqlite:///{tmp_path / 'other.db'}", reports[::-1])):
        init_db(url)
        for path, title, body in order:
            add_document(url, path, title, body)
            run_analysis(url)  # one document per night
        with session_scope(url) as session:
            [lead] = session.scalars(select(Lead)).all()
            described.append((lead.organization_name, lead.title, lead.agency, lead.score))
    assert described[0] == described[1]
    assert described[0][0] == "唐山市丰南区某文化传媒有限公司"  # the fuller name


def test_rerunning_the_analysis_changes_nothing(db_url: str) -> None:
    add_document(
        db_url, "t1.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕7号）", PENALTY
    )
    run_analysis(db_url)
    with session_scope(db_url) as session:
        assert pending_document_ids(session) == []
        before = [
            session.scalar(select(func.count()).select_from(m))
            for m in (Mention, Flag, Lead, LeadEvidence)
        ]
    assert run_analysis(db_url) == (0, 0)
    with session_scope(db_url) as session:
        after = [
            session.scalar(select(func.count()).select_from(m))
            for m in (Mention, Flag, Lead, LeadEvidence)
        ]
    assert after == before


def test_flags_a_failed_night_left_unlinked_are_linked_the_next_night(db_url: str) -> None:
    add_document(
        db_url, "t1.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕7号）", PENALTY
    )
    with session_scope(db_url) as session:
        analyse_pending(session)  # the night stops here: no lead is made
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 0
        assert link_flags(session).leads_new == 1
    with session_scope(db_url) as session:
        assert link_flags(session).leads_new == 0


def test_a_dismissed_lead_returns_only_with_new_evidence_and_says_so(db_url: str) -> None:
    add_document(
        db_url, "t1.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕7号）", PENALTY
    )
    run_analysis(db_url)
    with session_scope(db_url) as session:
        lead = session.scalars(select(Lead)).one()
        session.add(
            TriageEvent(
                lead_id=lead.id,
                actor="分析员王某",
                action="dismiss",
                from_status="new",
                to_status="dismissed",
                reason="证据不足",
            )
        )
        lead.status = "dismissed"
    run_analysis(db_url)  # nothing new: it stays dismissed
    with session_scope(db_url) as session:
        assert session.scalars(select(Lead)).one().status == "dismissed"

    add_document(
        db_url, "t2.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕15号）", FOLLOW_UP
    )
    run_analysis(db_url)
    with session_scope(db_url) as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.status == "new"
        reopen = lead.events[-1]
        assert (reopen.actor, reopen.action, reopen.from_status) == (
            "clue-miner",
            "reopen",
            "dismissed",
        )
        assert "15号" in (reopen.reason or "")


def test_scores_keep_their_features_and_scorer_version(db_url: str) -> None:
    add_document(
        db_url, "t1.html", "丰南区人社局行政处罚决定书（丰人社罚决字〔2024〕7号）", PENALTY
    )
    run_analysis(db_url)
    with session_scope(db_url) as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.scorer_version == SCORER_VERSION
        # one source: the lead's score is its flag's probability, whose log-odds the
        # features' shares add up to
        logit = sum(f["weight"] for f in lead.features)
        assert 0.5 <= lead.score < 1.0
        assert lead.score == pytest.approx(1 / (1 + math.exp(-logit)), abs=0.02)
        names = {f["name"] for f in lead.features}
        assert {"feature_livestream_context", "feature_minors_involved", "bias"} <= names
