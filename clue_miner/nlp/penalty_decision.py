"""Administrative penalty decisions (行政处罚决定书) and 双公示 penalty rows, parsed into fields.

Three shapes are read, as portals publish them:

- a decision written as a letter: "当事人：…", "统一社会信用代码：…", "法定代表人：…",
  "住所：…", then the facts ("经查，…"), the articles broken and applied ("违反了《…》",
  "依据《…》"), the penalty ("决定…"), the issuing agency and the date at the end;
- a detail table of label and value cells (one "label<TAB>value" line per row);
- a 双公示 register: one header row of tab-separated cells (行政相对人名称, 统一社会信用代码 …
  the 22-column format and its variants) and a row per decision under it.

:func:`parse_decisions` returns every decision found, each field with its span in the text,
so that the analysis can tell the party (当事人) from a buyer, supplier or landlord named in
the facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS: dict[str, tuple[str, ...]] = {
    "party": (
        "当事人名称",
        "当事人",
        "被处罚单位名称",
        "被处罚单位",
        "被处罚人姓名",
        "被处罚人",
        "被处罚对象",
        "行政相对人名称",
        "相对人名称",
        "违法主体名称",
        "违法主体",
        "处罚对象",
    ),
    "uscc": (
        "统一社会信用代码",
        "社会信用代码",
        "行政相对人代码_1(统一社会信用代码)",
        "行政相对人代码_1",
        "信用代码",
    ),
    "legal_representative": (
        "法定代表人（负责人）",
        "法定代表人(负责人)",
        "法定代表人",
        "负责人",
        "经营者",
        "投资人",
    ),
    "address": ("住所地", "住所", "注册地址", "经营场所", "经营地址", "地址", "住址"),
    "number": (
        "行政处罚决定书文号",
        "处罚决定书文号",
        "决定书文号",
        "处罚文书号",
        "文书号",
        "文号",
    ),
    "facts": ("主要违法事实", "违法事实", "违法行为", "案由", "案件名称"),
    "basis": ("处罚依据", "法律依据", "依据"),
    "penalty": ("处罚内容", "处罚结果", "处罚决定", "处罚种类", "处罚类别"),
    "authority": (
        "作出处罚决定的机关名称",
        "作出处罚的机关",
        "作出决定机关",
        "作出机关",
        "处罚机关",
        "执法机关",
        "决定机关",
        "实施机关",
    ),
    "date": (
        "作出处罚决定的日期",
        "处罚决定日期",
        "作出决定日期",
        "作出日期",
        "决定日期",
        "处罚日期",
    ),
}
_HEADER_TO_FIELD = {
    re.sub(r"\s+", "", label): name for name, labels in FIELDS.items() for label in labels
}
_LABEL = re.compile(
    r"(?m)^[ \t　]*(?:[一二三四五六七八九十\d]+[、.．])?[ \t　]*("
    + "|".join(re.escape(label) for label in sorted(_HEADER_TO_FIELD, key=len, reverse=True))
    + r")[ \t　]*[:：\t][ \t　]*([^\n\t]*)"
)
# The letter form: facts after "经查", articles, the decision, agency and date at the end.
_FACTS = re.compile(
    r"(?:经查|现查明|经调查|查明)[，,：:]?(.{10,1500}?)(?:以上事实|上述事实|$)", re.S
)
_BASIS = re.compile(r"(?:依据|根据)《[^》]{2,40}》[^。；\n]{0,80}")
_PENALTY = re.compile(r"(?:决定|作出如下(?:行政)?处罚|处罚如下)[：:，,]?([^。\n]{4,300})")
_AGENCY_ENDING = r"(?:局|委员会|政府|支队|大队|中心|办公室)"
_AUTHORITY_LINE = re.compile(
    r"(?m)^[ \t　]*([\u4e00-\u9fff（）()]{2,40}" + _AGENCY_ENDING + r")[ \t　]*$"
)
_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[二〇零○一三四五六七八九十]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
)
_MARKERS = re.compile(r"行政处罚决定书|处罚决定书|行政处罚信息|双公示|处罚决定日期|行政相对人名称")
_VALUE_END = re.compile(r"[，,。；;（(]|\s{2,}")
ORG_ENDINGS = re.compile(
    r"(?:公司|厂|店|部|行|站|中心|合作社|工作室|门市|商店|超市|酒店|宾馆|会所|网吧|学校|医院|诊所|"
    r"协会|社|馆|场|所|处|队|院)$"
)
_PERSON = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:某某|某)?$")


@dataclass(frozen=True)
class FieldValue:
    """A parsed value and where it stands in the text (``text[start:end] == value``)."""

    value: str
    start: int
    end: int


@dataclass
class PenaltyDecision:
    """The fields of one penalty decision; ``party_kind`` is organization or person."""

    fields: dict[str, FieldValue] = field(default_factory=dict)

    @property
    def party(self) -> FieldValue | None:
        return self.fields.get("party")

    @property
    def party_kind(self) -> str | None:
        party = self.party
        if party is None:
            return None
        return "organization" if ORG_ENDINGS.search(party.value) else "person"

    def values(self) -> dict[str, str]:
        """The fields as plain strings, for JSON output."""
        return {name: item.value for name, item in self.fields.items()}


def _value(text: str, start: int, end: int, name: str) -> FieldValue | None:
    """The value between ``start`` and ``end``, trimmed; a party or code is cut at the first
    comma, bracket or run of spaces (the rest of the line is other fields)."""
    raw = text[start:end]
    if name in {"party", "uscc", "legal_representative", "number", "date"}:
        cut = _VALUE_END.search(raw)
        raw = raw[: cut.start()] if cut else raw
    stripped = raw.strip(" 　\t：:")
    if not stripped or len(stripped) > 1000:
        return None
    offset = start + raw.find(stripped)
    return FieldValue(stripped, offset, offset + len(stripped))


def _labelled(text: str) -> PenaltyDecision:
    decision = PenaltyDecision()
    for match in _LABEL.finditer(text):
        name = _HEADER_TO_FIELD[re.sub(r"\s+", "", match.group(1))]
        if name in decision.fields:
            continue
        item = _value(text, match.start(2), match.end(2), name)
        if item is not None:
            decision.fields[name] = item
    return decision


def _register_rows(text: str) -> list[PenaltyDecision]:
    """Rows under a tab-separated header row that names a party column and another field."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    for index, (_, line) in enumerate(lines):
        headers = [re.sub(r"\s+", "", cell) for cell in line.split("\t")]
        columns = {i: _HEADER_TO_FIELD[h] for i, h in enumerate(headers) if h in _HEADER_TO_FIELD}
        if "party" not in columns.values() or len(columns) < 3:
            continue
        rows = []
        for row_start, row in lines[index + 1 :]:
            cells = row.split("\t")
            if len(cells) < len(columns) or [re.sub(r"\s+", "", c) for c in cells] == headers:
                continue
            decision = PenaltyDecision()
            position = row_start
            for i, cell in enumerate(cells):
                name = columns.get(i)
                if name and name not in decision.fields:
                    item = _value(text, position, position + len(cell), name)
                    if item is not None:
                        decision.fields[name] = item
                position += len(cell) + 1
            if decision.party is not None:
                rows.append(decision)
        return rows
    return []


