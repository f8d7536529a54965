"""Which procuratorate receives a lead: the one at the level of the region the lead is in.

``130207`` (丰南区) → 唐山市丰南区人民检察院; ``130722`` (张北县) → 张北县人民检察院;
``130700`` → 张家口市人民检察院; ``130000`` → 河北省人民检察院.
"""

from __future__ import annotations

from clue_miner.nlp.dictionaries import places_by_code


def procuratorate_for(adcode: str | None) -> str | None:
    """The people's procuratorate for a region, or None for an unknown one."""
    table = places_by_code()
    place = table.get(adcode or "")
    if place is None:
        return None
    name = place.name
    parent = table.get(place.parent)
    if place.level == "district" and name.endswith("区") and parent is not None:
        name = parent.name + name  # districts are named with their city
    return f"{name}人民检察院"
