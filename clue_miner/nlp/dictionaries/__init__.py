"""Domain dictionaries as data files: chemicals, places (adcodes), agencies.

Each loader reads its file once; :func:`jieba_words` feeds them all to jieba.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DICT_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Chemical:
    name: str
    aliases: tuple[str, ...]
    kind: str  # hazmat | precursor | trade
    precursor_class: str
    un_number: str

    @property
    def is_precursor(self) -> bool:
        return self.kind == "precursor"


@dataclass(frozen=True)
class Place:
    adcode: str
    name: str
    level: str  # province | city | district
    parent: str
    short: str


@dataclass(frozen=True)
class AgencyType:
    canonical: str
    aliases: tuple[str, ...]
    duty: str


@cache
def chemicals() -> tuple[Chemical, ...]:
    """The hazardous-chemical dictionary (precursors, listed hazmat, trade names)."""
    with (DICT_DIR / "chemicals.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            Chemical(
                name=row["name"].strip(),
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                kind=row["kind"].strip(),
                precursor_class=row["precursor_class"].strip(),
                un_number=row["un_number"].strip(),
            )
            for row in csv.DictReader(fh)
        )


@cache
def places() -> tuple[Place, ...]:
    """Administrative divisions we know, with their 6-digit adcodes."""
    with (DICT_DIR / "places.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            Place(r["adcode"], r["name"], r["level"], r["parent"], r["short"])
            for r in csv.DictReader(fh)
        )


@cache
def places_by_code() -> dict[str, Place]:
    return {p.adcode: p for p in places()}


def region_prefix(adcode: str) -> str:
    """``130000`` → ``13``, ``130200`` → ``1302``, ``130207`` → ``130207``: every region
    inside ``adcode`` has an adcode starting with this prefix."""
    code = adcode
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def full_place_name(adcode: str) -> str:
    """``130207`` → ``河北省唐山市丰南区`` (as far as the table knows the parents)."""
    table = places_by_code()
    names: list[str] = []
    code: str | None = adcode
    while code and code in table:
        names.append(table[code].name)
        code = table[code].parent or None
    return "".join(reversed(names))


@cache
def agency_types() -> tuple[AgencyType, ...]:
    """Agency kinds with the short names documents use for them."""
    data = yaml.safe_load((DICT_DIR / "agencies.yml").read_text(encoding="utf-8"))
    return tuple(AgencyType(d["canonical"], tuple(d["aliases"]), d.get("duty", "")) for d in data)


@cache
def term_lists() -> dict[str, tuple[str, ...]]:
    """Named vocabulary lists (``terms.yml``) that rule packs refer to."""
    data = yaml.safe_load((DICT_DIR / "terms.yml").read_text(encoding="utf-8"))
    return {name: tuple(words) for name, words in data.items()}


def jieba_words() -> list[str]:
    """Every dictionary term, for jieba's user dictionary."""
    words: set[str] = set()
    for chem in chemicals():
        words.add(chem.name)
        words.update(chem.aliases)
    for place in places():
        words.add(place.name)
    for agency in agency_types():
        words.update(agency.aliases)
    for terms in term_lists().values():
        words.update(terms)
    words.update((DICT_DIR / "domain_words.txt").read_text(encoding="utf-8").split())
    return sorted(w for w in words if len(w) > 1)


@cache
def surnames() -> tuple[str, ...]:
    """Chinese surnames (``surnames.txt``), two-character 复姓 first."""
    lines = (DICT_DIR / "surnames.txt").read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return tuple(sorted(names, key=len, reverse=True))


@cache
def given_name_characters() -> frozenset[str]:
    """Characters common in given names (``given_name_chars.txt``)."""
    text = (DICT_DIR / "given_name_chars.txt").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(" ".join(lines).split())
