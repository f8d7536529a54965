"""Build a lead packet: 线索报告.docx, evidence/ as fetched with evidence.csv, and
manifest.json, zipped under the lead number. Exporting is a triage event.

Raw snapshots that hold a minor's personal information (a name near an age, an ID number,
a birth date, a home address) stay out of the packet unless a supervisor asks for them
(``include_unmasked``, recorded on the event); the packet then carries the masked text of
that document instead, and evidence.csv still gives the original's SHA-256.
"""

from __future__ import annotations

import csv
import json
import mimetypes
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clue_miner import __version__
from clue_miner.crawlers.evidence import EvidenceError, StoredResponse, read_response
from clue_miner.leads.fact_labels import describe_facts
from clue_miner.leads.facts import lead_facts
from clue_miner.models import (
    Attachment,
    Document,
    Lead,
    LeadStatus,
    Organization,
    Role,
    Source,
    TriageEvent,
    User,
)
from clue_miner.nlp.personal_data import speaks_of_minors
from clue_miner.nlp.rules.model import ReportWording, load_rule_packs
from clue_miner.packets.manifest import MANIFEST, build_manifest, sha256_bytes
from clue_miner.packets.masking import mask_minors, mask_quote
from clue_miner.packets.report import (
    Citation,
    EvidenceItem,
    ReportContent,
    TrailEntry,
    beijing_time,
    write_report,
)
from clue_miner.triage.accounts import can_access
from clue_miner.triage.decisions import ACTION_LABELS
from clue_miner.triage.labels import CATEGORY_LABELS, STATUS_LABELS

GENERATOR = f"clue-miner {__version__}"
QUOTE_LIMIT = 200
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」）)]*")
REPORT = "线索报告.docx"


class ExportError(ValueError):
    """A packet that may not or cannot be exported; the message says why."""


class NotAccepted(ExportError):
    """The lead is not accepted, and no supervisor asked for a draft."""


DRAFT_ROLES = (Role.SUPERVISOR.value, Role.ADMIN.value)


def check_exportable(lead: Lead, user: User, draft: bool = False) -> None:
    """The one export rule, for the web and the CLI alike: the user may see the lead, it
    is not merged, and it is accepted (or a supervisor asks for a marked draft)."""
    if not can_access(user, lead):
        raise ExportError(f"{user.name} 无权导出该地区的线索 #{lead.id}")
    if lead.status == LeadStatus.MERGED.value:
        raise ExportError(f"线索 #{lead.id} 已并入 #{lead.merged_into_id}，请导出后者")
    if draft and user.role not in DRAFT_ROLES:
        raise ExportError("导出未受理线索的草稿须由主管（supervisor）操作")
    if lead.status != LeadStatus.ACCEPTED.value and not draft:
        status = STATUS_LABELS.get(lead.status, lead.status)
        raise NotAccepted(
            f"线索 #{lead.id} 当前为“{status}”，只有已受理的线索可以导出材料包"
            "（主管可用 --draft 导出标明“草稿”的材料包）"
        )


def export_version(session: Session, lead: Lead) -> int:
    """The number the next export of ``lead`` gets: one more than its exports so far."""
    done = session.scalar(
        select(func.count())
        .select_from(TriageEvent)
        .where(TriageEvent.lead_id == lead.id, TriageEvent.action == "export")
    )
    return int(done or 0) + 1


def packet_name(number: str, version: int, draft: bool) -> str:
    """``XS….zip`` for the first export, ``XS…-v2.zip`` and on for later ones; a draft
    says so in its name."""
    return f"{number}{f'-v{version}' if version > 1 else ''}{'-草稿' if draft else ''}.zip"


@dataclass
class EvidenceFile:
    number: int
    path: str  # relative to the packet root
    source: str
    title: str  # masked
    url: str  # the address it was fetched from
    fetched_at: datetime
    sha256: str  # of the bytes as fetched
    proves: str  # masked quotes this file supports
    note: str


@cache
def _wording() -> dict[str, ReportWording]:
    return {pack.category: pack.report for pack in load_rule_packs()}


def lead_number(lead: Lead) -> str:
    """The packet's name: XS + year first seen + six-digit lead id (XS2026000016)."""
    return f"XS{lead.first_seen:%Y}{lead.id:06d}"


def document_number(lead: Lead) -> str:
    """The report's number in the style of a 文号: 公益线索〔2026〕16号."""
    return f"公益线索〔{lead.first_seen:%Y}〕{lead.id}号"


