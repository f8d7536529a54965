"""The analysis agrees with the labels we gave every page of the bundled sample site."""

from __future__ import annotations

from clue_miner.nlp.analyze import analyze_text
from clue_miner.sample_site.build import load_articles
from clue_miner.sample_site.portals import PORTALS


def test_every_sample_page_gets_exactly_its_expected_categories() -> None:
    wrong = []
    positives = 0
    for portal in PORTALS.values():
        for article in load_articles(portal):
            text = article.title + "\n\n" + "\n".join(article.paragraphs)
            got = sorted({f.category for f in analyze_text(text, article.date).flags})
            positives += bool(article.expect)
            if got != sorted(article.expect):
                wrong.append((article.id, article.expect, got))
    assert positives >= 15
    assert wrong == []
