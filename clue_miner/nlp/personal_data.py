"""Recognisers of a minor's personal data, after Presidio: each finds spans of one kind.

Names come from jieba's part of speech (``nr``), the surname table and context cues
(主播, 未成年人, 姓名：, a list of names before 等N名, a birth date or an age after the name);
the other kinds from cue words and the shapes of dates, ID numbers, phone numbers and
accounts. A name, address, school, phone number or account is a minor's when it sits in
a sentence about a minor (an age under 18, 未成年, 学生, a birth date, a school class);
a name found there is then recognised everywhere in the text. Adults named by their role
(法定代表人王某, 检察官李某) are left alone; ID numbers are personal data wherever they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from clue_miner.nlp.dictionaries import surnames
from clue_miner.nlp.extractors.ages import extract_ages
from clue_miner.nlp.tokenize import tagged_words

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
# Recent enough that the person may still be a minor: such birth dates are masked anywhere.
MINOR_BIRTH_YEARS_FROM = 2003

_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_MINOR_HINT = re.compile(
    r"未成年|未满十[六八]周岁|未满1[68]周岁|不满十[六八]周岁|不满1[68]周岁|学生|童工|儿童|少年|少女"
    r"|男孩|女孩|孩子|初中|小学|[初高][一二三](?![十百千万])|[一二三四五六七八九]年级|出生|年龄[:：]\s*1?\d(?!\d)"
)
_NAME_CUES = (
    "主播",
    "男孩",
    "女孩",
    "男童",
    "女童",
    "学生",
    "同学",
    "未成年人",
    "未成年",
    "少年",
    "少女",
    "孩子",
    "儿童",
    "被害人",
    "受害人",
    "其子",
    "其女",
    "儿子",
    "女儿",
    "姓名",
    "名叫",
    "叫做",
)
_GUARDIAN_CUES = (
    "父亲",
    "母亲",
    "其父",
    "其母",
    "爸爸",
    "妈妈",
    "监护人",
    "法定代理人",
    "爷爷",
    "奶奶",
    "外公",
    "外婆",
    "家长",
    "养父",
    "养母",
)
_ADULT_ROLES = (
    "法定代表人",
    "法人代表",
    "负责人",
    "经营者",
    "股东",
    "实际控制人",
    "经理",
    "董事长",
    "老板",
    "检察官",
    "检察长",
    "法官",
    "审判员",
    "审判长",
    "书记员",
    "民警",
    "警官",
    "辅警",
    "执法人员",
    "工作人员",
    "局长",
    "科长",
    "主任",
    "书记",
    "律师",
    "记者",
    "通讯员",
    "被告人",
    "犯罪嫌疑人",
    "当事人",
    "校长",
    "老师",
    "教师",
    "班主任",
)
_CUE_GAP = re.compile(r"[\s:：“”\"「」（）()]*")
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
_DATE = (
    r"(?:19|20)\d{2}\s*(?:年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|[-/.]\d{1,2}(?:[-/.]\d{1,2})?)"
)
_BIRTH = re.compile(
    rf"(?:出生(?:于|日期|年月)?|生于|出生时间)[:：为是\s]*({_DATE})|({_DATE})\s*(?:出生|生人|生(?![产活]))"
)
_ADDRESS = re.compile(
    r"(?:家庭住址|现住址|户籍地址|户籍所在地|户籍地|住址|家住|住在|居住于|居住在|现住)[:：为是\s]*"
    r"([^，。；;,\n、的（(]{1,40}(?:号院|号楼|号|室|单元|栋|幢|楼|弄|巷|组|村|屯|庄|小区|社区|公寓))"
)
_SCHOOL = re.compile(
    r"[\u4e00-\u9fff\d]{2,18}?(?:中学|小学|学校|初中|高中|中专|职中|完小|幼儿园)(?!生)"
    r"(?:[初高][一二三]|[一二三四五六七八九]年级|\d年级)?(?:[（(]?\d{1,2}[)）]?班)?"
)
_SCHOOL_LEAD = re.compile(r"^.*(?:就读于|就读|在读|是|系|为|在|于|到|去|的|该生|其|与|和|及|、)")
# What follows a place or an organization's name, never a person's.
_NOT_AFTER_NAME = re.compile(
    r"某|[市县区省镇乡村街]|路(?![过上边口])|公司|有限|集团|文化|传媒|商贸|科技|网络|工作室|[局院所厂店]|中心|大道"
)
_ACCOUNT = re.compile(
    r"(?:微信号|微信ID|微信|QQ号|QQ|抖音号|抖音ID|快手号|快手ID|用户ID|用户名|账号|帐号|直播间号|房间号|ID)"
    r"[\s:：为是]*[“\"]?([A-Za-z0-9_.\-]{4,30})"
)
_NICKNAME = re.compile(
    r"(?:小名|乳名|网名|昵称|艺名|直播名)(?:叫|为|是|[:：])?\s*[“\"「『]([^”\"」』\n]{1,20})[”\"」』]"
    r"|(?:小名|乳名)(?:叫|为|是)([\u4e00-\u9fff]{2})"
    r"|主播[“\"「『]([^”\"」』\n]{1,15})[”\"」』]"
)
_NOT_GIVEN = set("某的了在是与和及等被将把对向给让由从到于为称系今现年岁男女")


@dataclass(frozen=True)
class PersonalDatum:
    """A span of a minor's personal data; ``keep`` leading characters are not identifying
    (a name's surname, an ID number's issuing area, a mobile number's network)."""

    kind: str
    start: int
    end: int
    keep: int = 0


@cache
def _surname_set() -> frozenset[str]:
    return frozenset(surnames())


def _surname_length(name: str) -> int:
    """How many leading characters of ``name`` are a surname (0 if none)."""
    if len(name) >= 3 and name[:2] in _surname_set():
        return 2
    return 1 if name[:1] in _surname_set() else 0


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
        int(m.attrs.get("max", 99)) < 18 and m.attrs.get("qualifier") != "under"
        for m in extract_ages(sentence)
    )