def lead_organization(session: Session, lead: Lead) -> tuple[str, str]:
    """The organization as the web shows it (name, credit code or ""): the linked
    organization's code, the lead's own name for it."""
    org = session.get(Organization, lead.organization_id) if lead.organization_id else None
    name = lead.organization_name or (org.name if org else "")
    return name, (org.uscc or "") if org else ""


def _extension(content_type: str, fallback: str) -> str:
    suffix = Path(fallback).suffix
    if suffix and len(suffix) <= 6:
        return suffix.lower()
    return mimetypes.guess_extension(content_type.split(";")[0].strip()) or ".bin"


def _fetched(ref: str, expected: str) -> StoredResponse:
    """The snapshot as fetched, checked against the SHA-256 recorded when it was stored."""
    try:
        stored = read_response(ref)
    except EvidenceError as exc:
        raise ExportError(f"证据库中找不到快照 {ref}: {exc}") from exc
    if stored.sha256 != expected:
        raise ExportError(f"快照 {ref} 的 SHA-256 与入库记录不一致：证据库被改动，停止导出")
    return stored


def lead_texts(session: Session, lead: Lead) -> dict[int, str]:
    """The analysed text of each document the lead's evidence cites, by document id."""
    return {
        doc_id: session.get_one(Document, doc_id).analysis_text()
        for doc_id in {e.document_id for e in lead.evidence}
    }


def bounded_quote(quote: str, limit: int = QUOTE_LIMIT) -> str:
    """``quote`` with whitespace between CJK characters closed up, cut after the last
    sentence end within ``limit`` characters (or at ``limit``, marked ……)."""
    text = _CJK_GAP.sub("", " ".join(quote.split()))
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit)]
    return text[: ends[-1]] if ends and ends[-1] >= limit // 3 else text[:limit] + "……"


def _collect_evidence(
    session: Session, lead: Lead, folder: Path, include_unmasked: bool, minors: bool
) -> tuple[list[EvidenceFile], list[Citation], bool]:
    """Write the evidence files; return them, the citations and whether any raw snapshot
    holding minors' data was withheld. ``minors``: the lead is a minors' case, and every
    sentence of its texts is masked as about a minor. A sentence that several documents
    carry (a repost) is cited once, from the first, with the number of the others."""
    files: list[EvidenceFile] = []
    citations: list[Citation] = []
    withheld = False
    by_document: dict[int, int] = {}
    texts = lead_texts(session, lead)
    distinct = _distinct_quotes(
        [
            (e.document_id, mask_quote(texts[e.document_id], e.start, e.end, e.quote, minors))
            for e in lead.evidence
        ]
    )
    quotes: dict[int, list[str]] = {}
    for doc_id, quote in distinct:
        quotes.setdefault(doc_id, []).append(quote)
    for doc_id in quotes:
        doc = session.get_one(Document, doc_id)
        source = session.get_one(Source, doc.source_id).name
        number = len(files) + 1
        stored = _fetched(doc.snapshot_ref, doc.raw_sha256)
        masked_text = mask_minors(texts[doc_id], minors)
        sensitive = masked_text.changes > 0
        proves = "；".join(bounded_quote(q) for q in quotes[doc_id])
        if sensitive and not include_unmasked:
            name = f"evidence/{number:02d}-doc{doc.id}-masked.txt"
            (folder / Path(name).name).write_text(masked_text.text, encoding="utf-8")
            note = "原始快照含未成年人个人信息，未随包提供；此为遮蔽后的文本（主管可导出原件）"
            withheld = True
        else:
            name = f"evidence/{number:02d}-doc{doc.id}{_extension(doc.content_type, doc.url)}"
            (folder / Path(name).name).write_bytes(stored.body)
            note = "抓取时的原始字节" + (
                "（含未成年人个人信息，经主管授权提供）" if sensitive else ""
            )
        files.append(
            EvidenceFile(
                number,
                name,
                source,
                mask_minors(doc.title, minors).text,
                stored.url or doc.url,
                doc.fetched_at,
                doc.raw_sha256,
                proves,
                note,
            )
        )
        by_document[doc.id] = number
        attachments = session.scalars(
            select(Attachment).where(
                Attachment.document_id == doc.id, Attachment.superseded_at.is_(None)
            )
        ).all()
        for attachment in attachments:
            number = len(files) + 1
            if mask_minors(attachment.text or "", minors).changes and not include_unmasked:
                withheld = True
                continue
            name = (
                f"evidence/{number:02d}-doc{doc.id}-att{attachment.id}"
                f"{_extension(attachment.content_type, attachment.filename)}"
            )
            stored = _fetched(attachment.snapshot_ref, attachment.raw_sha256)
            (folder / Path(name).name).write_bytes(stored.body)
            files.append(
                EvidenceFile(
                    number,
                    name,
                    source,
                    f"《{files[by_document[doc.id] - 1].title}》的附件 {attachment.filename}",
                    stored.url or attachment.url,
                    attachment.fetched_at,
                    attachment.raw_sha256,
                    "",
                    "抓取时的原始字节",
                )
            )
    carried: dict[str, list[int]] = {}
    for doc_id, quote in distinct:
        if quote == files[by_document[doc_id] - 1].title:
            continue  # the title is in the evidence list; its words are not a fact
        carried.setdefault(bounded_quote(quote), []).append(doc_id)
    for quote, doc_ids in carried.items():
        first = files[by_document[doc_ids[0]] - 1]
        citations.append(Citation(len(citations) + 1, quote, first.number, len(doc_ids) - 1))
    return files, citations, withheld


