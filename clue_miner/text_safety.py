"""Small pieces every layer shares for handling configuration and untrusted text."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

# C0 and C1 control characters except tab, newline and carriage return: NUL bytes that
# PostgreSQL refuses, terminal escape sequences that crawled text must never carry.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tabs and line breaks kept)."""
    return CONTROL_CHARS.sub("", text)


def _compiles(value: str) -> str:
    re.compile(value)
    return value


Regex = Annotated[str, AfterValidator(_compiles)]
"""A string field of a YAML config that must be a valid regular expression."""
