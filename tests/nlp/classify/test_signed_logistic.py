"""The combiner keeps each signal's sign: evidence for a case never weighs against it,
an exclusion never for it; where the free fit already has those signs, it is the same
fit as scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from clue_miner.nlp.classify.signed_logistic import SignedLogisticRegression


def documents(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three signals: a strong one for the case, one that travels with it in these
    documents but is weaker, and an exclusion."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 600)
    strong = y + rng.normal(0, 0.6, 600)
    companion = strong + rng.normal(0, 0.1, 600)  # nearly the same signal again
    exclusion = (1 - y) * rng.integers(0, 2, 600)
    return np.column_stack([strong, companion, exclusion]), y


def test_an_evidence_signal_never_weighs_against_a_case() -> None:
    X, y = documents()
    free = LogisticRegression(C=100.0, max_iter=2000).fit(X, y)
    assert free.coef_[0].min() < 0, "the free fit turns one of the twins negative"
    signed = SignedLogisticRegression(C=100.0, negative=[2]).fit(X, y)
    strong, companion, exclusion = signed.coef_[0]
    assert strong >= 0 and companion >= 0 and exclusion <= 0
    assert strong + companion > 1.0  # the signal still counts
    assert exclusion < -0.5  # and so does the exclusion


def test_with_the_signs_already_right_it_is_the_ordinary_fit() -> None:
    X, y = documents(1)
    X = X[:, [0, 2]]
    free = LogisticRegression(C=0.3, max_iter=5000, tol=1e-10).fit(X, y)
    signed = SignedLogisticRegression(C=0.3, negative=[1]).fit(X, y)
    assert signed.coef_[0] == pytest.approx(free.coef_[0], abs=1e-3)
    assert signed.intercept_[0] == pytest.approx(free.intercept_[0], abs=1e-3)
    probabilities = signed.predict_proba(X)
    assert probabilities[:, 1] == pytest.approx(free.predict_proba(X)[:, 1], abs=1e-3)
    assert set(signed.predict(X)) == {0, 1}
