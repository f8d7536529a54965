"""Turn HTML fragments into plain text with paragraph breaks, and find dates in text."""

from __future__ import annotations

import re
from datetime import date

from lxml import html as lxml_html

from clue_miner.text_safety import strip_controls

BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "hr",
}
CELL_TAGS = {"td", "th"}
DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "object"}
MAX_TEXT_CHARS = 200_000

_DATE_PATTERNS = [
    re.compile(r"(20\d{2}|19\d{2})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(20\d{2}|19\d{2})年(\d{1,2})月(\d{1,2})日"),
]


def html_to_text(fragment: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Visible text of an HTML fragment: one line per block, scripts dropped, size bounded."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in DROP_TAGS:  # comments, processing instructions, scripts
            if node.tail:
                parts.append(node.tail)
            return
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in CELL_TAGS:
            parts.append("\t")
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(root)
    return clean_lines("".join(parts))[:max_chars]


def clean_lines(text: str) -> str:
    """Collapse runs of spaces (keeping table-cell tabs), trim lines, drop empty ones and
    control characters (NUL, terminal escapes) that crawled text must never carry."""
    lines = []
    text = strip_controls(text.replace("\r", "\n").replace("\xa0", " "))
    for line in text.split("\n"):
        line = re.sub(r"[ \u3000]+", " ", line)
        line = re.sub(r" ?\t[\t ]*", "\t", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def find_date(text: str) -> date | None:
    """The first plausible calendar date in ``text`` (2024-03-05, 2024年3月5日 …)."""
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None
