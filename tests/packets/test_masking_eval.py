"""Masking is measured like a PII system on corpora of our own writing: the development
corpus is masked completely and without corruption; the three later corpora, each written
without sight of the recognisers and measured before any change was made for it, keep at
least the recall and at most the corruption we measured on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from clue_miner.nlp.classify.corpus import CorpusError
from clue_miner.packets.masking_eval import (
    MASKING_CORPUS,
    evaluate_masking,
    read_masking_corpus,
)

HELD_OUT = MASKING_CORPUS.parent / "heldout.jsonl"
SECOND_HELD_OUT = MASKING_CORPUS.parent / "heldout2.jsonl"
THIRD_HELD_OUT = MASKING_CORPUS.parent / "heldout3.jsonl"


def test_the_development_corpus_is_large_and_covers_every_kind() -> None:
    sentences = read_masking_corpus()
    kinds = {span.kind for sentence in sentences for span in sentence.spans}
    assert len(sentences) >= 300
    assert {"name", "birth_date", "id_number", "address", "school", "phone"} <= kinds
    assert any(not sentence.spans for sentence in sentences), "sentences without personal data"


@pytest.mark.parametrize("minors_case", [True, False], ids=["minors-case", "context-only"])
def test_every_span_of_the_development_corpus_is_masked_and_nothing_else(
    minors_case: bool,
) -> None:
    report = evaluate_masking(read_masking_corpus(), minors_case=minors_case)
    assert report.misses == []
    assert report.corrupted == 0
    assert report.recall == 1.0


@pytest.mark.parametrize(
    ("corpus", "sentences", "recall", "corruption"),
    [
        (HELD_OUT, 150, 0.95, 0.002),
        (SECOND_HELD_OUT, 160, 0.93, 0.01),
        (THIRD_HELD_OUT, 160, 0.84, 0.018),
    ],
    ids=["first", "second", "third"],
)
def test_the_later_corpora_keep_their_measured_floor(
    corpus: Path, sentences: int, recall: float, corruption: float
) -> None:
    report = evaluate_masking(read_masking_corpus(corpus), minors_case=True)
    assert report.sentences >= sentences
    assert report.recall >= recall, report.misses
    assert report.corruption <= corruption, report.corruptions


def test_a_span_that_is_not_in_its_sentence_names_file_and_line(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "主播刘小雨今年15岁。", "spans": []}\n'
        '{"id": "b", "text": "主播刘小雨。", "spans": [{"kind": "name", "text": "王小明"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2: .*王小明"):
        read_masking_corpus(corpus)
