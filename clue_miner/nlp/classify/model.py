"""Train, save, load and apply the classifiers.

Per category, two named signals are combined by a small logistic regression whose
weights are the explanation:

- ``text_probability``: a calibrated logistic regression over jieba words
  and character bigrams, the text features computed once for all categories;
- ``rule_score`` and ``rule_fired``: what the category's rule pack made of the text.

A model folder ``var/models/<version>/`` holds ``model.joblib`` and ``metrics.json``;
``var/models/ACTIVE`` names the version in use.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion

from clue_miner.config import var_dir
from clue_miner.nlp.analyze import analyze_text
from clue_miner.nlp.classify.corpus import CATEGORIES, LabelledDoc, load_corpus
from clue_miner.nlp.normalize import PreparedText, prepare
from clue_miner.nlp.tokenize import words

THRESHOLD = 0.5
SIGNALS = ("text_probability", "rule_score", "rule_fired")
MAX_CLASSIFY_CHARS = 50_000  # the start of a very long text decides; the rest is not read


def text_features() -> FeatureUnion:
    """jieba words and character bigrams, TF-IDF weighted (sized for speed: bench-nlp)."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=words,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 1),
                    min_df=2,
                    sublinear_tf=True,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=(2, 2),
                    min_df=2,
                    sublinear_tf=True,
                    max_features=60000,
                ),
            ),
        ]
    )


def text_classifier() -> CalibratedClassifierCV:
    return CalibratedClassifierCV(
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000),
        method="sigmoid",
        cv=3,
    )


def rule_signals(prepared: list[PreparedText]) -> list[dict[str, tuple[float, bool]]]:
    """Per text and category: the best rule score and whether a rule fired."""
    signals = []
    for text in prepared:
        result = analyze_text(text.source, prepared=text)
        signals.append({c: result.rule_signal(c) for c in CATEGORIES})
    return signals


def _prepared(texts: list[str]) -> list[PreparedText]:
    return [prepare(t[:MAX_CLASSIFY_CHARS]) for t in texts]


@dataclass
class ClassifierSet:
    """The fitted text features, one text model and one combiner per category."""

    version: str
    features: FeatureUnion
    text_models: dict[str, CalibratedClassifierCV]
    combiners: dict[str, LogisticRegression]
    metrics: dict[str, Any]

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        """The combined probability per category for each text."""
        return [{c: round(p, 4) for c, p in row.items()} for row in self.explain(texts)[0]]

    def explain(
        self, texts: list[str]
    ) -> tuple[list[dict[str, float]], list[dict[str, dict[str, float]]]]:
        """Probabilities and, per text and category, the value of each named signal."""
        prepared = _prepared(texts)
        matrix = self.features.transform([p.text for p in prepared])
        rules = rule_signals(prepared)
        probabilities: list[dict[str, float]] = [{} for _ in texts]
        signals: list[dict[str, dict[str, float]]] = [{} for _ in texts]
        for category in CATEGORIES:
            text_p = self.text_models[category].predict_proba(matrix)[:, 1]
            stacked = np.array(
                [[p, *_rule_row(r[category])] for p, r in zip(text_p, rules, strict=True)]
            )
            final = self.combiners[category].predict_proba(stacked)[:, 1]
            for i in range(len(texts)):
                probabilities[i][category] = float(final[i])
                signals[i][category] = dict(zip(SIGNALS, map(float, stacked[i]), strict=True))
        return probabilities, signals

    def weights(self) -> dict[str, dict[str, float]]:
        """The combiner's weight of each named signal (and its bias) per category."""
        return {
            c: {
                **dict(zip(SIGNALS, map(float, m.coef_[0]), strict=True)),
                "bias": float(m.intercept_[0]),
            }
            for c, m in self.combiners.items()
        }


def _rule_row(signal: tuple[float, bool]) -> list[float]:
    score, fired = signal
    return [score, 1.0 if fired else 0.0]


def _scores(y: list[int], p: np.ndarray) -> dict[str, float]:
    labels = [int(x >= THRESHOLD) for x in p]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y, labels, average="binary", zero_division=0
    )
    return {
        "precision": round(float(precision), 3),
        "recall": round(float(recall), 3),
        "f1": round(float(f1), 3),
    }


