"""Masking is measured like a PII system on two corpora of our own writing: the
development corpus is masked completely and without corruption; the held-out corpus,
written without sight of the recognisers, keeps at least the recall we measured on it."""

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


def test_the_held_out_corpus_keeps_its_measured_floor() -> None:
    report = evaluate_masking(read_masking_corpus(HELD_OUT), minors_case=True)
    assert report.sentences >= 150
    assert report.recall >= 0.85, report.misses
    assert report.corruption <= 0.005, report.corruptions


def test_a_span_that_is_not_in_its_sentence_names_file_and_line(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "主播刘小雨今年15岁。", "spans": []}\n'
        '{"id": "b", "text": "主播刘小雨。", "spans": [{"kind": "name", "text": "王小明"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2: .*王小明"):
        read_masking_corpus(corpus)
