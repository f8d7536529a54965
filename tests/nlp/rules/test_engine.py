"""A rule's mention conditions filter by any attribute, generically (``where``)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clue_miner.nlp.mentions import Mention
from clue_miner.nlp.rules.engine import passes
from clue_miner.nlp.rules.model import Compare, Condition


def age(low: int, high: int, qualifier: str) -> Mention:
    return Mention("age", "x", str(high), 0, 1, {"min": low, "max": high, "qualifier": qualifier})


def where(**tests: dict[str, object]) -> dict[str, Compare]:
    return {name: Compare.model_validate(test) for name, test in tests.items()}


def test_numeric_bounds_read_the_attribute() -> None:
    assert passes(age(14, 15, "range"), where(max={"lt": 16}))
    assert not passes(age(16, 17, "range"), where(max={"lt": 16}))
    assert passes(age(16, 16, "exact"), where(max={"le": 16}, min={"ge": 16}))
    assert not passes(age(15, 15, "exact"), where(min={"gt": 15}))


def test_a_legal_bound_is_not_a_concrete_age() -> None:
    concrete = where(max={"lt": 16}, qualifier={"ne": "under"})
    assert passes(age(14, 14, "exact"), concrete)
    assert not passes(age(0, 15, "under"), concrete)


def test_equality_and_membership_on_values_and_flags() -> None:
    acid = Mention("chemical", "硫酸", "硫酸", 0, 2, {"precursor": True})
    petrol = Mention("chemical", "汽油", "汽油", 0, 2, {})
    assert passes(acid, where(precursor={"eq": True}))
    assert not passes(petrol, where(precursor={"eq": True}))  # a missing flag is not true
    assert passes(petrol, where(precursor={"ne": True}))  # …and passes a ne test
    assert passes(petrol, where(value={"in": ["汽油", "柴油"]}))
    assert not passes(acid, where(value={"not_in": ["硫酸"]}))


def test_a_missing_attribute_fails_a_bound() -> None:
    assert not passes(Mention("age", "x", "9", 0, 1, {}), where(max={"lt": 18}))


def test_a_test_needs_an_operator_and_a_filter_needs_a_mention() -> None:
    with pytest.raises(ValidationError, match="an attribute test needs"):
        Compare.model_validate({})
    with pytest.raises(ValidationError, match="give 'mention' too"):
        Condition.model_validate({"pattern": "x", "where": {"max": {"lt": 1}}})
    with pytest.raises(ValidationError):
        Compare.model_validate({"below": 3})
