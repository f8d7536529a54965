"""Unified social credit codes (统一社会信用代码, GB 32100-2015) and resident ID numbers
(GB 11643-1999), with check digits validated; masked codes are present but unverifiable."""

from __future__ import annotations

import re
from datetime import date

from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.mentions import Mention

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
ID_CHECK = "10X98765432"

_USCC = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXYa-z*]{10})(?![0-9A-Za-z*])"
)
_ID = re.compile(r"(?<!\d)(\d{6})((?:19|20)\d{2})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_MASK_CHARS = set("x*")


def uscc_check_char(body: str) -> str:
    """The 18th character for a 17-character USCC body."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_status(code: str) -> str:
    """``valid``, ``invalid`` or ``masked`` (contains x/* placeholders)."""
    if len(code) != 18:
        return "invalid"
    if any(c in _MASK_CHARS for c in code) or re.search(r"X{3,}$", code):
        return "masked"
    if any(c not in USCC_ALPHABET for c in code):
        return "invalid"
    return "valid" if uscc_check_char(code[:17]) == code[17] else "invalid"


def id_check_char(body: str) -> str:
    """The 18th character for a 17-digit resident ID body (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


@extractor("uscc")
def extract_uscc(text: str) -> list[Mention]:
    """Credit codes; ``attrs.status`` says valid, invalid or masked."""
    found = []
    for match in _USCC.finditer(text):
        code = match.group(1)
        status = uscc_status(code)
        if status == "invalid" and code.isdigit():
            continue  # an 18-digit number that is not a credit code (ID, phone …)
        found.append(
            Mention(
                "uscc",
                code,
                code.upper() if status != "masked" else code,
                match.start(1),
                match.end(1),
                {"status": status},
            )
        )
    return found


@extractor("id_number")
def extract_id_numbers(text: str) -> list[Mention]:
    """Resident ID numbers with a valid check digit; ``attrs.birth_date`` from the number."""
    found = []
    for match in _ID.finditer(text):
        number = match.group(0).upper()
        if id_check_char(number[:17]) != number[17]:
            continue
        try:
            born = date(int(match.group(2)), int(match.group(3)), int(match.group(4)))
        except ValueError:
            continue
        found.append(
            Mention(
                "id_number",
                match.group(0),
                number,
                match.start(),
                match.end(),
                {"birth_date": born.isoformat()},
            )
        )
    return found
