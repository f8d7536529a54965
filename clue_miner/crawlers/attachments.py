"""Text from attachment files (spreadsheets and CSV for now), bounded in size."""

from __future__ import annotations

import csv
import io
import logging
import zipfile

from charset_normalizer import from_bytes

from clue_miner.crawlers.html_text import MAX_TEXT_CHARS

log = logging.getLogger(__name__)


class AttachmentError(ValueError):
    """An attachment whose bytes cannot be read as the type it claims."""


def _xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise AttachmentError(f"not a readable XLSX file: {exc}") from exc
    lines: list[str] = []
    for sheet in workbook.worksheets:
        lines.append(f"【{sheet.title}】")
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).strip() for v in row]
            if any(cells):
                lines.append("\t".join(cells).rstrip("\t"))
    workbook.close()
    return "\n".join(lines)


def _csv_text(body: bytes) -> str:
    best = from_bytes(body).best()
    decoded = str(best) if best else body.decode("utf-8", errors="replace")
    rows = csv.reader(io.StringIO(decoded))
    return "\n".join("\t".join(cell.strip() for cell in row) for row in rows if any(row))


EXTRACTORS = {".xlsx": _xlsx_text, ".csv": _csv_text}


def attachment_text(filename: str, body: bytes) -> str | None:
    """Plain text of an attachment, or None for types we do not read yet."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        return None
    return extractor(body)[:MAX_TEXT_CHARS]
