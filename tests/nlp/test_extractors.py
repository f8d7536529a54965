"""Extractors read the messy ways real documents state facts; offsets point into the text."""

from __future__ import annotations

import pytest

from clue_miner.nlp.extractors import EXTRACTORS, extract_all
from clue_miner.nlp.extractors.identifiers import id_check_char, uscc_check_char, uscc_status
from clue_miner.nlp.mentions import Mention


def of_type(text: str, kind: str) -> list[Mention]:
    found = [m for m in extract_all(text) if m.type == kind]
    for m in found:
        assert text[m.start : m.end] == m.text
    return found


def test_every_extractor_is_registered() -> None:
    assert set(EXTRACTORS) >= {
        "uscc",
        "id_number",
        "organization",
        "chemical",
        "age",
        "birth_date",
        "minor_count",
        "agency",
        "place",
    }


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("91110000600037341L", "valid"),  # worked example of GB 32100-2015
        ("91350100M000100Y4Z", "invalid"),  # the standard's own text example has a bad check
        ("91350100M000100Y43", "valid"),
        ("91430281691828xxxx", "masked"),
        ("91130702MA03AGYG1H", "valid"),
    ],
)
def test_credit_code_check_characters(code: str, status: str) -> None:
    assert uscc_status(code) == status


def test_check_character_functions_match_the_standards() -> None:
    assert uscc_check_char("91110000600037341") == "L"
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("34052419800101001") == "X"
    assert id_check_char("44052418800101001") == "4"


def test_credit_codes_in_a_penalty_notice_including_masked_ones() -> None:
    text = "当事人：张家口市佳美涂料有限公司，统一社会信用代码：91130700MA0E0TWM78；另一单位代码为91430281691828xxxx。"
    found = of_type(text, "uscc")
    assert [(m.value, m.attrs["status"]) for m in found] == [
        ("91130700MA0E0TWM78", "valid"),
        ("91430281691828xxxx", "masked"),
    ]


def test_an_id_number_gives_a_birth_date_only_when_its_check_digit_holds() -> None:
    found = of_type("身份证号11010519491231002X，另有号码110105194912310021。", "id_number")
    assert [(m.value, m.attrs["birth_date"]) for m in found] == [
        ("11010519491231002X", "1949-12-31")
    ]


@pytest.mark.parametrize(
    ("text", "bounds", "qualifier"),
    [
        ("该主播年仅16周岁", (16, 16), "exact"),
        ("一名十四五岁的女孩", (14, 15), "range"),
        ("招用不满十六周岁的未成年人", (0, 15), "under"),
        ("一个十岁左右的孩子", (9, 11), "about"),
        ("对年满十六周岁的未成年人", (16, 120), "over"),
        ("15至17岁的学生", (15, 17), "range"),
    ],
)
def test_ages_in_arabic_and_chinese_numerals(
    text: str, bounds: tuple[int, int], qualifier: str
) -> None:
    [age] = of_type(text, "age")
    assert (age.attrs["min"], age.attrs["max"]) == bounds
    assert age.attrs["qualifier"] == qualifier


def test_birth_dates_and_head_counts_of_minors() -> None:
    text = "被告史某某，2007年9月出生。该公司自成立以来有13名未成年人与其签订劳动合同，另有三名在校学生。"
    assert [m.value for m in of_type(text, "birth_date")] == ["2007-09"]
    assert [m.value for m in of_type(text, "minor_count")] == ["13", "3"]


def test_chemicals_with_aliases_precursor_class_and_quantity() -> None:
    text = "购买盐酸20桶、硫酸1.5吨，另在民房内存放醇基燃料约6.8吨及液化气钢瓶。"
    found = of_type(text, "chemical")
    assert [m.value for m in found][:3] == ["盐酸", "硫酸", "醇基燃料"]
    assert found[0].attrs["precursor_class"] == "第三类"
    assert found[0].attrs["quantity"] == "20桶"
    assert found[1].attrs["quantity"] == "1.5吨"
    assert found[2].attrs["kind"] == "trade"
    assert any(m.value == "液化石油气" and m.text == "液化气钢瓶" for m in found)


