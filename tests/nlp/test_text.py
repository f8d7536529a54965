"""Text preparation keeps offsets honest and finds the articles of a newspaper page."""

from __future__ import annotations

from clue_miner.nlp.text import join_wrapped_lines, normalize, sentence_spans, split_sections


def test_normalize_keeps_the_length() -> None:
    text = "代码９１１３０７００ＭＡ０Ｅ０ＴＷＭ７８，年满１６周岁。"
    assert len(normalize(text)) == len(text)
    assert "91130700MA0E0TWM78" in normalize(text)


def test_wrapped_lines_from_newspaper_columns_are_joined() -> None:
    page = (
        "张家口市检察机关在履职办案中发现，辖区某商务有限公司在经营许可范围不包含盐酸、硫酸且未向公\n\n"
        "安机关备案的情况下，购买盐酸、硫酸。\n\n# 下一篇标题\n\n正文。"
    )
    joined = join_wrapped_lines(page)
    assert "未向公安机关备案" in joined
    assert "\n# 下一篇标题" in joined


def test_a_page_splits_into_articles_at_headline_blocks() -> None:
    page = "## 引题一\n\n# 主标题一\n\n正文一。\n\n### 小标题\n\n正文一续。\n\n## 引题二\n# 主标题二\n\n正文二。\n"
    sections = split_sections(page)
    assert [s.title for s in sections] == ["引题一 主标题一", "引题二 主标题二"]
    assert "小标题" in page[sections[0].start : sections[0].end]


def test_sentences_end_at_chinese_punctuation() -> None:
    text = "第一句。第二句！第三句；"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["第一句。", "第二句！", "第三句；"]