def train(docs: list[LabelledDoc] | None = None) -> ClassifierSet:
    """Fit text features once, then per category a text model (5-fold out-of-fold
    probabilities feed the combiner) and the combiner of text and rule signals."""
    docs = docs if docs is not None else load_corpus()
    texts = [d.content for d in docs]
    prepared = _prepared(texts)
    features = text_features()
    matrix = features.fit_transform([p.text for p in prepared])
    rules = rule_signals(prepared)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    text_models: dict[str, CalibratedClassifierCV] = {}
    combiners: dict[str, LogisticRegression] = {}
    metrics: dict[str, Any] = {}
    for category in CATEGORIES:
        y = [int(category in d.labels) for d in docs]
        if sum(y) < 10 or sum(y) == len(y):
            raise ValueError(f"corpus has too few positives or negatives for {category}")
        out_of_fold = cross_val_predict(
            text_classifier(), matrix, y, cv=folds, method="predict_proba"
        )[:, 1]
        stacked = np.array(
            [[p, *_rule_row(r[category])] for p, r in zip(out_of_fold, rules, strict=True)]
        )
        combiner = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000)
        combined = cross_val_predict(combiner, stacked, y, cv=folds, method="predict_proba")[:, 1]
        combiners[category] = combiner.fit(stacked, y)
        text_models[category] = text_classifier().fit(matrix, y)
        rules_only = np.array([1.0 if r[category][1] else 0.0 for r in rules])
        metrics[category] = {
            "documents": len(y),
            "positives": sum(y),
            "text_model_cv": _scores(y, out_of_fold),
            "rules_only": _scores(y, rules_only),
            "combined_cv": _scores(y, combined),
        }
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return ClassifierSet(version, features, text_models, combiners, metrics)


def models_dir() -> Path:
    path = var_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(model: ClassifierSet, activate: bool = True) -> Path:
    """Write a versioned model folder and (by default) make it the active one. A version
    already on disk is never overwritten: the new one gets a suffix."""
    folder, suffix = models_dir() / model.version, 2
    while folder.exists():
        folder, suffix = models_dir() / f"{model.version}-{suffix}", suffix + 1
    model.version = folder.name
    folder.mkdir(parents=True)
    joblib.dump(
        {
            "features": model.features,
            "text_models": model.text_models,
            "combiners": model.combiners,
        },
        folder / "model.joblib",
    )
    (folder / "metrics.json").write_text(
        json.dumps(
            {"version": model.version, "metrics": model.metrics, "weights": model.weights()},
            indent=2,
            ensure_ascii=False,
        )
    )
    if activate:
        (models_dir() / "ACTIVE").write_text(model.version)
    return folder


_loaded: dict[tuple[str, int, int], ClassifierSet] = {}  # the last model read, by file
_loading = threading.Lock()


def load_active() -> ClassifierSet | None:
    """The active model, or None when none has been trained yet (or it is unreadable).

    Read once per process and model file: the night's analysis alongside the crawl and
    its analysis stage share one copy (about 140 MB) instead of loading two."""
    marker = models_dir() / "ACTIVE"
    if not marker.exists():
        return None
    version = marker.read_text().strip()
    folder = models_dir() / version
    with _loading:
        try:
            stat = (folder / "model.joblib").stat()
            key = (str(folder), stat.st_mtime_ns, stat.st_size)
            if key not in _loaded:
                parts = joblib.load(folder / "model.joblib")
                metrics = json.loads((folder / "metrics.json").read_text()).get("metrics", {})
                _loaded.clear()
                _loaded[key] = ClassifierSet(
                    version, parts["features"], parts["text_models"], parts["combiners"], metrics
                )
            return _loaded[key]
        except (OSError, KeyError, ValueError, TypeError):
            return None


def load_or_train() -> ClassifierSet:
    """The active model; trains and activates one from the bundled corpus if there is none."""
    model = load_active()
    if model is None:
        model = train()
        save(model)
    return model
