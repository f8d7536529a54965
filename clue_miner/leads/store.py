"""Persist analysis results and fold flags into leads (one lead per case across nights)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from clue_miner.leads.org_matching import resolve_organization
from clue_miner.leads.routing import procuratorate_for
from clue_miner.models import (
    CrawlRun,
    Document,
    DocumentFingerprint,
    Flag,
    Lead,
    LeadEvidence,
    LeadStatus,
    Mention,
    Organization,
    TriageEvent,
)
from clue_miner.nlp.analyze import (
    ANALYSIS_VERSION,
    AnalysisResult,
    FlagResult,
    analyze_text,
)
from clue_miner.nlp.classify.flags import add_classifier_probabilities
from clue_miner.nlp.classify.model import ClassifierSet


@dataclass
class AnalysisCounts:
    documents: int = 0
    mentions: int = 0
    flags: int = 0


@dataclass
class LeadCounts:
    flags: int = 0
    leads_new: int = 0
    leads_updated: int = 0
    evidence_added: int = 0


def pending_document_ids(session: Session, complete_sources: set[str] | None = None) -> list[int]:
    """Documents never analysed, changed since, or analysed by an older version. With
    ``complete_sources``, only those whose text is final while crawls still run: from
    one of these sources (no attachments to wait for), or from a finished crawl run."""
    query = (
        select(Document.id)
        .where(
            (Document.analysed_sha256.is_(None))
            | (Document.analysed_sha256 != Document.content_sha256)
            | (Document.analysis_version != ANALYSIS_VERSION)
        )
        .order_by(Document.id)
    )
    if complete_sources is not None:
        finished = select(CrawlRun.id).where(CrawlRun.finished_at.is_not(None))
        query = query.where(
            Document.source_id.in_(complete_sources) | Document.crawl_run_id.in_(finished)
        )
    return list(session.scalars(query))


def store_analyses(session: Session, analysed: list[tuple[Document, AnalysisResult]]) -> int:
    """Replace the mentions and flags of each document with its fresh analysis; return how
    many flags were stored. One statement per table for the whole batch, not per document:
    a night stores hundreds of thousands of mentions."""
    again = [doc.id for doc, _ in analysed if doc.analysed_sha256 is not None]
    if again:  # analysed before: drop what that analysis stored
        # no session synchronisation: scanning every loaded object per delete is quadratic
        quiet = {"synchronize_session": False}
        session.execute(
            delete(Mention).where(Mention.document_id.in_(again)), execution_options=quiet
        )
        session.execute(delete(Flag).where(Flag.document_id.in_(again)), execution_options=quiet)
    rows = [
        {
            "document_id": doc.id,
            "type": m.type,
            "text": m.text[:500],
            "value": m.value[:500],
            "start": m.start,
            "end": m.end,
            "attributes": m.attrs,
        }
        for doc, result in analysed
        for m in result.mentions
    ]
    if rows:
        session.execute(insert(Mention), rows)
    stored = 0
    for doc, result in analysed:
        for f in result.flags:
            session.add(_flag_row(session, doc, f))
            stored += 1
        doc.analysed_sha256 = doc.content_sha256
        doc.analysis_version = ANALYSIS_VERSION
    session.flush()
    return stored


def _flag_row(session: Session, doc: Document, f: FlagResult) -> Flag:
    org = upsert_organization(session, f, doc.id)
    return Flag(
        document_id=doc.id,
        category=f.category,
        rule_id=f.rule_id,
        score=f.score,
        title=f.title,
        organization_id=org.id if org else None,
        organization_name=f.organization,
        agency=f.agency,
        region_adcode=f.region_adcode,
        features=f.features,
        evidence=[e.__dict__ for e in f.evidence],
        lead_key=org_lead_key(f.category, org) if org else f.lead_key(),
        region_name=f.region_name,
        legal_basis="；".join(f.legal_basis),
        facts=f.facts,
    )


def analyse_pending(
    session: Session,
    batch_size: int = 200,
    model: ClassifierSet | None = None,
    document_ids: list[int] | None = None,
    complete_sources: set[str] | None = None,
) -> AnalysisCounts:
    """Analyse every pending document (or those of ``document_ids`` that are pending;
    ``complete_sources`` as in :func:`pending_document_ids`), committing every
    ``batch_size`` documents. With a classifier model, each flag also carries the model's
    probability for its category."""
    counts = AnalysisCounts()
    pending = pending_document_ids(session, complete_sources)
    if document_ids is not None:
        wanted = set(document_ids)
        pending = [doc_id for doc_id in pending if doc_id in wanted]
    for start in range(0, len(pending), batch_size):
        batch = list(
            session.scalars(
                select(Document)
                .where(Document.id.in_(pending[start : start + batch_size]))
                .options(selectinload(Document.attachments))
                .order_by(Document.id)
            )
        )
        texts = [doc.analysis_text() for doc in batch]
        results = [
            analyze_text(text, doc.published_date, doc.region_adcode)
            for doc, text in zip(batch, texts, strict=True)
        ]
        if model is not None:
            add_classifier_probabilities(
                model, [(text, r.flags) for text, r in zip(texts, results, strict=True)]
            )
        counts.flags += store_analyses(session, list(zip(batch, results, strict=True)))
        counts.documents += len(batch)
        counts.mentions += sum(len(r.mentions) for r in results)
        session.commit()
    return counts


def unlinked_flag_ids(session: Session) -> list[int]:
    """Flags no lead cites yet: tonight's new ones, and any a failed night left behind, in
    document order (not in the order they were analysed, which depends on timing)."""
    cited = select(LeadEvidence.flag_id).where(LeadEvidence.flag_id.is_not(None))
    query = select(Flag.id).where(Flag.id.not_in(cited)).order_by(Flag.document_id, Flag.id)
    return list(session.scalars(query))


def upsert_organization(
    session: Session, flag: FlagResult, document_id: int
) -> Organization | None:
    """The Organization of a flag (none for anonymised ones)."""
    if not flag.organization or flag.organization_anonymous:
        return None
    return resolve_organization(
        session, flag.organization, flag.organization_uscc, flag.region_adcode, document_id
    )


def org_lead_key(category: str, org: Organization) -> str:
    """The lead key of a case about a known organization: category and organization."""
    return f"{category}:org:{org.id}"


SCORER_VERSION = "s1"
CORROBORATION_WEIGHT = 0.05  # per further independent source, on top of the best flag
SYSTEM_ACTOR = "clue-miner"


def link_flags(session: Session, flag_ids: list[int] | None = None) -> LeadCounts:
    """Fold flags (by default every unlinked one) into leads by their stable key; add each
    flag's evidence once. A dismissed lead that receives evidence from a document it did
    not cite comes back as new, with a triage event that says why."""
    counts = LeadCounts()
    if flag_ids is None:
        flag_ids = unlinked_flag_ids(session)
    now = datetime.now(UTC)
    held_by_lead: dict[int, dict[tuple[int, int, int], LeadEvidence]] = {}
    touched: dict[int, Lead] = {}
    for flag_id in flag_ids:
        flag = session.get(Flag, flag_id)
        if flag is None:
            continue
        doc = session.get_one(Document, flag.document_id)
        flag.lead_key = _collapsed_key(session, flag)
        lead = session.scalars(select(Lead).where(Lead.key == flag.lead_key)).one_or_none()
        if lead is None:
            lead = Lead(
                key=flag.lead_key,
                category=flag.category,
                score=flag.score,
                title=flag.title,
                first_seen=now,
                last_seen=now,
                features=[],
            )
            session.add(lead)
            counts.leads_new += 1
        else:
            counts.leads_updated += 1
        if lead.id is None:
            session.flush()
        counts.flags += 1
        if lead.id not in held_by_lead:  # read once per lead, not once per flag
            held_by_lead[lead.id] = {
                (e.document_id, e.start, e.end): e
                for e in session.scalars(
                    select(LeadEvidence).where(LeadEvidence.lead_id == lead.id)
                )
            }
        held = held_by_lead[lead.id]
        cited_before = {document_id for document_id, _, _ in held}
        new_documents = _add_evidence(session, lead, flag, doc.id, held, counts, now)
        if lead.status == LeadStatus.DISMISSED.value and new_documents - cited_before:
            _reopen(session, lead, new_documents - cited_before)
        touched[lead.id] = lead
    session.flush()
    for lead in touched.values():  # once per lead: both depend on all its flags
        describe(session, lead)
        rescore(session, lead)
    session.flush()
    return counts


def _collapsed_key(session: Session, flag: Flag) -> str:
    """A repost's flag joins the lead of the document it reposts (same category)."""
    original = session.scalar(
        select(DocumentFingerprint.duplicate_of_id).where(
            DocumentFingerprint.document_id == flag.document_id
        )
    )
    if original is None:
        return flag.lead_key
    key = session.scalars(
        select(Flag.lead_key)
        .where(Flag.document_id == original, Flag.category == flag.category)
        .order_by(Flag.score.desc(), Flag.id)
    ).first()
    return key or flag.lead_key


