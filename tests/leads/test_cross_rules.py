"""Rules that join records: each fires only on the join, cites every record it used, and
is reconciled (a rerun adds nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.db import session_scope
from clue_miner.leads.cross_rules import run_cross_rules
from clue_miner.leads.permits import build_permits
from clue_miner.leads.store import analyse_pending, link_flags
from clue_miner.models import Flag, Lead, Record
from tests.factories import source_config, store_document

SPJ, SCJG, NEWS = "zhangjiakou-spj-permits", "tangshan-scjg-registrations", "jiping-legal-news"
KINDS = {
    SPJ: ("permit_registry", "张家口市行政审批局", "130700"),
    SCJG: ("enterprise_filing", "唐山市市场监督管理局", "130200"),
    NEWS: ("news", "冀平法治资讯网", "130000"),
}

REGISTRY = (
    "张家口市行政审批局2024年第三季度危险化学品经营许可证信息公示\n"
    "现将本季度核发、变更的危险化学品经营许可证信息公示如下。\n"
    "1 张家口市经开区鼎盛商务有限公司 91130791MA0D1N6K3Y 冀张危化经字〔2024〕000231 带储存经营 "
    "经开区钻石南路某小区12号楼地下车库 盐酸、硫酸 2027-09-20 变更\n"
    "2 张家口市宣化区钢城工业气体有限公司 91130705MA026B5244 冀张危化经字〔2024〕000128 带储存经营 "
    "宣化区化工园区纬三路8号危化品仓库 氧气、氮气、氩气 2027-03-19 变更\n"
)
FILING = (
    "唐山市市场监督管理局企业设立登记公告（2024年第7期）\n"
    "一、企业名称：唐山市丰南区锦程文化传媒有限公司\n"
    "统一社会信用代码：91130207MA0J8NQ1XP\n"
    "经营范围：一般项目：网络直播技术服务；文艺创作；组织文化艺术交流活动。许可项目：演出经纪。\n"
    "二、企业名称：唐山市丰南区顺达五金店有限公司\n"
    "经营范围：五金产品零售；日用百货销售。\n"
)
COMPLAINT = (
    "家长拨打12345热线反映女儿被招去“陪聊”\n"
    "本网讯 8月初，丰南区一位家长拨打12345热线反映，女儿今年15岁，初中刚毕业。\n"
    "暑假里，唐山市丰南区锦程文化传媒有限公司找到她，让她签了一份合作协议，每天晚上在公司工作室对着摄像头"
    "表演才艺、陪聊，收入由公司分成，常常到凌晨才回家。\n"
    "目前热线已将诉求转交相关部门核实处理。\n"
)
CLEARED = (
    "丰南区人社局检查传媒企业用工\n"
    "检查人员在唐山市丰南区锦程文化传媒有限公司调阅了合作协议和身份核验记录，"
    "该公司签约人员均已年满十八周岁，未发现违法用工情形。\n"
)


def add(
    session: Session, source_id: str, path: str, text: str, rows: list[dict[str, Any]] | None = None
) -> int:
    record_type, publisher, region = KINDS[source_id]
    title, body = text.split("\n", 1)
    config = source_config(source_id, record_type, publisher, region)
    doc = store_document(session, config, path, title, body, date(2024, 9, 30))
    for number, fields in enumerate(rows or [], start=1):
        session.add(
            Record(
                source_id=source_id,
                document_id=doc.id,
                record_type=record_type,
                row_number=number,
                key=fields["permit_no"],
                fields=fields,
                cells={},
            )
        )
    session.flush()
    return doc.id


def registry_rows() -> list[dict[str, Any]]:
    rows = []
    for line in REGISTRY.splitlines()[2:]:
        _, org, uscc, number, mode, site, scope, until, change = line.split(" ")
        rows.append(
            {
                "org_name": org,
                "uscc": uscc,
                "permit_no": number,
                "mode": mode,
                "storage_site": site,
                "scope": scope,
                "valid_until": until,
                "change_type": change,
            }
        )
    return rows


def flags(session: Session, rule_id: str) -> list[Flag]:
    return list(session.scalars(select(Flag).where(Flag.rule_id == rule_id)))


def test_hz102_a_home_garage_licensed_as_chemical_store_is_the_agency_s_lead(db_url: str) -> None:
    with session_scope(db_url) as session:
        registry = add(session, SPJ, "q3.html", REGISTRY, registry_rows())
        analyse_pending(session)
        build_permits(session)
        assert run_cross_rules(session)["HZ-102"] == 1
        [flag] = flags(session, "HZ-102")
        assert flag.organization_name == "张家口市经开区鼎盛商务有限公司"
        assert flag.agency == "张家口市行政审批局（发证机关）"
        names = [f["name"] for f in flag.features]
        assert names == [
            "permit_covers_chemicals",
            "storage_without_facility",
            "precursor_licensed",
        ]
        assert flag.score == 0.8 and flag.facts["storage_site"].endswith("地下车库")
        assert "第三十四条" in (flag.legal_basis or "")
        [quote] = flag.evidence
        assert quote["document_id"] == registry and "鼎盛商务" in quote["quote"]
        assert run_cross_rules(session)["HZ-102"] == 0  # reconciled, not recreated


def test_ml101_neither_the_filing_nor_the_complaint_alone_is_a_lead(db_url: str) -> None:
    with session_scope(db_url) as session:
        complaint = add(session, NEWS, "complaint.html", COMPLAINT)
        analyse_pending(session)
        assert session.scalars(select(Flag)).all() == []  # no livestream word anywhere
        assert run_cross_rules(session)["ML-101"] == 0
        filing = add(session, SCJG, "filing.html", FILING)
        analyse_pending(session)
        assert session.scalars(select(Flag)).all() == []  # a filing alone is never a lead
        assert run_cross_rules(session)["ML-101"] == 1
        [flag] = flags(session, "ML-101")
        names = [f["name"] for f in flag.features]
        assert names == [
            "livestream_business",
            "minors_involved",
            "working_or_on_camera",
            "minor_age_under_16",
        ]
        assert flag.agency == "丰南区人力资源和社会保障局"
        assert {e["document_id"] for e in flag.evidence} == {complaint, filing}
        assert any("网络直播技术服务" in e["quote"] for e in flag.evidence)
        assert any("15岁" in e["quote"] for e in flag.evidence)
        link_flags(session)
        [lead] = session.scalars(select(Lead)).all()
        assert lead.procuratorate == "唐山市丰南区人民检察院"
        assert lead.organization_name == "唐山市丰南区锦程文化传媒有限公司"


def test_ml101_a_report_that_clears_the_company_is_no_lead(db_url: str) -> None:
    with session_scope(db_url) as session:
        add(session, SCJG, "filing.html", FILING)
        add(session, NEWS, "cleared.html", CLEARED)
        analyse_pending(session)
        assert run_cross_rules(session)["ML-101"] == 0
