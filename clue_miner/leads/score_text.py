"""How a score is written for people: the CLI, the web app and the report alike."""

from __future__ import annotations

import math


def score_percent(probability: float) -> str:
    """A calibrated probability as a percentage with one decimal (``97.3%``), so that
    near-certain leads stay apart in a list instead of all reading ``1.00``. Rounded down:
    only a certainty reads ``100.0%``."""
    tenths = math.floor(round(probability * 1000, 6))
    return f"{tenths / 10:.1f}%"
