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


def test_the_facts_of_the_seed_cases_are_all_declared_by_their_packs() -> None:
    from clue_miner.nlp.analyze import analyze_text
    from tests.conftest import SEED_PAGE

    flags = analyze_text(SEED_PAGE.read_text(encoding="utf-8")).flags
    assert flags and all(flag.facts for flag in flags)
    for flag in flags:
        assert all(label != "其他情况" for label, _ in describe_facts(flag.facts)), flag.facts


def test_a_pack_declares_how_its_facts_read() -> None:
    from clue_miner.nlp.rules.model import load_rule_packs

    declared = {name: spec for pack in load_rule_packs() for name, spec in pack.facts.items()}
    assert declared["minor_count"].unit == "名"
    assert declared["quantities"].format == "per_item"
