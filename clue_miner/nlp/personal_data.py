"""Recognisers of a minor's personal data, after Presidio: each finds spans of one kind.

Names come from :mod:`clue_miner.nlp.personal_names` (jieba's words and part of speech,
the surname table, given-name characters, context cues), from labelled fields (姓名：…)
and from table rows; the other kinds from cue words and the shapes of dates, ID numbers,
phone numbers and accounts. A name, address, school, phone number or account is a
minor's when it sits in a sentence about a minor (an age under 18, 未成年, 学生, a recent
birth date, a school class) or next to one on its line; a name found there is then
recognised everywhere in the text. Adults named by their role
(法定代表人王某, 检察官李某) are left alone; ID numbers are personal data wherever they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clue_miner.nlp.extractors.ages import extract_ages
from clue_miner.nlp.personal_names import (
    COMMON_WORD,
    GUARDIAN_CUES,
    NAME_CUES,
    ROLE_WORDS,
    ends_with,
    name_spans,
    stands_alone,
    surname_length,
)
from clue_miner.nlp.tokenize import dictionary_frequency

KINDS = (
    "name",
    "nickname",
    "guardian_name",
    "birth_date",
    "id_number",
    "address",
    "school",
    "phone",
    "account",
)
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_MINOR_HINT = re.compile(
    r"未成年|未满十[六八]周岁|未满1[68]周岁|不满十[六八]周岁|不满1[68]周岁|学生|该生|童工|儿童|少年|少女"
    r"|男孩|女孩|孩子|监护人|初中(?!文化|学历)|小学(?!文化|学历)|[初高][一二三](?![十百千万])"
    r"|[一二三四五六七八九]年级|幼儿园|出生|年龄[:：\s]*1?\d(?!\d)"
)
# A role said of a minor (未成年犯罪嫌疑人, 涉罪未成年人), or an age under 18 just after
# the name (被告人王某（16岁）).
_MINOR_ROLE = re.compile(r"未成年[^，。；,]{0,6}$")
_MINOR_AGE_AFTER = re.compile(
    r"[（(，,]?(?:[男女][，,、])?(?:自称|现年|时年|作案时|案发时)?(?:1[0-7]|[1-9])周?岁(?!\d)"
    r"|[（(，,](?:[男女][，,、])?20(?:0[3-9]|1\d|2\d)年"
)
_ADULT_AGE_AFTER = re.compile(
    r"[（(，,](?:[男女][，,、])?(?:现年|时年|今年|已)?(?:[2-9]\d|1[89])周?岁"
)
_QUOTED_PHRASE = 12
_CJK_PUNCTUATION = re.compile(r"[，。；：、\s]")
_ENUMERATION = re.compile(r"([\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4}){2,})(?=[。；;，,\n]|$)")
_ESTABLISHMENT_BEFORE = re.compile(r"(?:这家|那家|一家|该|这个|此)$")  # 这家“向阳花”
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_MOBILE = r"1[3-9]\d(?:[\s-]?\d{4}){2}"
_PHONE = re.compile(rf"(?<!\d){_MOBILE}(?!\d)")
_PUBLIC_LINE = re.compile(r"(?:举报|投诉|服务|咨询|值班|办公|热线)(?:电话|热线)?[:：为是\s]*$")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
_DATE = (
    r"(?:19|20)\d{2}\s*(?:年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|[-/.]\d{1,2}(?:[-/.]\d{1,2})?)"
)
_BARE_DATE = re.compile(_DATE)
_COMPACT_DATE = r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"  # 20110912
_BIRTH = re.compile(
    rf"(?:出生(?:于|日期|年月)?|生于|出生时间)[:：为是\s]*({_DATE}|{_COMPACT_DATE})"
    rf"(?:\s*(?:和|、|及)\s*({_DATE}))?"
    rf"|({_DATE})\s*(?:出生|生人|生(?![产活]))"
)
_ADDRESS_CUE = (
    r"(?:家庭住址|现住址|户籍地址|户籍所在地|户籍地|住址|家住|家在|住在|暂住在|暂住于|暂住|居住于|居住在|现住"
    r"|(?<=[，,])住|住(?=[^，。；\n]{0,6}[省市县区]))"
)
_ADDRESS = re.compile(
    rf"{_ADDRESS_CUE}[:：为是\s]*"
    r"([^，。；;,\n、的（(\s|｜]{1,40}(?:号院|号楼|号|室|单元|栋|幢|楼|弄|巷|组|村|屯|庄|小区|社区|公寓|镇|乡|街道)"
    r"(?:[A-Za-z\d]{1,3}[栋幢])?(?:\d{1,2}单元)?(?:\d{1,4}[室房]?)?)"
)
# A flat given by building, unit and room (5栋2单元801室): a home, with no cue needed.
_FLAT = re.compile(r"(?<![\dA-Za-z])[A-Za-z\d]{1,3}(?:号楼|栋|幢)\d{1,2}单元\d{2,4}室?")
# A transliterated name (Uyghur, Kazakh …): 阿依古丽·艾合买提. It ends where a word or a
# non-Han character follows (吐尔逊|今年), else after three characters.
_DOTTED_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,4}[·•・]"
    r"(?:[\u4e00-\u9fff]{2,4}?(?=[^\u4e00-\u9fff]|$|今年|现年|[的在是被和与从向把将同送等系已因])"
    r"|[\u4e00-\u9fff]{2,3})"
)
_SCHOOL = re.compile(
    r"[\u4e00-\u9fff\d]{0,16}?(?:中学|小学|学校|中专|职中|完小|幼儿园|(?<=[一二三四五六七八九十县市区])[初高]中)(?![生长])"
    r"(?:[初高][一二三]|[一二三四五六七八九]年级|\d年级|[大中小]班)?(?:[（(]?\d{1,2}[)）]?班)?"
)
_SCHOOL_LEAD = re.compile(
    r"^.*(?:就读于|就读|在读|就学于|毕业于|转学至|考入|升入|转入|考上了?|考取了?|回到了?|是|系|为|在|于|到"
    r"|去|的|该生|其|与|和|及|、|距离|位于|靠近|附近|[:：])"
)
_SCHOOL_ATTRIBUTED_BEFORE = re.compile(
    r"(?:就读于|就读|在读|就学于|入学于|转学至|转学到|转入|考入|升入|考上了?|考取了?|回到了?|返回了?"
    r"|系|是|为|在|读|(?:学校|校门)[:：]\s*)$"
)
_SCHOOL_ATTRIBUTED_AFTER = re.compile(
    r"[”\"]?(?:的?学生|就读|读书|上学|学习|念书|字样|校服)|\s*(?:[一二三四五六七八九]年级|[初高][一二三])"
)
# Words before 中学/小学 that say what kind of school, not which: 职业学校, 附近中学, 全县中小学.
_SCHOOL_GENERIC = re.compile(
    r"^(?:职业|附近|在校|当地|本地|该|这所|那所|一所|全县|全市|全区|周边|辖区|各|多所|部分|普通|寄宿制?|民办|公办)"
)
_SCHOOL_STRONG_CUE = re.compile(r"(?:就读于|就读|在读|就学于)$")
# A school named by more than its kind (第三中学, 某某镇中心小学), not 职业学校 or 附近中学.
_SCHOOL_SPECIFIC = re.compile(r"[省市县区镇乡村第某]|实验|中心|\d")
_CLASS = re.compile(
    r"(?:[初高][一二三](?:年级)?|[一二三四五六七八九]年级|\d年级|[一二三四五六七八九](?=[（(]))"
    r"(?:[（(]\d{1,2}[)）]|\d{1,2}|[一二三四五六七八九十]{1,2})班"
    r"|(?:(?<![\u4e00-\u9fff])|(?<=园))[大中小](?:[一二三四五六七八九十]|[（(]\d{1,2}[)）])班"
)
_ACCOUNT = re.compile(
    r"(?:会员卡号|会员号|卡号|小红书号|视频号|UID|微信号|微信ID|微信|QQ号|QQ|抖音号|抖音ID|快手号|快手ID|用户ID|用户名|账号|帐号|直播间号|房间号|ID)"
    r"[\s:：为是]*[“\"]?(?!(?:QQ|UID|ID)(?:号|\s|$))"
    r"([A-Za-z0-9_.\-]*[A-Za-z_][A-Za-z0-9_.\-]*|\d{5,15})(?![\dA-Za-z_]|[余多个万名人])"
)
_NICKNAME = re.compile(
    r"(?:小名|乳名|网名|昵称|艺名|直播名)(?:叫|为|是|[:：])?\s*[“\"「『]([^”\"」』\n]{1,20})[”\"」』]"
    r"|(?:小名|乳名)(?:叫|为|是)([\u4e00-\u9fff]{2})"
    r"|(?:主播|账号)[“\"「『]([^”\"」』\n]{1,15})[”\"」』]"
    r"|(?:叫|喊|称呼)(?:他|她|这个孩子|该孩子|孩子)[“\"「『]([^”\"」』\n]{1,10})[”\"」』]"
    r"|以[“\"「『]([^”\"」』\n]{1,15})[”\"」』](?:为名|为网名|为昵称)(?=[^，。；\n]{0,4}(?:开设|注册|开通|申请|账号|直播))"
    r"|[“\"「『]([^”\"」』\n]{1,15})[”\"」』]是(?:她|他|其|该生|孩子)?[^，。；\n]{0,10}(?:昵称|网名|艺名|小名|账号名)"
)
# Labelled fields of a form or a record (姓名：王某  年龄：15): the label says the kind.
_FIELD_KINDS = {
    "name": ("真实姓名", "学生姓名", "姓名", "曾用名", "实名认证人"),
    "nickname": ("主播昵称", "昵称", "网名", "小名", "乳名"),
    "guardian_name": ("监护人姓名", "监护人", "家长姓名", "家长", "父亲", "母亲"),
    "school": ("所在学校", "就读学校", "学校", "班级"),
    "address": ("家庭住址", "现住址", "户籍地址", "住址"),
    "phone": (
        "监护人电话",
        "家长电话",
        "学生电话",
        "本人电话",
        "联系电话",
        "手机号码",
        "手机号",
        "电话",
    ),
}
_FIELD = re.compile(
    "("
    + "|".join(
        sorted(
            {label for labels in _FIELD_KINDS.values() for label in labels}, key=len, reverse=True
        )
    )
    + ")"
    r"(?:[:：]\s*|\s+)([^\s|｜；;，,。（(]{1,40})"
)
# What follows a place or an organization's name, never a person's.
_NOT_AFTER_NAME = re.compile(
    r"某|[市县区省镇乡村街庄屯]|路(?![过上边口])|公司|有限|集团|文化|传媒|商贸|科技|网络|工作室"
    r"|[局院厂店]|所(?![在有说称述以])|中心|大道|网吧|网咖|KTV|酒吧|会所|宾馆|酒店|超市|饭店|餐馆"
    r"|棋牌室|游戏厅|歌厅|浴池|足浴"
)
# What follows a guardian's name: 李某（系被害人王某之母）, 李某（父亲）.
_GUARDIAN_AFTER = re.compile(r"[（(](?:系[^）)]{0,12}之[母父]|父亲|母亲|其父|其母|监护人)[）)]")
_RECORD_LABEL = re.compile(
    r"(?:姓名|性别|年龄|民族|出生|身份证|学校|班级|住址|电话|监护人|昵称|微信|账号)[^:：\n]{0,4}[:：]"
)
# A table row without its header: 王某  女  14 (a gender cell, then an age under 18).
_CELL_EDGE = r"\s*(?:[|｜\t]|\s{2})\s*"
_BARE_ROW = re.compile(
    rf"(?:^|{_CELL_EDGE}|[；;：:]\s*)([\u4e00-\u9fff]{{2,4}}){_CELL_EDGE}[男女]{_CELL_EDGE}"
    rf"(1[0-7]|[1-9])(?:周?岁)?(?:{_CELL_EDGE}|\s*$)",
    re.MULTILINE,
)
_HEADER_ENDINGS = (
    "姓名",
    "电话",
    "日期",
    "号",
    "班级",
    "学校",
    "住址",
    "地址",
    "昵称",
    "性别",
    "年龄",
    "关系",
    "备注",
    "职业",
    "民族",
    "籍贯",
    "学历",
)
# A table's columns by their header: the kind of a minor's data each holds.
_COLUMN_KINDS = (
    ("guardian_name", re.compile(r"^(?:监护人|家长|父亲|母亲|法定代理人)(?:姓名)?$")),
    ("name", re.compile(r"姓名$|^(?:用户)?实名$|^实际使用人$|^使用人$")),
    ("nickname", re.compile(r"昵称|网名|小名")),
    ("account", re.compile(r"账号|微信号?$|QQ号?$|抖音号|快手号|ID$")),
    ("school", re.compile(r"学校|班级")),
    ("address", re.compile(r"住址|地址|住所")),
    ("phone", re.compile(r"电话|手机")),
)
_TABLE_NAME = re.compile(r"[\u4e00-\u9fff]{2,6}(?:[·•・][\u4e00-\u9fff]{2,8})?")  # fullmatch
_CELL_SPLIT = re.compile(r"\s*[|｜\t,\u3000]\s*|\s{2,}")
# Recent enough that the person may still be a minor: such birth dates are masked anywhere;
# older ones only in a sentence about a minor, and never before this year.
MINOR_BIRTH_YEARS_FROM = 2003
_OLDEST_MINOR_BIRTH_YEAR = 1995


@dataclass(frozen=True)
class PersonalDatum:
    """A span of a minor's personal data; ``keep`` leading characters are not identifying
    (a name's surname, an ID number's issuing area, a mobile number's network)."""

    kind: str
    start: int
    end: int
    keep: int = 0


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def about_minor(sentence: str) -> bool:
    """Whether ``sentence`` speaks about a minor."""
    if _MINOR_HINT.search(sentence):
        return True
    return any(
        int(m.attrs.get("max", 99)) < 18
        or (m.attrs.get("qualifier") == "over" and int(m.attrs.get("min", 99)) < 18)
        for m in extract_ages(sentence)
    )


def _names(text: str, sentence: tuple[int, int]) -> list[PersonalDatum]:
    s_start, s_end = sentence
    body = text[s_start:s_end]
    found = []
    adult_before = False
    for start, end in name_spans(body):
        before = body[:start]
        adult = (
            ends_with(before, ROLE_WORDS)
            or _ADULT_AGE_AFTER.match(body, end)
            or (before.endswith("、") and adult_before)
        ) and not (_MINOR_ROLE.search(before) or _MINOR_AGE_AFTER.match(body, end))
        adult_before = adult
        if _in_title_or_number(body, start, end):
            continue  # 《学生安全管理办法》, 唐丰检民（行）建〔2023〕12号
        if adult or _NOT_AFTER_NAME.match(body, end) or _in_quoted_phrase(body, start, end):
            continue  # 店主王某, not 未成年犯罪嫌疑人章航; 黄各|庄镇 is a place; “金鑫棋牌室”
        guardian = ends_with(before, GUARDIAN_CUES) or _GUARDIAN_AFTER.match(body, end)
        kind = "guardian_name" if guardian else "name"
        name = body[start:end]
        found.append(PersonalDatum(kind, s_start + start, s_start + end, surname_length(name)))
    return found


def _in_title_or_number(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is inside a title in 《》 or starts a document number
    (唐丰检民（行）建〔2023〕12号)."""
    opening = text.rfind("《", 0, start)
    if opening >= 0 and "》" not in text[opening:start] and "》" in text[end:]:
        return True
    bracket = text.find("〔", end, end + 8)
    return bracket >= 0 and not _CJK_PUNCTUATION.search(text, end, bracket)


def _in_quoted_phrase(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a short quoted phrase that says more than it:
    a shop's or a slogan's name (“向阳花”, “招募童星”), not a name quoted alone."""
    opening = text.rfind("“", max(0, start - _QUOTED_PHRASE), start + 1)
    closing = text.find("”", end, end + _QUOTED_PHRASE)
    if opening < 0 or closing < 0 or "”" in text[opening:start]:
        return False
    inside = text[opening + 1 : closing]
    if _SENTENCE_END.search(inside) or "，" in inside or ends_with(text[:start], NAME_CUES):
        return False  # “我叫王可欣”: a name said in quoted speech
    return inside != text[start:end] or bool(_ESTABLISHMENT_BEFORE.search(text, 0, opening))


def _enumerated_names(text: str, found: list[PersonalDatum]) -> list[PersonalDatum]:
    """The rest of a list of names (分别为：牛犇、毕晓彤、卫然) when most of its items were
    recognised as names: each item of two to four characters that starts with a surname."""
    names = {(d.start, d.end) for d in found if d.kind == "name"}
    more = []
    for match in _ENUMERATION.finditer(text):
        items, position = [], match.start(1)
        for item in match.group(1).split("、"):
            items.append((position, position + len(item)))
            position += len(item) + 1
        if sum(item in names for item in items) * 2 < len(items):
            continue
        more += [
            PersonalDatum("name", a, b, surname_length(text[a:b]))
            for a, b in items
            if (a, b) not in names and surname_length(text[a:b]) and b - a <= 4
        ]
    return more


def _group_spans(
    pattern: re.Pattern[str], kind: str, text: str, start: int, end: int
) -> list[PersonalDatum]:
    found = []
    for match in pattern.finditer(text, start, end):
        for group in range(1, (pattern.groups or 0) + 1):
            if match.group(group):
                found.append(PersonalDatum(kind, match.start(group), match.end(group)))
    return found


def _schools(text: str, start: int, end: int) -> list[PersonalDatum]:
    """A named school (with its grade and class) said to be a minor's, and a class alone."""
    found = [PersonalDatum("school", m.start(), m.end()) for m in _CLASS.finditer(text, start, end)]
    for match in _SCHOOL.finditer(text, start, end):
        lead = _SCHOOL_LEAD.match(match.group(0))
        begin = match.start() + (lead.end() if lead else 0)
        name = text[begin : match.end()]
        prefix = re.split(r"中学|小学|学校|中专|职中|完小|幼儿园|[初高]中", name)[0]
        if len(prefix) < 2:
            continue
        attributed = _SCHOOL_ATTRIBUTED_BEFORE.search(text, max(start, begin - 6), begin) or (
            _SCHOOL_ATTRIBUTED_AFTER.match(text, match.end())
        )
        specific = _SCHOOL_SPECIFIC.search(prefix) or not _SCHOOL_GENERIC.match(prefix)
        strong = _SCHOOL_STRONG_CUE.search(text, max(start, begin - 3), begin)
        if attributed and (specific or strong):
            found.append(PersonalDatum("school", begin, match.end()))
    return found


def _birth_dates(text: str, sentence: tuple[int, int], minor: bool) -> list[PersonalDatum]:
    found = []
    for datum in _group_spans(_BIRTH, "birth_date", text, *sentence):
        year = int(text[datum.start : datum.start + 4])
        if year >= MINOR_BIRTH_YEARS_FROM or (minor and year >= _OLDEST_MINOR_BIRTH_YEAR):
            found.append(datum)
    return found


def _phones(text: str, start: int, end: int) -> list[PersonalDatum]:
    """Mobile and landline numbers, not an office's public line (举报电话0315-…)."""
    found = [
        PersonalDatum("phone", m.start(), m.end(), 3) for m in _PHONE.finditer(text, start, end)
    ]
    found += [
        PersonalDatum("phone", m.start(), m.end()) for m in _LANDLINE.finditer(text, start, end)
    ]
    return [d for d in found if not _PUBLIC_LINE.search(text, max(0, d.start - 8), d.start)]


def _fields(text: str, start: int, end: int) -> list[PersonalDatum]:
    """Values of labelled fields (姓名：陈某  学校：某中学) in a record about a minor."""
    found = []
    for match in _FIELD.finditer(text, start, end):
        label, value = match.group(1), match.group(2)
        if _FIELD.match(value) or value.endswith(_HEADER_ENDINGS):
            continue  # a table's header: 就读学校  班级  家长姓名
        kind = next(k for k, labels in _FIELD_KINDS.items() if label in labels)
        begin = match.start(2)
        if kind in ("name", "guardian_name"):
            length = len(value) if surname_length(value) and 2 <= len(value) <= 4 else 0
            if not length:
                continue
            found.append(PersonalDatum(kind, begin, begin + length, surname_length(value)))
        elif kind == "phone":
            found += _phones(text, begin, match.end(2))
        else:
            found.append(PersonalDatum(kind, begin, match.end(2)))
    return found


def _table_rows(text: str, minors_case: bool) -> list[PersonalDatum]:
    """Cells of a table of minors: under a header with a name column (姓名, 儿童姓名) and 出生
    or 年龄, a row's name, guardian and birth date when its age is under 18 or its birth
    year recent; without such columns, every row when the name column says the people are
    children (儿童姓名, 学生姓名) or the text is a minors' case."""
    found: list[PersonalDatum] = []
    header: list[str] | None = None
    position = 0
    for line in text.split("\n"):
        cells, offsets, cursor = [], [], 0
        for piece in _CELL_SPLIT.split(line):
            at = line.find(piece, cursor)
            cells.append(piece)
            offsets.append(position + at)
            cursor = at + len(piece)
        name_column = next((c for c in cells if _column_kind(c) == "name" and len(c) <= 6), None)
        if name_column and (
            any(c.startswith(("出生", "年龄")) for c in cells)
            or _MINOR_HINT.search(name_column)
            or minors_case
        ):
            header = cells
        elif header and len(cells) == len(header):
            row = dict(zip(header, zip(cells, offsets, strict=True), strict=True))
            found += _table_row(row, minors_case)
        else:
            header = None if not line.strip() else header
        position += len(line) + 1
    return found


def _column_kind(header: str) -> str | None:
    return next((kind for kind, pattern in _COLUMN_KINDS if pattern.search(header)), None)


def _table_row(row: dict[str, tuple[str, int]], minors_case: bool) -> list[PersonalDatum]:
    birth = next((v for k, v in row.items() if k.startswith("出生")), None)
    age = next((v for k, v in row.items() if k.startswith("年龄")), None)
    name_column = next(k for k in row if _column_kind(k) == "name")
    year = _BARE_DATE.fullmatch(birth[0].strip()) if birth else None
    minor = bool(_MINOR_HINT.search(name_column)) or minors_case
    if birth:
        minor = bool(year and int(birth[0][:4]) >= _OLDEST_MINOR_BIRTH_YEAR)
    if age and age[0].isdigit():
        minor = int(age[0]) < 18
    found: list[PersonalDatum] = []
    if not minor:
        return found
    for column, (cell, offset) in row.items():
        kind = _column_kind(column)
        if not kind or not cell.strip("-: "):
            continue  # an unlabelled column, an empty cell, a Markdown rule (| --- |)
        if kind in ("name", "guardian_name"):
            if _TABLE_NAME.fullmatch(cell):  # under 姓名, 扎西顿珠 is a name too
                found.append(PersonalDatum(kind, offset, offset + len(cell), surname_length(cell)))
        elif kind == "phone":
            found += [
                PersonalDatum("phone", offset + d.start, offset + d.end, d.keep)
                for d in _phones(cell, 0, len(cell))
            ]
        else:
            found.append(PersonalDatum(kind, offset, offset + len(cell)))
    if birth and year:
        found.append(PersonalDatum("birth_date", birth[1], birth[1] + len(birth[0])))
    return found


def _speaks_of_minor(text: str, sentence: tuple[int, int]) -> bool:
    """About a minor in words, or by a recent birth date or ID number."""
    if about_minor(text[sentence[0] : sentence[1]]):
        return True
    if any(
        int(text[d.start : d.start + 4]) >= MINOR_BIRTH_YEARS_FROM
        for d in _group_spans(_BIRTH, "birth_date", text, *sentence)
    ):
        return True
    return any(
        int(m.group(0)[6:10]) >= MINOR_BIRTH_YEARS_FROM
        for m in _ID_NUMBER.finditer(text, *sentence)
    )


def _contexts(text: str, sentences: list[tuple[int, int]]) -> list[list[int]]:
    """Per sentence, the sentences read with it: its neighbours on its line, or the whole
    record when its line is part of one (labelled fields on one line or on consecutive
    lines: 姓名：…；年龄：…)."""
    lines: list[list[int]] = []
    line, previous = -1, 0
    for index, (start, _) in enumerate(sentences):
        breaks = text.count("\n", previous, start) if index else 0
        if breaks or not lines:
            lines.append([])
            line += 1
        previous = start
        lines[-1].append(index)
    contexts: list[list[int]] = [[] for _ in sentences]
    record: list[int] = []
    for members in [*lines, []]:
        first = sentences[members[0]][0] if members else 0
        last = sentences[members[-1]][1] if members else 0
        labels = len(_RECORD_LABEL.findall(text, first, last)) if members else 0
        if labels and (labels >= 2 or record):
            record += members
            continue
        for index in record:
            contexts[index] = record
        record = members if labels else []
        for position, index in enumerate(members):
            contexts[index] = members[max(position - 1, 0) : position + 2]
    return contexts


def speaks_of_minors(texts: list[str]) -> bool:
    """Whether any of ``texts`` (a lead's documents) speaks of a minor: the lead is then a
    minors' case, and every sentence of its texts is read as about a minor."""
    return any(_speaks_of_minor(text, sentence) for text in texts for sentence in _sentences(text))


def find_personal_data(text: str, minors_case: bool = False) -> list[PersonalDatum]:
    """Every span of a minor's personal data in ``text``, in order, not overlapping.

    A sentence is read as about a minor when it or a neighbouring sentence of its line
    is (罗某与其母亲到派出所。罗某称当时只有14岁。). Names are a minor's anywhere in a text that
    speaks of a minor somewhere, unless an adult's role stands before them; in a
    ``minors_case`` (a lead about minors) every sentence is read as about a minor."""
    found: list[PersonalDatum] = [
        PersonalDatum("id_number", m.start(), m.end(), 6) for m in _ID_NUMBER.finditer(text)
    ]
    found += _table_rows(text, minors_case)
    found += [
        PersonalDatum("name", m.start(1), m.end(1), surname_length(m.group(1)))
        for m in _BARE_ROW.finditer(text)
        if surname_length(m.group(1))
    ]
    sentences = _sentences(text)
    minors = [minors_case or _speaks_of_minor(text, sentence) for sentence in sentences]
    about_minors = any(minors)
    minor_names: dict[str, PersonalDatum] = {}
    contexts = _contexts(text, sentences)
    for index, sentence in enumerate(sentences):
        minor = any(minors[j] for j in contexts[index])
        found += _birth_dates(text, sentence, minor)
        if about_minors:
            for datum in _names(text, sentence):
                found.append(datum)
                minor_names.setdefault(text[datum.start : datum.end], datum)
        if not minor:
            continue
        found += _fields(text, *sentence)
        found += _group_spans(_NICKNAME, "nickname", text, *sentence)
        found += _group_spans(_ADDRESS, "address", text, *sentence)
        found += [
            PersonalDatum("address", m.start(), m.end()) for m in _FLAT.finditer(text, *sentence)
        ]
        found += [
            PersonalDatum("name", m.start(), m.end())
            for m in _DOTTED_NAME.finditer(text, *sentence)
        ]
        found += _schools(text, *sentence)
        found += _group_spans(_ACCOUNT, "account", text, *sentence)
        found += _phones(text, *sentence)
    found += _enumerated_names(text, found)
    for datum in found:
        if datum.kind in ("name", "guardian_name"):
            minor_names.setdefault(text[datum.start : datum.end], datum)
    for name, datum in minor_names.items():
        if len(name) < 2 or name.endswith("某") or dictionary_frequency(name) >= COMMON_WORD:
            continue  # 王某某 is anonymised; 田野 is a word where it is not said of a person
        for match in re.finditer(re.escape(name), text):
            if _NOT_AFTER_NAME.match(text, match.end()) or _in_quoted_phrase(
                text, match.start(), match.end()
            ):
                continue
            s_start, s_end = next(s for s in sentences if s[0] <= match.start() < s[1])
            if not stands_alone(
                text[s_start:s_end], match.start() - s_start, match.end() - s_start
            ):
                continue
            found.append(PersonalDatum(datum.kind, match.start(), match.end(), datum.keep))
    return _without_overlaps(found)


def _without_overlaps(found: list[PersonalDatum]) -> list[PersonalDatum]:
    """The earliest span wins; of two starting together, the longer, then the one whose
    recogniser has the stronger cue (a nickname's 小名叫 over a name's surname)."""
    kept: list[PersonalDatum] = []
    priority = {kind: rank for rank, kind in enumerate(("nickname", "account", "phone"))}
    for datum in sorted(
        found, key=lambda d: (d.start, -(d.end - d.start), priority.get(d.kind, len(priority)))
    ):
        if kept and datum.start < kept[-1].end:
            continue
        kept.append(datum)
    return kept
