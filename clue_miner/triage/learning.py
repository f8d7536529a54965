"""Analysts' decisions as training data, and retraining that never makes things worse.

A document cited by an accepted lead is a positive of that lead's category. One cited only
by leads dismissed as 误报 or 不属于公益诉讼范围 is a negative of their categories (证据不足
and 重复线索 say nothing about the text). The retrained model replaces the active one only
if it measures at least as well on the held-out evaluation set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.models import Document, Lead, LeadEvidence, LeadStatus, TriageEvent
from clue_miner.nlp.classify.corpus import CORPUS_DIR, LabelledDoc, load_corpus, read_jsonl
from clue_miner.nlp.classify.evaluate import evaluate_documents
from clue_miner.nlp.classify.model import ClassifierSet, load_active, save, train

EVALUATION_SET = CORPUS_DIR / "eval" / "heldout.jsonl"
NOT_ABOUT_THE_CATEGORY = ("误报", "不属于公益诉讼范围")
MAX_CHARACTERS = 50_000


def decision_examples(session: Session) -> list[LabelledDoc]:
    """Labelled documents from accepted and (for the text's sake) dismissed leads."""
    positive: dict[int, set[str]] = {}
    negative: dict[int, set[str]] = {}
    decided = session.scalars(
        select(Lead).where(Lead.status.in_((LeadStatus.ACCEPTED.value, LeadStatus.DISMISSED.value)))
    )
    for lead in decided:
        documents = set(
            session.scalars(select(LeadEvidence.document_id).where(LeadEvidence.lead_id == lead.id))
        )
        if lead.status == LeadStatus.ACCEPTED.value:
            for doc_id in documents:
                positive.setdefault(doc_id, set()).add(lead.category)
        elif _dismissed_as_not_about(session, lead):
            for doc_id in documents:
                negative.setdefault(doc_id, set()).add(lead.category)
    examples = []
    for doc_id in sorted(set(positive) | set(negative)):
        labels = positive.get(doc_id, set())
        if not labels and not negative.get(doc_id):
            continue
        doc = session.get_one(Document, doc_id)
        examples.append(
            LabelledDoc(
                f"decision-doc-{doc_id}",
                doc.title,
                doc.analysis_text()[:MAX_CHARACTERS],
                frozenset(labels),
            )
        )
    return examples


def _dismissed_as_not_about(session: Session, lead: Lead) -> bool:
    reason = session.scalars(
        select(TriageEvent.reason)
        .where(TriageEvent.lead_id == lead.id, TriageEvent.action == "dismiss")
        .order_by(TriageEvent.id.desc())
        .limit(1)
    ).first()
    return bool(reason) and (reason or "").split("：")[0] in NOT_ABOUT_THE_CATEGORY


@dataclass
class Retraining:
    examples: int
    candidate: ClassifierSet
    candidate_macro_f1: float
    active_version: str | None
    active_macro_f1: float | None
    activated: bool


def retrain_with_decisions(
    session: Session, evaluation: list[LabelledDoc] | None = None
) -> Retraining:
    """Train on the corpus plus the decisions; activate only if not worse on evaluation."""
    examples = decision_examples(session)
    evaluation = evaluation if evaluation is not None else read_jsonl(EVALUATION_SET)
    candidate = train([*load_corpus(), *examples])
    candidate_f1 = float(
        evaluate_documents(candidate, evaluation, False)["systems"]["model"]["macro_f1"]
    )
    active = load_active()
    active_f1 = (
        float(evaluate_documents(active, evaluation, False)["systems"]["model"]["macro_f1"])
        if active is not None
        else None
    )
    better = active_f1 is None or candidate_f1 >= active_f1
    save(candidate, activate=better)
    return Retraining(
        len(examples),
        candidate,
        candidate_f1,
        active.version if active else None,
        active_f1,
        better,
    )
