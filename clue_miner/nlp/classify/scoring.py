"""Two pieces both calibrations share: Platt scaling of one score, and the figures of a
score at a threshold (precision, recall, F1, Brier)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, precision_recall_fscore_support

Labels: TypeAlias = Sequence[int] | np.ndarray  # 1 = a case, 0 = not


def fit_platt(values: np.ndarray, y: Labels) -> tuple[float, float]:
    """Slope and intercept of the logistic map from ``values`` to the labels ``y``."""
    scaler = LogisticRegression(C=1e6, max_iter=1000).fit(values.reshape(-1, 1), y)
    return float(scaler.coef_[0][0]), float(scaler.intercept_[0])


def threshold_scores(y: Labels, p: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of ``p >= threshold`` against ``y``, and the Brier score."""
    labels = [int(x >= threshold) for x in p]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y, labels, average="binary", zero_division=0
    )
    return {
        "precision": round(float(precision), 3),
        "recall": round(float(recall), 3),
        "f1": round(float(f1), 3),
        "brier": round(float(brier_score_loss(y, p)), 4),
    }
