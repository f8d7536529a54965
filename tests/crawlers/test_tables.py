"""Registry rows are found under their header and mapped to our field names."""

from __future__ import annotations

from clue_miner.crawlers.tables import map_rows

COLUMNS = {"企业名称": "org_name", "许可证编号": "permit_no", "许可范围": "scope"}


def test_rows_under_the_header_are_mapped_and_the_rest_kept_as_cells() -> None:
    rows = [
        ["张家口市行政审批局2024年第三季度危险化学品经营许可证信息"],
        ["序号", "企业名称", "许可证 编号", "许可范围："],
        ["1", "张家口市桥东区恒盛商务有限公司", "冀张危化经字〔2024〕000123", "乙醇、甲苯、丙酮"],
        ["序号", "企业名称", "许可证编号", "许可范围"],  # the header again on a new page
        ["2", "张家口市万全区利民气体有限公司", "冀张危化经字〔2024〕000011", ""],
    ]
    records = map_rows(rows, COLUMNS)
    assert [r["fields"] for r in records] == [
        {
            "org_name": "张家口市桥东区恒盛商务有限公司",
            "permit_no": "冀张危化经字〔2024〕000123",
            "scope": "乙醇、甲苯、丙酮",
        },
        {"org_name": "张家口市万全区利民气体有限公司", "permit_no": "冀张危化经字〔2024〕000011"},
    ]
    assert records[0]["cells"]["序号"] == "1"
    assert [r["row_number"] for r in records] == [1, 3]


def test_a_table_without_the_headers_gives_no_records() -> None:
    assert map_rows([["姓名", "年龄"], ["张某", "16"]], COLUMNS) == []