@pytest.mark.parametrize(
    ("text", "name", "anonymous"),
    [
        (
            "经查，唐山市丰南区星芒文化传媒有限公司于2024年3月",
            "唐山市丰南区星芒文化传媒有限公司",
            False,
        ),
        ("发现辖区某商务有限公司在经营许可范围不包含盐酸", "某商务有限公司", True),
        ("当地一家商务有限公司购买了硫酸", "某商务有限公司", True),
        ("原告河南某限公司诉称", "河南某限公司", True),
        ("对非法雇用未成年人的某网络直播公司所作出的处罚", "某网络直播公司", True),
        (  # 经 begins a word of the name here, not "经查"
            "张家口市经开区鼎盛商务有限公司申请变更经营方式",
            "张家口市经开区鼎盛商务有限公司",
            False,
        ),
    ],
)
def test_organizations_named_and_anonymised(text: str, name: str, anonymous: bool) -> None:
    [org] = of_type(text, "organization")
    assert (org.value, org.attrs["anonymous"]) == (name, anonymous)


@pytest.mark.parametrize(
    "text",
    ["区应急管理局已就该公司作出处罚", "3月初进入公司担任主播", "辖区网络直播公司雇用未成年人乱象"],
)
def test_references_and_kinds_of_business_are_not_organizations(text: str) -> None:
    assert of_type(text, "organization") == []


def test_agencies_keep_their_written_prefix() -> None:
    text = (
        "丰南区检察院依法向区人力资源和社会保障局制发检察建议，并通报区人社局和张家口市行政审批局。"
    )
    found = of_type(text, "agency")
    assert [(m.value, m.attrs["prefix"]) for m in found] == [
        ("人力资源和社会保障局", "区"),
        ("人力资源和社会保障局", "区"),
        ("行政审批局", "张家口市"),
    ]


def test_places_carry_adcodes() -> None:
    found = of_type("唐山市丰南区与张家口市宣化区", "place")
    assert [m.value for m in found] == ["130200", "130207", "130700", "130705"]


def test_money_in_the_forms_penalties_and_judgments_use() -> None:
    text = "决定罚款人民币一万五千元；该童打赏3万余元；约定违约金200000元；获利20余万元。"
    found = of_type(text, "money")
    assert [(m.value, m.attrs.get("at_least", False)) for m in found] == [
        ("15000", False),
        ("30000", True),
        ("200000", False),
        ("200000", True),
    ]


def test_dates_in_chinese_and_iso_forms() -> None:
    found = of_type("2024年3月5日签订协议，2024-03-08生效，2024年12月解除。", "date")
    assert [m.value for m in found] == ["2024-03-05", "2024-03-08", "2024-12"]


def test_an_id_number_gives_the_age_at_the_contract_date() -> None:
    from clue_miner.nlp.analyze import analyze_text

    text = (
        "原告某传媒有限公司诉称，被告王某某（身份证号码110105200807280015）于2024年4月20日"
        "与原告签订《直播合作协议》，约定其担任签约主播并开播，后被告停播。"
    )
    ages = [m for m in analyze_text(text).mentions if m.type == "age"]
    assert [(m.value, m.attrs["qualifier"], m.attrs["at"]) for m in ages] == [
        ("15", "derived", "2024-04-20")
    ]


def test_a_birth_date_in_a_judgment_heading_also_counts_at_the_signing() -> None:
    from clue_miner.nlp.analyze import analyze_text

    text = (
        "被告：蔡某某，女，2008年2月14日出生，住某县。\n本院依法适用简易程序审理。\n"
        "原告诉称，2024年6月3日，原告与被告签订《直播合作协议》，约定被告担任主播。"
    )
    ages = [m for m in analyze_text(text).mentions if m.type == "age"]
    assert [(m.value, m.text) for m in ages] == [
        ("16", "2008年2月14日出生"),
        ("16", "2024年6月3日"),
    ]
    assert ages[1].attrs["placed"] == "event" and ages[1].attrs["born"] == "2008-02-14"
