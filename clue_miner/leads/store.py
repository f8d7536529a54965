"""Persist analysis results and fold flags into leads (one lead per case across nights)."""

from __future__ import annotations

import math
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
from clue_miner.nlp.analyze import ANALYSIS_VERSION, AnalysisResult, FlagResult
from clue_miner.nlp.classify.decision import DocumentInput, decide
from clue_miner.nlp.classify.model import ClassifierSet, load_or_train


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
    ``batch_size`` documents. Flags are what :func:`decide` keeps, scored by ``model``
    (by default the active one, trained first if there is none)."""
    model = model if model is not None else load_or_train()
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
        inputs = [
            DocumentInput(doc.analysis_text(), doc.published_date, doc.region_adcode)
            for doc in batch
        ]
        results = [d.analysis for d in decide(model, inputs)]
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


SCORER_VERSION = "s2"  # calibrated flag probabilities, corroboration at half strength
SYSTEM_ACTOR = "clue-miner"


LINK_BATCH = 500  # flags read, keyed and matched to leads per round of queries

EvidenceKey = tuple[int, int, int]  # document, start, end


def link_flags(session: Session, flag_ids: list[int] | None = None) -> LeadCounts:
    """Fold flags (by default every unlinked one) into leads by their stable key; add each
    flag's evidence once. A dismissed lead that receives evidence from a document it did
    not cite comes back as new, with a triage event that says why.

    Flags are taken in batches: each batch's flags, reposts, leads and the evidence those
    leads hold are read with one query each, and new leads are inserted together."""
    counts = LeadCounts()
    if flag_ids is None:
        flag_ids = unlinked_flag_ids(session)
    now = datetime.now(UTC)
    leads: dict[str, Lead] = {}
    held_by_lead: dict[int, dict[EvidenceKey, LeadEvidence]] = {}
    touched: dict[int, Lead] = {}
    for start in range(0, len(flag_ids), LINK_BATCH):
        session.flush()
        with session.no_autoflush:
            flags = _flags_in_order(session, flag_ids[start : start + LINK_BATCH])
            originals = _originals(session, {f.document_id for f in flags})
            for flag in flags:
                flag.lead_key = _collapsed_key(session, flag, originals.get(flag.document_id))
            _find_or_create_leads(session, flags, leads, counts, now)
        session.flush()  # the new leads get their ids
        with session.no_autoflush:
            _read_held_evidence(session, {leads[f.lead_key] for f in flags}, held_by_lead)
            for flag in flags:
                lead = leads[flag.lead_key]
                held = held_by_lead[lead.id]
                cited_before = {document_id for document_id, _, _ in held}
                new_documents = _add_evidence(session, lead, flag, held, counts, now)
                if lead.status == LeadStatus.DISMISSED.value and new_documents - cited_before:
                    _reopen(session, lead, new_documents - cited_before)
                touched[lead.id] = lead
                counts.flags += 1
    session.flush()
    touched_leads = list(touched.values())
    for start in range(0, len(touched_leads), LINK_BATCH):  # once per lead: on all its flags
        batch = touched_leads[start : start + LINK_BATCH]
        describe(session, batch)
        rescore(session, batch)
    session.flush()
    return counts


def _flags_in_order(session: Session, ids: list[int]) -> list[Flag]:
    """The flags of ``ids`` that exist, in the order of ``ids``."""
    found = {f.id: f for f in session.scalars(select(Flag).where(Flag.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _originals(session: Session, document_ids: set[int]) -> dict[int, int]:
    """The document each repost among ``document_ids`` reposts."""
    rows = session.execute(
        select(DocumentFingerprint.document_id, DocumentFingerprint.duplicate_of_id).where(
            DocumentFingerprint.document_id.in_(document_ids),
            DocumentFingerprint.duplicate_of_id.is_not(None),
        )
    )
    return {document_id: original for document_id, original in rows if original is not None}


def _find_or_create_leads(
    session: Session, flags: list[Flag], leads: dict[str, Lead], counts: LeadCounts, now: datetime
) -> None:
    """Put the lead of every flag's key into ``leads``: the stored one, or a new one."""
    unknown = {f.lead_key for f in flags} - leads.keys()
    if unknown:
        leads.update((x.key, x) for x in session.scalars(select(Lead).where(Lead.key.in_(unknown))))
    for flag in flags:
        if flag.lead_key in leads:
            counts.leads_updated += 1
            continue
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
        leads[flag.lead_key] = lead
        counts.leads_new += 1


def _read_held_evidence(
    session: Session, leads: set[Lead], held_by_lead: dict[int, dict[EvidenceKey, LeadEvidence]]
) -> None:
    """Read, once per lead, the evidence it already cites (by document and offsets)."""
    unread = {lead.id for lead in leads} - held_by_lead.keys()
    for lead_id in unread:
        held_by_lead[lead_id] = {}
    if unread:
        for item in session.scalars(select(LeadEvidence).where(LeadEvidence.lead_id.in_(unread))):
            held_by_lead[item.lead_id][(item.document_id, item.start, item.end)] = item


