"""The page the project was born from: exactly its two cases are flagged, nothing else."""

from __future__ import annotations

import pytest

from clue_miner.cli.nlp_commands import read_document
from clue_miner.nlp.analyze import analyze_text
from tests.conftest import SEED_PAGE

pytestmark = pytest.mark.skipif(
    not SEED_PAGE.exists(), reason=f"the seed page is not at {SEED_PAGE} (../shared is absent)"
)


def test_the_seed_page_yields_exactly_the_two_reference_cases() -> None:
    text = read_document(SEED_PAGE)
    result = analyze_text(text)
    assert len(result.sections) == 7
    by_category = {f.category: f for f in result.flags}
    assert sorted(by_category) == ["hazmat_unlicensed", "minors_livestream"]
    assert len(result.flags) == 2

    hazmat = by_category["hazmat_unlicensed"]
    assert hazmat.facts["chemicals"] == ["盐酸", "硫酸"]
    assert hazmat.agency == "张家口市行政审批局"
    assert hazmat.organization == "某商务有限公司"
    assert hazmat.region_adcode == "130700"
    assert "张家口" in hazmat.section_title

    minors = by_category["minors_livestream"]
    assert minors.facts["minor_count"] == 13
    assert minors.agency == "丰南区人力资源和社会保障局"
    assert minors.organization == "某文化传媒有限公司"
    assert minors.region_adcode == "130207"

    for flag in result.flags:
        assert any("检察建议" in e.quote or flag.organization in e.quote for e in flag.evidence)
        for evidence in flag.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
