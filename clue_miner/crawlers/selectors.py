"""One selector syntax for source YAML: CSS, or XPath when it starts with ``/`` or ``(``."""

from __future__ import annotations

import re

from parsel import Selector, SelectorList

from clue_miner.text_safety import strip_controls


def select(node: Selector, query: str) -> SelectorList[Selector]:
    """Apply ``query`` as XPath if it starts with ``/`` or ``(``, else as CSS."""
    if query.lstrip().startswith(("/", "(")):
        return node.xpath(query)
    return node.css(query)


_TEXT_SUFFIX = re.compile(r"(::text|/text\(\))\s*$")


def select_text(node: Selector, query: str) -> str:
    """Text of the first match. A query ending in ``::text`` or ``/text()`` reads all text
    of the element it points into, so ``h1::text`` survives ``<h1>关于<em>某公司</em>…``."""
    element_query = _TEXT_SUFFIX.sub("", query)
    matches = select(node, element_query)
    if not matches:
        return ""
    first = matches[0]
    if first.root is None or isinstance(first.root, str):
        text = first.get() or ""
    else:
        text = "".join(first.xpath(".//text()").getall())
    return re.sub(r"\s+", " ", strip_controls(text)).strip()
