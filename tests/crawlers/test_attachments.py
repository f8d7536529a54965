"""Attachments become text (and spreadsheets rows), bounded, and bad files fail clearly."""

from __future__ import annotations

import pytest

from clue_miner.crawlers.attachments import (
    MAX_CELL_CHARS,
    AttachmentError,
    attachment_text,
    spreadsheet_rows,
)
from clue_miner.sample_site.files import docx_bytes, pdf_bytes, xls_bytes, xlsx_bytes

COLUMNS = ["序号", "企业名称", "统一社会信用代码", "许可范围", "有效期至"]
ROWS = [
    [1, "张家口市桥东区恒盛商务有限公司", "91130702MA03AGYG1H", "乙醇、甲苯、丙酮", "2027-03-17"],
    [2, "张家口市桥西区鑫达化工贸易有限公司", "91130703MA0W7WKK8A", "盐酸、硫酸", "2027-06-30"],
]
DECISION = [
    "当事人：张家口市宣化区顺通能源科技有限公司。",
    "经查，当事人未取得危险化学品经营许可证，在民房内储存醇基燃料约6.8吨。",
]


@pytest.mark.parametrize(("name", "make"), [("名单.xlsx", xlsx_bytes), ("名单.xls", xls_bytes)])
def test_spreadsheets_give_rows_and_text(name: str, make: object) -> None:
    body = make("许可名单", COLUMNS, ROWS)  # type: ignore[operator]
    rows = spreadsheet_rows(name, body)
    assert rows is not None
    assert rows[0] == COLUMNS
    assert rows[1][:3] == ["1", "张家口市桥东区恒盛商务有限公司", "91130702MA03AGYG1H"]
    assert "乙醇、甲苯、丙酮" in (attachment_text(name, body) or "")


def test_csv_in_gbk_is_read() -> None:
    body = "企业名称,许可范围\n张家口市桥东区恒盛商务有限公司,乙醇、甲苯\n".encode("gbk")
    assert spreadsheet_rows("名单.csv", body) == [
        ["企业名称", "许可范围"],
        ["张家口市桥东区恒盛商务有限公司", "乙醇、甲苯"],
    ]


@pytest.mark.parametrize(("name", "make"), [("决定书.pdf", pdf_bytes), ("决定书.docx", docx_bytes)])
def test_pdf_and_docx_give_their_chinese_text(name: str, make: object) -> None:
    text = attachment_text(name, make("行政处罚决定书", DECISION))  # type: ignore[operator]
    assert text is not None
    assert "行政处罚决定书" in text
    assert "醇基燃料约6.8吨" in text.replace("\n", "")


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.xlsx", "a.xls"])
def test_a_file_that_is_not_what_it_says_is_an_attachment_error(name: str) -> None:
    with pytest.raises(AttachmentError):
        attachment_text(name, b"<html>404 Not Found</html>")


def test_unknown_types_have_no_text() -> None:
    assert attachment_text("photo.jpg", b"\xff\xd8\xff") is None


def test_a_spreadsheet_bomb_stops_at_the_text_budget() -> None:
    rows = [[i, "某" * 50] for i in range(20_000)]
    text = attachment_text("huge.xlsx", xlsx_bytes("大表", ["序号", "内容"], rows)) or ""
    assert len(text) <= MAX_CELL_CHARS