def _ends_with(before: str, words: tuple[str, ...]) -> bool:
    stripped = _CUE_GAP.sub("", before[-8:]) if before else ""
    trimmed = before.rstrip(' \t:：“"「（(')
    return any(trimmed.endswith(w) or stripped.endswith(w) for w in words)


def _name_length(tokens: list[tuple[str, str]], index: int, cued: bool) -> int:
    """How many characters from token ``index`` on form a personal name (0: none)."""
    word, flag = tokens[index]
    following, following_flag = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
    if word in _surname_set():
        if following in ("某某", "某"):
            return len(word) + len(following)
        if (
            1 <= len(following) <= 2
            and (following_flag.startswith("nr") or cued or len(word) == 2)
            and not set(following) & _NOT_GIVEN
            and re.fullmatch(r"[\u4e00-\u9fff]+", following)
        ):
            return len(word) + len(following)
    if flag.startswith("nr") and 2 <= len(word) <= 4 and _surname_length(word):
        return len(word)
    if cued and 2 <= len(word) <= 3:
        if flag.startswith("nr"):
            return len(word)  # a given name or 小名 alone after 主播, 孩子 …
        if _surname_length(word) and flag in ("n", "x", "nz"):
            return len(word)
    return 0


def _name_candidates(sentence: str) -> list[tuple[int, int]]:
    """Personal names in ``sentence`` by part of speech, surnames and cues (offsets in it)."""
    tokens = tagged_words(sentence)
    offsets, position = [], 0
    for word, _ in tokens:
        offsets.append(position)
        position += len(word)
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        start = offsets[index]
        cued = _ends_with(sentence[:start], _NAME_CUES + _GUARDIAN_CUES)
        length = _name_length(tokens, index, cued)
        if not length:
            index += 1
            continue
        if not _NOT_AFTER_NAME.match(sentence, start + length):
            found.append((start, start + length))
        while index < len(tokens) and offsets[index] < start + length:
            index += 1
    return found


def _names(text: str, sentence: tuple[int, int]) -> list[PersonalDatum]:
    s_start, s_end = sentence
    body = text[s_start:s_end]
    found = []
    for start, end in _name_candidates(body):
        before = body[:start]
        if _ends_with(before, _ADULT_ROLES):
            continue
        kind = "guardian_name" if _ends_with(before, _GUARDIAN_CUES) else "name"
        name = body[start:end]
        found.append(PersonalDatum(kind, s_start + start, s_start + end, _surname_length(name)))
    return found


def _group_spans(
    pattern: re.Pattern[str], kind: str, text: str, start: int, end: int
) -> list[PersonalDatum]:
    found = []
    for match in pattern.finditer(text, start, end):
        group = next((g for g in range(1, (pattern.groups or 0) + 1) if match.group(g)), 0)
        found.append(PersonalDatum(kind, match.start(group), match.end(group)))
    return found


def _schools(text: str, start: int, end: int) -> list[PersonalDatum]:
    found = []
    for match in _SCHOOL.finditer(text, start, end):
        lead = _SCHOOL_LEAD.match(match.group(0))
        begin = match.start() + (lead.end() if lead else 0)
        if match.end() - begin >= 3:
            found.append(PersonalDatum("school", begin, match.end()))
    return found


def _birth_dates(text: str, sentence: tuple[int, int], minor: bool) -> list[PersonalDatum]:
    found = []
    for datum in _group_spans(_BIRTH, "birth_date", text, *sentence):
        year = int(text[datum.start : datum.start + 4])
        if minor or year >= MINOR_BIRTH_YEARS_FROM:
            found.append(datum)
    return found


def find_personal_data(text: str) -> list[PersonalDatum]:
    """Every span of a minor's personal data in ``text``, in order, not overlapping."""
    found: list[PersonalDatum] = [
        PersonalDatum("id_number", m.start(), m.end(), 6) for m in _ID_NUMBER.finditer(text)
    ]
    minor_names: dict[str, PersonalDatum] = {}
    for sentence in _sentences(text):
        minor = about_minor(text[sentence[0] : sentence[1]])
        found += _birth_dates(text, sentence, minor)
        if not minor:
            continue
        for datum in _names(text, sentence):
            found.append(datum)
            minor_names.setdefault(text[datum.start : datum.end], datum)
        found += _group_spans(_NICKNAME, "nickname", text, *sentence)
        found += _group_spans(_ADDRESS, "address", text, *sentence)
        found += _schools(text, *sentence)
        found += _group_spans(_ACCOUNT, "account", text, *sentence)
        found += [
            PersonalDatum("phone", m.start(), m.end(), 3) for m in _PHONE.finditer(text, *sentence)
        ]
    for name, datum in minor_names.items():
        if len(name) < 2 or name.endswith("某"):
            continue
        for match in re.finditer(re.escape(name), text):
            if _NOT_AFTER_NAME.match(text, match.end()):
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
