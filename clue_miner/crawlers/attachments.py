"""Text (and, for spreadsheets, rows) from attachment files: PDF, XLSX, XLS, DOCX, CSV.

Everything is bounded: at most ``MAX_PDF_PAGES`` pages, ``MAX_ROWS`` rows per sheet and
``MAX_TEXT_CHARS`` characters of text. A file that is not what its name says raises
:class:`AttachmentError`, which the crawl counts and survives.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime

from charset_normalizer import from_bytes

from clue_miner.crawlers.html_text import MAX_TEXT_CHARS, clean_lines

MAX_PDF_PAGES = 200
MAX_ROWS = 20_000
MAX_CELL_CHARS = 2 * MAX_TEXT_CHARS  # stop reading a spreadsheet after this much text
Rows = list[list[str]]


class _RowBudget:
    """Counts the text read so far; a spreadsheet bomb stops at the budget."""

    def __init__(self) -> None:
        self.left = MAX_CELL_CHARS

    def take(self, cells: list[str]) -> bool:
        self.left -= sum(len(c) for c in cells) + len(cells)
        return self.left > 0


class AttachmentError(ValueError):
    """An attachment whose bytes cannot be read as the type it claims."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(body: bytes) -> Rows:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise AttachmentError(f"not a readable XLSX file: {exc}") from exc
    rows: Rows = []
    budget = _RowBudget()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS):
            cells = [_cell(v) for v in row]
            if any(cells):
                rows.append(cells)
            if not budget.take(cells):
                workbook.close()
                return rows
    workbook.close()
    return rows


def _xls_rows(body: bytes) -> Rows:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=body)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError) as exc:
        raise AttachmentError(f"not a readable XLS file: {exc}") from exc
    rows: Rows = []
    budget = _RowBudget()
    for sheet in book.sheets():
        for index in range(min(sheet.nrows, MAX_ROWS)):
            cells = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(_cell(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                else:
                    cells.append(_cell(cell.value))
            if any(cells):
                rows.append(cells)
            if not budget.take(cells):
                return rows
    return rows


def _csv_rows(body: bytes) -> Rows:
    try:
        decoded = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(body).best()
        if best is None:
            raise AttachmentError("CSV file in an unknown encoding") from None
        decoded = str(best)
    reader = csv.reader(io.StringIO(decoded))
    rows = [[c.strip() for c in row] for _, row in zip(range(MAX_ROWS), reader, strict=False)]
    return [row for row in rows if any(row)]


def _pdf_text(body: bytes) -> str:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages[:MAX_PDF_PAGES]]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise AttachmentError(f"not a readable PDF file: {exc}") from exc
    return "\n".join(p.strip() for p in pages if p.strip())


def _docx_text(body: bytes) -> str:
    from docx import Document as DocxDocument

    try:
        document = DocxDocument(io.BytesIO(body))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AttachmentError(f"not a readable DOCX file: {exc}") from exc
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


ROW_READERS: dict[str, Callable[[bytes], Rows]] = {
    ".xlsx": _xlsx_rows,
    ".xls": _xls_rows,
    ".csv": _csv_rows,
}
TEXT_READERS: dict[str, Callable[[bytes], str]] = {".pdf": _pdf_text, ".docx": _docx_text}


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def spreadsheet_rows(filename: str, body: bytes) -> Rows | None:
    """Rows of a spreadsheet or CSV attachment, or None for other types."""
    reader = ROW_READERS.get(_suffix(filename))
    return reader(body) if reader else None


def attachment_text(filename: str, body: bytes) -> str | None:
    """Plain text of an attachment, or None for types we do not read."""
    suffix = _suffix(filename)
    if suffix in TEXT_READERS:
        return clean_lines(TEXT_READERS[suffix](body)[:MAX_TEXT_CHARS])
    rows = spreadsheet_rows(filename, body)
    if rows is None:
        return None
    return clean_lines("\n".join("\t".join(row).rstrip("\t") for row in rows)[:MAX_TEXT_CHARS])
