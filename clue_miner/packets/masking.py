"""Masking minors' personal data in text derived from evidence.

By default a packet never carries a minor's personal data in clear
(:mod:`clue_miner.nlp.personal_data` finds it). Masks keep what a case officer needs to
tell people apart and to find the original: the surname (张小明 → 张某; 张某某 stays), the first six
digits of an ID number (the issuing area), the first three of a mobile number, the shape
of a date (****年**月). Addresses, schools, nicknames and accounts become ※※※. Nothing
outside those spans changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clue_miner.nlp.personal_data import PersonalDatum, find_personal_data

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Masked:
    text: str
    changes: int  # how many spans were masked


def mask_span(kind: str, clear: str, keep: int) -> str:
    """The mask of one span of personal data."""
    if kind in ("name", "guardian_name"):
        if clear.endswith("某"):
            return clear  # 王某某 is already anonymised
        return clear[:keep] + "某" if keep else "某某"
    if kind == "birth_date":
        return _DIGITS.sub(lambda m: "****" if len(m.group(0)) == 4 else "**", clear)
    if kind in ("id_number", "phone"):
        digits = re.sub(r"\D", "", clear) if kind == "phone" else clear
        return digits[:keep] + "*" * (len(digits) - keep)
    return "※※※" if kind in ("address", "school", "account") else "※※"


def mask_minors(text: str, minors_case: bool = False) -> Masked:
    """``text`` with a minor's personal data masked; in a ``minors_case`` (a lead about
    minors) every sentence is read as about a minor."""
    data: list[PersonalDatum] = find_personal_data(text, minors_case)
    out, position, changes = [], 0, 0
    for datum in data:
        clear = text[datum.start : datum.end]
        masked = mask_span(datum.kind, clear, datum.keep)
        out.append(text[position : datum.start])
        out.append(masked)
        position = datum.end
        changes += masked != clear
    out.append(text[position:])
    return Masked("".join(out), changes)


def mask_ranges(text: str, ranges: list[tuple[int, int]], minors_case: bool = False) -> list[str]:
    """The masked text of each ``(start, end)`` range of ``text``, the personal data found
    in the whole text (a cue in one range still protects a name in the next). A span cut
    by a range's edge is masked as ※ in that range."""
    data = find_personal_data(text, minors_case)
    pieces = []
    for start, end in ranges:
        out, position = [], start
        for datum in data:
            if datum.end <= start or datum.start >= end:
                continue
            out.append(text[position : max(datum.start, start)])
            if start <= datum.start and datum.end <= end:
                out.append(mask_span(datum.kind, text[datum.start : datum.end], datum.keep))
            else:
                out.append("※" * (min(datum.end, end) - max(datum.start, start)))
            position = min(datum.end, end)
        out.append(text[position:end])
        pieces.append("".join(out))
    return pieces


def mask_quote(text: str, start: int, end: int, quote: str, minors_case: bool = False) -> str:
    """A quote of ``text`` masked with its document as context (a minor's age two sentences
    earlier still protects the name in the quote); the quote alone if the offsets moved."""
    if text[start:end] == quote:
        return mask_ranges(text, [(start, end)], minors_case)[0]
    return mask_minors(quote, minors_case).text