def _collapsed_key(session: Session, flag: Flag, original: int | None) -> str:
    """A repost's flag joins the lead of the document it reposts (same category)."""
    if original is None:
        return flag.lead_key
    key = session.scalars(
        select(Flag.lead_key)
        .where(Flag.document_id == original, Flag.category == flag.category)
        .order_by(Flag.score.desc(), Flag.id)
    ).first()
    return key or flag.lead_key


def _add_evidence(
    session: Session,
    lead: Lead,
    flag: Flag,
    held: dict[EvidenceKey, LeadEvidence],
    counts: LeadCounts,
    now: datetime,
) -> set[int]:
    """Add the flag's evidence items the lead lacks (``held`` is what it has, by document
    and offsets); return the documents the new ones came from."""
    added: set[int] = set()
    for item in flag.evidence:
        evidence_doc = item.get("document_id", flag.document_id)  # cross-record flags cite others
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


DESCRIBING_FIELDS = ("organization_name", "region_adcode", "region_name", "agency", "legal_basis")


def describe(session: Session, leads: list[Lead]) -> None:
    """Title, features, organization, region, agency and legal basis of each lead, from
    its flags ranked best first: highest score, then a known organization, then the
    fullest name, then source and URL. The ranking uses no ids or arrival times, so the
    same documents describe a lead the same way however a night was split or interrupted."""
    flags_by_key: dict[str, list[tuple[Flag, str, str]]] = {}
    for flag, source_id, url in session.execute(
        select(Flag, Document.source_id, Document.url)
        .join(Document, Document.id == Flag.document_id)
        .where(Flag.lead_key.in_({lead.key for lead in leads}))
    ):
        flags_by_key.setdefault(flag.lead_key, []).append((flag, source_id, url))
    for lead in leads:
        if lead.key in flags_by_key:
            _describe_from(lead, [f for f, _, _ in sorted(flags_by_key[lead.key], key=_rank)])


def _rank(row: tuple[Flag, str, str]) -> tuple[object, ...]:
    flag, source_id, url = row
    name_length = len(flag.organization_name or "")
    unknown = flag.organization_id is None
    return (-flag.score, unknown, -name_length, source_id, url, flag.rule_id, flag.title)


def _describe_from(lead: Lead, ranked: list[Flag]) -> None:
    lead.features = list(ranked[0].features)
    lead.title = ranked[0].title
    lead.organization_id = lead.organization_id or next(
        (f.organization_id for f in ranked if f.organization_id), None
    )
    for field in DESCRIBING_FIELDS:
        value = next((getattr(f, field) for f in ranked if getattr(f, field)), None)
        setattr(lead, field, value or getattr(lead, field))
    lead.procuratorate = procuratorate_for(lead.region_adcode) or lead.procuratorate


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


def rescore(session: Session, leads: list[Lead]) -> None:
    """Score each lead: the probability of its best flag, raised by corroboration from
    independent sources (a repost of a document another source published is not
    independent). Each further source's best flag counts at half strength, since reports
    of one case are not independent evidence of it:
    ``1 - (1 - p_best) × Π (1 - p_source / 2)``. The lead keeps its best flag's features and,
    with more than one source, a ``corroboration`` feature: its share of the log-odds."""
    best_by_source: dict[int, dict[str, float]] = {lead.id: {} for lead in leads}
    best_flag: dict[int, float] = {}
    for lead_id, source_id, score, repost_of in session.execute(
        select(
            LeadEvidence.lead_id,
            Document.source_id,
            Flag.score,
            DocumentFingerprint.duplicate_of_id,
        )
        .join(Document, LeadEvidence.document_id == Document.id)
        .join(Flag, Flag.id == LeadEvidence.flag_id)
        .outerjoin(DocumentFingerprint, DocumentFingerprint.document_id == Document.id)
        .where(LeadEvidence.lead_id.in_(best_by_source.keys()))
    ):
        best_flag[lead_id] = max(best_flag.get(lead_id, 0.0), float(score))
        if repost_of is None:
            sources = best_by_source[lead_id]
            sources[source_id] = max(sources.get(source_id, 0.0), float(score))
    for lead in leads:
        features = [f for f in lead.features if f["name"] != "corroboration"]
        best = best_flag.get(lead.id, float(lead.score or 0.0))
        scores = sorted(best_by_source[lead.id].values(), reverse=True)
        score = best
        if len(scores) > 1:
            missed = 1.0 - best
            for other in scores[1:]:
                missed *= 1.0 - other / 2
            score = 1.0 - missed
            share = round(_logit(score) - _logit(best), 3)
            features.append({"name": "corroboration", "weight": share, "sources": len(scores)})
        lead.features = features
        lead.score = round(score, 4)
        lead.scorer_version = SCORER_VERSION


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
