"""Every rule fires on its positive fixtures and stays silent on its near misses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from clue_miner.nlp.analyze import analyze_text
from clue_miner.nlp.extractors import extract_all
from clue_miner.nlp.rules import load_rule_packs
from clue_miner.nlp.rules.engine import SectionView, evaluate_rule

FIXTURES = Path(__file__).parent / "fixtures"
RULES = {
    rule.id: rule for pack in load_rule_packs() for rule in pack.rules if rule.scope == "document"
}


def cases(kind: str) -> list[Any]:
    params = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data[kind]:
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}:{case['name']}"))
    return params


def test_every_document_rule_has_fixtures() -> None:
    """Rules that join records are tested on the store (tests/flows, tests/leads)."""
    assert {p.stem for p in FIXTURES.glob("*.yml")} == set(RULES)


@pytest.mark.parametrize(("rule_id", "case"), cases("positives"))
def test_rule_fires_on_positive(rule_id: str, case: dict[str, Any]) -> None:
    text = case["text"].replace(" ", "")
    flags = [f for f in analyze_text(text).flags if f.rule_id == rule_id]
    assert len(flags) == 1
    flag = flags[0]
    assert flag.evidence, "a flag always cites evidence"
    for evidence in flag.evidence:
        assert (
            text[evidence.start : evidence.end] == evidence.quote.strip()
            or evidence.quote.strip() in text[evidence.start : evidence.end]
        )
    assert flag.legal_basis and flag.agency


@pytest.mark.parametrize(("rule_id", "case"), cases("negatives"))
def test_rule_is_silent_on_negative(rule_id: str, case: dict[str, Any]) -> None:
    text = case["text"].replace(" ", "")
    outcome = evaluate_rule(RULES[rule_id], SectionView(text, 0, len(text), extract_all(text)))
    assert not outcome.fired
    if "excluded_by" in case:
        assert outcome.excluded_by == case["excluded_by"]
