"""Prepare stored text for analysis without losing where things are.

:func:`prepare` turns a stored text into the text the extractors and rules read:
Traditional characters to Simplified (OpenCC), full-width digits and letters to ASCII,
injected spam (``dictionaries/spam.yml``) and repeated paragraphs and page boilerplate
removed. It keeps, for every character it outputs, the offset of the character it came
from, so evidence found in the prepared text maps back to the exact stored characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import yaml

from clue_miner.nlp.dictionaries import DICT_DIR
from clue_miner.nlp.text import normalize

MIN_REPEATED_LINE = 20  # shorter repeated lines (headings, "特此公告") are kept


@dataclass(frozen=True)
class Removal:
    start: int
    end: int
    reason: str  # spam | repeated | boilerplate


@dataclass
class PreparedText:
    """The analysed ``text`` and, per character, its offset in ``source``."""

    source: str
    text: str
    offsets: list[int]
    removals: list[Removal] = field(default_factory=list)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of the prepared text as a span of the stored text."""
        if start >= len(self.text):
            return len(self.source), len(self.source)
        source_start = self.offsets[start]
        source_end = self.offsets[end - 1] + 1 if end > start else source_start
        return source_start, source_end


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s.json")


@cache
def _spam_pattern() -> re.Pattern[str]:
    data = yaml.safe_load((DICT_DIR / "spam.yml").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["spam"]))


@cache
def _boilerplate_pattern() -> re.Pattern[str]:
    data = yaml.safe_load((DICT_DIR / "spam.yml").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["boilerplate_lines"]))


def _simplified(text: str) -> str:
    """Traditional → Simplified, line by line; a line OpenCC would lengthen or shorten (a
    phrase conversion) is kept as it is so that offsets stay one to one."""
    converter = _converter()
    out = []
    for line in text.split("\n"):
        converted = converter.convert(line)  # type: ignore[attr-defined]
        out.append(converted if len(converted) == len(line) else line)
    return "\n".join(out)


def _removal_spans(text: str) -> list[Removal]:
    spans = [Removal(m.start(), m.end(), "spam") for m in _spam_pattern().finditer(text)]
    seen: set[str] = set()
    offset = 0
    boilerplate = _boilerplate_pattern()
    for line in text.split("\n"):
        key = line.strip()
        end = offset + len(line)
        if len(key) >= MIN_REPEATED_LINE and key in seen:
            spans.append(Removal(offset, min(end + 1, len(text)), "repeated"))
        elif key and len(key) < 80 and boilerplate.search(key):
            spans.append(Removal(offset, min(end + 1, len(text)), "boilerplate"))
        seen.add(key)
        offset = end + 1
    return sorted(spans, key=lambda r: r.start)


def prepare(source: str) -> PreparedText:
    """The text to analyse, with its map back to ``source``."""
    converted = _simplified(normalize(source))  # both keep the length
    removals = _removal_spans(converted)
    if not removals:
        return PreparedText(source, converted, list(range(len(converted))))
    keep = [True] * len(converted)
    for removal in removals:
        for i in range(removal.start, removal.end):
            keep[i] = False
    offsets = [i for i, kept in enumerate(keep) if kept]
    text = "".join(converted[i] for i in offsets)
    return PreparedText(source, text, offsets, removals)
