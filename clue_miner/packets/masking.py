"""Masking minors' personal information in text derived from evidence.

By default a packet never carries a minor's name, ID number, birth date or home address
in clear. Masks keep what a case officer needs to tell people apart and to find the
original: the surname (张某某, 张小明 → 张某), the first six digits of an ID number (the
issuing area), the shape of a date. Names and addresses are masked in sentences that are
about a minor (an age under 18, 未成年, 学生, 童工, a birth date); ID numbers and birth
dates everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clue_miner.nlp.extractors.ages import extract_ages

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_NAME = re.compile(
    rf"(?:(?<![\u4e00-\u9fff])|(?<=[与和及同将把被对向给让由跟称即系为]))([{SURNAMES}])(某某|某|[\u4e00-\u9fff]{{1,2}}?)(?=（|\(|，|、|。|；|：|\s|今年|现年|年仅|系|是|在|于|与|等|的|同学|学生|出生|身份证|\d)"
)
_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)")
_BIRTH = re.compile(
    r"(出生(?:于|日期)?[:：]?\s*)(\d{4})\s*(年|-|/|\.)\s*(\d{1,2})(?:\s*(月|-|/|\.)\s*(\d{1,2})日?)?"
    r"|(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?(?=\s*(?:出生|生))"
)
_ADDRESS = re.compile(
    r"((?:家庭)?住址|现住址|户籍地址|家住|住在|居住于|居住在)([:：]?)([^，。；\n]{2,40})"
)
_MINOR_HINT = re.compile(r"未成年|未满十[六八]周岁|未满1[68]周岁|学生|童工|初中|小学|出生")


@dataclass(frozen=True)
class Masked:
    text: str
    changes: int  # how many spans were masked


def _about_minor(sentence: str) -> bool:
    if _MINOR_HINT.search(sentence):
        return True
    return any(int(m.attrs.get("max", 99)) < 18 for m in extract_ages(sentence))


def _mask_birth(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}****年**月" + ("**日" if match.group(6) else "")
    return "****年**月" + ("**日" if match.group(9) else "")


def mask_minors(text: str) -> Masked:
    """``text`` with minors' names, ID numbers, birth dates and addresses masked."""
    changes = 0

    def count(replacement: str) -> str:
        nonlocal changes
        changes += 1
        return replacement

    text = _ID_NUMBER.sub(lambda m: count(m.group(1) + "*" * 12), text)
    text = _BIRTH.sub(lambda m: count(_mask_birth(m)), text)
    sentences = re.split(r"(?<=[。！？；\n])", text)
    out = []
    for sentence in sentences:
        if _about_minor(sentence):
            sentence = _NAME.sub(
                lambda m: m.group(0) if m.group(2) == "某" else count(m.group(1) + "某"),
                sentence,
            )
            sentence = _ADDRESS.sub(lambda m: count(f"{m.group(1)}{m.group(2)}※※※"), sentence)
        out.append(sentence)
    return Masked("".join(out), changes)
