"""线索报告.docx: the lead as an official-style document, every fact cited to evidence.

Fonts are set for East Asian text explicitly (仿宋 for the body, 黑体 for headings, 宋体
for the title) so that Word and WPS render it the same; text from evidence arrives here
already masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "宋体"


@dataclass(frozen=True)
class Citation:
    number: int
    quote: str  # masked
    document_title: str
    url: str
    file: str  # the evidence file that holds it


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    actor: str
    action: str
    change: str
    reason: str


@dataclass(frozen=True)
class ReportContent:
    lead_number: str
    generated: datetime
    title: str
    category: str
    status: str
    score: float
    sources: list[str]
    organizations: list[tuple[str, str]]  # name, credit code (or 未知)
    facts: list[str]
    citations: list[Citation]
    legal_basis: list[str]
    agency: str
    failure: str
    procuratorate: str
    next_step: str
    trail: list[TrailEntry]
    attachments: list[tuple[str, str]]  # file, what it is
    draft: bool = False  # exported before acceptance, at a supervisor's request


def _font(run: Run, name: str, size: float | None = None, bold: bool = False) -> Run:
    run.font.name = name
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold
    return run


def write_report(content: ReportContent, path: Path) -> None:
    """Write the report to ``path``."""
    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    def paragraph(
        text: str, size: float = 14, bold: bool = False, font: str = BODY_FONT, center: bool = False
    ) -> None:
        para = doc.add_paragraph()
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(para.add_run(text), font, size, bold)

    def heading(text: str) -> None:
        paragraph(text, 16, True, HEADING_FONT)

    if content.draft:
        paragraph("草稿（线索尚未受理，不作为正式材料）", 14, True, HEADING_FONT, center=True)
    paragraph("公益诉讼案件线索报告", 22, True, TITLE_FONT, center=True)
    paragraph(f"线索编号：{content.lead_number}", center=True)
    paragraph(f"生成日期：{content.generated:%Y年%m月%d日}", center=True)
    paragraph(f"线索名称：{content.title}")
    paragraph(
        f"线索类别：{content.category}　当前状态：{content.status}　评分：{content.score:.2f}"
    )

    heading("一、线索来源")
    for source in content.sources:
        paragraph(f"　　{source}")
    heading("二、涉及单位")
    for name, uscc in content.organizations or [("匿名或未识别单位", "未知")]:
        paragraph(f"　　{name}（统一社会信用代码：{uscc}）")
    heading("三、主要事实")
    for fact in content.facts:
        paragraph(f"　　{fact}")
    for citation in content.citations:
        paragraph(
            f"　　〔{citation.number}〕“{citation.quote}”（见附件 {citation.file}，"
            f"《{citation.document_title}》）"
        )
    heading("四、法律依据")
    for basis in content.legal_basis:
        paragraph(f"　　{basis}")
    heading("五、被监督行政机关及其履职情况")
    paragraph(f"　　被监督行政机关：{content.agency}")
    paragraph(f"　　{content.failure}")
    heading("六、建议")
    paragraph(f"　　受理检察院：{content.procuratorate}")
    paragraph(f"　　{content.next_step}")
    heading("七、研判经过")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells, ("时间（UTC）", "操作人", "操作", "状态变化", "理由"), strict=True
    ):
        _font(cell.paragraphs[0].add_run(label), HEADING_FONT, 11, True)
    for entry in content.trail:
        cells = table.add_row().cells
        values = (
            f"{entry.at:%Y-%m-%d %H:%M}",
            entry.actor,
            entry.action,
            entry.change,
            entry.reason,
        )
        for cell, value in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(value), BODY_FONT, 11)
    heading("八、附件清单")
    for number, (file, what) in enumerate(content.attachments, start=1):
        paragraph(f"　　{number}. {file}：{what}", 12)
    paragraph(
        "本报告由 clue-miner 根据公开信息自动生成，所载事实均注明证据出处，证据原件及其 SHA-256 "
        "校验值见 evidence/ 与 manifest.json；未成年人个人信息已作遮蔽处理。",
        10.5,
    )
    doc.save(str(path))
