"""A small store for triage tests: leads in two regions, accounts, and hostile text.

丰南区 (130207, 唐山市) has two leads about one company; 桥东区 (130702, 张家口市) has
one whose crawled title and text carry a <script> and an onerror= payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clue_miner.db import session_scope
from clue_miner.leads.org_matching import resolve_organization
from clue_miner.leads.store import link_flags
from clue_miner.models import Flag, Lead
from clue_miner.triage.accounts import add_user
from tests.factories import source_config, store_document

PASSWORD = "correct horse battery"
SCRIPT = "<script>alert('xss')</script>"
ONERROR = '<img src=x onerror="alert(1)">'


@dataclass
class TriageStore:
    url: str
    fengnan: int  # a lead of 130207
    fengnan_other: int  # another lead of 130207 (same company, other category)
    qiaodong: int  # a lead of 130702 with hostile text


MINOR_IN_CLEAR = "其中主播刘小雨"  # a minor's name, in the Fengnan lead's evidence


def _lead(session: Session, region: str, category: str, title: str, quote: str, path: str) -> int:
    config = source_config(f"portal-{region}", "news", f"门户{region}", region)
    body = f"据报道，{quote}有关部门已介入调查。"
    doc = store_document(session, config, path, title, body, date(2025, 6, 1))
    start = len(title) + 2 + body.index(quote)
    company = "唐山市丰南区星芒文化传媒有限公司" if region == "130207" else None
    org = resolve_organization(session, company, None, region) if company else None
    session.add(
        Flag(
            document_id=doc.id,
            category=category,
            rule_id="ML-001" if category == "minors_livestream" else "HZ-001",
            score=0.9,
            title=title,
            organization_id=org.id if org else None,
            organization_name=company,
            agency="丰南区人力资源和社会保障局" if region == "130207" else "桥东区应急管理局",
            region_adcode=region,
            region_name={"130207": "河北省唐山市丰南区", "130702": "河北省张家口市桥东区"}[region],
            legal_basis="《中华人民共和国劳动法》第十五条",
            lead_key=f"{category}:test:{path}",
            features=[
                {"name": "livestream_context", "weight": 0.5},
                {"name": "minors_involved", "weight": 0.4},
            ],
            evidence=[{"start": start, "end": start + len(quote), "quote": quote}],
        )
    )
    session.flush()
    link_flags(session)
    return session.query(Lead).order_by(Lead.id.desc()).first().id  # type: ignore[union-attr]


def build_triage_store(url: str) -> TriageStore:
    with session_scope(url) as session:
        fengnan = _lead(
            session,
            "130207",
            "minors_livestream",
            "直播机构招用未成年人从事网络直播",
            f"星芒文化传媒有限公司与3名未满十六周岁的学生签订主播协议，{MINOR_IN_CLEAR}今年15岁。",
            "a.html",
        )
        other = _lead(
            session,
            "130207",
            "hazmat_unlicensed",
            "无证储存危险化学品",
            "星芒文化传媒有限公司仓库内存放盐酸两桶。",
            "b.html",
        )
        qiaodong = _lead(
            session,
            "130702",
            "hazmat_unlicensed",
            f"超范围经营{SCRIPT}",
            f"某商务有限公司购进硫酸{ONERROR}存放于车库。",
            "c.html",
        )
        add_user(session, "analyst-ts", "analyst", PASSWORD, "130200")
        add_user(session, "analyst-zjk", "analyst", PASSWORD, "130700")
        add_user(session, "supervisor", "supervisor", PASSWORD)
        add_user(session, "admin", "admin", PASSWORD)
    return TriageStore(url, fengnan, other, qiaodong)
