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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("对未成年犯罪嫌疑人孔航，检察院作出不起诉决定。", [("name", "孔航")]),
        ("民警对犯罪嫌疑人段璟怡（15岁）进行询问。", [("name", "段璟怡")]),
        ("年纪最小的那个女孩叫安宁，只有14岁。", [("name", "安宁")]),
        ("13岁的万里在车站被民警找到。", [("name", "万里")]),
        ("民警在桥下找到了离家的少年马平安。", [("name", "马平安")]),
        ("9岁儿童张海洋在泳池溺水。", [("name", "张海洋")]),
        (
            "教唆者以高薪为饵诱骗武悦拍摄视频，武悦当时只有13岁。",
            [("name", "武悦"), ("name", "武悦")],
        ),
        (
            "该生2016年入学于丰润区第三小学，2020年转学至路南区实验小学。",
            [("school", "丰润区第三小学"), ("school", "路南区实验小学")],
        ),
        (
            "被查获的未成年人分别为：牛犇、冯晓彤、蒋宇辰。",
            [("name", "牛犇"), ("name", "冯晓彤"), ("name", "蒋宇辰")],
        ),
        (
            "序号  学生姓名  监护人\n1  乔一凡  乔卫东",
            [("name", "乔一凡"), ("guardian_name", "乔卫东")],
        ),
        (
            "查获：邓佳  女  16岁  收银；彭天  男  14岁  传菜。",
            [("name", "邓佳"), ("name", "彭天")],
        ),
        (
            "14岁的她以“小鹿的日常”为名开设账号直播。",
            [("nickname", "小鹿的日常")],
        ),
        ("会员卡号为VIP2071的会员系16岁学生。", [("account", "VIP2071")]),
    ],
)
def test_forms_a_first_held_out_set_showed_missing_are_found(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [pair for pair in found(text) if pair[0] != "birth_date"] == expected


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("12岁的常宁放学后在“常宁烧烤店”帮忙，店主说“知足常宁”。", ["常宁烧烤店", "知足常宁"]),
        ("常乐镇派出所民警称，一名14岁少年在网吧被发现。", ["常乐镇"]),
        ("那是一名15岁的初中女生，KTV时才开门。", ["初中女生", "时才"]),
        ("检察机关指控被告人以“招募童星”为名诱骗一名13岁女孩。", ["招募童星"]),
        ("高氏建筑劳务有限公司雇用了未成年人。", ["高氏建筑劳务有限公司"]),
        ("那场夏雨过后，14岁的夏雨再也没回家。", ["那场夏雨过后"]),
    ],
)
def test_shops_slogans_idioms_and_places_holding_a_name_stay_as_they_are(
    text: str, kept: list[str]
) -> None:
    masked = mask_minors(text, True).text
    assert all(phrase in masked for phrase in kept), masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("被害人郄一鸣、禚子墨均为14岁初中生。", [("name", "郄一鸣"), ("name", "禚子墨")]),
        ("13岁的宗政思远在直播间打赏了2万元。", [("name", "宗政思远")]),
        ("童工帕提古丽·吐尔逊今年15岁。", [("name", "帕提古丽·吐尔逊")]),
        (
            "学生信息：姓名：岳小棠；出生：20120418。",
            [("name", "岳小棠"), ("birth_date", "20120418")],
        ),
        ("该生系八（2）班学生，今年14岁。", [("school", "八（2）班")]),
        ("14岁的他在高二年级3班。", [("school", "高二年级3班")]),
        ("幼儿园中（4）班的一名5岁男孩走失。", [("school", "中（4）班")]),
        ("16岁的少女考上了平泉县职业技术学校。", [("school", "平泉县职业技术学校")]),
        ("12岁男孩说他家在槐荫区经十路88号。", [("address", "槐荫区经十路88号")]),
        ("一名11岁男孩住在7栋3单元502室。", [("address", "7栋3单元502室")]),
    ],
)
def test_forms_a_third_held_out_set_showed_missing_are_found(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("table", "names"),
    [
        ("姓名,出生日期,班级\n次仁央宗,2013/05/02,四年级", ["次仁央宗"]),
        ("姓名　出生日期　监护人\n韩一诺　2014年2月1日　韩建军", ["韩一诺", "韩建军"]),
    ],
)
def test_a_table_of_minors_in_commas_or_ideographic_spaces_is_read_by_its_header(
    table: str, names: list[str]
) -> None:
    masked = mask_minors(table, True).text
    assert not any(name in masked for name in names), masked
    assert "出生日期" in masked and "2013/05/02" not in masked and "2014年2月1日" not in masked


def test_roles_said_of_minors_name_them_and_an_adult_age_after_keeps_a_name() -> None:
    assert found("餐馆雇用的洗碗工凌小禾系冒用他人身份证入职，实际14岁。") == [("name", "凌小禾")]
    assert found("主播“晚风”本名谷雨桐，签约时年仅15周岁。")[-1] == ("name", "谷雨桐")
    assert ("name", "韦立强") not in found("主播“老韦”本名韦立强，今年41岁，曾带过一名16岁学徒。")


def test_weekdays_and_leaflets_are_not_names() -> None:
    masked = mask_minors("家长会定于本周五下午召开，14岁的学生将领取宣传册。", True).text
    assert "本周五" in masked and "宣传册" in masked


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("执法人员在阳光少年游戏厅内发现未成年人9名。", ["少年游戏厅"]),
        ("该案是全市首例未成年人文身公益诉讼案。", ["未成年人文身"]),
        ("当晚，14岁的唐晞与两名同学相约外出。", ["同学相约"]),
        ("姓名　　出生日期　　监护人　　关系\n乔嘉懿　2012年3月5日　　乔振东　　父女", ["关系"]),
    ],
)
def test_words_after_a_cue_and_table_headers_are_not_names(text: str, kept: list[str]) -> None:
    masked = mask_minors(text, True).text
    assert all(phrase in masked for phrase in kept), masked
    assert "唐晞" not in masked and "乔嘉懿" not in masked
