"""Money and dates as documents write them.

- ``money``: "罚款人民币一万五千元", "3万余元", "8.6万元", "违约金200000元" → yuan as a
  number; ``attrs.at_least`` for 余/多.
- ``date``: "2024年3月5日", "2024-03-05", "2024年3月" → ISO date (month precision keeps
  ``YYYY-MM``).
"""

from __future__ import annotations

import re
from datetime import date

from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.extractors.numerals import NUMERAL_CHARS, parse_int
from clue_miner.nlp.mentions import Mention

_MONEY = re.compile(
    rf"(?:人民币)?(\d+(?:\.\d+)?|[{NUMERAL_CHARS}万亿]+)\s*(余|多)?\s*(亿|万)?\s*(余|多)?\s*元"
)
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_DATE_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_SCALE = {"万": 10_000, "亿": 100_000_000}


def _amount(number: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", number):
        return float(number)
    total = 0
    for part, scale in (("亿", 100_000_000), ("万", 10_000)):
        if part in number:
            head, number = number.split(part, 1)
            value = parse_int(head) if head else 1
            if value is None:
                return None
            total += value * scale
    if number:
        rest = parse_int(number)
        if rest is None:
            return None
        total += rest
    return float(total)


@extractor("money")
def extract_money(text: str) -> list[Mention]:
    """Sums of money in yuan."""
    found = []
    for match in _MONEY.finditer(text):
        amount = _amount(match.group(1))
        if amount is None or amount <= 0:
            continue
        amount *= _SCALE.get(match.group(3) or "", 1)
        attrs: dict[str, object] = {"yuan": amount}
        if match.group(2) or match.group(4):
            attrs["at_least"] = True
        value = f"{amount:.2f}".rstrip("0").rstrip(".")
        found.append(Mention("money", match.group(0), value, match.start(), match.end(), attrs))
    return found


@extractor("date")
def extract_dates(text: str) -> list[Mention]:
    """Calendar dates (and months) written in Chinese or ISO style."""
    found = []
    for pattern in (_DATE_CN, _DATE_ISO):
        for match in pattern.finditer(text):
            year, month = int(match.group(1)), int(match.group(2))
            day = int(match.group(3)) if match.group(3) else None
            try:
                value = date(year, month, day or 1).isoformat()
            except ValueError:
                continue
            if day is None:
                value = value[:7]
            found.append(Mention("date", match.group(0), value, match.start(), match.end()))
    return found