def _letter_fields(text: str, decision: PenaltyDecision) -> None:
    """Facts, basis, penalty, agency and date of a decision written as a letter."""
    party = decision.party
    after = party.end if party else 0
    if "facts" not in decision.fields and (facts := _FACTS.search(text, after)):
        item = _value(text, facts.start(1), facts.end(1), "facts")
        if item is not None:
            decision.fields["facts"] = item
    if "basis" not in decision.fields:
        applied = [m for m in _BASIS.finditer(text, after) if m.group(0).startswith("依据")]
        if applied:
            last = applied[-1]
            decision.fields["basis"] = FieldValue(last.group(0), last.start(), last.end())
    if "penalty" not in decision.fields:
        decided = list(_PENALTY.finditer(text, after))
        if decided:
            item = _value(text, decided[-1].start(1), decided[-1].end(1), "penalty")
            if item is not None:
                decision.fields["penalty"] = item
    tail_start = max(after, len(text) - 300)
    if "authority" not in decision.fields:
        lines = list(_AUTHORITY_LINE.finditer(text, tail_start))
        if lines:
            last = lines[-1]
            decision.fields["authority"] = FieldValue(last.group(1), last.start(1), last.end(1))
    if "date" not in decision.fields:
        dates = list(_DATE.finditer(text, tail_start))
        if dates:
            last = dates[-1]
            decision.fields["date"] = FieldValue(last.group(0), last.start(), last.end())


def parse_decisions(text: str) -> list[PenaltyDecision]:
    """Every penalty decision in ``text``: the rows of a 双公示 register, or the one decision a
    letter or detail table describes. Empty when the text names no party by label."""
    rows = _register_rows(text)
    if rows:
        return rows
    decision = _labelled(text)
    if decision.party is None:
        return []
    if _MARKERS.search(text) or len(decision.fields) >= 2:
        _letter_fields(text, decision)
        return [decision]
    return []
