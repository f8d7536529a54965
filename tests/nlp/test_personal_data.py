"""A minor's personal data is found in every form the issue named, and nothing else is:
ages, legal phrases, adults named by their role, agencies and companies stay as they are."""

from __future__ import annotations

import pytest

from clue_miner.nlp.personal_data import find_personal_data
from clue_miner.packets.masking import mask_minors, mask_ranges


def found(text: str) -> list[tuple[str, str]]:
    return [(d.kind, text[d.start : d.end]) for d in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "未成年人刘小雨（2010年3月出生）与公司签约。",
            [("name", "刘小雨"), ("birth_date", "2010年3月")],
        ),
        ("主播刘小雨今年15岁。", [("name", "刘小雨")]),
        ("未成年人欧阳娜娜在直播间表演。", [("name", "欧阳娜娜")]),
        (
            "家住丰南区胜利路12号的未成年人王某某被招用。",
            [("address", "丰南区胜利路12号"), ("name", "王某某")],
        ),
        (
            "公司与刘某某、张小雨、赵一鸣等3名未成年人签订协议。",
            [("name", "刘某某"), ("name", "张小雨"), ("name", "赵一鸣")],
        ),
        ("姓名：陈思雨  性别：女  年龄：15", [("name", "陈思雨")]),
        ("2  诸葛晨  14岁  初一", [("name", "诸葛晨")]),
        (
            "其母亲张某某（电话13800138000）称孩子在丰南区第一中学初二（3）班就读。",
            [
                ("guardian_name", "张某某"),
                ("phone", "13800138000"),
                ("school", "丰南区第一中学初二（3）班"),
            ],
        ),
        (
            "主播“甜心小雨”（抖音号tianxin520）今年14岁。",
            [("nickname", "甜心小雨"), ("account", "tianxin520")],
        ),
        (
            "该生小名叫豆豆，就读于胜利镇中心小学五年级。",
            [("nickname", "豆豆"), ("school", "胜利镇中心小学五年级")],
        ),
    ],
)
def test_each_form_of_a_minor_s_personal_data_is_found(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "检查时14周岁，不满16周岁的未成年人不得被招用。",
        "已满十六周岁不满十八周岁的未成年人有5人，均为高中学生。",
        "唐山某某文化传媒有限公司与13名未成年人签约，丰南区人民检察院向唐山市丰南区人力资源和社会保障局发出检察建议。",
        "公司法定代表人王建军、负责人李某与检察官张某、民警刘某一同核实未成年人的年龄。",
        "2024年3月签订的协议显示，未成年人在胜利路派出所做了笔录。",
        "公司负责人王某某对硫酸的具体流向说法前后不一。",
    ],
)
def test_ages_laws_adults_agencies_and_companies_are_not_personal_data(text: str) -> None:
    assert found(text) == [] and mask_minors(text).text == text


def test_a_name_found_beside_an_age_is_masked_wherever_it_recurs() -> None:
    text = "主播刘小雨今年15岁。经查，刘小雨每晚直播至凌晨。"
    assert mask_minors(text).text == "主播刘某今年15岁。经查，刘某每晚直播至凌晨。"


def test_a_quote_is_masked_with_its_document_as_context() -> None:
    text = "刘小雨今年14岁。刘小雨称其每天直播6小时。"
    start = text.index("刘小雨称")
    [quote] = mask_ranges(text, [(start, len(text))])
    assert quote == "刘某称其每天直播6小时。"


@pytest.mark.parametrize(
    "text",
    ["", "\n", "\n\n。\n", "。。。", "姓名：\n年龄：", "未成年人王小明。\n\n\n他13岁。"],
    ids=["empty", "newline", "blank-lines", "only-stops", "empty-fields", "gap"],
)
def test_empty_lines_and_bare_punctuation_do_not_break_the_recognisers(text: str) -> None:
    found_in_case = find_personal_data(text, minors_case=True)
    assert all(0 <= d.start < d.end <= len(text) for d in found_in_case)
    assert [text[d.start : d.end] for d in found_in_case] == (
        ["王小明"] if "王小明" in text else []
    )
