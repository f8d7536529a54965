"""A domain calibration rescales a category's log-odds to the documents met in use, and only
where cross-validation on labelled documents of that domain shows that it helps."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from clue_miner.nlp.classify.domain_calibration import (
    BUNDLED,
    CalibrationFileError,
    DomainCalibration,
    Scaling,
    fit_domain_calibration,
    load_domain_calibration,
    own_calibration_path,
)
from clue_miner.nlp.classify.model import THRESHOLD, load_or_train


def _under_confident(seed: int = 0) -> tuple[list[float], list[int]]:
    """Cases the decision scores 0.05–0.3 and non-cases it scores 0.001–0.05, as our model
    scores real news of unlicensed fuel points."""
    rng = np.random.default_rng(seed)
    cases = rng.uniform(0.05, 0.3, 60).tolist()
    others = rng.uniform(0.001, 0.05, 200).tolist()
    return cases + others, [1] * 60 + [0] * 200


def test_under_confident_scores_are_raised_and_kept() -> None:
    scores, labels = _under_confident()
    calibration = fit_domain_calibration(
        {"hazmat_unlicensed": scores}, {"hazmat_unlicensed": labels}, THRESHOLD, "synthetic"
    )
    scaling = calibration.scaling("hazmat_unlicensed")
    report = calibration.report["hazmat_unlicensed"]
    assert report["kept"] is True
    assert report["uncalibrated"]["recall"] == 0.0  # nothing reached the threshold before
    assert report["cross_validated"]["f1"] > 0.9
    raised = 1 / (1 + math.exp(-(scaling.slope * math.log(0.2 / 0.8) + scaling.intercept)))
    assert raised > THRESHOLD


def test_scores_already_calibrated_for_the_domain_keep_the_identity() -> None:
    rng = np.random.default_rng(1)
    scores = rng.uniform(0.001, 0.999, 400)
    labels = (rng.uniform(0, 1, 400) < scores).astype(int).tolist()  # p means p
    calibration = fit_domain_calibration(
        {"minors_livestream": scores.tolist()},
        {"minors_livestream": labels},
        THRESHOLD,
        "synthetic",
    )
    assert calibration.scaling("minors_livestream") == Scaling()
    assert calibration.report["minors_livestream"]["kept"] is False


def test_too_few_cases_keep_the_identity() -> None:
    calibration = fit_domain_calibration(
        {"minors_livestream": [0.2] * 5 + [0.01] * 100},
        {"minors_livestream": [1] * 5 + [0] * 100},
        THRESHOLD,
        "synthetic",
    )
    assert calibration.scaling("minors_livestream") == Scaling()
    assert calibration.report["minors_livestream"]["reason"] == "too few cases"


def test_a_calibration_reads_back_as_written(tmp_path: Path) -> None:
    scores, labels = _under_confident()
    calibration = fit_domain_calibration(
        {"hazmat_unlicensed": scores}, {"hazmat_unlicensed": labels}, THRESHOLD, "synthetic"
    )
    path = tmp_path / "calibration.yml"
    path.write_text(calibration.to_yaml(), encoding="utf-8")
    again = load_domain_calibration(path)
    assert again.fitted_on == "synthetic" and again.documents == 260
    assert again.scaling("hazmat_unlicensed").slope == pytest.approx(
        calibration.scaling("hazmat_unlicensed").slope, abs=1e-4
    )


def test_an_unreadable_file_is_a_clear_error_and_the_default_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "calibration.yml"
    broken.write_text("categories:\n  hazmat_unlicensed: {slope: steep}\n", encoding="utf-8")
    with pytest.raises(CalibrationFileError, match=r"calibration\.yml"):
        load_domain_calibration(broken)
    monkeypatch.setenv("CLUES_MODELS", str(tmp_path / "models"))
    own_calibration_path().write_text("[not, a, mapping", encoding="utf-8")
    assert load_domain_calibration().scalings == load_domain_calibration(BUNDLED).scalings


def test_the_bundled_calibration_records_its_real_fit_and_keeps_the_identity() -> None:
    # see the file's header: the fit that helped real news would flag the portal notices
    bundled = load_domain_calibration(BUNDLED)
    assert bundled.documents >= 300 and "real" in bundled.fitted_on
    assert all(s == Scaling() for s in bundled.scalings.values())
    assert set(bundled.report) == {"minors_livestream", "hazmat_unlicensed"}


@pytest.mark.slow
def test_a_model_with_a_domain_calibration_explains_its_rescaled_score() -> None:
    model = load_or_train()
    identity = model.with_domain(DomainCalibration())
    scaling = Scaling(1.5, 2.0)
    rescaled = model.with_domain(DomainCalibration({"hazmat_unlicensed": scaling}, "synthetic", 1))
    signals = {"text_probability": 0.2, "rule_score": 0.8, "rule_fired": 1.0}
    before, _ = identity.combiners["hazmat_unlicensed"].explain(signals)
    after, shares = rescaled.combiners["hazmat_unlicensed"].explain(signals)
    logit = math.log(before / (1 - before))
    assert math.log(after / (1 - after)) == pytest.approx(1.5 * logit + 2.0, abs=1e-6)
    assert sum(shares.values()) == pytest.approx(1.5 * logit + 2.0, abs=1e-6)
    assert rescaled.metrics["hazmat_unlicensed"]["domain_calibration"]["slope"] == 1.5
    minors_before, _ = identity.combiners["minors_livestream"].explain(signals)
    minors_after, _ = rescaled.combiners["minors_livestream"].explain(signals)
    assert minors_after == pytest.approx(minors_before)  # no scaling given: the identity
