"""Rules that join records: what one document says an organization did, against the
permits another record gives it. The rule (``scope: records``) lives in its YAML pack with
its card; its feature weights, threshold and legal basis are read from there.

HZ-101: a licensed organization is seen selling, delivering, storing or buying a chemical
outside the scope of every licence valid at the time. The flag cites both records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.models import Document, Flag, Mention, Organization, Permit, Source
from clue_miner.nlp.dictionaries import full_place_name
from clue_miner.nlp.rules import Rule, RulePack, load_rule_packs
from clue_miner.nlp.text import sentence_spans

RULE_ID = "HZ-101"
SKIP_RECORD_TYPES = ("permit_registry", "permit_announcement", "enterprise_filing")


@dataclass(frozen=True)
class Activity:
    document: Document
    chemical: str
    precursor: bool
    start: int
    end: int


def _rule() -> tuple[RulePack, Rule]:
    for pack in load_rule_packs():
        for rule in pack.rules:
            if rule.id == RULE_ID:
                return pack, rule
    raise LookupError(f"rule {RULE_ID} is not in any rule pack")


def _weight(rule: Rule, name: str) -> float:
    return next(f.weight for f in rule.features if f.name == name)


def _activities(session: Session, org: Organization, verbs: re.Pattern[str]) -> list[Activity]:
    """Sentences of current, non-registry documents that name ``org`` and a chemical and say
    it was sold, delivered, stored or bought."""
    mentions = session.execute(
        select(Mention, Document)
        .join(Document, Mention.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .where(
            Mention.type == "organization",
            Mention.value == org.normalized_name,
            Document.superseded_at.is_(None),
            Source.record_type.not_in(SKIP_RECORD_TYPES),
        )
    ).all()
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
                    found.append(
                        Activity(
                            doc, chem.value, bool(chem.attributes.get("precursor")), start, end
                        )
                    )
    return found


def _permit_quote(session: Session, permit: Permit) -> tuple[int, int, str]:
    """The line of the permit's document that names the holder and its licensed scope."""
    doc = session.get_one(Document, permit.document_id)
    text = doc.analysis_text()
    best: tuple[int, int] | None = None
    at = text.find(permit.holder_name)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if best is None or any(c in text[start:end] for c in permit.chemicals):
            best = (start, end)
            if any(c in text[start:end] for c in permit.chemicals):
                break
        at = text.find(permit.holder_name, end)
    if best is None:
        return 0, 0, ""
    return best[0], best[1], text[best[0] : best[1]]


def run_cross_rules(session: Session) -> int:
    """Bring the HZ-101 flags in line with the store (idempotent); return how many are new.

    A flag whose finding still holds is kept as it is; one that no longer holds (a new
    permit covers the chemical, the document changed) is deleted."""
    pack, rule = _rule()
    verbs = re.compile(
        next(f.pattern for f in rule.features if f.name == "activity_chemical") or ""
    )
    permits_by_org: dict[int, list[Permit]] = defaultdict(list)
    for permit in session.scalars(select(Permit).where(Permit.organization_id.is_not(None))):
        permits_by_org[permit.organization_id or 0].append(permit)
    wanted: dict[tuple[int, int | None, str, int], Flag] = {}
    for org_id, permits in permits_by_org.items():
        org = session.get_one(Organization, org_id)
        for activity in _activities(session, org, verbs):
            when = activity.document.published_date
            valid = [
                p for p in permits if p.valid_until is None or when is None or p.valid_until >= when
            ]
            if activity.chemical in {c for p in valid for c in p.chemicals}:
                continue
            flag = _flag(session, pack, rule, org, activity, valid or permits)
            wanted.setdefault(_identity(flag), flag)
    existing = {
        _identity(f): f for f in session.scalars(select(Flag).where(Flag.rule_id == RULE_ID))
    }
    for key, flag in existing.items():
        if key not in wanted:
            session.delete(flag)
    new = [flag for key, flag in wanted.items() if key not in existing]
    session.add_all(new)
    session.flush()
    return len(new)


def _identity(flag: Flag) -> tuple[int, int | None, str, int]:
    """What makes two HZ-101 findings the same: document, organization, chemical, sentence."""
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
    features: list[dict[str, str | float]] = [
        {"name": "activity_chemical", "weight": _weight(rule, "activity_chemical")},
        {"name": "permit_found", "weight": _weight(rule, "permit_found")},
        {"name": "chemical_outside_scope", "weight": _weight(rule, "chemical_outside_scope")},
    ]
    if activity.precursor:
        features.append(
            {"name": "precursor_outside_scope", "weight": _weight(rule, "precursor_outside_scope")}
        )
    permit = max(permits, key=lambda p: (p.published or doc.published_date or 0, p.id))
    p_start, p_end, p_quote = _permit_quote(session, permit)
    scope = "、".join(permit.chemicals) or permit.scope_text
    evidence = [
        {
            "start": activity.start,
            "end": activity.end,
            "quote": text[activity.start : activity.end],
            "features": ["activity_chemical"],
            "hits": [],
            "document_id": doc.id,
        },
        {
            "start": p_start,
            "end": p_end,
            "quote": p_quote,
            "features": ["permit_found", "chemical_outside_scope"],
            "hits": [],
            "document_id": permit.document_id,
        },
    ]
    region = org.region_adcode or doc.region_adcode
    return Flag(
        document_id=doc.id,
        category=pack.category,
        rule_id=rule.id,
        score=round(min(1.0, sum(float(f["weight"]) for f in features)), 4),
        title=f"{rule.title}（{activity.chemical}；许可范围：{scope}）",
        organization_id=org.id,
        organization_name=org.name,
        agency=f"{permit.issuer}（发证机关）",
        region_adcode=region,
        region_name=full_place_name(region) if region else None,
        legal_basis="；".join(pack.legal_basis),
        lead_key=f"{pack.category}:uscc:{org.uscc}"
        if org.uscc
        else f"{pack.category}:org:{org.normalized_name[:200]}",
        facts={
            "chemicals": [activity.chemical],
            "licensed": permit.chemicals,
            "permit_no": permit.permit_no,
        },
        features=features,
        evidence=evidence,
    )
