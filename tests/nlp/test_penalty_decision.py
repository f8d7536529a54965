"""Penalty decisions are read into fields, and a lead names the party, not a counterparty."""

from __future__ import annotations

import pytest

from clue_miner.nlp.analyze import analyze_text
from clue_miner.nlp.penalty_decision import parse_decisions

LETTER = """行政处罚决定书
沧运应急罚〔2024〕12号
当事人：沧州市鑫达化工贸易有限公司
统一社会信用代码：91130903MA0A1B2C3D
法定代表人：王某
住所：沧州市运河区永安大道88号
经查，当事人持有的危险化学品经营许可证许可范围为甲苯、二甲苯，不包括硫酸。2024年3月，当事人\
超出许可范围，将硫酸2吨销售给沧州市宏远金属制品有限公司。以上事实有现场检查笔录等证据为证。
当事人的上述行为违反了《危险化学品安全管理条例》第三十三条第一款的规定。依据《危险化学品安全\
管理条例》第七十七条第一款的规定，本局决定：没收违法所得，并处罚款10万元。
沧州市运河区应急管理局
2024年4月8日
"""

DETAIL_TABLE = (
    "行政处罚信息\n"
    "行政相对人名称\t唐山市丰南区星耀文化传媒有限公司\t\n"
    "统一社会信用代码\t91130207MA0C2D3E4F\t\n"
    "法定代表人\t刘某\t\n"
    "违法事实\t该公司招用两名未满十六周岁的未成年人担任网络主播，每日直播六小时。\t\n"
    "处罚依据\t《禁止使用童工规定》第六条\t\n"
    "处罚内容\t罚款人民币20000元\t\n"
    "处罚机关\t唐山市丰南区人力资源和社会保障局\t\n"
    "处罚决定日期\t2024-05-20\t\n"
)

REGISTER = (
    "2024年第二季度行政处罚信息公示\n"
    "行政相对人名称\t统一社会信用代码\t法定代表人\t行政处罚决定书文号\t违法事实\t处罚依据\t"
    "处罚内容\t处罚决定日期\t处罚机关\t\n"
    "邯郸市恒达商贸有限公司\t91130400MA0E1F2G3H\t赵某\t邯应急罚〔2024〕3号\t"
    "未取得危险化学品经营许可证销售甲醇\t《危险化学品安全管理条例》第七十七条\t罚款10万元\t"
    "2024-04-02\t邯郸市应急管理局\t\n"
    "邯郸市永顺物流有限公司\t91130400MA0E9K8L7M\t钱某\t邯应急罚〔2024〕4号\t"
    "未按规定设置安全警示标志\t《安全生产法》第九十九条\t警告\t"
    "2024-04-09\t邯郸市应急管理局\t\n"
)


def test_a_decision_letter_is_read_into_its_fields() -> None:
    [decision] = parse_decisions(LETTER)
    fields = decision.values()
    assert fields["party"] == "沧州市鑫达化工贸易有限公司"
    assert decision.party_kind == "organization"
    assert fields["uscc"] == "91130903MA0A1B2C3D"
    assert fields["legal_representative"] == "王某"
    assert fields["address"] == "沧州市运河区永安大道88号"
    assert fields["facts"].startswith("当事人持有的危险化学品经营许可证")
    assert "销售给沧州市宏远金属制品有限公司" in fields["facts"]
    assert fields["basis"].startswith("依据《危险化学品安全管理条例》第七十七条")
    assert fields["penalty"] == "没收违法所得，并处罚款10万元"
    assert fields["authority"] == "沧州市运河区应急管理局"
    assert fields["date"] == "2024年4月8日"
    for item in decision.fields.values():  # every value points into the text
        assert LETTER[item.start : item.end] == item.value


def test_a_detail_table_of_label_and_value_cells() -> None:
    [decision] = parse_decisions(DETAIL_TABLE)
    fields = decision.values()
    assert fields["party"] == "唐山市丰南区星耀文化传媒有限公司"
    assert fields["uscc"] == "91130207MA0C2D3E4F"
    assert fields["penalty"] == "罚款人民币20000元"
    assert fields["authority"] == "唐山市丰南区人力资源和社会保障局"
    assert fields["date"] == "2024-05-20"


def test_a_register_gives_one_decision_per_row() -> None:
    rows = parse_decisions(REGISTER)
    assert [r.values()["party"] for r in rows] == [
        "邯郸市恒达商贸有限公司",
        "邯郸市永顺物流有限公司",
    ]
    assert rows[0].values()["number"] == "邯应急罚〔2024〕3号"
    assert rows[1].values()["penalty"] == "警告"


def test_a_person_as_party_and_texts_that_are_no_decision() -> None:
    [decision] = parse_decisions(
        "行政处罚决定书\n当事人：张某，男，1978年出生\n经查，当事人在自家院内非法储存汽油。"
    )
    assert decision.values()["party"] == "张某"
    assert decision.party_kind == "person"
    assert parse_decisions("记者从市应急管理局获悉，当事人表示将配合整改。") == []
    assert parse_decisions("") == []


@pytest.mark.parametrize(
    ("text", "party"),
    [
        (LETTER, "沧州市鑫达化工贸易有限公司"),
        (
            "行政处罚决定书\n当事人：保定市顺安能源有限公司\n经查，当事人租用保定市华兴物流有限公司的"
            "仓库，未取得危险化学品经营许可证储存甲醇12吨，并向保定市满福餐饮管理有限公司销售。",
            "保定市顺安能源有限公司",
        ),
        (
            "经查，邢台市聚丰化工有限公司超出许可范围，将盐酸3吨卖给邢台市宏图机械制造有限公司，"
            "应急管理局已立案查处。",
            "邢台市聚丰化工有限公司",
        ),
        (
            "衡水市金源商贸有限公司从衡水市德利石化有限公司购进柴油后，未取得成品油经营许可，"
            "使用改装货车在工地流动加油，被商务局查处。",
            "衡水市金源商贸有限公司",
        ),
        (DETAIL_TABLE, "唐山市丰南区星耀文化传媒有限公司"),
        (
            "行政处罚决定书\n当事人：秦皇岛市海韵文化传媒有限公司\n经查，当事人在北京某网络科技有限公司"
            "运营的直播平台上招用三名15周岁的初中生担任主播，签订合作协议，每晚直播至深夜。"
            "区人力资源和社会保障局依据《禁止使用童工规定》作出处罚。",
            "秦皇岛市海韵文化传媒有限公司",
        ),
    ],
    ids=["buyer", "landlord-and-buyer", "buyer-in-news", "supplier", "table", "platform"],
)
def test_the_lead_names_the_party_not_a_counterparty(text: str, party: str) -> None:
    flags = analyze_text(text).candidates
    assert flags, "a candidate of the category"
    assert {f.organization for f in flags} == {party}


def test_a_person_as_party_names_no_buyer() -> None:
    text = (
        "行政处罚决定书\n当事人：李某，男，1975年生\n经查，当事人未取得燃气经营许可证，在自家院内"
        "储存液化石油气钢瓶40个，并向沧州市福满楼餐饮有限公司销售。"
    )
    [flag] = [f for f in analyze_text(text).candidates if f.category == "hazmat_unlicensed"]
    assert flag.organization is None
