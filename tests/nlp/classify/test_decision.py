"""One decision: the night, `clues analyze` and `clues classify` flag the same categories,
scored by calibrated probabilities that the named features explain."""

from __future__ import annotations

import math

import pytest
from sklearn.metrics import roc_auc_score

from clue_miner.nlp.classify.corpus import CATEGORIES, CORPUS_DIR, load_corpus
from clue_miner.nlp.classify.decision import DocumentInput, decide
from clue_miner.nlp.classify.model import THRESHOLD, load_or_train

pytestmark = pytest.mark.slow


def test_flags_are_the_labels_and_their_scores_are_explained() -> None:
    docs = load_corpus(CORPUS_DIR / "eval")[:80]
    decisions = decide(load_or_train(), [DocumentInput(d.content) for d in docs])
    assert any(d.labels for d in decisions) and any(not d.labels for d in decisions)
    for decision in decisions:
        assert set(decision.scores) == set(CATEGORIES)
        assert all(0.0 <= p <= 1.0 for p in decision.scores.values())
        assert decision.labels == sorted({f.category for f in decision.analysis.flags})
        for flag in decision.analysis.flags:
            assert flag.score >= THRESHOLD
            assert flag.score <= decision.scores[flag.category]
            assert flag.evidence, "a flag always quotes its evidence"
            logit = sum(f["weight"] for f in flag.features)
            probability = 1 / (1 + math.exp(-logit))
            assert probability == pytest.approx(flag.score, abs=0.02)
        for flag in decision.vetoed:
            assert flag.fired and flag.score < THRESHOLD


def test_scores_rank_cases_first_and_spread_instead_of_tying() -> None:
    docs = load_corpus(CORPUS_DIR / "eval")
    decisions = decide(load_or_train(), [DocumentInput(d.content) for d in docs])
    truth = [
        c.category in d.labels
        for d, dec in zip(docs, decisions, strict=True)
        for c in dec.analysis.candidates
    ]
    scores = [c.score for dec in decisions for c in dec.analysis.candidates]
    flagged = [f.score for dec in decisions for f in dec.analysis.flags]
    assert len(flagged) >= 30 and sum(truth) >= 30 and len(truth) - sum(truth) >= 30
    # best first means most likely true: a case's candidate outranks a near miss's
    assert roc_auc_score(truth, scores) >= 0.95
    # probabilities, not a cap: no score is 1, and (at the stored precision) few tie
    assert max(flagged) < 1.0
    assert len(set(flagged)) >= len(flagged) / 2


def test_a_decisive_exclusion_overrules_the_text_model() -> None:
    inspection = (
        "5月12日，县应急管理局会同县公安局对城东化工贸易有限公司开展危险化学品经营安全检查。"
        "该公司持有危险化学品经营许可证，许可范围包括盐酸、硫酸、氢氧化钠。"
        "检查组核查了购销台账和易制毒化学品备案证明，经检查，证照、备案证明均在有效期内，"
        "实际经营品种与许可范围一致，未发现违法违规问题。"
    )
    decision = decide(load_or_train(), [DocumentInput(inspection)])[0]
    candidates = [c for c in decision.analysis.candidates if c.category == "hazmat_unlicensed"]
    assert candidates and all(c.signals.get("decisive") for c in candidates)
    assert decision.labels == []
