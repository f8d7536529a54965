"""HZ-101: a licensed organization is seen selling, delivering, storing or buying a
chemical outside the scope of every licence valid at the time. The flag cites both the
activity and the permit record."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.leads.cross_rules.common import (
    FILING_RECORD_TYPES,
    PERMIT_RECORD_TYPES,
    cross_flag,
    feature,
    organization_mentions,
    pattern,
    permit_evidence,
    reconcile,
    rule_by_id,
)
from clue_miner.models import Document, Flag, Mention, Organization, Permit
from clue_miner.nlp.rules import Rule, RulePack
from clue_miner.nlp.text import sentence_spans

RULE_ID = "HZ-101"


@dataclass(frozen=True)
class Activity:
    document: Document
    chemical: str
    precursor: bool
    start: int
    end: int


def run(session: Session) -> int:
    """Bring the HZ-101 flags in line with the store; return how many are new."""
    pack, rule = rule_by_id(RULE_ID)
    verbs = pattern(rule, "activity_chemical")
    permits_by_org: dict[int, list[Permit]] = defaultdict(list)
    for permit in session.scalars(select(Permit).where(Permit.organization_id.is_not(None))):
        permits_by_org[permit.organization_id or 0].append(permit)
    mentions = organization_mentions(
        session, PERMIT_RECORD_TYPES + FILING_RECORD_TYPES, include=False
    )
    wanted: list[Flag] = []
    for org_id, permits in permits_by_org.items():
        org = session.get_one(Organization, org_id)
        for activity in _activities(session, mentions.get(org_id, []), verbs):
            when = activity.document.published_date
            valid = [
                p for p in permits if p.valid_until is None or when is None or p.valid_until >= when
            ]
            if activity.chemical in {c for p in valid for c in p.chemicals}:
                continue
            wanted.append(_flag(session, pack, rule, org, activity, valid or permits))
    return reconcile(session, RULE_ID, wanted, _identity)


def _activities(
    session: Session, mentions: list[tuple[Mention, Document]], verbs: re.Pattern[str]
) -> list[Activity]:
    """Sentences that name the organization and a chemical and say it was sold, delivered,
    stored or bought."""
    found: list[Activity] = []
    for org_mention, doc in mentions:
        text = doc.analysis_text()
        chemicals = session.scalars(
            select(Mention).where(Mention.document_id == doc.id, Mention.type == "chemical")
        ).all()
        for start, end in sentence_spans(text):
            if not start <= org_mention.start < end or not verbs.search(text[start:end]):
                continue
            for chem in chemicals:
                if start <= chem.start < end:
                    precursor = bool(chem.attributes.get("precursor"))
                    found.append(Activity(doc, chem.value, precursor, start, end))
    return found


def _identity(flag: Flag) -> tuple[int, int | None, str, int]:
    """What makes two findings the same: document, organization, chemical, sentence."""
    return (
        flag.document_id,
        flag.organization_id,
        flag.facts["chemicals"][0],
        int(flag.evidence[0]["start"]),
    )


def _flag(
    session: Session,
    pack: RulePack,
    rule: Rule,
    org: Organization,
    activity: Activity,
    permits: list[Permit],
) -> Flag:
    doc = activity.document
    text = doc.analysis_text()
    features = [
        feature(rule, "activity_chemical"),
        feature(rule, "permit_found"),
        feature(rule, "chemical_outside_scope"),
    ]
    if activity.precursor:
        features.append(feature(rule, "precursor_outside_scope"))
    permit = max(permits, key=lambda p: (p.published or doc.published_date or 0, p.id))
    scope = "、".join(permit.chemicals) or permit.scope_text
    return cross_flag(
        pack,
        rule,
        org,
        doc,
        title=f"{rule.title}（{activity.chemical}；许可范围：{scope}）",
        agency=f"{permit.issuer}（发证机关）",
        facts={
            "chemicals": [activity.chemical],
            "licensed": permit.chemicals,
            "permit_no": permit.permit_no,
        },
        features=features,
        evidence=[
            {
                "start": activity.start,
                "end": activity.end,
                "quote": text[activity.start : activity.end],
                "features": ["activity_chemical"],
                "hits": [],
                "document_id": doc.id,
            },
            permit_evidence(session, permit, ["permit_found", "chemical_outside_scope"]),
        ],
    )