def _distinct_quotes(quotes: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Quotes in order with whitespace collapsed, once each, without those that another
    quote of the same document already contains."""
    cleaned: list[tuple[int, str]] = []
    for doc_id, quote in quotes:
        text = " ".join(quote.split())
        if text and (doc_id, text) not in cleaned:
            cleaned.append((doc_id, text))
    return [
        (doc_id, text)
        for doc_id, text in cleaned
        if not any(d == doc_id and text != other and text in other for d, other in cleaned)
    ]


def _write_csv(files: list[EvidenceFile], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "编号",
                "文件",
                "来源",
                "标题",
                "原始地址",
                "抓取时间（北京时间）",
                "SHA-256（原始字节）",
                "证明内容",
                "说明",
            ]
        )
        for f in files:
            writer.writerow(
                [
                    f.number,
                    f.path,
                    f.source,
                    f.title,
                    f.url,
                    f"{beijing_time(f.fetched_at):%Y-%m-%d %H:%M:%S}",
                    f.sha256,
                    f.proves,
                    f.note,
                ]
            )


def _content(
    session: Session,
    lead: Lead,
    files: list[EvidenceFile],
    citations: list[Citation],
    now: datetime,
    draft: bool = False,
    minors: bool = False,
) -> ReportContent:
    wording = _wording().get(lead.category)
    texts = wording.model_dump() if wording else {"failure": "", "next_step": ""}
    agency = lead.agency or "（待核实）"
    procuratorate = lead.procuratorate or "属地人民检察院"
    documents = {session.get_one(Document, e.document_id) for e in lead.evidence}
    sources = sorted(
        {
            f"{session.get_one(Source, d.source_id).name}："
            f"《{mask_minors(d.title, minors).text}》（{d.published_date or '日期不详'}）"
            for d in documents
        }
    )
    facts = [
        (label, mask_minors(text, minors).text)
        for label, text in describe_facts(lead_facts(session, lead))
    ]
    trail = [
        TrailEntry(
            e.at,
            e.actor,
            ACTION_LABELS.get(e.action, e.action),
            f"{STATUS_LABELS.get(e.from_status or '', e.from_status or '—')} → "
            f"{STATUS_LABELS.get(e.to_status or '', e.to_status or '—')}",
            mask_minors(e.reason or "", minors).text,
        )
        for e in session.scalars(
            select(TriageEvent).where(TriageEvent.lead_id == lead.id).order_by(TriageEvent.id)
        )
    ]
    name, uscc = lead_organization(session, lead)
    return ReportContent(
        lead_number=lead_number(lead),
        document_number=document_number(lead),
        generated=now,
        title=mask_minors(lead.title, minors).text,
        category=CATEGORY_LABELS.get(lead.category, lead.category),
        status=STATUS_LABELS.get(lead.status, lead.status),
        score=lead.score,
        region=lead.region_name or lead.region_adcode or "（待核实）",
        sources=sources,
        organizations=[(name, uscc or "未知")] if name else [],
        facts=facts,
        citations=citations,
        legal_basis=[b for b in (lead.legal_basis or "").split("；") if b],
        agency=agency,
        failure=_CJK_GAP.sub(
            "", texts["failure"].format(agency=agency, procuratorate=procuratorate)
        ),
        procuratorate=procuratorate,
        next_step=_CJK_GAP.sub(
            "", texts["next_step"].format(agency=agency, procuratorate=procuratorate)
        ),
        trail=trail,
        evidence=[
            EvidenceItem(f.number, f.source, f.title, f.url, f.fetched_at, f.sha256, f.path)
            for f in files
        ],
        confidential=minors,
        draft=draft,
    )


def export_packet(
    session: Session,
    lead: Lead,
    user: User,
    out_dir: Path,
    include_unmasked: bool = False,
    draft: bool = False,
) -> Path:
    """Write the lead's next packet version into ``out_dir`` and record the export in its
    trail; return the ZIP's path. An earlier version is never overwritten."""
    check_exportable(lead, user, draft)
    if include_unmasked and user.role not in DRAFT_ROLES:
        raise ExportError("导出未遮蔽的证据原件须由主管（supervisor）操作")
    number = lead_number(lead)
    version = export_version(session, lead)
    target = out_dir / packet_name(number, version, draft)
    while target.exists():  # a file left by another database's export: keep it
        version += 1
        target = out_dir / packet_name(number, version, draft)
    now = datetime.now(UTC)
    session.add(
        TriageEvent(
            lead_id=lead.id,
            actor=user.name,
            action="export",
            from_status=lead.status,
            to_status=lead.status,
            reason=f"导出线索材料包 {target.name}（第 {version} 版"
            + ("，草稿" if draft else "")
            + ("，含未遮蔽证据原件" if include_unmasked else "")
            + "）",
        )
    )
    session.flush()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clues-packet-") as tmp:
        root = Path(tmp) / number
        (root / "evidence").mkdir(parents=True)
        minors = speaks_of_minors(list(lead_texts(session, lead).values()))
        files, citations, withheld = _collect_evidence(
            session, lead, root / "evidence", include_unmasked, minors
        )
        _write_csv(files, root / "evidence" / "evidence.csv")
        write_report(_content(session, lead, files, citations, now, draft, minors), root / REPORT)
        about: dict[str, Any] = {
            "lead_id": lead.id,
            "lead_number": number,
            "generator": GENERATOR,
            "exported_at": now.isoformat(),
            "exported_by": user.name,
            "version": version,
            "draft": draft,
            "unmasked_evidence": include_unmasked,
            "withheld_for_minors": withheld,
        }
        manifest = build_manifest(root, about)
        (root / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                archive.write(path, f"{number}/{path.relative_to(root).as_posix()}")
    return target


def leads_to_export(session: Session, status: str, since: date | None) -> list[Lead]:
    """Leads in ``status``, put there on or after ``since`` when given."""
    query = select(Lead).where(Lead.status == status).order_by(Lead.id)
    if since is not None:
        moved = select(TriageEvent.lead_id).where(
            TriageEvent.to_status == status,
            TriageEvent.at >= datetime.combine(since, datetime.min.time(), UTC),
        )
        query = query.where(Lead.id.in_(moved))
    return list(session.scalars(query))


def export_batch(
    session: Session,
    user: User,
    out_dir: Path,
    status: str = LeadStatus.ACCEPTED.value,
    since: date | None = None,
    include_unmasked: bool = False,
    draft: bool = False,
) -> tuple[list[Path], Path]:
    """One packet per lead the user may see, and 汇总表.xlsx listing them all."""
    from openpyxl import Workbook

    packets: list[tuple[Lead, Path]] = []
    for lead in leads_to_export(session, status, since):
        if can_access(user, lead):
            path = export_packet(session, lead, user, out_dir, include_unmasked, draft)
            packets.append((lead, path))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "线索汇总"
    sheet.append(
        [
            "线索编号",
            "线索名称",
            "类别",
            "涉及单位",
            "统一社会信用代码",
            "地区",
            "被监督行政机关",
            "受理检察院",
            "评分",
            "状态",
            "材料包",
            "材料包SHA-256",
        ]
    )
    for lead, path in packets:
        name, uscc = lead_organization(session, lead)
        sheet.append(
            [
                lead_number(lead),
                mask_minors(
                    lead.title, speaks_of_minors(list(lead_texts(session, lead).values()))
                ).text,
                CATEGORY_LABELS.get(lead.category, lead.category),
                name,
                uscc,
                lead.region_name or "",
                lead.agency or "",
                lead.procuratorate or "",
                round(lead.score, 4),
                STATUS_LABELS.get(lead.status, lead.status),
                path.name,
                sha256_bytes(path.read_bytes()),
            ]
        )
    summary = out_dir / "汇总表.xlsx"
    out_dir.mkdir(parents=True, exist_ok=True)
    book.save(summary)
    return [p for _, p in packets], summary
