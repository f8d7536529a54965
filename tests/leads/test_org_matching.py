"""A name is matched to a known organization by credit code, then by a scored comparison
of its parts; an uncertain match is kept apart and listed for an analyst, never merged
silently."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.db import session_scope
from clue_miner.leads.org_matching import find_organization, resolve_organization
from clue_miner.leads.org_review import ReviewError, decide_match, pending_matches
from clue_miner.leads.store import link_flags, org_lead_key
from clue_miner.models import (
    Flag,
    Lead,
    LeadStatus,
    Organization,
    OrganizationMatch,
    TriageEvent,
)
from tests.factories import source_config, store_document

LIMIN = "张家口市万全区利民气体有限公司"
LIMIN_USCC = "91130708MA0QQJE702"
NEWS = source_config("jiping-legal-news", "news", "冀平法治资讯网", "130000")


def names(session: Session) -> list[str]:
    return sorted(o.name for o in session.scalars(select(Organization)))


def test_a_credit_code_decides_whatever_the_name(db_url: str) -> None:
    with session_scope(db_url) as session:
        org = resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        again = resolve_organization(session, "利民气体公司（万全）", LIMIN_USCC, None)
        assert again.id == org.id
        assert names(session) == [LIMIN]


def test_a_name_without_its_region_prefix_matches_in_the_same_city(db_url: str) -> None:
    with session_scope(db_url) as session:
        org = resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        found = find_organization(session, "利民气体有限责任公司", None, "130700")
        assert found.organization is not None and found.organization.id == org.id
        assert found.match is not None
        assert [f["name"] for f in found.match.features] == ["same_core_name", "region_within"]
        assert found.match.score == pytest.approx(0.8)


def test_the_same_trade_name_in_another_city_is_another_company(db_url: str) -> None:
    with session_scope(db_url) as session:
        resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        other = resolve_organization(session, "唐山市利民气体有限公司", None, "130200")
        assert other.normalized_name == "唐山市利民气体有限公司"
        assert len(names(session)) == 2
        assert pending_matches(session) == []  # region_conflict: not even a question


def test_a_name_known_only_to_the_province_is_kept_apart_and_listed(db_url: str) -> None:
    with session_scope(db_url) as session:
        limin = resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        unsure = resolve_organization(session, "利民气体有限公司", None, "130000")
        assert unsure.id != limin.id
        [match] = pending_matches(session)
        assert (match.candidate_id, match.kept_apart_id) == (limin.id, unsure.id)
        assert [f["name"] for f in match.features] == ["same_core_name", "region_within_province"]
        assert match.score == pytest.approx(0.6)
        # the same name again resolves to the organization kept apart, listed once
        assert resolve_organization(session, "利民气体有限公司", None, "130000").id == unsure.id
        assert len(pending_matches(session)) == 1


def test_two_equally_good_candidates_are_a_question_not_a_guess(db_url: str) -> None:
    with session_scope(db_url) as session:
        resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        resolve_organization(session, "张家口市宣化区利民气体有限公司", None, "130705")
        assert len(names(session)) == 2  # 万全区 ≠ 宣化区
        found = find_organization(session, "利民气体有限公司", None, "130700")
        assert found.organization is None
        assert len(found.review) == 2


def _flag(session: Session, org: Organization, quote: str) -> int:
    path = f"{org.id}.html"
    doc = store_document(session, NEWS, path, "万全区一冷库发生液氨泄漏", quote, date(2025, 12, 1))
    flag = Flag(
        document_id=doc.id,
        category="hazmat_unlicensed",
        rule_id="HZ-101",
        score=0.9,
        title="经营、配送许可范围以外的危险化学品（液氨）",
        organization_id=org.id,
        organization_name=org.name,
        lead_key=org_lead_key("hazmat_unlicensed", org),
        features=[{"name": "activity_chemical", "weight": 0.9}],
        evidence=[{"start": 0, "end": len(quote), "quote": quote}],
    )
    session.add(flag)
    session.flush()
    return flag.id


def test_accepting_a_match_merges_the_organization_and_its_lead(db_url: str) -> None:
    with session_scope(db_url) as session:
        limin = resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        unsure = resolve_organization(session, "利民气体有限公司", None, "130000")
        _flag(session, limin, "张家口市万全区利民气体有限公司向冷库配送液氨约2吨。")
        _flag(session, unsure, "利民气体有限公司的货车运送液氨。")
        assert link_flags(session).leads_new == 2
        [match] = pending_matches(session)

        decide_match(session, match.id, accept=True, actor="analyst-li")

        assert session.get_one(Organization, unsure.id).merged_into_id == limin.id
        leads = {lead.status: lead for lead in session.scalars(select(Lead))}
        kept, merged = leads[LeadStatus.NEW.value], leads[LeadStatus.MERGED.value]
        assert kept.organization_id == limin.id and merged.merged_into_id == kept.id
        assert len(kept.evidence) == 2 and merged.evidence == []
        events = session.scalars(select(TriageEvent).where(TriageEvent.action == "merge")).all()
        assert {e.lead_id for e in events} == {kept.id, merged.id}
        assert all(e.actor == "analyst-li" for e in events)
        # from now on the name means the candidate, without asking again
        assert find_organization(session, "利民气体有限公司", None, "130000").organization == limin
        with pytest.raises(ReviewError):
            decide_match(session, match.id, accept=False, actor="analyst-li")


def test_rejecting_a_match_keeps_them_apart_and_stops_asking(db_url: str) -> None:
    with session_scope(db_url) as session:
        resolve_organization(session, LIMIN, LIMIN_USCC, "130708")
        unsure = resolve_organization(session, "利民气体有限公司", None, "130000")
        [match] = pending_matches(session)
        decide_match(session, match.id, accept=False, actor="analyst-li")
        assert session.get_one(OrganizationMatch, match.id).status == "rejected"
        found = find_organization(session, "利民气体有限公司", None, "130000")
        assert found.organization is not None and found.organization.id == unsure.id
        assert pending_matches(session) == []
