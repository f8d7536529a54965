"""Organization names taken apart for matching: region prefix, core name, legal form.

``张家口市万全区利民气体有限公司`` and ``利民气体有限责任公司`` share the core ``利民气体``;
the first also says where it is registered (130708). Matching compares these parts
instead of whole strings, so the same company written two ways meets in one block.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from clue_miner.nlp.dictionaries import places, region_prefix
from clue_miner.nlp.extractors.organizations import normalize_org_name

LEGAL_FORMS = ("股份有限公司", "有限公司", "有限合伙", "合伙企业")
# a county-level unit the place table does not know: 2–4 characters and a level suffix
_UNKNOWN_PLACE = re.compile(
    r"^[\u4e00-\u9fff]{2,4}?(?:自治县|新区|开发区|经开区|高新区|市|区|县|旗)"
)
_BRACKETS = re.compile(r"（([^）]{2,8})）")


@dataclass(frozen=True)
class OrgName:
    """One way of writing an organization's name, taken apart."""

    name: str
    key: str  # the whole name normalised: what an exact comparison uses
    core: str  # without region prefix, bracketed places and legal form: the blocking key
    legal_form: str
    adcode: str | None  # the most specific place the name itself states


@cache
def _places_by_name() -> dict[str, str]:
    table: dict[str, str] = {}
    for place in sorted(places(), key=lambda p: p.level != "district"):
        table.setdefault(place.name, place.adcode)
        if len(place.short) >= 2:
            table.setdefault(place.short, place.adcode)
    return table


@cache
def _place_prefix() -> re.Pattern[str]:
    names = sorted(_places_by_name(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def _fold(name: str) -> str:
    """Full-width letters and digits to half-width, brackets to full-width, no spaces."""
    text = unicodedata.normalize("NFKC", name)
    return normalize_org_name(text.replace("(", "（").replace(")", "）"))


def parse_org_name(name: str) -> OrgName:
    """Split a name into its region prefix, core and legal form."""
    key = _fold(name)
    rest = key
    adcode: str | None = None
    while True:
        known = _place_prefix().match(rest)
        if known and len(rest) - known.end() >= 2:
            adcode = _places_by_name()[known.group(0)]
            rest = rest[known.end() :]
            continue
        unknown = _UNKNOWN_PLACE.match(rest)
        if unknown and len(rest) - unknown.end() >= 4 and adcode is not None:
            rest = rest[unknown.end() :]  # 经开区, 察北管理区: only after a known place
            continue
        break
    for bracket in _BRACKETS.finditer(rest):
        inner = bracket.group(1)
        if inner in _places_by_name():
            adcode = adcode or _places_by_name()[inner]
            rest = rest.replace(bracket.group(0), "")
    legal_form = next((f for f in LEGAL_FORMS if rest.endswith(f)), "")
    core = rest[: len(rest) - len(legal_form)] if legal_form else rest
    return OrgName(name=name, key=key, core=core or key, legal_form=legal_form, adcode=adcode)


def region_relation(a: str | None, b: str | None) -> str:
    """How two places relate: ``unknown`` (either missing), ``same``, ``contains`` (one is
    inside the other), ``conflict``; and for ``contains``, whether the wider one is only a
    province (``contains_province``)."""
    if not a or not b:
        return "unknown"
    pa, pb = region_prefix(a), region_prefix(b)
    if pa == pb:
        return "same"
    if pa.startswith(pb) or pb.startswith(pa):
        wider = pa if len(pa) < len(pb) else pb
        return "contains_province" if len(wider) <= 2 else "contains"
    return "conflict"
