"""HZ-102: a licence issued or changed although the records show its conditions were not
met: storage licensed at a home or at no site, or a holder whose registered business
scope has nothing to do with chemicals. The flag is about the licensing authority."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.leads.cross_rules.common import (
    cross_flag,
    feature,
    pattern,
    permit_evidence,
    reconcile,
    rule_by_id,
    total,
)
from clue_miner.leads.cross_rules.filings import FiledScope, filed_scopes
from clue_miner.leads.org_matching import find_organization
from clue_miner.models import Document, Flag, Organization, Permit
from clue_miner.nlp.dictionaries import chemicals
from clue_miner.nlp.rules import Rule, RulePack

RULE_ID = "HZ-102"


def run(session: Session) -> int:
    """Bring the HZ-102 flags in line with the store; return how many are new."""
    pack, rule = rule_by_id(RULE_ID)
    home_or_none = pattern(rule, "storage_without_facility")
    chemical_business = pattern(rule, "outside_business_scope")
    precursors = {c.name for c in chemicals() if c.is_precursor}
    scopes: dict[int, list[FiledScope]] = {}
    for scope in filed_scopes(session):
        found = find_organization(session, scope.name, scope.uscc, scope.document.region_adcode)
        if found.organization is not None:
            scopes.setdefault(found.organization.id, []).append(scope)
    permits = session.execute(
        select(Permit, Document)
        .join(Document, Permit.document_id == Document.id)
        .where(Permit.organization_id.is_not(None), Document.superseded_at.is_(None))
        .order_by(Permit.id)
    ).all()
    wanted: list[Flag] = []
    for permit, doc in permits:
        if not permit.chemicals:
            continue
        fired = [feature(rule, "permit_covers_chemicals", chemicals=permit.chemicals)]
        evidence = [permit_evidence(session, permit, ["permit_covers_chemicals"])]
        if _stores(permit) and permit.storage_site is not None:
            site = permit.storage_site.strip()
            if home_or_none.search(site):
                fired.append(feature(rule, "storage_without_facility", storage_site=site))
                evidence[0]["features"].append("storage_without_facility")
        filed = scopes.get(permit.organization_id or 0, [])
        if filed and not any(chemical_business.search(s.text) for s in filed):
            latest = max(
                filed,
                key=lambda s: (s.document.published_date or doc.published_date, s.document.id),
            )
            fired.append(feature(rule, "outside_business_scope"))
            evidence.append(latest.evidence(["outside_business_scope"]))
        if len(fired) == 1:
            continue
        licensed_precursors = sorted(precursors.intersection(permit.chemicals))
        if licensed_precursors:
            fired.append(feature(rule, "precursor_licensed", chemicals=licensed_precursors))
        if total(fired) < rule.threshold:
            continue
        org = session.get_one(Organization, permit.organization_id)
        wanted.append(_flag(pack, rule, org, permit, doc, fired, evidence))
    return reconcile(session, RULE_ID, wanted, _identity)


def _stores(permit: Permit) -> bool:
    """Whether the licence allows storage (带储存经营, not 不带储存经营)."""
    mode = permit.mode or ""
    return "带储存" in mode and "不带储存" not in mode


def _identity(flag: Flag) -> tuple[int, int, tuple[str, ...]]:
    """What makes two findings the same: permit record and the anomalies found."""
    return (
        flag.document_id,
        int(flag.facts["permit_record_id"]),
        tuple(sorted(str(f["name"]) for f in flag.features)),
    )


def _flag(
    pack: RulePack,
    rule: Rule,
    org: Organization,
    permit: Permit,
    doc: Document,
    features: list[dict[str, Any]],
    evidence: list[dict[str, Any]],
) -> Flag:
    problems = []
    if any(f["name"] == "storage_without_facility" for f in features):
        problems.append(f"储存场所：{permit.storage_site}")
    if any(f["name"] == "outside_business_scope" for f in features):
        problems.append("经营范围不含危险化学品")
    return cross_flag(
        pack,
        rule,
        org,
        doc,
        title=f"{rule.title}（{'、'.join(permit.chemicals)}；{'；'.join(problems)}）",
        agency=f"{permit.issuer}（发证机关）",
        facts={
            "chemicals": permit.chemicals,
            "permit_no": permit.permit_no,
            "permit_record_id": permit.record_id,
            "mode": permit.mode,
            "storage_site": permit.storage_site,
        },
        features=features,
        evidence=evidence,
    )
