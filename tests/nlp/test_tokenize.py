"""jieba keeps the domain vocabulary whole and caches in our var folder."""

from __future__ import annotations

import jieba_fast

from clue_miner.config import var_dir
from clue_miner.nlp.tokenize import remembered_runs, words


def test_domain_terms_stay_whole() -> None:
    tokens = words(
        "经查，该公司与13名未成年人签订直播合作协议，并在民房内储存醇基燃料和易制毒化学品。"
    )
    for term in ("未成年人", "直播合作协议", "民房", "醇基燃料", "易制毒化学品"):
        assert term in tokens


def test_agency_short_names_and_places_are_words() -> None:
    tokens = words("丰南区人社局会同张家口市应急管理局开展检查")
    assert {"丰南区", "人社局", "张家口市", "应急管理局"} <= set(tokens)
    assert jieba_fast.dt.tmp_dir == str(var_dir() / "cache")


def test_remembered_runs_give_the_same_words_and_forget_after_the_block() -> None:
    texts = [
        "经查，该公司于2024年3月违规购进98%硫酸1.1吨，存放于民房车库内。",
        "主播“小雨”（ID: xy_2010）称：今年15岁，月收入3,000元！\r\n  另见 https://example.cn/a?b=1",
        "该公司违规购进硫酸。经查，该公司违规购进硫酸。",
        "",
        "   \t",
        "C++、C#与Ａ４纸；50%…——《条例》",
    ]
    plain = [words(text) for text in texts]
    with remembered_runs():
        assert [words(text) for text in texts] == plain
        assert [words(text) for text in reversed(texts)] == plain[::-1]
    assert [words(text) for text in texts] == plain
