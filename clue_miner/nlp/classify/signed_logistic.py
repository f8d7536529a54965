"""A logistic regression whose weights have the signs the signals were built with.

A signal of a rule card is evidence *for* a case (a chemical named, a minor hired) or,
for its exclusions, evidence *against*; a plain logistic regression fitted on our own
documents may still give such a signal the opposite sign, because in those documents it
happens to travel with something stronger (licence vocabulary is everywhere in the
regulations we wrote as hard negatives). On real documents that learned quirk costs
recall, so the combiner is fitted with each weight held to its sign: an evidence signal
may weigh nothing, never against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin


class SignedLogisticRegression(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """L2-regularised logistic regression with every weight ≥ 0 except those named in
    ``negative`` (held ≤ 0); the intercept is free. ``coef_`` and ``intercept_`` have
    scikit-learn's shapes, so the weights explain a score the same way."""

    def __init__(self, C: float = 1.0, negative: Sequence[int] = ()) -> None:
        self.C = C
        self.negative = negative

    def fit(self, X: Any, y: Any) -> SignedLogisticRegression:
        features = np.asarray(X, dtype=float)
        labels = np.asarray(y, dtype=float)
        self.classes_ = np.array([0, 1])
        columns = features.shape[1]
        signs = np.ones(columns)
        signs[list(self.negative)] = -1.0

        def loss(parameters: np.ndarray) -> tuple[float, np.ndarray]:
            weights, bias = parameters[:-1], parameters[-1]
            margin = features @ weights + bias
            # log(1 + e^m) - y m, computed without overflow
            value = np.logaddexp(0.0, margin) - labels * margin
            residual = 1.0 / (1.0 + np.exp(-margin)) - labels
            gradient = np.append(features.T @ residual, residual.sum())
            gradient[:-1] += weights / self.C
            return float(value.sum() + weights @ weights / (2 * self.C)), gradient

        bounds = [(0.0, None) if s > 0 else (None, 0.0) for s in signs] + [(None, None)]
        result = minimize(loss, np.zeros(columns + 1), jac=True, method="L-BFGS-B", bounds=bounds)
        self.coef_ = result.x[:-1].reshape(1, -1)
        self.intercept_ = result.x[-1:].copy()
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        values: np.ndarray = np.asarray(X, dtype=float) @ self.coef_[0] + self.intercept_[0]
        return values

    def predict_proba(self, X: Any) -> np.ndarray:
        positive = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_function(X) > 0).astype(int)
