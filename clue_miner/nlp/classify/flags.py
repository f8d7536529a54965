"""Give each flag the classifier's probability for its category, read on the flag's own
article (a newspaper page of seven articles is judged article by article)."""

from __future__ import annotations

from collections.abc import Sequence

from clue_miner.nlp.analyze import FlagResult, add_classifier_feature
from clue_miner.nlp.classify.model import ClassifierSet


def add_classifier_probabilities(
    model: ClassifierSet, documents: Sequence[tuple[str, list[FlagResult]]]
) -> None:
    """Append ``classifier_probability`` to every flag of every ``(text, flags)`` pair,
    from the flag's section of its text. All sections go to the model in one call: the
    per-call cost of the model's pipeline is far larger than its per-text cost."""
    sections = [
        (index, start, end)
        for index, (_, flags) in enumerate(documents)
        for start, end in sorted({(f.section_start, f.section_end) for f in flags})
    ]
    if not sections:
        return
    texts = [documents[index][0][start:end] for index, start, end in sections]
    probabilities = dict(zip(sections, model.predict(texts), strict=True))
    for index, (_, flags) in enumerate(documents):
        for flag in flags:
            section = (index, flag.section_start, flag.section_end)
            add_classifier_feature(flag, probabilities[section][flag.category])
