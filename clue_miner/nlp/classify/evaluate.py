"""Measure the classifiers on labelled documents, beside a plain keyword baseline."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from clue_miner.nlp.classify.corpus import CATEGORIES, LabelledDoc
from clue_miner.nlp.classify.model import THRESHOLD, ClassifierSet
from clue_miner.nlp.normalize import prepare

# The baseline the issue names: 未成年+直播 for minors; 危险化学品/危化品/易制毒 for hazmat.
KEYWORD_BASELINE: dict[str, Callable[[str], bool]] = {
    "minors_livestream": lambda text: "未成年" in text and "直播" in text,
    "hazmat_unlicensed": lambda text: bool(re.search("危险化学品|危化品|易制毒", text)),
}
NEITHER = "neither"


def _category_scores(truth: list[set[str]], predicted: list[set[str]]) -> dict[str, Any]:
    categories = {}
    for category in CATEGORIES:
        pairs = [(category in t, category in p) for t, p in zip(truth, predicted, strict=True)]
        tp = sum(t and p for t, p in pairs)
        fp = sum(p and not t for t, p in pairs)
        fn = sum(t and not p for t, p in pairs)
        tn = len(pairs) - tp - fp - fn
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        categories[category] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
        }
    macro = sum(c["f1"] for c in categories.values()) / len(categories)
    return {
        "categories": categories,
        "macro_f1": round(macro, 4),
        "confusion": _confusion(truth, predicted),
    }


def _single(labels: set[str]) -> str:
    return "+".join(sorted(labels)) if labels else NEITHER


def _confusion(truth: list[set[str]], predicted: list[set[str]]) -> dict[str, dict[str, int]]:
    matrix: dict[str, dict[str, int]] = {}
    for t, p in zip(truth, predicted, strict=True):
        row = matrix.setdefault(_single(t), {})
        row[_single(p)] = row.get(_single(p), 0) + 1
    return matrix


def evaluate_documents(
    model: ClassifierSet, docs: list[LabelledDoc], with_baseline: bool = True
) -> dict[str, Any]:
    """Scores of the model (and the keyword baseline) against the documents' labels; labels
    other than the two categories (other_pil, negative) count as neither."""
    truth = [set(d.labels) & set(CATEGORIES) for d in docs]
    probabilities = model.predict([d.content for d in docs])
    predicted = [{c for c, p in row.items() if p >= THRESHOLD} for row in probabilities]
    systems = {"model": _category_scores(truth, predicted)}
    if with_baseline:
        texts = [prepare(d.content).text for d in docs]
        baseline = [{c for c, rule in KEYWORD_BASELINE.items() if rule(t)} for t in texts]
        systems["keyword_baseline"] = _category_scores(truth, baseline)
    errors = [
        {
            "id": d.id,
            "title": d.title,
            "true": sorted(t),
            "predicted": sorted(p),
            "probabilities": row,
        }
        for d, t, p, row in zip(docs, truth, predicted, probabilities, strict=True)
        if t != p
    ]
    return {"documents": len(docs), "systems": systems, "errors": errors}
