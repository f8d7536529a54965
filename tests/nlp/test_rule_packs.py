"""Rule packs load, every rule has a card, and every cited article exists in the statute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from clue_miner.config import project_root
from clue_miner.nlp.rules import RulePackError, load_rule_packs
from clue_miner.nlp.rules.model import load_rule_pack
from tests.conftest import SHARED_DIR

LAWS = SHARED_DIR / "data" / "laws"
LAW_FILES = {
    "中华人民共和国劳动法": "劳动法",
    "禁止使用童工规定": "禁止使用童工规定",
    "中华人民共和国未成年人保护法": "未成年人保护法(2020",
    "危险化学品安全管理条例": "危险化学品安全管理条例",
    "易制毒化学品管理条例": "易制毒化学品管理条例",
    "中华人民共和国行政诉讼法": "行政诉讼法",
}


def test_packs_cover_both_categories_and_every_rule_has_a_card() -> None:
    packs = load_rule_packs()
    assert {p.category for p in packs} == {"minors_livestream", "hazmat_unlicensed"}
    for pack in packs:
        for rule in pack.rules:
            card = project_root() / "docs" / "rules" / f"{rule.id}.md"
            assert card.exists(), f"rule {rule.id} has no card at {card}"
            assert rule.id in card.read_text(encoding="utf-8")


@pytest.mark.skipif(not LAWS.exists(), reason=f"statute texts not found at {LAWS}")
def test_every_cited_article_exists_in_the_statute_text() -> None:
    for pack in load_rule_packs():
        citations = [*pack.legal_basis, *(c for rule in pack.rules for c in rule.legal_basis)]
        for citation in citations:
            law = re.search(r"《(.+?)》", citation)
            assert law, citation
            prefix = LAW_FILES[law.group(1)]
            [path] = [p for p in LAWS.glob("*.md") if p.name.startswith(prefix)]
            statute = path.read_text(encoding="utf-8")
            for article in re.findall(r"第[一二三四五六七八九十百]+条", citation):
                assert re.search(rf"^{article}\s", statute, re.M), f"{citation}: {article}"


def test_a_broken_pack_names_its_file_and_field(tmp_path: Path) -> None:
    pack = tmp_path / "broken.yml"
    pack.write_text(
        "category: x\ntitle: t\nagencies: [a]\nlegal_basis: [b]\nrules:\n"
        "  - {id: bad, title: t, definition: d, why: w, threshold: 2, features: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulePackError) as error:
        load_rule_pack(pack)
    assert "broken.yml:6: field 'rules.0.id'" in str(error.value)  # the rule's line
    assert "field 'rules.0.threshold'" in str(error.value)


def test_a_pack_without_its_label_or_keyword_baseline_is_refused(tmp_path: Path) -> None:
    feature = {"name": "expired", "label": "过期", "weight": 0.5, "pattern": "过期"}
    rule = {"id": "FS-001", "title": "t", "definition": "d", "why": "w", "threshold": 0.5}
    pack = tmp_path / "food_safety.yml"
    text = yaml.safe_dump(
        {
            "category": "food_safety",
            "title": "t",
            "agencies": ["市场监督管理局"],
            "legal_basis": ["b"],
            "rules": [{**rule, "features": [feature]}],
        },
        allow_unicode=True,
    )
    pack.write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        load_rule_pack(pack)
    for field in ("label", "keyword_baseline", "report"):
        assert f"field '{field}'" in str(error.value)


def test_categories_their_labels_and_baselines_come_from_the_packs() -> None:
    from clue_miner.nlp.classify.corpus import CATEGORIES
    from clue_miner.nlp.classify.evaluate import KEYWORD_BASELINE
    from clue_miner.triage.labels import CATEGORY_LABELS

    packs = load_rule_packs()
    assert tuple(p.category for p in packs) == CATEGORIES
    assert {p.category: p.label for p in packs} == CATEGORY_LABELS
    assert set(KEYWORD_BASELINE) == set(CATEGORIES)
    assert KEYWORD_BASELINE["minors_livestream"]("一名未成年人在直播间打赏")
    assert not KEYWORD_BASELINE["minors_livestream"]("一名未成年人在网吧上网")
    assert KEYWORD_BASELINE["hazmat_unlicensed"]("查获易制毒化学品")


def test_a_document_rule_testing_a_mention_no_extractor_makes_is_refused(tmp_path: Path) -> None:
    [pack] = [p for p in load_rule_packs() if p.category == "hazmat_unlicensed"]
    data = pack.model_dump(by_alias=True, exclude_none=True)
    data["rules"][0]["features"].append(
        {"name": "shelf_life", "label": "保质期", "weight": 0.1, "mention": "expiry_date"}
    )
    broken = tmp_path / "hazmat_unlicensed.yml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        load_rule_pack(broken)
    assert "hazmat_unlicensed.yml" in str(error.value) and "field 'rules.0'" in str(error.value)
    assert "no extractor makes 'expiry_date' mentions" in str(error.value)


def test_an_unknown_agency_or_fact_source_is_refused_with_its_line(tmp_path: Path) -> None:
    source = (project_root() / "clue_miner/nlp/rules/packs/minors_livestream.yml").read_text(
        encoding="utf-8"
    )
    broken = tmp_path / "minors_livestream.yml"
    broken.write_text(
        source.replace("agencies: [人力资源和社会保障局", "agencies: [劳动局").replace(
            "mention: minor_count, pick: max", "mention: head_count, pick: max"
        ),
        encoding="utf-8",
    )
    lines = broken.read_text(encoding="utf-8").splitlines()
    agencies_line = next(n for n, line in enumerate(lines, 1) if line.startswith("agencies:"))
    source_line = next(n for n, line in enumerate(lines, 1) if "head_count" in line)
    with pytest.raises(RulePackError) as error:
        load_rule_pack(broken)
    message = str(error.value)
    assert f"minors_livestream.yml:{agencies_line}: field 'agencies'" in message
    assert "unknown agencies ['劳动局']" in message
    assert f"minors_livestream.yml:{source_line}: field 'facts.minor_count.from'" in message
