"""Train, save, load and apply the per-category classifiers.

A model folder ``var/models/<version>/`` holds ``model.joblib`` and ``metrics.json``;
``var/models/ACTIVE`` names the version in use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline

from clue_miner.config import var_dir
from clue_miner.nlp.classify.corpus import CATEGORIES, LabelledDoc, load_corpus
from clue_miner.nlp.tokenize import words

THRESHOLD = 0.5


def build_pipeline() -> Pipeline:
    """jieba words (1-2 grams) + character 2-3 grams → calibrated logistic regression."""
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=words,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    min_df=2,
                    sublinear_tf=True,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 3),
                    min_df=2,
                    sublinear_tf=True,
                    max_features=60000,
                ),
            ),
        ]
    )
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000),
        method="sigmoid",
        cv=3,
    )
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass
class ClassifierSet:
    """One fitted pipeline per category."""

    version: str
    pipelines: dict[str, Pipeline]
    metrics: dict[str, Any]

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        """Probability per category for each text."""
        scores: list[dict[str, float]] = [{} for _ in texts]
        for category, pipeline in self.pipelines.items():
            for row, p in zip(scores, pipeline.predict_proba(texts)[:, 1], strict=True):
                row[category] = round(float(p), 4)
        return scores


def _cross_validated_metrics(pipeline: Pipeline, texts: list[str], y: list[int]) -> dict[str, Any]:
    folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    predicted = cross_val_predict(pipeline, texts, y, cv=folds, method="predict_proba")[:, 1]
    labels = [int(p >= THRESHOLD) for p in predicted]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y, labels, average="binary", zero_division=0
    )
    return {
        "precision": round(float(precision), 3),
        "recall": round(float(recall), 3),
        "f1": round(float(f1), 3),
        "positives": sum(y),
        "documents": len(y),
    }


def train(docs: list[LabelledDoc] | None = None, evaluate: bool = True) -> ClassifierSet:
    """Fit one pipeline per category (positives: documents labelled with it)."""
    docs = docs if docs is not None else load_corpus()
    texts = [d.content for d in docs]
    pipelines: dict[str, Pipeline] = {}
    metrics: dict[str, Any] = {}
    for category in CATEGORIES:
        y = [int(category in d.labels) for d in docs]
        if sum(y) < 4 or sum(y) == len(y):
            raise ValueError(f"corpus has too few positives or negatives for {category}")
        if evaluate:
            metrics[category] = _cross_validated_metrics(build_pipeline(), texts, y)
        pipelines[category] = build_pipeline().fit(texts, y)
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return ClassifierSet(version=version, pipelines=pipelines, metrics=metrics)


def models_dir() -> Path:
    path = var_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(model: ClassifierSet, activate: bool = True) -> Path:
    """Write a versioned model folder and (by default) make it the active one."""
    folder = models_dir() / model.version
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model.pipelines, folder / "model.joblib")
    (folder / "metrics.json").write_text(
        json.dumps({"version": model.version, "metrics": model.metrics}, indent=2)
    )
    if activate:
        (models_dir() / "ACTIVE").write_text(model.version)
    return folder


def load_active() -> ClassifierSet | None:
    """The active model, or None when none has been trained yet."""
    marker = models_dir() / "ACTIVE"
    if not marker.exists():
        return None
    version = marker.read_text().strip()
    folder = models_dir() / version
    pipelines = joblib.load(folder / "model.joblib")
    metrics = json.loads((folder / "metrics.json").read_text()).get("metrics", {})
    return ClassifierSet(version=version, pipelines=pipelines, metrics=metrics)


def load_or_train() -> ClassifierSet:
    """The active model; trains and activates one from the bundled corpus if there is none."""
    model = load_active()
    if model is None:
        model = train(evaluate=False)
        save(model)
    return model
