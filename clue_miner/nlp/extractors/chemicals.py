"""Hazardous and precursor chemicals by dictionary name or alias, longest match first,
with a following quantity when one is given ("盐酸20桶", "硫酸1.5吨")."""

from __future__ import annotations

import re
from functools import cache

from clue_miner.nlp.dictionaries import Chemical, chemicals
from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.mentions import Mention

_QUANTITY = re.compile(
    r"\s*(?:约|共计|共|计)?\s*(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*"
    r"(余)?\s*(吨|千克|公斤|kg|升|L|立方米|桶|瓶|罐|袋|箱|件)"
)


# A salt, ester or drug continues the name: 硫酸钠/硫酸铜/磷酸铁锂/丙酮酸/甲苯磺酸/盐酸二甲双胍.
_COMPOUND_CONTINUES = re.compile(
    r"[钠钾铜铁亚锂铵钙镁锌铝钡锰铅银镍钴铬汞酯酐磺酸盐肼]|二甲双胍|[^\s，。、；：]{0,6}[片胶囊丸](?![\u4e00-\u9fff])"
)
_COMPOUND_STARTS = re.compile(r"[对邻间聚]")


@cache
def _index() -> tuple[re.Pattern[str], dict[str, Chemical]]:
    by_term: dict[str, Chemical] = {}
    for chem in chemicals():
        for term in (chem.name, *chem.aliases):
            by_term.setdefault(term, chem)
    terms = sorted(by_term, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    return pattern, by_term


@extractor("chemical")
def extract_chemicals(text: str) -> list[Mention]:
    """Chemical mentions; value is the dictionary name, attrs say kind and precursor class."""
    pattern, by_term = _index()
    found = []
    for match in pattern.finditer(text):
        if _COMPOUND_CONTINUES.match(text, match.end()) or _COMPOUND_STARTS.search(
            text[max(0, match.start() - 1) : match.start()]
        ):
            continue  # 硫酸钠, 盐酸二甲双胍片, 对甲苯磺酸: another substance
        chem = by_term[match.group(0)]
        attrs: dict[str, object] = {"kind": chem.kind, "precursor": chem.is_precursor}
        if chem.precursor_class:
            attrs["precursor_class"] = chem.precursor_class
        quantity = _QUANTITY.match(text, match.end())
        if quantity:
            attrs["quantity"] = quantity.group(0).strip()
        found.append(
            Mention("chemical", match.group(0), chem.name, match.start(), match.end(), attrs)
        )
    return found
