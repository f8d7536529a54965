"""The facts and features of a lead in the words a reader expects: Chinese labels, counts
with their measure word, age ranges in 周岁, quantities beside their chemical. The web lead
page, the report and the 汇总表 describe a lead through these functions."""

from __future__ import annotations

from functools import cache
from typing import Any

from clue_miner.nlp.rules.model import FactSpec, load_rule_packs

_INTERNAL = {"permit_record_id", "business_scope_document"}  # database ids, not facts


def _age_range(value: str) -> str:
    low, _, high = value.partition("-")
    if not high or low == high:
        return f"{low}周岁"
    if low in ("", "0"):
        return f"不满{int(high) + 1}周岁" if high.isdigit() else f"{high}周岁以下"
    return f"{low}至{high}周岁"


@cache
def _fact_specs() -> dict[str, FactSpec]:
    """Every pack's facts, in pack order: how each is labelled and written."""
    specs: dict[str, FactSpec] = {}
    for pack in load_rule_packs():
        specs.update(pack.facts)
    return specs


def _shown(spec: FactSpec | None, value: Any) -> str:
    if spec and spec.format == "age_ranges" and isinstance(value, list):
        return "、".join(_age_range(str(v)) for v in value)
    if spec and spec.unit and not isinstance(value, list | tuple | dict):
        return f"{value}{spec.unit}"
    if isinstance(value, dict):  # per_item (硫酸1.1吨), and a mapping no pack declares
        return "、".join(f"{k}{v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def describe_facts(facts: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per fact in the packs' order; database ids are left out and a fact
    no pack declares is shown as 其他情况."""
    specs = _fact_specs()
    order = {name: index for index, name in enumerate(specs)}
    shown = []
    for name in sorted(facts, key=lambda n: order.get(n, len(order))):
        value = facts[name]
        if name in _INTERNAL or value in (None, "", [], {}):
            continue
        spec = specs.get(name)
        shown.append((spec.label if spec else "其他情况", _shown(spec, value)))
    return shown


# The combiner's own signals (nlp/classify) and the cross-source corroboration (leads).
_SIGNAL_LABELS = {
    "bias": "基线（截距）",
    "text_probability": "全文模型概率",
    "evidence_probability": "证据句模型概率",
    "rule_score": "规则得分",
    "rule_fired": "规则命中",
    "excluded": "排除条件命中",
    "required_share": "必备特征满足比例",
    "corroboration": "多来源印证",
}


@cache
def _pack_feature_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for pack in load_rule_packs():
        for rule in pack.rules:
            labels.update((f.name, f.label) for f in rule.features)
            labels.update((e.name, e.label) for e in rule.exclusions)
    return labels


def feature_label(name: str) -> str:
    """A feature's Chinese name: its rule card's label (``feature_`` is the combiner's
    prefix for a card feature) or the combiner's signal; an unknown name as it is."""
    bare = name.removeprefix("feature_")
    return _pack_feature_labels().get(bare) or _SIGNAL_LABELS.get(name) or name
