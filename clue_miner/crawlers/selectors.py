"""One selector syntax for source YAML: CSS, or XPath when it starts with ``/`` or ``(``."""

from __future__ import annotations

from parsel import Selector, SelectorList


def select(node: Selector, query: str) -> SelectorList[Selector]:
    """Apply ``query`` as XPath if it starts with ``/`` or ``(``, else as CSS."""
    if query.lstrip().startswith(("/", "(")):
        return node.xpath(query)
    return node.css(query)


def select_text(node: Selector, query: str) -> str:
    """Text of the first match: the matched string, or all text inside a matched element."""
    matches = select(node, query)
    if not matches:
        return ""
    first = matches[0]
    value = first.get()
    if first.root is None or isinstance(first.root, str):
        return (value or "").strip()
    return " ".join(t.strip() for t in first.xpath(".//text()").getall() if t.strip())
