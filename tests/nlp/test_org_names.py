"""Organization names are taken apart into region prefix, core and legal form."""

from __future__ import annotations

import pytest

from clue_miner.nlp.org_names import parse_org_name, region_relation


@pytest.mark.parametrize(
    ("name", "core", "legal_form", "adcode"),
    [
        ("张家口市万全区利民气体有限公司", "利民气体", "有限公司", "130708"),
        ("利民气体有限责任公司", "利民气体", "有限公司", None),
        ("利民气体（张家口）有限公司", "利民气体", "有限公司", "130700"),
        ("河北省唐山市丰南区星芒文化传媒有限公司", "星芒文化传媒", "有限公司", "130207"),
        ("张家口市经开区鼎盛商务有限公司", "鼎盛商务", "有限公司", "130700"),
        ("ＡＢＣ化工(唐山)股份有限公司", "ABC化工", "股份有限公司", "130200"),
        ("张家口市桥西区永顺化工经销处", "永顺化工经销处", "", "130703"),
    ],
)
def test_a_name_splits_into_region_core_and_legal_form(
    name: str, core: str, legal_form: str, adcode: str | None
) -> None:
    parsed = parse_org_name(name)
    assert (parsed.core, parsed.legal_form, parsed.adcode) == (core, legal_form, adcode)


def test_spellings_of_one_name_share_a_key() -> None:
    assert parse_org_name("利民气体(张家口)有限责任公司").key == "利民气体（张家口）有限公司"


def test_regions_relate_by_containment() -> None:
    assert region_relation("130708", "130708") == "same"
    assert region_relation("130708", "130700") == "contains"
    assert region_relation("130000", "130708") == "contains_province"
    assert region_relation("130207", "130708") == "conflict"
    assert region_relation(None, "130708") == "unknown"