DESCRIBING_FIELDS = ("organization_name", "region_adcode", "region_name", "agency", "legal_basis")


def describe(session: Session, lead: Lead) -> None:
    """Title, features, organization, region, agency and legal basis of a lead, from its
    flags ranked best first: highest score, then a known organization, then the fullest
    name, then source and URL. The ranking uses no ids or arrival times, so the same
    documents describe a lead the same way however a night was split or interrupted."""
    rows = session.execute(
        select(Flag, Document.source_id, Document.url)
        .join(Document, Document.id == Flag.document_id)
        .where(Flag.lead_key == lead.key)
    ).all()
    if not rows:
        return
    ranked = [
        flag
        for flag, _, _ in sorted(
            rows,
            key=lambda row: (
                -row[0].score,
                row[0].organization_id is None,
                -len(row[0].organization_name or ""),
                row[1],
                row[2],
                row[0].rule_id,
                row[0].title,
            ),
        )
    ]
    lead.features = list(ranked[0].features)
    lead.title = ranked[0].title
    lead.organization_id = lead.organization_id or next(
        (f.organization_id for f in ranked if f.organization_id), None
    )
    for field in DESCRIBING_FIELDS:
        value = next((getattr(f, field) for f in ranked if getattr(f, field)), None)
        setattr(lead, field, value or getattr(lead, field))
    lead.procuratorate = procuratorate_for(lead.region_adcode) or lead.procuratorate


