"""Recalibrate the decision to the documents it meets in use.

The combiner is calibrated on our own corpus, where cases are written plainly. Real public
documents say the same things more loosely, and the decision scores them lower: on the real
development set (``nlp/corpus/real/index.jsonl``) hazmat cases scored 0.1–0.3 were all true.
A domain calibration is one more Platt scaling per category, fitted on labelled documents
of the target domain (rebuilt real documents, or the analysts' decisions), that maps the
decision's log-odds ``z`` to ``slope * z + intercept``. It folds into the combiner's own
scaling, so a flag's features still add up to its score.

A category keeps its fitted scaling only if, in repeated 5-fold cross-validation on the
labelled documents, it gives an F1 at the threshold at least as good as the uncalibrated
decision and a lower Brier score; otherwise it stays the identity. The bundled
``domain_calibration.yml`` is the identity: its header says what the fit on the real
development set gave and why it is not adopted. ``clues calibrate`` fits one on a team's
own labelled documents and keeps it in the models folder, where it takes the bundled
one's place for every model trained after.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from clue_miner.config import models_dir
from clue_miner.nlp.classify.scoring import fit_platt, threshold_scores

log = logging.getLogger(__name__)
BUNDLED = Path(__file__).with_name("domain_calibration.yml")
CV_REPEATS = 5
CV_FOLDS = 5
MIN_POSITIVES = 10  # fewer labelled cases of a category than this: it stays the identity
_EDGE = 1e-4  # probabilities are clipped to [_EDGE, 1 - _EDGE] before taking log-odds


@dataclass(frozen=True)
class Scaling:
    """``z → slope * z + intercept`` on a category's log-odds."""

    slope: float = 1.0
    intercept: float = 0.0


@dataclass
class DomainCalibration:
    """Per category a scaling, with where it was fitted and how it measured."""

    scalings: dict[str, Scaling] = field(default_factory=dict)
    fitted_on: str = ""
    documents: int = 0
    report: dict[str, Any] = field(default_factory=dict)

    def scaling(self, category: str) -> Scaling:
        return self.scalings.get(category, Scaling())

    def to_yaml(self) -> str:
        data = {
            "fitted_on": self.fitted_on,
            "documents": self.documents,
            "categories": {
                category: {
                    "slope": round(s.slope, 4),
                    "intercept": round(s.intercept, 4),
                    **self.report.get(category, {}),
                }
                for category, s in self.scalings.items()
            },
        }
        header = "# Written by `clues calibrate` (clue_miner/nlp/classify/domain_calibration.py)\n"
        return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class CalibrationFileError(ValueError):
    """A domain calibration file that cannot be read; names the file."""


def own_calibration_path() -> Path:
    """Where ``clues calibrate`` keeps a team's own calibration."""
    return models_dir() / "domain_calibration.yml"


def load_domain_calibration(path: Path | None = None) -> DomainCalibration:
    """The calibration in ``path``; by default the team's own, else the bundled one (an
    unreadable own file is logged and the bundled one used, so training still works)."""
    if path is None:
        own = own_calibration_path()
        if not own.is_file():
            return _read(BUNDLED)
        try:
            return _read(own)
        except CalibrationFileError as exc:
            log.error("%s; using the bundled calibration instead", exc)
            return _read(BUNDLED)
    return _read(path)


def _read(path: Path) -> DomainCalibration:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        scalings = {
            category: Scaling(float(entry["slope"]), float(entry["intercept"]))
            for category, entry in (data.get("categories") or {}).items()
        }
        report = {
            category: {k: v for k, v in entry.items() if k not in ("slope", "intercept")}
            for category, entry in (data.get("categories") or {}).items()
        }
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CalibrationFileError(f"{path}: not a domain calibration ({exc})") from exc
    return DomainCalibration(
        scalings, str(data.get("fitted_on", "")), int(data.get("documents", 0)), report
    )


def fit_domain_calibration(
    scores: dict[str, list[float]],
    labels: dict[str, list[int]],
    threshold: float,
    fitted_on: str,
) -> DomainCalibration:
    """Fit each category's scaling on uncalibrated ``scores`` against ``labels`` (1 = a
    case of the category), keep it where cross-validation shows it helps."""
    documents = len(next(iter(labels.values()), []))
    calibration = DomainCalibration(fitted_on=fitted_on, documents=documents)
    for category, raw in scores.items():
        y = np.array(labels[category], dtype=int)
        z = np.array([_logit(p) for p in raw])
        before = threshold_scores(y, _sigmoid(z), threshold)
        calibration.scalings[category] = Scaling()
        if y.sum() < MIN_POSITIVES or y.sum() > len(y) - MIN_POSITIVES:
            calibration.report[category] = {
                "kept": False,
                "reason": "too few cases",
                "uncalibrated": before,
            }
            continue
        after = threshold_scores(y, _cross_validated(z, y), threshold)
        helps = after["f1"] >= before["f1"] and after["brier"] < before["brier"]
        if helps:
            calibration.scalings[category] = Scaling(*fit_platt(z, y))
        calibration.report[category] = {
            "kept": helps,
            "uncalibrated": before,
            "cross_validated": after,
        }
    return calibration


def _cross_validated(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Out-of-fold calibrated probabilities, averaged over repeated stratified splits."""
    total = np.zeros(len(y))
    for seed in range(CV_REPEATS):
        folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
        for train_rows, test_rows in folds.split(z.reshape(-1, 1), y):
            slope, intercept = fit_platt(z[train_rows], y[train_rows])
            total[test_rows] += _sigmoid(slope * z[test_rows] + intercept)
    return total / CV_REPEATS


def _logit(p: float) -> float:
    p = min(max(p, _EDGE), 1 - _EDGE)
    return math.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))
