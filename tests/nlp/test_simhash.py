"""Simhash puts a repost a few bits from its original and unrelated texts far apart."""

from __future__ import annotations

from clue_miner.nlp.simhash import bands, distance, from_signed, simhash, to_signed

ORIGINAL = (
    "本网讯（通讯员 邢某某 记者 王某）近日，张家口市公安局桥东分局在辖区一处出租民房内查扣硫酸1.1吨，"
    "涉事企业因涉嫌违规购买、储存易制毒化学品被立案调查。\n"
    "6月中旬，桥东分局接到群众举报，称某村一处平房院内经常有货车深夜卸货，院内时常散发刺鼻气味。"
    "民警会同区应急管理局执法人员前往核查，在院内两间平房中发现25公斤装白色塑料桶44只。\n"
    "经查，该民房由张家口市桥东区恒盛商务有限公司于今年3月租用，许可范围不包括硫酸。\n"
    "（编辑：周某）"
)
REPOST = "来源：张家口新闻网\n" + ORIGINAL.replace("本网讯（通讯员 邢某某 记者 王某）", "").replace(
    "（编辑：周某）", "（责任编辑：李某某）"
)
UNRELATED = (
    "本网讯 丰南区人力资源和社会保障局对辖区直播公司开展专项检查，调阅劳动合同和主播排班表，"
    "发现一家文化传媒公司与3名未成年人签订合作协议，已依法立案查处并责令改正。"
)


def test_a_repost_with_a_new_byline_is_within_three_bits() -> None:
    assert distance(simhash(ORIGINAL), simhash(REPOST)) <= 3


def test_unrelated_texts_are_far_apart() -> None:
    assert distance(simhash(ORIGINAL), simhash(UNRELATED)) > 10


def test_hashes_round_trip_through_a_signed_column_and_split_into_bands() -> None:
    value = simhash(ORIGINAL)
    assert from_signed(to_signed(value)) == value
    assert -(2**63) <= to_signed(value) < 2**63
    parts = bands(value)
    assert len(parts) == 4 and sum(p << (16 * i) for i, p in enumerate(parts)) == value