def _add_evidence(
    session: Session,
    lead: Lead,
    flag: Flag,
    doc_id: int,
    held: dict[tuple[int, int, int], LeadEvidence],
    counts: LeadCounts,
    now: datetime,
) -> set[int]:
    """Add the flag's evidence items the lead lacks (``held`` is what it has, by document
    and offsets); return the documents the new ones came from."""
    added: set[int] = set()
    for item in flag.evidence:
        evidence_doc = item.get("document_id", doc_id)  # cross-record flags cite others
        existing = held.get((evidence_doc, item["start"], item["end"]))
        if existing is not None:
            existing.flag_id = flag.id  # the same quote, now cited by the newer flag
            continue
        evidence = LeadEvidence(
            lead_id=lead.id,
            document_id=evidence_doc,
            flag_id=flag.id,
            rule_id=flag.rule_id,
            quote=item["quote"],
            start=item["start"],
            end=item["end"],
        )
        session.add(evidence)
        held[(evidence_doc, item["start"], item["end"])] = evidence
        counts.evidence_added += 1
        lead.last_seen = now
        added.add(evidence_doc)
    return added


def _reopen(session: Session, lead: Lead, documents: set[int]) -> None:
    titles = "；".join(session.get_one(Document, d).title for d in sorted(documents))
    session.add(
        TriageEvent(
            lead_id=lead.id,
            actor=SYSTEM_ACTOR,
            action="reopen",
            from_status=lead.status,
            to_status=LeadStatus.NEW.value,
            reason=f"新证据 new evidence: {titles}"[:2000],
        )
    )
    lead.status = LeadStatus.NEW.value


def rescore(session: Session, lead: Lead) -> None:
    """The best flag's features, plus corroboration by independent sources (a repost
    of a document another source published is not independent)."""
    sources = set(
        session.scalars(
            select(Document.source_id)
            .join(LeadEvidence, LeadEvidence.document_id == Document.id)
            .outerjoin(DocumentFingerprint, DocumentFingerprint.document_id == Document.id)
            .where(LeadEvidence.lead_id == lead.id, DocumentFingerprint.duplicate_of_id.is_(None))
        )
    )
    features = [f for f in lead.features if f["name"] != "corroboration"]
    if len(sources) > 1:
        weight = round(CORROBORATION_WEIGHT * (len(sources) - 1), 4)
        features.append({"name": "corroboration", "weight": weight, "sources": len(sources)})
    lead.features = features
    lead.score = round(min(1.0, sum(float(f["weight"]) for f in features)), 4)
    lead.scorer_version = SCORER_VERSION
