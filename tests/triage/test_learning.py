"""Decisions become labelled examples; retraining keeps the active model when the new
one measures worse on the evaluation set."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clue_miner.db import init_db, session_scope
from clue_miner.leads.store import link_flags
from clue_miner.models import Flag, Lead
from clue_miner.nlp.classify.corpus import LabelledDoc, load_corpus
from clue_miner.nlp.classify.model import load_or_train, models_dir
from clue_miner.triage.accounts import add_user, user_named
from clue_miner.triage.decisions import Decision, decide
from clue_miner.triage.learning import decision_examples, retrain_with_decisions
from tests.factories import source_config, store_document
from tests.triage_store import PASSWORD

NEWS = source_config("jiping-legal-news", "news", "冀平法治资讯网", "130700")


def lead_on(session: Session, doc_number: int, labelled: LabelledDoc, category: str) -> Lead:
    doc = store_document(
        session, NEWS, f"{doc_number}.html", labelled.title, labelled.text, date(2025, 3, 1)
    )
    session.add(
        Flag(
            document_id=doc.id,
            category=category,
            rule_id="HZ-001",
            score=0.8,
            title=labelled.title,
            region_adcode="130700",
            lead_key=f"{category}:test:{doc_number}",
            features=[{"name": "hazmat_activity", "weight": 0.8}],
            evidence=[{"start": 0, "end": len(labelled.title), "quote": labelled.title}],
        )
    )
    session.flush()
    link_flags(session)
    return session.query(Lead).order_by(Lead.id.desc()).first()  # type: ignore[return-value]


def test_accepted_and_dismissed_leads_become_examples(db_url: str) -> None:
    url = db_url
    corpus = [d for d in load_corpus() if "hazmat_unlicensed" in d.labels][:3]
    with session_scope(url) as session:
        user = add_user(session, "analyst", "analyst", PASSWORD)
        leads = [lead_on(session, n, doc, "hazmat_unlicensed") for n, doc in enumerate(corpus)]
        decide(session, leads[0], user, Decision("accept"))
        decide(session, leads[1], user, Decision("dismiss", "误报：说的是政策宣传"))
        decide(session, leads[2], user, Decision("dismiss", "证据不足"))
        examples = {e.title: e.labels for e in decision_examples(session)}
    assert examples == {
        corpus[0].title: frozenset({"hazmat_unlicensed"}),
        corpus[1].title: frozenset(),
    }


@pytest.mark.slow
def test_a_worse_model_does_not_replace_the_active_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clues.db'}"
    init_db(url)
    active = load_or_train()
    positives = [d for d in load_corpus() if "hazmat_unlicensed" in d.labels][:60]
    with session_scope(url) as session:
        add_user(session, "analyst", "analyst", PASSWORD)
        user = user_named(session, "analyst")
        for number, doc in enumerate(positives):  # analysts who dismiss every true case
            decide(
                session,
                lead_on(session, number, doc, "hazmat_unlicensed"),
                user,
                Decision("dismiss", "误报"),
            )
        result = retrain_with_decisions(session, evaluation=positives)
    assert result.examples == 60
    assert result.active_version == active.version
    assert result.candidate_macro_f1 < (result.active_macro_f1 or 0)
    assert not result.activated
    assert (models_dir() / "ACTIVE").read_text().strip() == active.version
    assert (models_dir() / result.candidate.version / "model.joblib").exists()
