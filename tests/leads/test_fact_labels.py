"""A lead's facts read as a case officer writes them: no program keys, no dict syntax."""

from __future__ import annotations

import re

from clue_miner.leads.fact_labels import describe_facts, feature_label


def test_facts_have_chinese_labels_and_reader_words() -> None:
    facts = {
        "minor_ages": ["0-15", "14-15", "15"],
        "minor_count": 13,
        "quantities": {"硫酸": "1.1吨", "盐酸": "20桶"},
        "chemicals": ["盐酸", "硫酸"],
        "permit_record_id": 64,
        "mode": "带储存经营",
    }
    assert describe_facts(facts) == [
        ("涉及化学品", "盐酸、硫酸"),
        ("数量", "硫酸1.1吨、盐酸20桶"),
        ("经营方式", "带储存经营"),
        ("涉及未成年人人数", "13名"),
        ("未成年人年龄", "不满16周岁、14至15周岁、15周岁"),
    ]


def test_an_unknown_fact_is_shown_without_its_key() -> None:
    shown = describe_facts({"new_extractor_field": "某值", "chemicals": []})
    assert shown == [("其他情况", "某值")]
    assert all("_" not in label and "{" not in text for label, text in shown)


def test_features_are_named_in_chinese_from_their_rule_card_or_the_combiner() -> None:
    assert feature_label("feature_chemical_mentioned") == "提及危险化学品"
    assert feature_label("permit_found") == "查到许可记录"  # a cross-source rule's feature
    assert feature_label("text_probability") == "全文模型概率"
    assert feature_label("bias") == "基线（截距）"
    assert feature_label("a_feature_no_card_has") == "a_feature_no_card_has"


def test_every_feature_of_every_rule_card_has_a_chinese_label() -> None:
    from clue_miner.nlp.rules.model import load_rule_packs

    for pack in load_rule_packs():
        for rule in pack.rules:
            for feature in rule.features:
                assert re.search(r"[\u4e00-\u9fff]", feature.label), (rule.id, feature.name)
