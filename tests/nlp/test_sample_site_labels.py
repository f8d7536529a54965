"""The night's decision agrees with the labels we gave every page of the bundled sample site."""

from __future__ import annotations

from clue_miner.nlp.classify.decision import DocumentInput, decide
from clue_miner.nlp.classify.model import load_or_train
from clue_miner.sample_site.build import load_articles
from clue_miner.sample_site.portals import PORTALS


def test_every_sample_page_gets_exactly_its_expected_categories() -> None:
    articles = [a for portal in PORTALS.values() for a in load_articles(portal)]
    inputs = [DocumentInput(a.title + "\n\n" + "\n".join(a.paragraphs), a.date) for a in articles]
    decisions = decide(load_or_train(), inputs)
    wrong = [
        (article.id, sorted(article.expect), decision.labels, decision.scores)
        for article, decision in zip(articles, decisions, strict=True)
        if decision.labels != sorted(article.expect)
    ]
    assert sum(bool(a.expect) for a in articles) >= 15
    assert wrong == []
