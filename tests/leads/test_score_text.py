"""A score reads as a percentage that keeps near-certain leads apart and never claims a
certainty the model did not give."""

from __future__ import annotations

from clue_miner.leads.score_text import score_percent


def test_near_certain_scores_stay_apart() -> None:
    assert [score_percent(p) for p in (0.9996, 0.9975, 0.9799)] == ["99.9%", "99.7%", "97.9%"]


def test_only_a_certainty_reads_one_hundred_percent() -> None:
    assert score_percent(0.99999) == "99.9%"
    assert score_percent(1.0) == "100.0%"


def test_round_values_read_as_written() -> None:
    assert [score_percent(p) for p in (0.0, 0.35, 0.8, 0.125)] == [
        "0.0%",
        "35.0%",
        "80.0%",
        "12.5%",
    ]
