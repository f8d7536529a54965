"""The unit every extractor returns: a typed fact with character offsets into the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mention:
    """``text[start:end]`` is the surface form; ``value`` its normalised value."""

    type: str
    text: str
    value: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "text": self.text,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "attrs": self.attrs,
        }
