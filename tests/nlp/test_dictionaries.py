"""The dictionaries are data we wrote; the precursor list matches the regulation's annex."""

from __future__ import annotations

import csv
import re

import pytest

from clue_miner.nlp.dictionaries import agency_types, chemicals, places, term_lists
from tests.conftest import SHARED_DIR

ANNEX = SHARED_DIR / "data" / "precursor_chemicals_2005_annex.csv"


def test_hazardous_chemicals_trade_names_and_no_ambiguous_terms() -> None:
    table = chemicals()
    kinds = {
        kind: [c for c in table if c.kind == kind] for kind in ("hazmat", "precursor", "trade")
    }
    assert len(kinds["hazmat"]) >= 300
    trade = {c.name for c in kinds["trade"]} | {a for c in kinds["trade"] for a in c.aliases}
    assert {"醇基燃料", "甲醇燃料油", "稀释剂", "天那水"} <= trade
    assert any(c.name == "液化石油气" and "液化气" in c.aliases for c in table)
    terms = [t for c in table for t in (c.name, *c.aliases)]
    assert len(terms) == len(set(terms)), "a term names two chemicals"
    assert all(len(t) >= 2 for t in terms)


@pytest.mark.skipif(not ANNEX.exists(), reason=f"the annex list is not at {ANNEX}")
def test_every_precursor_of_the_annex_is_in_the_dictionary_with_its_class() -> None:
    ours = {c.name: c.precursor_class for c in chemicals() if c.kind == "precursor"}
    with ANNEX.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in re.split("、|等", row["name_zh"].replace("麻黄素类物质", "")):
                if name and name in ours:
                    assert ours[name] == row["category"], name
            first = re.split("、", row["name_zh"])[0]
            assert first in ours, f"annex precursor {first} missing"


def test_vocabulary_agencies_and_places() -> None:
    terms = term_lists()
    assert {"主播", "MCN", "直播带货", "打赏", "连麦", "公会"} <= set(terms["livestream"])
    assert {"未成年人", "童工", "在校学生"} <= set(terms["minors"])
    hrss = next(a for a in agency_types() if a.canonical == "人力资源和社会保障局")
    assert "人社局" in hrss.aliases
    codes = {p.adcode: p for p in places()}
    assert codes["130207"].name == "丰南区" and codes["130207"].parent == "130200"
    assert all(re.fullmatch(r"\d{6}", code) for code in codes)
