"""Give each flag the classifier's probability for its category, read on the flag's own
article (a newspaper page of seven articles is judged article by article)."""

from __future__ import annotations

from clue_miner.nlp.analyze import FlagResult, add_classifier_feature
from clue_miner.nlp.classify.model import ClassifierSet


def add_classifier_probabilities(model: ClassifierSet, text: str, flags: list[FlagResult]) -> None:
    """Append ``classifier_probability`` to every flag, from its section of ``text``."""
    spans = sorted({(f.section_start, f.section_end) for f in flags})
    if not spans:
        return
    probabilities = dict(zip(spans, model.predict([text[a:b] for a, b in spans]), strict=True))
    for flag in flags:
        add_classifier_feature(
            flag, probabilities[(flag.section_start, flag.section_end)][flag.category]
        )
