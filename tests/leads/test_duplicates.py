"""A repost is found by its simhash among documents sharing a band; its flags join the
original's lead and it does not count as independent corroboration."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import session_scope
from clue_miner.leads.duplicates import fingerprint_documents
from clue_miner.leads.store import analyse_pending, link_flags
from clue_miner.models import Document, DocumentFingerprint, Flag, Lead
from clue_miner.sample_site.build import load_articles
from clue_miner.sample_site.portals import PORTALS
from tests.factories import source_config, store_document


def sample_story() -> str:
    """The sample site's story of 硫酸 stored in a rented house (news-2025-026)."""
    [article] = [a for a in load_articles(PORTALS["news"]) if a.id == "news-2025-026"]
    return article.body


STORY = sample_story()
REPOST = "来源：张家口新闻网\n\n" + STORY.replace("本网讯（通讯员 邢某某 记者 王某）", "").replace(
    "（编辑：周某）", "（责任编辑：李某某）"
)
OTHER = (
    "本网讯 丰南区人力资源和社会保障局对辖区直播公司开展专项检查，调阅劳动合同和主播排班表，"
    "发现一家文化传媒公司与3名未成年人签订合作协议，已依法立案查处并责令改正。" * 3
)


def add(url: str, config: SourceConfig, path: str, body: str, day: int) -> None:
    with session_scope(url) as session:
        store_document(
            session, config, path, "租来的民房里藏了一吨多硫酸", body, date(2025, 6, day)
        )


def test_a_repost_points_at_the_original_and_joins_its_lead(db_url: str) -> None:
    news = source_config("jiping-legal-news", "news", "冀平法治资讯网", "130700")
    portal = source_config("zjk-news", "news", "张家口新闻网", "130700")
    add(db_url, news, "a.html", STORY, 28)
    add(db_url, portal, "b.html", REPOST, 30)
    add(db_url, news, "c.html", OTHER, 29)
    with session_scope(db_url) as session:
        analyse_pending(session)
        counts = fingerprint_documents(session)
        assert (counts.fingerprinted, counts.reposts) == (3, 1)
        by_url = {d.url.rsplit("/", 1)[1]: d.id for d in session.scalars(select(Document))}
        repost = session.get_one(DocumentFingerprint, by_url["b.html"])
        assert repost.duplicate_of_id == by_url["a.html"] and (repost.distance or 0) <= 3
        assert session.get_one(DocumentFingerprint, by_url["c.html"]).duplicate_of_id is None

        flag = session.scalars(select(Flag).where(Flag.document_id == by_url["b.html"])).one()
        flag.lead_key = "hazmat_unlicensed:event:130700:worded-differently"
        link_flags(session)

        [lead] = session.scalars(select(Lead).where(Lead.category == "hazmat_unlicensed")).all()
        assert {e.document_id for e in lead.evidence} == {by_url["a.html"], by_url["b.html"]}
        assert all(f["name"] != "corroboration" for f in lead.features)
        assert fingerprint_documents(session).fingerprinted == 0  # once per document
