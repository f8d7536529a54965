"""Attachment files of the sample portals, rendered from the content YAML.

Spreadsheets (XLSX, XLS) carry an attachment's ``columns`` and ``rows``; PDF and DOCX
files are the article's title and paragraphs set as an official document.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

TableRows = Sequence[Sequence[Any]]


def xlsx_bytes(sheet: str, columns: Sequence[str], rows: TableRows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append([str(c) if not isinstance(c, int | float) else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(sheet: str, columns: Sequence[str], rows: TableRows) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet(sheet)
    for col, name in enumerate(columns):
        worksheet.write(0, col, name)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            worksheet.write(r, col, value if isinstance(value, int | float) else str(value))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_bytes(title: str, paragraphs: Sequence[str]) -> bytes:
    """A one-column A4 document in the Adobe CJK font STSong-Light (no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    y = height - 72
    pdf.setFont(font, 15)
    pdf.drawCentredString(width / 2, y, title[:40])
    pdf.setFont(font, 11)
    y -= 36
    per_line = 38
    for paragraph in paragraphs:
        text = "　　" + paragraph
        for start in range(0, len(text), per_line):
            if y < 72:
                pdf.showPage()
                pdf.setFont(font, 11)
                y = height - 72
            pdf.drawString(60, y, text[start : start + per_line])
            y -= 18
        y -= 6
    pdf.save()
    return buffer.getvalue()


def docx_bytes(title: str, paragraphs: Sequence[str]) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SPREADSHEETS: dict[str, Callable[[str, Sequence[str], TableRows], bytes]] = {
    "xlsx": xlsx_bytes,
    "xls": xls_bytes,
}
DOCUMENTS: dict[str, Callable[[str, Sequence[str]], bytes]] = {"pdf": pdf_bytes, "docx": docx_bytes}
