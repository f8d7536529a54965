"""What every rule that joins records needs: its card from the rule pack, organizations
resolved in documents, quotes from permit records, and idempotent reconciliation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.leads.org_matching import find_organization, record_review
from clue_miner.leads.store import org_lead_key
from clue_miner.models import Document, Flag, Mention, Organization, Permit
from clue_miner.nlp.dictionaries import full_place_name
from clue_miner.nlp.rules import Rule, RulePack, load_rule_packs

PERMIT_RECORD_TYPES = ("permit_registry", "permit_announcement")
FILING_RECORD_TYPES = ("enterprise_filing",)


def rule_by_id(rule_id: str) -> tuple[RulePack, Rule]:
    """A ``scope: records`` rule and its pack."""
    for pack in load_rule_packs():
        for rule in pack.rules:
            if rule.id == rule_id:
                return pack, rule
    raise LookupError(f"rule {rule_id} is not in any rule pack")


def feature(rule: Rule, name: str, **detail: Any) -> dict[str, Any]:
    """A fired feature with the weight its card gives it."""
    weight = next(f.weight for f in rule.features if f.name == name)
    return {"name": name, "weight": weight, **detail}


def pattern(rule: Rule, name: str) -> re.Pattern[str]:
    """The regex of a feature of ``rule``."""
    found = next(f.pattern for f in rule.features if f.name == name)
    if not found:
        raise LookupError(f"feature {name} of {rule.id} has no pattern")
    return re.compile(found)


def total(features: list[dict[str, Any]]) -> float:
    return round(min(1.0, sum(float(f["weight"]) for f in features)), 4)


def organization_mentions(
    session: Session, record_types: tuple[str, ...], include: bool
) -> dict[int, list[tuple[Mention, Document]]]:
    """Named (not anonymised) organization mentions in current documents, grouped by the
    organization each one clearly means. ``include`` picks documents of ``record_types``
    or all others. A name that may mean more than one is listed for review instead."""
    kind = Document.record_type.in_(record_types)
    rows = session.execute(
        select(Mention, Document)
        .join(Document, Mention.document_id == Document.id)
        .where(
            Mention.type == "organization",
            Document.superseded_at.is_(None),
            kind if include else ~kind,
        )
        .order_by(Mention.document_id, Mention.start)
    ).all()
    resolved: dict[tuple[str, str], int | None] = {}
    grouped: dict[int, list[tuple[Mention, Document]]] = defaultdict(list)
    for mention, doc in rows:
        if "某" in mention.value or mention.attributes.get("anonymous"):
            continue
        key = (mention.value, doc.region_adcode)
        if key not in resolved:
            found = find_organization(session, mention.value, None, doc.region_adcode)
            resolved[key] = found.organization.id if found.organization else None
            if found.review:
                record_review(session, mention.value, doc.region_adcode, found.review, None, doc.id)
        org_id = resolved[key]
        if org_id is not None:
            grouped[org_id].append((mention, doc))
    return grouped


def permit_quote(session: Session, permit: Permit) -> tuple[int, int, str]:
    """The line of the permit's document that is its row: the one naming the holder with
    the permit number, the licensed chemicals and the storage site, as far as they appear."""
    doc = session.get_one(Document, permit.document_id)
    text = doc.analysis_text()
    best: tuple[int, int, int] | None = None  # (rank, start, end)
    at = text.find(permit.holder_name)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[start:end]
        rank = (
            2 * bool(permit.permit_no and permit.permit_no in line)
            + any(c in line for c in permit.chemicals)
            + bool(permit.storage_site and permit.storage_site in line)
        )
        if best is None or rank > best[0]:
            best = (rank, start, end)
        at = text.find(permit.holder_name, end)
    if best is None:
        return 0, 0, ""
    return best[1], best[2], text[best[1] : best[2]]


def permit_evidence(session: Session, permit: Permit, features: list[str]) -> dict[str, Any]:
    start, end, quote = permit_quote(session, permit)
    return {
        "start": start,
        "end": end,
        "quote": quote,
        "features": features,
        "hits": [],
        "document_id": permit.document_id,
    }


def reconcile(
    session: Session, rule_id: str, wanted: list[Flag], identity: Callable[[Flag], Hashable]
) -> int:
    """Make the store hold exactly ``wanted`` flags of ``rule_id``: a finding that still
    holds keeps its flag as it is, one that no longer holds loses it. Return how many are
    new."""
    want: dict[Hashable, Flag] = {}
    for flag in wanted:
        want.setdefault(identity(flag), flag)
    existing = {
        identity(f): f for f in session.scalars(select(Flag).where(Flag.rule_id == rule_id))
    }
    for key, flag in existing.items():
        if key not in want:
            session.delete(flag)
    new = [flag for key, flag in want.items() if key not in existing]
    session.add_all(new)
    session.flush()
    return len(new)


def cross_flag(
    pack: RulePack,
    rule: Rule,
    org: Organization,
    doc: Document,
    *,
    title: str,
    agency: str,
    facts: dict[str, Any],
    features: list[dict[str, Any]],
    evidence: list[dict[str, Any]],
) -> Flag:
    """A flag about ``org`` found by a cross-record rule, anchored on ``doc``: scored by its
    features, citing the rule's and the pack's legal basis, keyed by the organization."""
    region = flag_region(org, doc)
    return Flag(
        document_id=doc.id,
        category=pack.category,
        rule_id=rule.id,
        score=total(features),
        title=title,
        organization_id=org.id,
        organization_name=org.name,
        agency=agency,
        region_adcode=region,
        region_name=full_place_name(region) if region else None,
        legal_basis="；".join([*rule.legal_basis, *pack.legal_basis]),
        lead_key=org_lead_key(pack.category, org),
        facts=facts,
        features=features,
        evidence=evidence,
    )


def flag_region(org: Organization, doc: Document) -> str | None:
    """Where the case is: the organization's region, else the document's."""
    return org.region_adcode or doc.region_adcode
