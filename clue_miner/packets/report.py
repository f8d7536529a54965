"""线索报告.docx: the lead in the form of a Chinese official document, every fact cited.

The layout follows GB/T 9704 as a model: A4 with its margins, a 文号-style number under
the title, headings 一、 （一） 1., a 三号 serif body at a fixed line pitch, page numbers
"— N —" in the footer, and "内部资料　注意保密" at the top where the lead holds minors' data.

Fonts: each run names a CJK font that LibreOffice renders (Noto Serif/Sans CJK SC, as
installed with fonts-noto-cjk); the font table gives Word and WPS the usual official
fonts as alternative names (仿宋_GB2312, 黑体, 方正小标宋简体) and a serif GB2312 family, so
they substitute a serif, never a sans. Times are Beijing time. Text from evidence arrives
here already masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from docx import Document as DocxDocument
from docx.document import Document as DocxFile
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from clue_miner.leads.score_text import score_percent

BEIJING = timezone(timedelta(hours=8), "北京时间")


@dataclass(frozen=True)
class Face:
    """A font as a run names it, and the names Word or WPS look for instead."""

    name: str
    alternatives: str
    family: str  # roman (serif) or swiss (sans), for substitution
    latin: str


BODY = Face("Noto Serif CJK SC", "仿宋_GB2312,仿宋,FangSong,SimSun", "roman", "Times New Roman")
HEADING = Face("Noto Sans CJK SC", "黑体,SimHei", "swiss", "Arial")
TITLE = Face("Noto Serif CJK SC", "方正小标宋简体,宋体,SimSun", "roman", "Times New Roman")

SIZE_TITLE, SIZE_BODY, SIZE_SMALL = 22.0, 16.0, 12.0  # 二号, 三号, 小四
LINE_PITCH = Pt(28)


def beijing_time(moment: datetime) -> datetime:
    """``moment`` (naive values are UTC, as the database stores them) in Beijing time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING)


@dataclass(frozen=True)
class Citation:
    number: int
    quote: str  # masked, cut at sentence boundaries
    evidence_number: int  # the evidence item that holds it
    reposts: int = 0  # other documents that carry the same sentence


@dataclass(frozen=True)
class EvidenceItem:
    number: int
    source: str
    title: str
    url: str  # the address it was fetched from
    fetched_at: datetime
    sha256: str
    file: str  # relative to the packet root


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
    document_number: str  # 文号 style: 公益线索〔2026〕7号
    generated: datetime
    title: str
    category: str
    status: str
    score: float
    region: str
    sources: list[str]
    organizations: list[tuple[str, str]]  # name, credit code (or 未知)
    facts: list[tuple[str, str]]  # label, text
    citations: list[Citation]
    legal_basis: list[str]
    agency: str
    failure: str
    procuratorate: str
    next_step: str
    trail: list[TrailEntry]
    evidence: list[EvidenceItem]
    confidential: bool = False  # holds (masked) minors' data
    draft: bool = False  # exported before acceptance, at a supervisor's request


