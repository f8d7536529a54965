"""Ages, birth dates and head counts of minors, in Arabic or Chinese numerals.

- ``age``: "16周岁", "十四五岁" (14-15), "不满十六周岁" (<16), "年满十六周岁" (>=16),
  "十岁左右"; ``attrs`` has ``min``/``max`` (inclusive) and ``qualifier`` (exact, range,
  under, over, about, derived).
- ``birth_date``: "2008年6月出生", "2007年9月生"; the value is ``YYYY-MM`` or ``YYYY-MM-DD``.
- ``minor_count``: "13名未成年人", "三名在校学生"; the value is the count.
"""

from __future__ import annotations

import re

from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.extractors.numerals import NUMERAL_CHARS, parse_int
from clue_miner.nlp.mentions import Mention

_NUM = rf"(?:\d{{1,3}}|[{NUMERAL_CHARS}]{{1,4}})"
_UNDER = re.compile(rf"(不满|未满|未达|不足|未年满|低于)\s*({_NUM})\s*(?:周岁|岁)")
_BELOW = re.compile(rf"({_NUM})\s*(?:周岁|岁)以下")
_OVER = re.compile(
    rf"(?:年满|已满|满)\s*({_NUM})\s*(?:周岁|岁)(?:以上)?|({_NUM})\s*(?:周岁|岁)以上"
)
_RANGE = re.compile(r"(十[一二三四五六七八]|[一二三四五六七八九])([二三四五六七八九])岁")
_RANGE_DIGITS = re.compile(r"(\d{1,2})\s*[-—至到~]\s*(\d{1,2})\s*(?:周岁|岁)")
_PLAIN = re.compile(rf"({_NUM})\s*(周岁|岁)(左右|上下)?")
_DATE_PARTS = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?"
_BIRTH = re.compile(
    _DATE_PARTS + r"\s*(?:出生|生人|生(?=[，,。；;、）)]))|(?:出生于|生于)\s*" + _DATE_PARTS
)
_MINOR_NOUNS = (
    "未成年人|未成年主播|未成年|童工|未成年工|在校学生|在校生|中学生|小学生|初中生|高中生|"
    "未满十八周岁|未满18周岁|学生"
)
_COUNT = re.compile(
    rf"(?<![\d每第])({_NUM})(余)?\s*(?:名|个|位)(?:系|为|是)?\s*({_MINOR_NOUNS})"
    rf"|({_MINOR_NOUNS})(?:主播)?\s*(?<![\d每第])({_NUM})(余)?\s*(?:名|人)"
)


def _age(text: str, start: int, end: int, lo: int, hi: int, qualifier: str) -> Mention:
    value = str(lo) if lo == hi else f"{lo}-{hi}"
    return Mention(
        "age", text[start:end], value, start, end, {"min": lo, "max": hi, "qualifier": qualifier}
    )


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@extractor("age")
def extract_ages(text: str) -> list[Mention]:
    """Ages of people; ranges and "under N" forms keep their bounds."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in _UNDER.finditer(text):
        limit = parse_int(match.group(2))
        if limit is not None and 0 < limit <= 120:
            found.append(_age(text, match.start(), match.end(), 0, limit - 1, "under"))
            taken.append(match.span())
    for match in _BELOW.finditer(text):
        limit = parse_int(match.group(1))
        if limit is not None and 0 < limit <= 120 and not _inside(taken, *match.span()):
            found.append(_age(text, match.start(), match.end(), 0, limit, "under"))
            taken.append(match.span())
    for match in _OVER.finditer(text):
        limit = parse_int(match.group(1) or match.group(2))
        if limit is not None and 0 < limit <= 120 and not _inside(taken, *match.span()):
            found.append(_age(text, match.start(), match.end(), limit, 120, "over"))
            taken.append(match.span())
    for match in _RANGE.finditer(text):
        if _inside(taken, *match.span()):
            continue
        lo = parse_int(match.group(1))
        hi_digit = parse_int(match.group(2))
        if lo is None or hi_digit is None:
            continue
        hi = lo - lo % 10 + hi_digit
        if hi == lo + 1:
            found.append(_age(text, match.start(), match.end(), lo, hi, "range"))
            taken.append(match.span())
    for match in _RANGE_DIGITS.finditer(text):
        if _inside(taken, *match.span()):
            continue
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo < hi <= 120:
            found.append(_age(text, match.start(), match.end(), lo, hi, "range"))
            taken.append(match.span())
    for match in _PLAIN.finditer(text):
        if _inside(taken, *match.span()):
            continue
        age = parse_int(match.group(1))
        if age is None or not 0 < age <= 120:
            continue
        # "2008年3月…" must not read as an age; neither must "第16岁".
        before = text[max(0, match.start() - 1) : match.start()]
        if before in {"第", "虚"}:
            continue
        qualifier = "about" if match.group(3) else "exact"
        lo, hi = (age - 1, age + 1) if qualifier == "about" else (age, age)
        found.append(_age(text, match.start(), match.end(), lo, hi, qualifier))
    return found


@extractor("birth_date")
def extract_birth_dates(text: str) -> list[Mention]:
    """Birth dates: "2008年6月出生", "2007年9月生", "出生于2007年5月"."""
    found = []
    for match in _BIRTH.finditer(text):
        groups = match.groups()
        year, month, day = groups[0:3] if groups[0] else groups[3:6]
        if not 1 <= int(month) <= 12:
            continue
        value = f"{int(year):04d}-{int(month):02d}"
        if day:
            value += f"-{int(day):02d}"
        found.append(Mention("birth_date", match.group(0), value, match.start(), match.end()))
    return found


@extractor("minor_count")
def extract_minor_counts(text: str) -> list[Mention]:
    """How many minors (or pupils) a sentence is about: "13名未成年人", "未成年主播3人" → 13, 3;
    "十余名" counts as at least 10; "每使用一名童工" (a rate in a law) is not a count."""
    found = []
    for match in _COUNT.finditer(text):
        number, more, noun = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1)
            else (match.group(5), match.group(6), match.group(4))
        )
        count = parse_int(number)
        if count is None or count <= 0 or "每" in text[max(0, match.start() - 3) : match.start()]:
            continue
        if noun == "学生" and count >= 100:
            continue  # "800余名学生" listened to a lecture: an audience, not the minors at issue
        attrs: dict[str, object] = {"noun": noun}
        if more:
            attrs["at_least"] = True
        found.append(
            Mention("minor_count", match.group(0), str(count), match.start(), match.end(), attrs)
        )
    return found
