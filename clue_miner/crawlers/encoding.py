"""Decide how to decode a page whose charset declaration may be missing or wrong.

Old portals serve GBK with no charset, or declare UTF-8 (or ISO-8859-1) over GBK bytes.
The rules, in order: bytes that are valid UTF-8 are UTF-8; a CJK multi-byte encoding that
was declared and decodes cleanly is kept (GBK/GB2312 widened to GB18030); bytes that decode
cleanly as GB18030 into mostly Chinese text are GB18030; otherwise the declared encoding if
it decodes cleanly, else charset-normalizer's guess. When nothing decodes cleanly the page is
reported as undecodable rather than stored as mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

CJK_FAMILY = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "euc_jp", "shift_jis", "euc_kr"}
_CJK_CHAR = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


class UndecodableError(ValueError):
    """No encoding decodes the bytes without errors."""


@dataclass(frozen=True)
class Decision:
    encoding: str
    note: str  # empty when the declaration was right


def _canonical(name: str | None) -> str:
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def _decodes(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_chinese(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return False
    return sum(bool(_CJK_CHAR.match(c)) for c in non_ascii) / len(non_ascii) > 0.8


def decide_encoding(body: bytes, declared: str | None) -> Decision:
    """The encoding to decode ``body`` with, and a note when it differs from ``declared``."""
    wanted = _canonical(declared)
    if body.isascii():
        return Decision(wanted or "utf-8", "")
    if _decodes(body, "utf-8") is not None:
        return Decision(
            "utf-8", "" if wanted == "utf-8" else f"declared {declared or 'nothing'}, body is UTF-8"
        )
    if wanted in CJK_FAMILY and _decodes(body, wanted) is not None:
        widened = "gb18030" if wanted in {"gbk", "gb2312"} else wanted
        return Decision(widened, "")
    gb_text = _decodes(body, "gb18030")
    if gb_text is not None and _mostly_chinese(gb_text):
        return Decision("gb18030", f"declared {declared or 'nothing'}, body is GB18030")
    if wanted and _decodes(body, wanted) is not None:
        return Decision(wanted, "")
    best = from_bytes(body).best()
    if best is not None and _decodes(body, best.encoding) is not None:
        return Decision(
            best.encoding, f"declared {declared or 'nothing'}, detected {best.encoding}"
        )
    raise UndecodableError(
        f"declared {declared or 'nothing'}; no encoding decodes the page cleanly"
    )
