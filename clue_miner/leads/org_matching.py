"""Which known organization a name means: blocked by core name, scored by named features.

Every comparison is a list of named, weighted features (``org_matching.yml``), so a match
can be explained and an ambiguous one shown to an analyst. Candidates come only from the
block of organizations sharing the name's core (an indexed column), so matching stays
linear in the number of names, never all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.models import Organization, OrganizationMatch
from clue_miner.nlp.org_names import OrgName, parse_org_name, region_relation

CONFIG_FILE = Path(__file__).resolve().parent / "org_matching.yml"
PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


@dataclass(frozen=True)
class MatchConfig:
    version: str
    match_threshold: float
    review_threshold: float
    margin: float
    weights: dict[str, float]


@cache
def matching_config() -> MatchConfig:
    """The feature weights and thresholds from ``org_matching.yml``."""
    data = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    return MatchConfig(
        version=str(data["version"]),
        match_threshold=float(data["match_threshold"]),
        review_threshold=float(data["review_threshold"]),
        margin=float(data["margin"]),
        weights={k: float(v) for k, v in data["features"].items()},
    )


@dataclass
class Match:
    """A candidate organization with the features that fired and their summed score."""

    organization: Organization
    score: float
    features: list[dict[str, Any]]

    def explain(self) -> str:
        return " + ".join(f"{f['name']}({f['weight']:+g})" for f in self.features)


@dataclass
class Resolution:
    """The organization a name means, if one is clear, and the candidates to review."""

    organization: Organization | None
    match: Match | None = None
    review: list[Match] = field(default_factory=list)


def score_match(
    name: OrgName, uscc: str | None, context_adcode: str | None, org: Organization
) -> Match:
    """Compare a name (with the region it was found in) to one organization."""
    weights = matching_config().weights
    features: list[dict[str, Any]] = []

    def fire(feature: str, detail: str) -> None:
        features.append({"name": feature, "weight": weights[feature], "detail": detail})

    if uscc and org.uscc:
        if uscc == org.uscc:
            fire("uscc_match", uscc)
            return Match(org, weights["uscc_match"], features)
        fire("uscc_conflict", f"{uscc} ≠ {org.uscc}")
    theirs = parse_org_name(org.name)
    if name.key == theirs.key:
        fire("same_name", name.key)
    elif name.core == theirs.core:
        fire("same_core_name", name.core)
    relation = region_relation(name.adcode or context_adcode, theirs.adcode or org.region_adcode)
    if relation == "same":
        fire("region_same", org.region_adcode or "")
    elif relation == "contains":
        fire("region_within", f"{name.adcode or context_adcode} / {org.region_adcode}")
    elif relation == "contains_province":
        fire("region_within_province", f"{name.adcode or context_adcode} / {org.region_adcode}")
    elif relation == "conflict":
        fire("region_conflict", f"{name.adcode or context_adcode} ≠ {org.region_adcode}")
    if name.legal_form and theirs.legal_form and name.legal_form != theirs.legal_form:
        fire("legal_form_differs", f"{name.legal_form} / {theirs.legal_form}")
    return Match(org, round(sum(f["weight"] for f in features), 4), features)


def current(session: Session, org: Organization) -> Organization:
    """The organization itself, or the one it was merged into."""
    while org.merged_into_id is not None:
        org = session.get_one(Organization, org.merged_into_id)
    return org


def find_organization(
    session: Session, name: str, uscc: str | None = None, context_adcode: str | None = None
) -> Resolution:
    """The organization ``name`` (found in a document of region ``context_adcode``) means,
    without changing the store: by credit code, then an analyst's decision, then the best
    candidate of the core-name block if it is clear."""
    config = matching_config()
    if uscc:
        org = session.scalars(select(Organization).where(Organization.uscc == uscc)).first()
        if org is not None:
            org = current(session, org)
            weight = config.weights["uscc_match"]
            return Resolution(org, Match(org, weight, [_feature("uscc_match", weight, uscc)]))
    parts = parse_org_name(name)
    decided = session.scalars(
        select(OrganizationMatch).where(
            OrganizationMatch.name_key == parts.key,
            OrganizationMatch.context_adcode == (context_adcode or ""),
            OrganizationMatch.status.in_((ACCEPTED, REJECTED)),
        )
    ).all()
    for decision in decided:
        if decision.status == ACCEPTED:
            org = current(session, session.get_one(Organization, decision.candidate_id))
            weight = config.weights["same_name"] + config.weights["region_same"]
            feature = _feature("analyst_decision", weight, decision.decided_by or "")
            return Resolution(org, Match(org, weight, [feature]))
    rejected = {d.candidate_id for d in decided}
    candidates = session.scalars(
        select(Organization).where(
            Organization.core_name == parts.core,
            Organization.merged_into_id.is_(None),
            Organization.is_anonymous.is_(False),
        )
    ).all()
    matches = sorted(
        (score_match(parts, uscc, context_adcode, c) for c in candidates if c.id not in rejected),
        key=lambda m: (-m.score, m.organization.id),
    )
    strong = [m for m in matches if m.score >= config.match_threshold]
    if strong and (len(strong) == 1 or strong[0].score - strong[1].score >= config.margin):
        return Resolution(strong[0].organization, strong[0])
    if strong:
        return Resolution(None, review=strong)
    return Resolution(None, review=[m for m in matches if m.score >= config.review_threshold])


def _feature(name: str, weight: float, detail: str) -> dict[str, Any]:
    return {"name": name, "weight": weight, "detail": detail}


def resolve_organization(
    session: Session,
    name: str,
    uscc: str | None,
    region_adcode: str | None,
    document_id: int | None = None,
) -> Organization:
    """The organization a flag or a permit names; created when no known one is clearly it.
    A name that might be a known organization becomes its own, and the pair is listed for
    review: never merged silently."""
    found = find_organization(session, name, uscc, region_adcode)
    org = found.organization
    if org is not None:
        if uscc and not org.uscc:
            org.uscc = uscc
        return org
    parts = parse_org_name(name)
    org = Organization(
        name=name[:300],
        normalized_name=parts.key[:300],
        core_name=parts.core[:300],
        region_adcode=parts.adcode or region_adcode,
        uscc=uscc,
    )
    session.add(org)
    session.flush()
    record_review(session, name, region_adcode, found.review, org, document_id)
    return org


def record_review(
    session: Session,
    name: str,
    context_adcode: str | None,
    matches: list[Match],
    kept_apart: Organization | None,
    document_id: int | None,
) -> int:
    """List each uncertain candidate for ``name`` once; return how many are new."""
    key = parse_org_name(name).key[:300]
    added = 0
    for match in matches:
        if match.organization.id == (kept_apart.id if kept_apart else None):
            continue
        exists = session.scalars(
            select(OrganizationMatch.id).where(
                OrganizationMatch.name_key == key,
                OrganizationMatch.context_adcode == (context_adcode or ""),
                OrganizationMatch.candidate_id == match.organization.id,
            )
        ).first()
        if exists is not None:
            continue
        session.add(
            OrganizationMatch(
                name=name[:300],
                name_key=key,
                context_adcode=context_adcode or "",
                candidate_id=match.organization.id,
                kept_apart_id=kept_apart.id if kept_apart else None,
                document_id=document_id,
                score=match.score,
                features=match.features,
            )
        )
        added += 1
    session.flush()
    return added


def fill_core_names(session: Session) -> int:
    """Give organizations stored before core names existed their blocking key."""
    orgs = session.scalars(select(Organization).where(Organization.core_name == "")).all()
    for org in orgs:
        org.core_name = parse_org_name(org.name).core[:300]
    session.flush()
    return len(orgs)
