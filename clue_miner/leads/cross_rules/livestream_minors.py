"""ML-101: a company registered for livestreaming (its business scope says so) is
reported elsewhere to have minors working for it or performing on camera, even when the
report never says "livestream"."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.leads.cross_rules.common import (
    FILING_RECORD_TYPES,
    PERMIT_RECORD_TYPES,
    cross_flag,
    feature,
    flag_region,
    organization_mentions,
    pattern,
    reconcile,
    rule_by_id,
    total,
)
from clue_miner.leads.cross_rules.filings import FiledScope, filed_scopes
from clue_miner.leads.org_matching import resolve_organization
from clue_miner.models import Document, Flag, Mention, Organization
from clue_miner.nlp.dictionaries import places_by_code, term_lists
from clue_miner.nlp.rules import Rule
from clue_miner.nlp.text import sentence_spans

RULE_ID = "ML-101"


def run(session: Session) -> int:
    """Bring the ML-101 flags in line with the store; return how many are new."""
    pack, rule = rule_by_id(RULE_ID)
    livestream = pattern(rule, "livestream_business")
    businesses: dict[int, list[FiledScope]] = {}
    for scope in filed_scopes(session):
        if livestream.search(scope.text):
            org = resolve_organization(
                session, scope.name, scope.uscc, scope.document.region_adcode, scope.document.id
            )
            businesses.setdefault(org.id, []).append(scope)
    flagged = {
        (doc_id, org_id)
        for doc_id, org_id in session.execute(
            select(Flag.document_id, Flag.organization_id).where(
                Flag.category == pack.category, Flag.rule_id != RULE_ID
            )
        )
    }
    mentions = (
        organization_mentions(session, FILING_RECORD_TYPES + PERMIT_RECORD_TYPES, include=False)
        if businesses
        else {}
    )
    wanted: list[Flag] = []
    for org_id, scopes in businesses.items():
        org = session.get_one(Organization, org_id)
        seen: set[int] = set()
        for mention, doc in mentions.get(org_id, []):
            if (doc.id, org_id) in flagged or doc.id in seen:
                continue  # a single-document rule already made this case
            found = _report(session, rule, mention, doc)
            if found is None:
                continue
            seen.add(doc.id)
            features, evidence = found
            features.insert(0, feature(rule, "livestream_business"))
            evidence.append(scopes[-1].evidence(["livestream_business"]))
            if total(features) >= rule.threshold:
                place = places_by_code().get(flag_region(org, doc) or "")
                agency = (place.name if place else "属地") + pack.agencies[0]
                wanted.append(
                    cross_flag(
                        pack,
                        rule,
                        org,
                        doc,
                        title=rule.title,
                        agency=agency,
                        facts={"business_scope_document": scopes[-1].document.id},
                        features=features,
                        evidence=evidence,
                    )
                )
    return reconcile(session, RULE_ID, wanted, lambda f: (f.document_id, f.organization_id))


def _window(text: str, at: int) -> tuple[int, int]:
    """The paragraph around offset ``at`` and the paragraphs just before and after it."""
    starts = [0] + [m.end() for m in re.finditer(r"\n+", text)]
    index = max(i for i, s in enumerate(starts) if s <= at)
    start = starts[max(0, index - 1)]
    end = starts[index + 2] if index + 2 < len(starts) else len(text)
    return start, end


def _report(
    session: Session, rule: Rule, org_mention: Mention, doc: Document
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """Minors and work near the organization's name: the features and the quotes."""
    text = doc.analysis_text()
    lo, hi = _window(text, org_mention.start)
    if any(re.search(e.pattern, text[lo:hi]) for e in rule.exclusions):
        return None  # "均已年满十八周岁", "未发现违法用工": the report clears the company
    work = pattern(rule, "working_or_on_camera")
    skip = _skip(rule, "working_or_on_camera")
    skip_minor = _skip(rule, "minors_involved")
    pay = pattern(rule, "induced_to_pay")
    minor_words = re.compile("|".join(re.escape(t) for t in term_lists()["minors"]))
    people = session.scalars(
        select(Mention).where(
            Mention.document_id == doc.id,
            Mention.type.in_(("age", "minor_count")),
            Mention.start >= lo,
            Mention.end <= hi,
        )
    ).all()
    minor_ages = [
        m for m in people if m.type == "minor_count" or int(m.attributes.get("max", 99)) < 18
    ]
    minor_spans = [(m.start, m.end) for m in minor_ages]
    minor_spans += [(m.start() + lo, m.end() + lo) for m in minor_words.finditer(text[lo:hi])]
    minor_spans = [
        (s, e) for s, e in minor_spans if not skip_minor.search(text[slice(*_sentence_of(text, s))])
    ]
    work_spans = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if lo <= start < hi and work.search(sentence) and not skip.search(sentence):
            work_spans.append((start, end))
    if not minor_spans or not work_spans:
        return None
    features = [feature(rule, "minors_involved"), feature(rule, "working_or_on_camera")]
    if any(m.type == "age" and int(m.attributes.get("max", 99)) < 16 for m in minor_ages):
        features.append(feature(rule, "minor_age_under_16"))
    if pay.search(text[lo:hi]):
        features.append(feature(rule, "induced_to_pay"))
    quotes = sorted({_sentence_of(text, s) for s, _ in minor_spans} | set(work_spans[:2]))
    evidence = [
        {
            "start": s,
            "end": e,
            "quote": text[s:e],
            "features": ["minors_involved", "working_or_on_camera"],
            "hits": [],
            "document_id": doc.id,
        }
        for s, e in quotes[:4]
    ]
    return features, evidence


def _skip(rule: Rule, name: str) -> re.Pattern[str]:
    """A feature's ``skip_if_sentence`` regex (one that matches nothing when unset)."""
    found = next(f.skip_if_sentence for f in rule.features if f.name == name)
    return re.compile(found or r"(?!x)x")


def _sentence_of(text: str, at: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentence_spans(text) if s <= at < e), (at, at))
