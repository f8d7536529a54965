"""Organization names, including anonymised ones ("某文化传媒有限公司", "河南某限公司").

A name is a run of Chinese characters ending in a legal-form suffix. Its start is cut at a
place name or "某" when one is inside the run, otherwise after the last function word.
"""

from __future__ import annotations

import re
from functools import cache

from clue_miner.nlp.dictionaries import places
from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.mentions import Mention

SUFFIXES = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "限公司",
    "公司",
    "经营部",
    "商行",
    "工作室",
    "合作社",
    "加工厂",
    "化工厂",
)
_RUN = re.compile(r"[\u4e00-\u9fff（）()]{2,40}?(?:" + "|".join(SUFFIXES) + ")")
STOP_CHARS = set("的了在对与和向被将由系为是及等从把给称经据该其这此即并且或但而到于以")
# Words inside names that begin with a stop character: "张家口市经开区…", "经贸", a place.
NAME_WORDS = ("经开区", "经济", "经贸", "对外")
STOP_PREFIXES = ("当地", "辖区", "发现", "经查", "其中", "该", "涉案", "当事人", "对", "与")
ANAPHORIC_TAIL = re.compile(r"(该|本|其|此|这家|那家|上述|涉事|涉案)(公司|厂|企业)$")
REGISTERED_FORMS = ("有限责任公司", "股份有限公司", "有限公司", "限公司")
GENERIC = {
    "该公司",
    "本公司",
    "公司",
    "一家公司",
    "涉案公司",
    "直播公司",
    "传媒公司",
    "子公司",
    "分公司",
    "母公司",
    "平台公司",
    "上述公司",
    "两家公司",
    "多家公司",
    "各公司",
    "有限公司",
    "工厂",
    "化工厂",
    "加工厂",
    "厂",
    "该厂",
    "企业公司",
}


INDUSTRY_WORDS = re.compile(
    r"^(?:网络|直播|传媒|文化|科技|商务|化工|贸易|商贸|物流|电子商务|电商|能源|运输|危化品|"
    r"燃料|气体|涂料|建材|娱乐|经纪|信息|技术|培训|教育|艺术|餐饮|服务|管理|咨询|实业|发展|"
    r"加油|燃气|化学品|危险化学品|演艺|影视|广告|互联网|平台|机构|民营|私营|外资|国有)+$"
)


@cache
def _place_pattern() -> re.Pattern[str]:
    names = {p.name for p in places()} | {p.short for p in places() if len(p.short) >= 2}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _trim(run: str) -> int:
    """Offset inside ``run`` where the organization name starts.

    The name starts after the last function word (对, 在, 与 …); inside what remains, at
    the first place name or "某" if there is one.
    """
    cut = 0
    for i in range(len(run) - 4, -1, -1):
        if run[i] in STOP_CHARS and not _begins_name_word(run, i):
            cut = i + 1
            break
    rest = run[cut:]
    place = _place_pattern().search(rest)
    anchors = [i for i in (place.start() if place else -1, rest.find("某")) if i >= 0]
    if anchors:
        cut += min(anchors)
    else:
        for prefix in STOP_PREFIXES:
            if rest.startswith(prefix) and len(rest) - len(prefix) >= 4:
                cut += len(prefix)
                rest = rest[len(prefix) :]
    return cut


def _begins_name_word(run: str, i: int) -> bool:
    return run.startswith(NAME_WORDS, i) or _place_pattern().match(run, i) is not None


@extractor("organization")
def extract_organizations(text: str) -> list[Mention]:
    """Organization mentions; ``attrs.anonymous`` when the name is masked with 某."""
    found = []
    for match in _RUN.finditer(text):
        run = match.group(0)
        if ANAPHORIC_TAIL.search(run):
            continue  # "该公司", "区应急管理局已就该公司": a reference back, not a name
        cut = _trim(run)
        name = run[cut:]
        if name in GENERIC or len(name) < 4:
            continue
        suffix = next(s for s in SUFFIXES if name.endswith(s))
        stem = name[: -len(suffix)]
        if len(stem) < 2 or INDUSTRY_WORDS.match(stem):
            continue  # "网络直播公司", "化工企业" …: a kind of business, not a name
        anonymous = "某" in name or "一家" in name
        if not (anonymous or name.endswith(REGISTERED_FORMS) or _place_pattern().match(name)):
            continue  # a bare "…公司" needs a place or a registered form to be a name
        start = match.start() + cut
        value = normalize_org_name(name.replace("一家", "某"))
        found.append(
            Mention("organization", name, value, start, match.end(), {"anonymous": anonymous})
        )
    return found


def normalize_org_name(name: str) -> str:
    """A comparison key: brackets unified, 有限责任公司 → 有限公司."""
    key = name.replace("(", "（").replace(")", "）").replace(" ", "")
    return key.replace("有限责任公司", "有限公司")
