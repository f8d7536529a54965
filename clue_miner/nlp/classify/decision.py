"""The one decision: which categories a document is flagged for, with what probability.

The nightly flow, ``clues analyze``, ``clues classify`` and ``clues evaluate`` all call
:func:`decide`. Per article and category, the rules' strongest candidate (fired or not)
and the text model's probability are weighed by the category's calibrated combiner. A
candidate whose probability reaches :data:`THRESHOLD` becomes a flag unless a decisive
exclusion of its rule card holds (an inspection that found nothing, hosts who are all
adults: the combiner alone learns too little from such rare texts). A flag's score is its
probability and its features are the signals' shares of the log-odds. A document's score
for a category is its best article's probability; its labels are the categories it has
flags for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from clue_miner.nlp.analyze import DECISIVE_SIGNAL, AnalysisResult, FlagResult, analyze_text
from clue_miner.nlp.classify.corpus import CATEGORIES
from clue_miner.nlp.classify.model import (
    EVIDENCE_SIGNAL,
    TEXT_SIGNAL,
    THRESHOLD,
    ClassifierSet,
    classifier_text,
    evidence_text,
)
from clue_miner.nlp.normalize import prepare
from clue_miner.nlp.tokenize import remembered_runs

SHARE_DIGITS = 3


@dataclass(frozen=True)
class DocumentInput:
    """A text to decide on, with what the store knows about it."""

    text: str
    published: date | None = None
    default_region: str | None = None


@dataclass
class Decision:
    """The analysis (its ``flags`` are the decided ones), the score per category, and the
    rule flags the combiner overruled (``vetoed``)."""

    analysis: AnalysisResult
    scores: dict[str, float]
    vetoed: list[FlagResult] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return sorted({f.category for f in self.analysis.flags})


def _explained(flag: FlagResult, probability: float, shares: dict[str, float]) -> None:
    """Score a candidate by the calibrated probability; its features become the named
    signals' shares of the log-odds (rounded), strongest first."""
    flag.score = round(probability, 4)
    flag.features = [
        {"name": name, "weight": round(share, SHARE_DIGITS)}
        for name, share in sorted(shares.items(), key=lambda item: -abs(item[1]))
        if round(share, SHARE_DIGITS)
    ]


def decide(model: ClassifierSet, documents: Sequence[DocumentInput]) -> list[Decision]:
    """Analyse and decide each document. The text model reads every document once (on
    pages of several articles, each article that holds a candidate) and each candidate's
    core evidence; all of these go to the model in one call (its per-call cost is far
    larger than its per-text cost)."""
    prepared = [prepare(d.text) for d in documents]
    analyses = [
        analyze_text(d.text, d.published, d.default_region, prepared=p)
        for d, p in zip(documents, prepared, strict=True)
    ]
    units: list[tuple[int, int]] = []  # (document, article) pairs the text model reads
    texts: list[str] = []
    for index, (doc, analysis) in enumerate(zip(documents, analyses, strict=True)):
        if len(analysis.sections) <= 1:
            units.append((index, -1))
            texts.append(classifier_text(prepared[index]))
        else:
            for article in sorted({c.section_index for c in analysis.candidates}):
                section = analysis.sections[article]
                units.append((index, article))
                texts.append(classifier_text(doc.text[section.start : section.end]))
    cores = [c for analysis in analyses for c in analysis.candidates]
    with remembered_runs():  # the evidence is the documents' own sentences
        probabilities = model.text_probabilities(texts + [evidence_text(c) for c in cores])
    text_p = dict(zip(units, probabilities[: len(units)], strict=True))
    core_p = {id(c): p for c, p in zip(cores, probabilities[len(units) :], strict=True)}
    return [_decision(model, i, analysis, text_p, core_p) for i, analysis in enumerate(analyses)]


def _decision(
    model: ClassifierSet,
    index: int,
    analysis: AnalysisResult,
    text_p: dict[tuple[int, int], dict[str, float]],
    core_p: dict[int, dict[str, float]],
) -> Decision:
    whole = text_p.get((index, -1))
    scores: dict[str, float] = {}
    kept: list[FlagResult] = []
    vetoed: list[FlagResult] = []
    for category in CATEGORIES:
        combiner = model.combiners[category]
        candidates = [c for c in analysis.candidates if c.category == category]
        best = 0.0
        for candidate in candidates:
            unit = whole if whole is not None else text_p[(index, candidate.section_index)]
            probability, shares = combiner.explain(
                {
                    TEXT_SIGNAL: unit[category],
                    EVIDENCE_SIGNAL: core_p[id(candidate)][category],
                    **candidate.signals,
                }
            )
            best = max(best, probability)
            _explained(candidate, probability, shares)
            if probability >= THRESHOLD and not candidate.signals.get(DECISIVE_SIGNAL):
                kept.append(candidate)
            elif candidate.fired:
                vetoed.append(candidate)
        if not candidates and whole is not None:  # no evidence: scored, never flagged
            signals = {
                TEXT_SIGNAL: whole[category],
                **analysis.rule_signals(category),
            }
            best, _ = combiner.explain(signals)
        scores[category] = round(best, 4)
    chosen = {id(c) for c in kept}
    analysis.flags = [c for c in analysis.candidates if id(c) in chosen]
    return Decision(analysis, scores, vetoed)
