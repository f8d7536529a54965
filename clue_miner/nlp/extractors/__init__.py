"""Extractor registry: each extractor maps text to typed :class:`Mention` objects.

To add one, write a module here with a function decorated by ``@extractor("type")`` and
import it below; :func:`extract_all` runs every registered extractor.
"""

from __future__ import annotations

from collections.abc import Callable

from clue_miner.nlp.mentions import Mention

Extractor = Callable[[str], list[Mention]]
EXTRACTORS: dict[str, Extractor] = {}


def extractor(name: str) -> Callable[[Extractor], Extractor]:
    """Register ``func`` as the extractor called ``name``."""

    def register(func: Extractor) -> Extractor:
        EXTRACTORS[name] = func
        return func

    return register


def extract_all(text: str, names: list[str] | None = None) -> list[Mention]:
    """Mentions from every (or the named) extractor, ordered by position."""
    found: list[Mention] = []
    for name, func in EXTRACTORS.items():
        if names is None or name in names:
            found.extend(func(text))
    return sorted(found, key=lambda m: (m.start, -m.end, m.type))


from clue_miner.nlp.extractors import (  # noqa: E402  (registration side effects)
    agencies,
    ages,
    amounts,
    chemicals,
    identifiers,
    organizations,
    parties,
    places,
)

__all__ = [
    "EXTRACTORS",
    "Mention",
    "agencies",
    "ages",
    "amounts",
    "chemicals",
    "extract_all",
    "extractor",
    "identifiers",
    "organizations",
    "parties",
    "places",
]