_CHINESE_NUMBERS = "一二三四五六七八九十"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (headings 一、 and （一）)."""
    if number <= 10:
        return _CHINESE_NUMBERS[number - 1]
    tens, units = divmod(number, 10)
    head = "十" if tens == 1 else _CHINESE_NUMBERS[tens - 1] + "十"
    return head + (_CHINESE_NUMBERS[units - 1] if units else "")


def _font(run: Run, face: Face, size: float, bold: bool = False) -> Run:
    run.font.name = face.latin
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), face.latin)
    fonts.set(qn("w:hAnsi"), face.latin)
    fonts.set(qn("w:eastAsia"), face.name)
    run.font.size = Pt(size)
    run.bold = bold
    return run


def _declare_fonts(doc: DocxFile) -> None:
    """Give each CJK face its alternative names and family in the font table."""
    table = next(
        rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    xml = table.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{face.name}"><w:altName w:val="{face.alternatives}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{face.family}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for face in {BODY.name: BODY, HEADING.name: HEADING}.values()
    )
    table._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _page_number(paragraph: Paragraph) -> None:
    """ "— N —", N a PAGE field."""
    _font(paragraph.add_run("— "), BODY, 14)
    run = _font(paragraph.add_run(), BODY, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), BODY, 14)


class _Writer:
    """Paragraphs in the official layout."""

    def __init__(self) -> None:
        self.doc = DocxDocument()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(SIZE_BODY)
        properties = normal.element.get_or_add_rPr()
        properties.get_or_add_rFonts().set(qn("w:eastAsia"), BODY.name)
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "en-US")
        language.set(qn("w:eastAsia"), "zh-CN")
        properties.append(language)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(footer)
        _declare_fonts(self.doc)
        self.level = [0, 0, 0]

    def line(
        self,
        text: str,
        face: Face = BODY,
        size: float = SIZE_BODY,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = True,
    ) -> Paragraph:
        para = self.doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH if size >= SIZE_BODY else Pt(20)
        fmt.space_before = fmt.space_after = Pt(0)
        if align is not None:
            para.alignment = align
        elif indent:
            fmt.first_line_indent = Pt(size * 2)
        _font(para.add_run(text), face, size, bold)
        return para

    def heading(self, text: str) -> None:
        self.level = [self.level[0] + 1, 0, 0]
        self.line(f"{chinese_ordinal(self.level[0])}、{text}", HEADING)

    def subheading(self, text: str) -> None:
        self.level[1:] = [self.level[1] + 1, 0]
        self.line(f"（{chinese_ordinal(self.level[1])}）{text}", BODY, bold=True)

    def item(self, text: str) -> None:
        self.level[2] += 1
        self.line(f"{self.level[2]}. {text}")

    def table(
        self,
        header: tuple[str, ...],
        rows: list[tuple[str, ...]],
        widths_mm: tuple[float, ...],
        size: float,
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        for cell, label in zip(table.rows[0].cells, header, strict=True):
            _font(cell.paragraphs[0].add_run(label), HEADING, size)
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                _font(cell.paragraphs[0].add_run(value), BODY, size)
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)


def write_report(content: ReportContent, path: Path) -> None:
    """Write the report to ``path``."""
    out = _Writer()
    if content.confidential:
        out.line("内部资料　注意保密", HEADING, indent=False)
    if content.draft:
        out.line("草稿（线索尚未受理，不作为正式材料）", HEADING, indent=False)
    out.line("公益诉讼案件线索报告", TITLE, SIZE_TITLE, True, WD_ALIGN_PARAGRAPH.CENTER)
    out.line(content.document_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    out.line("")

    out.heading("线索概况")
    out.item(f"线索名称：{content.title}")
    out.item(f"线索编号：{content.lead_number}")
    out.item(f"线索类别：{content.category}")
    out.item(f"所在地区：{content.region}")
    for name, uscc in content.organizations:
        out.item(f"涉及单位：{name}（统一社会信用代码：{uscc}）")
    out.item(f"当前状态：{content.status}；研判评分：{score_percent(content.score)}")

    out.heading("线索来源")
    for source in content.sources:
        out.item(source)

    out.heading("主要事实")
    if content.facts:
        out.subheading("基本情况")
        for label, text in content.facts:
            out.item(f"{label}：{text}")
    out.subheading("证据摘录")
    for citation in content.citations:
        repost = f"；另见转载 {citation.reposts} 处" if citation.reposts else ""
        out.item(f"“{citation.quote}”（见证据{citation.evidence_number}{repost}）")

    out.heading("法律依据")
    for basis in content.legal_basis:
        out.item(basis)
    out.heading("被监督行政机关及其履职情况")
    out.item(f"被监督行政机关：{content.agency}")
    out.line(content.failure)
    out.heading("处理建议")
    out.item(f"受理检察院：{content.procuratorate}")
    out.line(content.next_step)

    out.heading("研判经过")
    out.table(
        ("时间（北京时间）", "操作人", "操作", "状态变化", "理由"),
        [
            (f"{beijing_time(e.at):%Y-%m-%d %H:%M}", e.actor, e.action, e.change, e.reason)
            for e in content.trail
        ],
        (30, 20, 24, 30, 52),
        10.5,
    )
    out.heading("证据清单")
    out.line("证据原件见 evidence/ 文件夹，索引见 evidence/evidence.csv。", size=SIZE_SMALL)
    for item in content.evidence:
        out.line(
            f"证据{item.number}：{item.source}《{item.title}》；原始地址：{item.url}；"
            f"抓取时间：{beijing_time(item.fetched_at):%Y年%m月%d日 %H:%M}（北京时间）；"
            f"文件：{item.file}；SHA-256：{item.sha256}",
            size=SIZE_SMALL,
        )
    out.line("")
    out.line(
        f"本报告由 clue-miner 根据公开信息于 {beijing_time(content.generated):%Y年%m月%d日} "
        "自动生成，所载事实均注明证据出处，证据原件的 SHA-256 校验值见 manifest.json"
        + ("；未成年人个人信息已作遮蔽处理。" if content.confidential else "。"),
        size=SIZE_SMALL,
    )
    out.doc.save(str(path))
