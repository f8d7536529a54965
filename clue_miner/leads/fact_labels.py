"""The facts of a lead in the words a reader expects: Chinese labels, counts with their
measure word, age ranges in 周岁, quantities beside their chemical. The web lead page, the
report and the 汇总表 describe a lead through this one function."""

from __future__ import annotations

from typing import Any

_LABELS = {
    "chemicals": "涉及化学品",
    "quantities": "数量",
    "licensed": "许可范围内的化学品",
    "permit_no": "许可证编号",
    "mode": "经营方式",
    "storage_site": "储存场所",
    "minor_count": "涉及未成年人人数",
    "minor_ages": "未成年人年龄",
    "min_age": "最小年龄",
}
_INTERNAL = {"permit_record_id", "business_scope_document"}  # database ids, not facts


def _age_range(value: str) -> str:
    low, _, high = value.partition("-")
    if not high or low == high:
        return f"{low}周岁"
    if low in ("", "0"):
        return f"不满{int(high) + 1}周岁" if high.isdigit() else f"{high}周岁以下"
    return f"{low}至{high}周岁"


def _shown(name: str, value: Any) -> str:
    if name == "quantities" and isinstance(value, dict):
        return "、".join(f"{chemical}{amount}" for chemical, amount in value.items())
    if name == "minor_ages" and isinstance(value, list):
        return "、".join(_age_range(str(v)) for v in value)
    if name == "minor_count":
        return f"{value}名"
    if name == "min_age":
        return f"{value}周岁"
    if isinstance(value, dict):
        return "、".join(f"{k}{v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def describe_facts(facts: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per fact in a fixed order; database ids are left out and a fact
    without a label of its own is shown as 其他情况."""
    order = {name: index for index, name in enumerate(_LABELS)}
    shown = []
    for name in sorted(facts, key=lambda n: order.get(n, len(order))):
        value = facts[name]
        if name in _INTERNAL or value in (None, "", [], {}):
            continue
        shown.append((_LABELS.get(name, "其他情况"), _shown(name, value)))
    return shown
