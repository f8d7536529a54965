"""Pages decode right whatever their charset declaration says; mojibake is never chosen."""

from __future__ import annotations

import pytest

from clue_miner.crawlers.encoding import UndecodableError, decide_encoding

TRADITIONAL = "<html><body><p>張家口市應急管理局關於危險化學品經營許可證的公告。</p></body></html>"
PAGE = (
    "<html><body><p>张家口市应急管理局关于危险化学品经营许可证的公告：准予许可。</p></body></html>"
)


@pytest.mark.parametrize(
    ("body", "declared", "encoding", "noted"),
    [
        (PAGE.encode("utf-8"), "utf-8", "utf-8", False),
        (PAGE.encode("gbk"), "gbk", "gb18030", False),  # widened: GBK is a subset
        (PAGE.encode("gbk"), "utf-8", "gb18030", True),  # wrong declaration
        (PAGE.encode("gbk"), None, "gb18030", True),  # no declaration at all
        (PAGE.encode("gbk"), "iso-8859-1", "gb18030", True),  # single-byte would "work"
        (PAGE.encode("utf-8"), "gbk", "utf-8", True),  # UTF-8 bytes declared as GBK
        (TRADITIONAL.encode("big5"), "big5", "big5", False),
        (b"<html>plain ASCII</html>", None, "utf-8", False),
    ],
)
def test_the_encoding_that_decodes_the_page(
    body: bytes, declared: str | None, encoding: str, noted: bool
) -> None:
    decision = decide_encoding(body, declared)
    assert decision.encoding == encoding
    assert bool(decision.note) == noted
    decoded = body.decode(decision.encoding)
    assert "危险化学品" in decoded or "危險化學品" in decoded or body.isascii()


def test_bytes_no_encoding_decodes_cleanly_are_refused() -> None:
    with pytest.raises(UndecodableError):
        decide_encoding(b"\x81\x30\xff\xfe\x00\x81" * 50, "gb18030")
