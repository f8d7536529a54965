"""Prepared text reads clean (Simplified, no spam, no repeats) and maps back exactly."""

from __future__ import annotations

from clue_miner.nlp.analyze import analyze_text
from clue_miner.nlp.normalize import prepare

HIJACKED = (
    "當前位置：首頁 > 檢察動態\n"
    "宜丰县检察院向县生态环境局等单位公开宣告送达3份365体育娱乐场诉前检察建议书。\n"
    "經查，某某文化傳媒有限公司與13名未成年人簽訂主播合作協議，安排其在網絡直播平台開播。\n"
    "經查，某某文化傳媒有限公司與13名未成年人簽訂主播合作協議，安排其在網絡直播平台開播。\n"
    "版权所有：某某县人民检察院"
)


def test_traditional_spam_repeats_and_boilerplate_are_gone() -> None:
    prepared = prepare(HIJACKED)
    assert "365体育" not in prepared.text and "3份诉前检察建议书" in prepared.text
    assert prepared.text.count("未成年人") == 1
    assert "签订主播合作协议" in prepared.text
    assert "当前位置" not in prepared.text and "版权所有" not in prepared.text
    assert {r.reason for r in prepared.removals} == {"spam", "repeated", "boilerplate"}


def test_every_prepared_character_maps_back_to_its_stored_character() -> None:
    prepared = prepare(HIJACKED)
    for i, char in enumerate(prepared.text):
        stored = HIJACKED[prepared.offsets[i]]
        assert stored == char or prepare(stored).text == char


def test_evidence_quotes_are_the_stored_characters() -> None:
    result = analyze_text(HIJACKED)
    [flag] = result.flags
    assert flag.category == "minors_livestream"
    for evidence in flag.evidence:
        assert HIJACKED[evidence.start : evidence.end] == evidence.quote
        assert "簽訂" in evidence.quote or "網絡直播" in evidence.quote
    assert result.removed
