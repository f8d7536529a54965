"""Places (province, city, district) with their 6-digit adcodes from ``places.csv``."""

from __future__ import annotations

import re
from functools import cache

from clue_miner.nlp.dictionaries import Place, places
from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.mentions import Mention


@cache
def _index() -> tuple[re.Pattern[str], dict[str, Place]]:
    by_term: dict[str, Place] = {}
    for place in places():
        by_term.setdefault(place.name, place)
        # Short forms ("丰南", "张家口") only where the table marks them as safe.
        if place.short:
            by_term.setdefault(place.short, place)
    terms = sorted(by_term, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in terms)), by_term


@extractor("place")
def extract_places(text: str) -> list[Mention]:
    """Place mentions; value is the adcode, attrs give name and level."""
    pattern, by_term = _index()
    return [
        Mention(
            "place",
            m.group(0),
            by_term[m.group(0)].adcode,
            m.start(),
            m.end(),
            {"name": by_term[m.group(0)].name, "level": by_term[m.group(0)].level},
        )
        for m in pattern.finditer(text)
    ]
