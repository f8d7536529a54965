"""Apply a rule to one section of a text: which features fire, with what evidence."""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from clue_miner.nlp.dictionaries import term_lists
from clue_miner.nlp.mentions import Mention
from clue_miner.nlp.rules.model import Compare, Condition, Feature, Rule
from clue_miner.nlp.text import sentence_spans

NEAR_SENTENCES = 2


@dataclass(frozen=True)
class Hit:
    start: int
    end: int


@dataclass
class FiredFeature:
    name: str
    weight: float
    hits: list[Hit]


@dataclass
class RuleOutcome:
    """Result of one rule on one section; ``fired`` when required features hit and the score
    reaches the threshold with no exclusion. ``decisive_exclusion`` names a decisive
    exclusion that holds, whether or not the rule would have fired."""

    rule: Rule
    score: float
    fired: bool
    features: list[FiredFeature] = field(default_factory=list)
    excluded_by: str | None = None
    missing: list[str] = field(default_factory=list)
    decisive_exclusion: str | None = None


class SectionView:
    """A section's text, its sentences and the mentions inside it."""

    def __init__(self, text: str, start: int, end: int, mentions: list[Mention]) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.mentions = [m for m in mentions if start <= m.start and m.end <= end]
        self.sentences = sentence_spans(text, start, end)
        self._sentence_starts = [s for s, _ in self.sentences]

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)


@cache
def _terms_pattern(name: str) -> re.Pattern[str]:
    words = sorted(term_lists()[name], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _condition_hits(cond: Condition, view: SectionView) -> list[Hit]:
    if cond.any is not None:
        hits: list[Hit] = []
        for sub in cond.any:
            hits.extend(_condition_hits(sub, view))
        return sorted(hits, key=lambda h: h.start)
    if cond.pattern is not None or cond.terms is not None:
        regex = _terms_pattern(cond.terms) if cond.terms else re.compile(cond.pattern or "")
        return [
            Hit(view.start + m.start(), view.start + m.end())
            for m in regex.finditer(view.text[view.start : view.end])
            if m.end() > m.start()
        ]
    if cond.mention is not None:
        return [
            Hit(m.start, m.end)
            for m in view.mentions
            if m.type == cond.mention and passes(m, cond.where or {})
        ]
    return []


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def passes(mention: Mention, where: dict[str, Compare]) -> bool:
    """Whether every attribute test of ``where`` holds for the mention."""
    for name, test in where.items():
        value = mention.value if name == "value" else mention.attrs.get(name)
        if value is None:
            if test.model_fields_set - {"ne", "not_in"}:
                return False
            continue
        number = _number(value)
        for bound, holds in (
            (test.lt, operator.lt),
            (test.le, operator.le),
            (test.gt, operator.gt),
            (test.ge, operator.ge),
        ):
            if bound is not None and (number is None or not holds(number, bound)):
                return False
        if test.eq is not None and not _same(value, test.eq):
            return False
        if test.ne is not None and _same(value, test.ne):
            return False
        if test.in_ is not None and not any(_same(value, v) for v in test.in_):
            return False
        if test.not_in is not None and any(_same(value, v) for v in test.not_in):
            return False
    return True


def _same(value: object, wanted: object) -> bool:
    if isinstance(wanted, bool) or isinstance(value, bool):
        return bool(value) == wanted
    if isinstance(wanted, int | float):
        return _number(value) == float(wanted)
    return str(value) == str(wanted)


def _near(hits: list[Hit], anchors: list[Hit], view: SectionView) -> list[Hit]:
    anchor_sentences = {view.sentence_index(a.start) for a in anchors}
    near = {s + d for s in anchor_sentences for d in range(-NEAR_SENTENCES, NEAR_SENTENCES + 1)}
    return [h for h in hits if view.sentence_index(h.start) in near]


def _skip_sentences(hits: list[Hit], pattern: str, view: SectionView) -> list[Hit]:
    regex = re.compile(pattern)
    kept = []
    for hit in hits:
        start, end = (
            view.sentences[view.sentence_index(hit.start)]
            if view.sentences
            else (view.start, view.end)
        )
        if not regex.search(view.text[start:end]):
            kept.append(hit)
    return kept


def evaluate_rule(rule: Rule, view: SectionView) -> RuleOutcome:
    """Evaluate ``rule`` on a section: fired features, score, exclusions."""
    fired: dict[str, FiredFeature] = {}
    ordered: list[Feature] = sorted(rule.features, key=lambda f: f.near is not None)
    for feature in ordered:
        hits = _condition_hits(feature, view)
        if feature.skip_if_sentence is not None:
            hits = _skip_sentences(hits, feature.skip_if_sentence, view)
        if feature.near is not None:
            anchor = fired.get(feature.near)
            hits = _near(hits, anchor.hits, view) if anchor else []
        if hits:
            fired[feature.name] = FiredFeature(feature.name, feature.weight, hits)
    features = [fired[f.name] for f in rule.features if f.name in fired]
    score = round(min(1.0, sum(f.weight for f in features)), 4)
    missing = [f.name for f in rule.features if f.required and f.name not in fired]
    outcome = RuleOutcome(rule=rule, score=score, fired=False, features=features, missing=missing)
    section_text = view.text[view.start : view.end]
    holding = [
        e
        for e in rule.exclusions
        if re.search(e.pattern, section_text) and not any(name in fired for name in e.unless)
    ]
    outcome.decisive_exclusion = next((e.name for e in holding if e.decisive), None)
    if missing or score < rule.threshold:
        return outcome
    if holding:
        outcome.excluded_by = holding[0].name
        return outcome
    outcome.fired = True
    return outcome
