"""The classifiers train on our corpus and give calibrated probabilities per category."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clue_miner.nlp.classify.corpus import (
    CATEGORIES,
    CORPUS_DIR,
    CorpusError,
    load_corpus,
    read_jsonl,
)
from clue_miner.nlp.classify.decision import DocumentInput, decide
from clue_miner.nlp.classify.model import load_active, models_dir, save, train

pytestmark = pytest.mark.slow


def test_the_corpus_has_both_categories_and_hard_negatives() -> None:
    docs = load_corpus()
    assert len(docs) >= 300
    assert not {d.id for d in docs} & {d.id for d in load_corpus(CORPUS_DIR / "eval")}
    for category in CATEGORIES:
        assert sum(category in d.labels for d in docs) >= 60
    assert sum(not d.labels for d in docs) >= 150


def test_trained_model_separates_cases_from_hard_negatives(tmp_path: Path) -> None:
    model = train()
    for category in CATEGORIES:
        assert model.metrics[category]["combined_cv"]["f1"] > 0.8, model.metrics
        assert model.metrics[category]["combined_cv"]["brier"] < 0.1, model.metrics
        names = set(model.weights()[category])
        assert {"text_probability", "rule_score", "rule_fired", "excluded", "bias"} <= names
        assert any(name.startswith("feature_") for name in names)
    save(model)
    active = load_active()
    assert active is not None and active.version == model.version
    minors_case, hazmat_case, publicity = (
        d.scores
        for d in decide(
            active,
            [
                DocumentInput(
                    "某传媒公司与三名十五岁的在校学生签订主播协议，安排其深夜直播并诱导观众打赏，"
                    "区人社局立案调查。"
                ),
                DocumentInput(
                    "某商贸公司未取得危险化学品经营许可证，在民房内储存醇基燃料5吨并向饭店销售，"
                    "应急管理局依法查处。"
                ),
                DocumentInput(
                    "县教育局在全县中小学开展法治宣传，讲解交通安全和防溺水知识，发放宣传册2000份。"
                ),
            ],
        )
    )
    assert minors_case["minors_livestream"] > 0.5 > publicity["minors_livestream"]
    assert hazmat_case["hazmat_unlicensed"] > 0.5 > publicity["hazmat_unlicensed"]
    for scores in (minors_case, hazmat_case, publicity):
        assert all(0.0 <= p <= 1.0 for p in scores.values())
    assert load_active() is active  # read once per process, not once per caller
    retrained = save(model)
    assert (newer := load_active()) is not active and newer is not None
    assert newer.version == retrained.name


def test_a_model_of_an_older_format_is_not_used(tmp_path: Path) -> None:
    import joblib

    folder = models_dir() / "old-format"
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump({"features": None, "text_models": {}, "combiners": {}}, folder / "model.joblib")
    (folder / "metrics.json").write_text("{}")
    previous = (models_dir() / "ACTIVE").read_text() if (models_dir() / "ACTIVE").exists() else None
    (models_dir() / "ACTIVE").write_text("old-format")
    try:
        assert load_active() is None
    finally:
        if previous is None:
            (models_dir() / "ACTIVE").unlink()
        else:
            (models_dir() / "ACTIVE").write_text(previous)


def test_a_malformed_corpus_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "正文", "labels": []}) + "\n{oops\n")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2"):
        read_jsonl(path)
