"""Personal names in a sentence: a surname from the table, a given name of one or two
characters, and evidence that the two form a name.

jieba's part of speech alone is not enough: its dictionary tags common words as ``nr``
(陈述, 祖母, 顾客, 童工) and its HMM splits names it has not seen (张梓|涵系). So a candidate
starts where a surname starts a jieba word; its given name runs over characters that can
be part of a name and stops before a common word that reaches past it (何俊|唯一); and it
is a name when a cue stands before it (主播, 学生, 其子 …), when jieba's HMM found it as
a name, or when it stands on its own between boundaries and is not itself a common word
(黄金, 师傅, 农家乐 stay words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from clue_miner.nlp.dictionaries import given_name_characters, places, surnames
from clue_miner.nlp.tokenize import dictionary_frequency, tagged_words

NAME_CUES = (
    "主播",
    "男孩",
    "女孩",
    "男童",
    "女童",
    "学生",
    "小学生",
    "中学生",
    "初中生",
    "高中生",
    "女生",
    "男生",
    "学员",
    "幼童",
    "小女孩",
    "小男孩",
    "帮教对象",
    "同学",
    "该生",
    "未成年人",
    "未成年",
    "少年",
    "少女",
    "孩子",
    "小孩",
    "儿童",
    "童工",
    "学徒",
    "洗碗工",
    "入住人",
    "同住人",
    "学生代表",
    "小志愿者",
    "本名",
    "被害人",
    "受害人",
    "其子",
    "其女",
    "儿子",
    "女儿",
    "孙子",
    "孙女",
    "外孙",
    "外孙女",
    "姓名",
    "名叫",
    "叫做",
    "大名叫",
    "叫",
)
# Cues that name the person outright: what follows is a name even when it is also a
# common word (年纪最小的叫安宁).
NAMING_CUES = ("姓名", "名叫", "叫做", "大名叫", "名为", "叫")
GUARDIAN_CUES = (
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
# Roles that stand before a person's name; the person is an adult unless said otherwise
# (未成年犯罪嫌疑人章航, 被告人王某（16岁）).
ROLE_WORDS = (
    "法定代表人",
    "法人代表",
    "负责人",
    "经营者",
    "股东",
    "实际控制人",
    "经理",
    "董事长",
    "老板",
    "业主",
    "店主",
    "店员",
    "管理员",
    "网管",
    "保安",
    "检察官",
    "检察长",
    "法官",
    "审判员",
    "陪审员",
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
    "辩护人",
    "记者",
    "通讯员",
    "被告人",
    "犯罪嫌疑人",
    "嫌疑人",
    "当事人",
    "校长",
    "老师",
    "教师",
    "班主任",
)
# A word this frequent in jieba's dictionary is a word before it is a name (林涛 7 is a
# name, 孔洞 46 and 黄金 3086 are words); a given name this frequent is a word (法院, 唯一).
COMMON_WORD = 20
RARE_WORD = 3  # after a cue, a non-name word this frequent is still a word (游戏厅, 文身)
_WORD_TAGS = ("n", "d", "v", "vn")
COMMON_GIVEN = 300

_CUE_GAP = re.compile(r"[\s:：“”\"「」（）()]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that end a given name: particles, prepositions, verbs of saying, time words.
_NOT_GIVEN = set(
    "某的了在是与和及等被将把对向给让由从到于为称系今现年岁男女说也都就还又已曾正均同因所"
    "其这那个们并而或但很不没会要能家住父母之着过未满仅她他它各二三四五六七八九十两氏"
)
# An age just before (13岁的方圆) or what is said of a person just after (高远今年14岁).
_PERSON_BEFORE = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})周?岁的$")
_PERSON_AFTER = re.compile(
    r"(?:今年|年仅|现年|刚满|（\d{4}年|（(?:出生|生于)|（[男女]|，[男女]，|\d{1,2}周?岁"
    r"|[（(](?:自称|现年|时年|案发时)?\d{1,2}周?岁)"
)
# Parts of speech of a whole word that is never a name, even after a cue (孩子周末, 未成年人包括).
_NEVER_NAME_TAGS = ("t", "v", "p", "c", "m", "f", "u", "q")
_COUNT = re.compile(r"[一二三四五六七八九十两][人名个位]")
# Parts of speech of a surname-shaped word that is a function word there (向法院, 来店里).
_FUNCTION_TAGS = ("p", "c", "u", "d", "v", "f")
# Parts of speech of a one-character "given name" that is a word of its own (时|才, 连|一双).
_NOT_GIVEN_TAGS = frozenset(("d", "p", "c", "u", "uj", "ul", "uz", "m", "q", "f", "r"))
# Nouns and time words: after an age (15岁的) they are what the person is (高中生, 时候);
# any other common word there is a name (15岁的万里).
_NOUN_TAGS = ("n", "t", "s", "f", "b", "j", "l")
# The last character of a place's name: 常乐|镇 is a town, not 常|乐镇.
_PLACE_END = set("市县区省镇乡村屯庄")


@dataclass(frozen=True)
class _Word:
    text: str
    flag: str
    start: int
    end: int


@cache
def _place_names() -> frozenset[str]:
    return frozenset(n for p in places() for n in (p.name, p.short) if n)


@cache
def _surname_set() -> frozenset[str]:
    return frozenset(surnames())


def surname_length(name: str) -> int:
    """How many leading characters of ``name`` are a surname (0 if none)."""
    if len(name) >= 3 and name[:2] in _surname_set():
        return 2
    return 1 if name[:1] in _surname_set() else 0


def ends_with(before: str, words: tuple[str, ...]) -> bool:
    """Whether ``before`` ends with one of ``words``, quotes, colons and brackets aside."""
    stripped = _CUE_GAP.sub("", before[-8:]) if before else ""
    trimmed = before.rstrip(' \t:：“"「（(')
    return any(trimmed.endswith(w) or stripped.endswith(w) for w in words)


def _words(sentence: str) -> dict[int, _Word]:
    found, position = {}, 0
    for text, flag in tagged_words(sentence):
        found[position] = _Word(text, flag, position, position + len(text))
        position += len(text)
    return found


def _given_length(sentence: str, start: int, words: dict[int, _Word]) -> int:
    """How many characters from ``start`` can be a given name (0, 1 or 2)."""
    first = words.get(start)
    if (
        first
        and len(first.text) > 2
        and not first.flag.startswith("nr")
        and dictionary_frequency(first.text) >= COMMON_WORD
    ):
        return 0  # 时|穿着打扮: a word of its own follows the surname-shaped character
    length = 0
    while length < 2 and start + length < len(sentence):
        char = sentence[start + length]
        if not _CJK.match(char) or char in _NOT_GIVEN:
            break
        word = words.get(start + length)
        if (
            length
            and word
            and len(word.text) >= 2
            and word.end > start + 2
            and dictionary_frequency(word.text)
        ):
            break  # 何俊|唯一: the second character starts a word that goes on
        length += 1
    return length


def _at_boundary(sentence: str, end: int, given: int) -> bool:
    """Whether a name may end at ``end``: a two-character given name may be followed by
    anything; a shorter one needs punctuation, a particle or the end."""
    if given == 2 or end >= len(sentence):
        return True
    following = sentence[end]
    if _COUNT.match(sentence, end):
        return True  # 司马浩三人
    return not _CJK.match(following) or following in _NOT_GIVEN


def _candidate(sentence: str, word: _Word, words: dict[int, _Word]) -> tuple[int, int] | None:
    start = word.start
    if any(sentence[start : start + k] in _place_names() for k in (2, 3)):
        return None  # 唐山乐童教育: a place's name, not 唐|山乐
    family = 2 if sentence[start : start + 2] in _surname_set() else 1
    if sentence[start : start + family] not in _surname_set():
        return None
    if sentence[start + family : start + family + 1] == "某":  # 王某, 王某某
        return start, start + family + (
            2 if sentence[start + family + 1 : start + family + 2] == "某" else 1
        )
    for given in range(_given_length(sentence, start + family, words), 0, -1):
        end = start + family + given
        if word.end > end:
            return None  # the surname starts a longer word: 陈述, 石家庄, 乐亭县
        if given == 2 and sentence[end - 1] in _PLACE_END:
            continue  # 常|乐镇: a place's name ends there
        if (
            _is_name(sentence, word, words, family, end)
            and sentence[start:end] not in _place_names()
        ):
            return start, end
    return None


def _is_name(sentence: str, word: _Word, words: dict[int, _Word], family: int, end: int) -> bool:
    """Whether the surname ``word`` and the characters after it up to ``end`` are a name."""
    start, given = word.start, end - word.start - family
    given_word = words.get(start + family)
    given_tagged = bool(given_word and given_word.flag.startswith("nr") and given_word.end == end)
    if (
        given_word
        and word.end == start + family
        and given_word.flag in _NOT_GIVEN_TAGS
        and given_word.end >= end
    ):
        return False  # 时|才, 连|一双: the "given name" is an adverb or a numeral
    if (
        given_word
        and given_word.flag == "zg"
        and set(sentence[start + family : end]) <= given_name_characters()
        and _at_boundary(sentence, end, given)
    ):
        return True  # 杜珺瑶, 叶芃洲: characters that are no word of their own but a name's
    if _naming_cue(sentence, start, words):  # 叫安宁, 大名叫谷子豪; not 叫来
        return not (word.end == start + family and word.flag.startswith(_FUNCTION_TAGS))
    cued = (
        ends_with(sentence[:start], NAME_CUES + GUARDIAN_CUES)
        or _PERSON_BEFORE.search(sentence, 0, start)
        or _PERSON_AFTER.match(sentence, end)
    )
    if (
        given == 2
        and not (word.flag.startswith("nr") or given_tagged)
        and dictionary_frequency(sentence[start + family : end]) >= COMMON_GIVEN
        and not (cued and word.end == start + family and not word.flag.startswith(_FUNCTION_TAGS))
    ):
        return False  # 向|法院: the "given name" is a common word; not 少年马|平安
    whole_word = word.end == end and len(word.text) > family
    if cued:
        # 学生高远, 13岁的方圆, 高远今年14岁; not 孩子周末, 未成年人包括
        if word.end == start + family:
            return not word.flag.startswith(_FUNCTION_TAGS)
        if word.flag.startswith("nr"):
            return True
        frequency = dictionary_frequency(word.text)
        if (
            frequency >= COMMON_GIVEN
            and word.end >= end
            and (word.end > end or word.flag.startswith(_NOUN_TAGS))
        ):
            return False  # 17周岁的高中生, 15岁的时候: a noun even after an age
        if _PERSON_BEFORE.search(sentence, 0, start) and word.end == end:
            return True  # 15岁的万里: after an age, a common word that is no noun is a name
        if (
            word.end == end
            and frequency >= RARE_WORD
            and word.flag.startswith(_WORD_TAGS)
            and not _PERSON_AFTER.match(sentence, end)
        ):
            return False  # 少年游戏厅, 未成年人文身, 同学相约; not 高远今年14岁
        return not (frequency >= COMMON_WORD and word.flag.startswith(_NEVER_NAME_TAGS))
    if word.end == start + family and word.flag.startswith(_FUNCTION_TAGS):
        return False  # 向法院, 来店里
    frequency = dictionary_frequency(word.text)
    hmm_name = word.flag.startswith("nr") and word.end == end and frequency < COMMON_WORD
    if not (_at_boundary(sentence, end, given) or (hmm_name and end in words)):
        return False  # a name jieba's HMM found ends where its next word starts (武悦|拍摄)
    if not _after_boundary(sentence, start, words):
        return False
    if hmm_name:
        return True  # a name jieba's HMM found
    if given_tagged:
        return True  # 上官|明哲, 刘|小雨: jieba tagged the given name
    if whole_word and frequency and not word.flag.startswith("nr"):
        return False  # 游戏厅, 钱款, 时许: a dictionary word that is not a name
    if whole_word and given == 1 and frequency >= COMMON_WORD:
        return False  # 陈述, 祖母, 孔洞: jieba tags them nr, yet they are words
    given_word_frequency = dictionary_frequency(given_word.text) if given_word else 0
    if (
        given_word
        and not given_word.flag.startswith("nr")
        and given_word.end > end
        and given_word_frequency >= COMMON_WORD
    ):
        return False  # 时|发现, 施|工方: the given name would cut a word in two
    extends_word = len(word.text) > family and frequency >= COMMON_WORD
    if extends_word and not set(sentence[start + family : end]) <= given_name_characters():
        return False  # 平台未, 游戏厅, 时长达: a common word and one more character
    if word.flag.startswith("nr") and word.end == end and given == 2:
        return True  # a full name in jieba's dictionary (周小燕)
    if whole_word and frequency >= COMMON_WORD:
        return False  # 黄金, 师傅, 孔洞: a common word, not a name
    return dictionary_frequency(sentence[start:end]) < COMMON_WORD


def _word_ending_at(words: dict[int, _Word], position: int) -> _Word | None:
    return next((w for w in words.values() if w.end == position), None)


def _naming_cue(sentence: str, start: int, words: dict[int, _Word]) -> bool:
    """Whether a cue that names a person outright (叫, 名叫, 姓名：) stands just before
    ``start`` as a word of its own (not 叫停 or 呼叫)."""
    before = sentence[max(0, start - 6) : start]
    trimmed = before.rstrip(' \t:：“"「')
    cue_end = start - (len(before) - len(trimmed))
    previous = _word_ending_at(words, cue_end)
    return previous is not None and previous.text in NAMING_CUES


def _after_boundary(sentence: str, start: int, words: dict[int, _Word]) -> bool:
    """Whether a name may begin at ``start``: after punctuation, the start, a function word,
    a verb or a person's role (发现郑某, 与王某, 犯罪嫌疑人章航), not after a numeral or
    another noun (一家黄某)."""
    if start == 0 or not (_CJK.match(sentence[start - 1]) or sentence[start - 1].isalnum()):
        return True  # after punctuation or a space, not after 23 (23时许)
    previous = _word_ending_at(words, start)
    if previous is not None and previous.text.endswith(ROLE_WORDS):
        return True
    return previous is None or not previous.flag.startswith(("m", "n", "a", "q"))


def name_spans(sentence: str) -> list[tuple[int, int]]:
    """Offsets of the personal names in ``sentence``, in order."""
    words = _words(sentence)
    found: list[tuple[int, int]] = []
    for start in sorted(words):
        if found and start < found[-1][1]:
            continue
        span = _candidate(sentence, words[start], words)
        if span:
            found.append(span)
    return found


def stands_alone(sentence: str, start: int, end: int) -> bool:
    """Whether ``sentence[start:end]`` (a name found elsewhere in the text) stands as a word
    here: not inside a longer word (知足常乐), not after a numeral or a measure word (那场夏雨)."""
    words = _words(sentence)
    for word in words.values():
        if word.start <= start and word.end >= end and word.end - word.start > end - start:
            return False
    previous = _word_ending_at(words, start)
    return previous is None or not previous.flag.startswith(("m", "q"))
