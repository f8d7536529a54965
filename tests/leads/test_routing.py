"""A lead goes to the procuratorate of its region, at that region's level."""

from __future__ import annotations

import pytest

from clue_miner.leads.routing import procuratorate_for


@pytest.mark.parametrize(
    ("adcode", "procuratorate"),
    [
        ("130207", "唐山市丰南区人民检察院"),
        ("130722", "张北县人民检察院"),
        ("130700", "张家口市人民检察院"),
        ("130000", "河北省人民检察院"),
        ("999999", None),
        (None, None),
    ],
)
def test_the_receiving_procuratorate_follows_the_region(
    adcode: str | None, procuratorate: str | None
) -> None:
    assert procuratorate_for(adcode) == procuratorate
