"""Registry tables to records: find the header row, map published headers to field names."""

from __future__ import annotations

import re
from typing import Any

from clue_miner.crawlers.attachments import Rows

_SPACE = re.compile(r"\s+")


def _norm(header: str) -> str:
    return _SPACE.sub("", header).strip("：:*")


def map_rows(rows: Rows, columns: dict[str, str]) -> list[dict[str, Any]]:
    """Rows under the first header row that names at least two mapped columns (or all of
    them when fewer are mapped), as ``{"row_number", "fields", "cells"}``."""
    wanted = {_norm(k): v for k, v in columns.items()}
    needed = min(2, len(wanted))
    for index, row in enumerate(rows):
        headers = [_norm(c) for c in row]
        if sum(h in wanted for h in headers) < needed:
            continue
        records = []
        for number, data in enumerate(rows[index + 1 :], start=1):
            if headers == [_norm(c) for c in data]:
                continue  # a header repeated on each printed page
            cells = {h: (data[i] if i < len(data) else "") for i, h in enumerate(headers) if h}
            fields = {wanted[h]: v for h, v in cells.items() if h in wanted and v}
            if fields:
                records.append({"row_number": number, "fields": fields, "cells": cells})
        return records
    return []
