"""Measure the night's decision on labelled documents, beside a plain keyword baseline:
precision, recall and F1 per category, and how well its scores are calibrated (a
reliability table of score bins against the share of true cases, and the Brier score)."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from clue_miner.nlp.classify.corpus import CATEGORIES, LabelledDoc
from clue_miner.nlp.classify.decision import DocumentInput, decide
from clue_miner.nlp.classify.model import ClassifierSet
from clue_miner.nlp.normalize import prepare
from clue_miner.nlp.rules import load_rule_packs


def _keyword_baseline(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda text: all(re.search(p, text) for p in patterns)


# Each pack's plain baseline: a document is flagged when it matches all its patterns.
KEYWORD_BASELINE: dict[str, Callable[[str], bool]] = {
    pack.category: _keyword_baseline(tuple(pack.keyword_baseline)) for pack in load_rule_packs()
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


RELIABILITY_BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001)


def reliability(truth: list[bool], scores: list[float]) -> dict[str, Any]:
    """Score bins with their count, mean score and observed share of true cases, and the
    Brier score (mean squared error of the scores; 0 is perfect)."""
    bins = []
    for low, high in pairwise(RELIABILITY_BINS):
        inside = [(t, s) for t, s in zip(truth, scores, strict=True) if low <= s < high]
        bins.append(
            {
                "range": f"{low:.1f}-{min(high, 1.0):.1f}",
                "documents": len(inside),
                "mean_score": round(sum(s for _, s in inside) / len(inside), 3) if inside else None,
                "observed": round(sum(t for t, _ in inside) / len(inside), 3) if inside else None,
            }
        )
    brier = sum((s - t) ** 2 for t, s in zip(truth, scores, strict=True)) / max(1, len(truth))
    return {"bins": bins, "brier": round(brier, 4)}


def evaluate_documents(
    model: ClassifierSet, docs: list[LabelledDoc], with_baseline: bool = True
) -> dict[str, Any]:
    """Scores of the night's decision (and the keyword baseline) against the documents'
    labels; labels other than the categories (other_pil, negative) count as neither."""
    truth = [set(d.labels) & set(CATEGORIES) for d in docs]
    decisions = decide(model, [DocumentInput(d.content) for d in docs])
    predicted = [set(d.labels) for d in decisions]
    systems = {"model": _category_scores(truth, predicted)}
    if with_baseline:
        texts = [prepare(d.content).text for d in docs]
        baseline = [{c for c, rule in KEYWORD_BASELINE.items() if rule(t)} for t in texts]
        systems["keyword_baseline"] = _category_scores(truth, baseline)
    calibration = {
        c: reliability([c in t for t in truth], [d.scores[c] for d in decisions])
        for c in CATEGORIES
    }
    errors = [
        {
            "id": d.id,
            "title": d.title,
            "true": sorted(t),
            "predicted": sorted(p),
            "scores": decision.scores,
        }
        for d, t, p, decision in zip(docs, truth, predicted, decisions, strict=True)
        if t != p
    ]
    return {
        "documents": len(docs),
        "systems": systems,
        "calibration": calibration,
        "errors": errors,
    }
