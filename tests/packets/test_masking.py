"""Minors' names, ID numbers, birth dates and home addresses are masked; adults named in
sentences about companies are left alone."""

from __future__ import annotations

import pytest

from clue_miner.nlp.personal_data import speaks_of_minors
from clue_miner.packets.masking import mask_minors


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "发现当事人于2024年3月与刘某某（2008年6月出生）签订《主播合作协议》。",
            "发现当事人于2024年3月与刘某某（****年**月出生）签订《主播合作协议》。",
        ),
        (
            "张小明今年15岁，身份证号130207200906120015，家住丰南区友谊路12号3单元。",
            "张某今年15岁，身份证号130207************，家住※※※。",
        ),
        (
            "李某某，女，2009年5月12日出生，初中学生，住址：丰南区青年路8号。",
            "李某某，女，****年**月**日出生，初中学生，住址：※※※。",
        ),
    ],
)
def test_a_minor_s_personal_information_is_masked(text: str, masked: str) -> None:
    result = mask_minors(text)
    assert result.text == masked and result.changes >= 1


def test_sentences_not_about_a_minor_keep_their_names() -> None:
    text = "公司负责人王某某对硫酸的具体流向说法前后不一。"
    assert mask_minors(text).text == text and mask_minors(text).changes == 0


def test_an_id_number_is_masked_wherever_it_is() -> None:
    masked = mask_minors("法定代表人身份证号码：13070219800101002X。").text
    assert masked == "法定代表人身份证号码：130702************。"


def test_a_minors_case_masks_names_its_sentence_alone_would_not_reveal_as_a_minors() -> None:
    sentence = "主播刘小雨与公司签约。"
    assert mask_minors(sentence).text == sentence
    assert mask_minors(sentence, minors_case=True).text == "主播刘某与公司签约。"


def test_a_lead_is_a_minors_case_when_any_of_its_documents_speaks_of_a_minor() -> None:
    assert speaks_of_minors(["公司招用主播。", "其中3名未满16周岁。"])
    assert not speaks_of_minors(["公司招用主播。", "经营者未取得许可证。"])
