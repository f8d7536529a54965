"""Government agencies: "区人力资源和社会保障局", "张家口市行政审批局", "市场监管部门".

The value is the canonical kind (人力资源和社会保障局); ``attrs.prefix`` keeps the place
prefix as written ("区", "张家口市", "丰南区"), which :func:`resolve_agency_name` completes
from the places of the surrounding article.
"""

from __future__ import annotations

import re
from functools import cache

from clue_miner.nlp.dictionaries import AgencyType, Place, agency_types, places
from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.mentions import Mention


@cache
def _index() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, AgencyType]]:
    by_alias: dict[str, AgencyType] = {}
    for agency in agency_types():
        for alias in agency.aliases:
            by_alias.setdefault(alias, agency)
    aliases = "|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True))
    names = {p.name for p in places()} | {p.short for p in places() if p.short}
    place_names = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # The place prefix is looked for backwards from each agency name, anchored at its end.
    prefix = re.compile(rf"(?:(?:{place_names})+|[省市区县])$")
    return re.compile(aliases), prefix, by_alias


@extractor("agency")
def extract_agencies(text: str) -> list[Mention]:
    """Agency mentions with their canonical kind and written place prefix."""
    pattern, prefix_pattern, by_alias = _index()
    found = []
    for match in pattern.finditer(text):
        agency = by_alias[match.group(0)]
        before = text[max(0, match.start() - 24) : match.start()]
        prefix_match = prefix_pattern.search(before)
        prefix = prefix_match.group(0) if prefix_match else ""
        start = match.start() - len(prefix)
        found.append(
            Mention(
                "agency",
                text[start : match.end()],
                agency.canonical,
                start,
                match.end(),
                {"prefix": prefix, "alias": match.group(0)},
            )
        )
    return found


def resolve_agency_name(mention: Mention, context_places: list[Place]) -> str:
    """A full agency name: a bare level prefix ("区") is completed from the article's places."""
    prefix = str(mention.attrs.get("prefix", ""))
    canonical = mention.value
    level_of = {"省": "province", "市": "city", "区": "district", "县": "district"}
    if prefix in level_of:
        level = level_of[prefix]
        for place in context_places:
            if place.level == level:
                return place.name + canonical
        return prefix + canonical
    if prefix:
        by_name = {p.name: p for p in places()} | {p.short: p for p in places() if p.short}
        # "丰南" → "丰南区": use the full name of the last (most specific) place in the prefix.
        for name in sorted(by_name, key=len, reverse=True):
            if prefix.endswith(name):
                return by_name[name].name + canonical
        return prefix + canonical
    return canonical
