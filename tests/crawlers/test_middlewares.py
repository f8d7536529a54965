"""Retries wait longer each time, up to a cap."""

from __future__ import annotations

from clue_miner.crawlers.middlewares import backoff_delay


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_delay(n, 1.0, 60.0) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff_delay(1, 0.0, 60.0) == 0.0
