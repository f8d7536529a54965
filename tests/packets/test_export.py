"""A lead packet: a Word report whose facts cite the evidence, the evidence exactly as
fetched (from the WARC store), a manifest that catches any change, minors protected."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.crawlers.evidence import WarcEvidenceWriter
from clue_miner.crawlers.pipelines import text_sha256, upsert_source
from clue_miner.db import session_scope
from clue_miner.leads.org_matching import resolve_organization
from clue_miner.leads.store import link_flags, org_lead_key
from clue_miner.models import Document, Flag, Lead, LeadStatus, TriageEvent
from clue_miner.packets.export import (
    ExportError,
    NotAccepted,
    export_batch,
    export_packet,
    lead_number,
)
from clue_miner.packets.manifest import verify_packet
from clue_miner.triage.accounts import add_user, user_named
from clue_miner.triage.decisions import Decision, decide
from tests.factories import source_config
from tests.triage_store import PASSWORD

RSJ = source_config(
    "fengnan-rsj-penalties", "penalty_notice", "丰南区人力资源和社会保障局", "130207"
)
NEWS = source_config("jiping-legal-news", "news", "冀平法治资讯网", "130000")
COMPANY = "唐山市丰南区星芒文化传媒有限公司"
USCC = "91130207MA0MA6C854"
PENALTY = (
    f"当事人：{COMPANY}（统一社会信用代码{USCC}）。\n"
    "违法事实：当事人于2024年3月与刘小雨（2008年6月出生，身份证号130207200806120028）签订《主播合作协议》，"
    "安排其在公司直播间从事才艺直播，按月结算报酬。\n"
    "处罚依据：《中华人民共和国劳动法》第十五条。"
)
NEWS_TEXT = f"记者获悉，{COMPANY}因招用未成年人从事网络直播，被区人社局责令改正。"


@dataclass
class Packets:
    url: str
    lead_id: int
    penalty_doc: int
    news_doc: int


def fetched(session: Session, config: object, path: str, title: str, text: str) -> Document:
    """A document whose raw bytes are a real record in the WARC evidence store."""
    from clue_miner.crawlers.sources import SourceConfig

    assert isinstance(config, SourceConfig)
    upsert_source(session, config)
    url = f"http://127.0.0.1:8000/{config.id}/{path}"
    html = f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1><div>{text}</div></body></html>"
    writer = WarcEvidenceWriter(config.id)
    snapshot = writer.write_response(
        url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], html.encode()
    )
    writer.close()
    doc = Document(
        source_id=config.id,
        url=url,
        title=title,
        text=text,
        published_date=date(2024, 11, 12),
        content_sha256=text_sha256(title, text),
        raw_sha256=snapshot.sha256,
        snapshot_ref=snapshot.ref,
        record_type=config.record_type,
        region_adcode=config.region.adcode,
    )
    session.add(doc)
    session.flush()
    return doc


@pytest.fixture
def packets(db_url: str) -> Packets:
    """An accepted lead with real WARC evidence, on SQLite, then on PostgreSQL."""
    url = db_url
    with session_scope(url) as session:
        add_user(session, "analyst-ts", "analyst", PASSWORD, "130200")
        add_user(session, "supervisor", "supervisor", PASSWORD)
        org = resolve_organization(session, COMPANY, USCC, "130207")
        penalty = fetched(
            session, RSJ, "t1.html", "丰南区人力资源和社会保障局行政处罚决定书", PENALTY
        )
        news = fetched(session, NEWS, "n1.html", "星芒传媒被责令改正", NEWS_TEXT)
        for doc, quote in ((penalty, PENALTY.splitlines()[1]), (news, NEWS_TEXT)):
            start = doc.analysis_text().index(quote)
            session.add(
                Flag(
                    document_id=doc.id,
                    category="minors_livestream",
                    rule_id="ML-001",
                    score=0.95,
                    title="直播机构招用、使用未成年人从事网络直播",
                    organization_id=org.id,
                    organization_name=COMPANY,
                    agency="丰南区人力资源和社会保障局",
                    region_adcode="130207",
                    region_name="河北省唐山市丰南区",
                    legal_basis="《中华人民共和国劳动法》第十五条；《禁止使用童工规定》第二条",
                    lead_key=org_lead_key("minors_livestream", org),
                    facts={"minor_count": 1},
                    features=[
                        {"name": "livestream_context", "weight": 0.5},
                        {"name": "minors_involved", "weight": 0.45},
                    ],
                    evidence=[{"start": start, "end": start + len(quote), "quote": quote}],
                )
            )
        session.flush()
        link_flags(session)
        lead = session.scalars(select(Lead)).one()
        decide(session, lead, user_named(session, "analyst-ts"), Decision("accept"))
        return Packets(url, lead.id, penalty.id, news.id)


def export(packets: Packets, user: str, out: Path, unmasked: bool = False) -> Path:
    with session_scope(packets.url) as session:
        lead = session.get_one(Lead, packets.lead_id)
        return export_packet(session, lead, user_named(session, user), out, unmasked)


def report_text(zip_path: Path, tmp_path: Path) -> tuple[str, list[str]]:
    with zipfile.ZipFile(zip_path) as archive:
        [name] = [n for n in archive.namelist() if n.endswith("线索报告.docx")]
        (tmp_path / "report.docx").write_bytes(archive.read(name))
    report = docx.Document(str(tmp_path / "report.docx"))
    body = "\n".join(p.text for p in report.paragraphs)
    trail = [" | ".join(c.text for c in row.cells) for row in report.tables[0].rows]
    return body, trail


def test_the_report_has_every_section_and_masks_the_minor(packets: Packets, tmp_path: Path) -> None:
    path = export(packets, "analyst-ts", tmp_path / "out")
    with session_scope(packets.url) as session:
        number = lead_number(session.get_one(Lead, packets.lead_id))
    assert path.name == f"{number}.zip"
    body, trail = report_text(path, tmp_path)
    for section in (
        "一、线索概况",
        "二、线索来源",
        "三、主要事实",
        "（一）基本情况",
        "（二）证据摘录",
        "四、法律依据",
        "五、被监督行政机关及其履职情况",
        "六、处理建议",
        "七、研判经过",
        "八、证据清单",
    ):
        assert section in body
    assert body.startswith("内部资料　注意保密\n公益诉讼案件线索报告\n公益线索〔")
    assert f"线索编号：{number}" in body
    assert f"涉及单位：{COMPANY}（统一社会信用代码：{USCC}）" in body
    assert "涉及未成年人人数：1名" in body and "minor_count" not in body
    assert "负有劳动保障监察职责" in body and "开展初步调查" in body  # the pack's wording
    assert "{agency}" not in body and "{procuratorate}" not in body
    assert "（见证据1）" in body and "（见证据2）" in body
    assert "原始地址：http://127.0.0.1:8000/fengnan-rsj-penalties/t1.html" in body
    assert "（北京时间）" in body and "UTC" not in body
    assert "《中华人民共和国劳动法》第十五条" in body
    assert (
        "被监督行政机关：丰南区人力资源和社会保障局" in body
        and "受理检察院：唐山市丰南区人民检察院" in body
    )
    assert "刘某（****年**月出生，身份证号130207************）" in body
    assert "刘小雨" not in body and "200806120028" not in body and "2008年6月" not in body
    assert any("analyst-ts" in row and "受理" in row for row in trail)
    assert any("导出材料包" in row for row in trail)
    title_fonts = docx.Document(str(tmp_path / "report.docx")).paragraphs[1].runs[0]
    east_asia = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    assert title_fonts._element.rPr.rFonts.get(east_asia) == "Noto Serif CJK SC"


def test_evidence_is_kept_as_fetched_and_withheld_when_it_names_a_minor(
    packets: Packets, tmp_path: Path
) -> None:
    path = export(packets, "analyst-ts", tmp_path / "out")
    result, manifest = verify_packet(path)
    assert result.ok and result.checked == len(manifest["files"]) == 4
    assert manifest["exported_by"] == "analyst-ts" and manifest["withheld_for_minors"] is True
    assert manifest["generator"].startswith("clue-miner ")
    with zipfile.ZipFile(path) as archive, session_scope(packets.url) as session:
        names = archive.namelist()
        news = session.get_one(Document, packets.news_doc)
        [raw] = [n for n in names if f"doc{packets.news_doc}." in n]
        assert hashlib.sha256(archive.read(raw)).hexdigest() == news.raw_sha256
        [masked] = [n for n in names if f"doc{packets.penalty_doc}-masked" in n]
        text = archive.read(masked).decode("utf-8")
        assert "刘某（****年**月出生" in text and "刘小雨" not in text
        index = archive.read(next(n for n in names if n.endswith("evidence.csv"))).decode(
            "utf-8-sig"
        )
        penalty = session.get_one(Document, packets.penalty_doc)
        assert penalty.raw_sha256 in index and "未随包提供" in index
        events = session.scalars(select(TriageEvent).where(TriageEvent.action == "export")).all()
        assert [e.actor for e in events] == ["analyst-ts"]


def test_unmasked_evidence_needs_a_supervisor_and_is_logged(
    packets: Packets, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="主管"):
        export(packets, "analyst-ts", tmp_path / "a", unmasked=True)
    path = export(packets, "supervisor", tmp_path / "b", unmasked=True)
    with zipfile.ZipFile(path) as archive, session_scope(packets.url) as session:
        penalty = session.get_one(Document, packets.penalty_doc)
        [raw] = [n for n in archive.namelist() if f"doc{packets.penalty_doc}." in n]
        assert hashlib.sha256(archive.read(raw)).hexdigest() == penalty.raw_sha256
        [event] = session.scalars(select(TriageEvent).where(TriageEvent.action == "export")).all()
        assert event.actor == "supervisor" and "含未遮蔽证据原件" in (event.reason or "")


def _rewrite(source: Path, target: Path, change: str) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if change == "missing" and item.filename.endswith(".html"):
                continue
            if change == "altered" and item.filename.endswith(".html"):
                data = data[:10] + bytes([data[10] ^ 1]) + data[11:]
            new.writestr(item, data)
        if change == "added":
            new.writestr(f"{source.stem}/evidence/extra.txt", "插入的文件")


@pytest.mark.parametrize("change", ["altered", "missing", "added"])
def test_verify_names_each_tampered_file(packets: Packets, tmp_path: Path, change: str) -> None:
    path = export(packets, "analyst-ts", tmp_path / "out")
    tampered = tmp_path / f"{change}.zip"
    _rewrite(path, tampered, change)
    result, _ = verify_packet(tampered)
    assert not result.ok
    problems = {"altered": result.altered, "missing": result.missing, "added": result.added}[change]
    assert len(problems) == 1
    assert problems[0].endswith(".html") or problems[0] == "evidence/extra.txt"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "clue_miner.cli",
            "packet",
            "verify",
            str(tampered),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and problems[0] in proc.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "clue_miner.cli", "packet", "verify", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and "校验通过" in ok.stdout


def test_batch_export_writes_a_packet_per_lead_and_a_summary(
    packets: Packets, tmp_path: Path
) -> None:
    with session_scope(packets.url) as session:
        user = user_named(session, "supervisor")
        paths, summary = export_batch(
            session, user, tmp_path / "batch", "accepted", date(2020, 1, 1)
        )
        assert export_batch(session, user, tmp_path / "none", "accepted", date(2999, 1, 1))[0] == []
    assert len(paths) == 1 and summary.name == "汇总表.xlsx"
    rows = list(load_workbook(summary).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "线索编号" and rows[1][0] == paths[0].stem and rows[1][4] == USCC
    assert rows[1][11] == hashlib.sha256(paths[0].read_bytes()).hexdigest()


def test_the_report_converts_to_pdf_with_libreoffice(packets: Packets, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip(
            "LibreOffice not installed (apt-get install libreoffice-writer-nogui; .ci/run tries)"
        )
    path = export(packets, "analyst-ts", tmp_path / "out")
    with zipfile.ZipFile(path) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".docx")]
        (tmp_path / "report.docx").write_bytes(archive.read(name))
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed (pdftotext; .ci/run installs it)")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    squeezed = re.sub(r"\s+", "", text)
    assert "公益诉讼案件线索报告" in squeezed and "内部资料注意保密" in squeezed
    assert "—1—" in squeezed and "—2—" in squeezed  # page numbers in the footer
    assert "{" not in text and not re.search(r"[a-z]+_[a-z]+", text)  # no program keys
    assert "刘小雨" not in text and "200806120028" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    assert "NotoSerifCJK" in fonts.stdout  # a serif CJK body, not a sans fallback


def test_the_export_button_downloads_the_packet(packets: Packets, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from clue_miner.web.app import create_app
    from tests.web_client import login

    with TestClient(create_app(packets.url), follow_redirects=False) as client:
        csrf = login(client, "analyst-ts")
        page = client.get(f"/leads/{packets.lead_id}").text
        assert "导出材料包" in page and "include_unmasked" not in page  # analysts only masked
        assert client.post(f"/leads/{packets.lead_id}/export", data={}).status_code == 403
        answer = client.post(f"/leads/{packets.lead_id}/export", data={"csrf_token": csrf})
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
        (tmp_path / "download.zip").write_bytes(answer.content)
        assert verify_packet(tmp_path / "download.zip")[0].ok
        history = client.get(f"/leads/{packets.lead_id}").text
        assert "导出材料包" in history and "analyst-ts" in history


def test_only_accepted_leads_export_unless_a_supervisor_asks_for_a_draft(
    packets: Packets, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from clue_miner.web.app import create_app
    from tests.web_client import login

    with session_scope(packets.url) as session:
        session.get_one(Lead, packets.lead_id).status = LeadStatus.NEW.value
    with pytest.raises(NotAccepted, match="只有已受理的线索"):
        export(packets, "supervisor", tmp_path / "cli")
    with session_scope(packets.url) as session:
        lead = session.get_one(Lead, packets.lead_id)
        with pytest.raises(ExportError, match="主管"):
            export_packet(session, lead, user_named(session, "analyst-ts"), tmp_path, draft=True)
        draft = export_packet(
            session, lead, user_named(session, "supervisor"), tmp_path, draft=True
        )
    assert draft.name.endswith("-草稿.zip") and not (tmp_path / "cli").exists()
    body, _ = report_text(draft, tmp_path)
    assert any(line.startswith("草稿（线索尚未受理") for line in body.splitlines()[:2])
    _, manifest = verify_packet(draft)
    assert manifest["draft"] is True
    with TestClient(create_app(packets.url), follow_redirects=False) as client:
        csrf = login(client, "analyst-ts")
        answer = client.post(f"/leads/{packets.lead_id}/export", data={"csrf_token": csrf})
        assert answer.status_code == 409 and "只有已受理的线索" in answer.text


def test_a_second_export_is_a_new_version_and_both_are_in_the_trail(
    packets: Packets, tmp_path: Path
) -> None:
    first = export(packets, "analyst-ts", tmp_path)
    kept = first.read_bytes()
    second = export(packets, "analyst-ts", tmp_path)
    assert first.name == f"{first.stem}.zip" and second.name == f"{first.stem}-v2.zip"
    assert first.read_bytes() == kept
    assert verify_packet(second)[1]["version"] == 2
    with session_scope(packets.url) as session:
        reasons = session.scalars(
            select(TriageEvent.reason).where(TriageEvent.action == "export")
        ).all()
    assert [first.name in (r or "") for r in reasons] == [True, False]
    assert second.name in (reasons[1] or "")


def _unpack(packet: Path, folder: Path) -> Path:
    with zipfile.ZipFile(packet) as archive:
        archive.extractall(folder)
    [root] = list(folder.iterdir())
    return root


class _LegacyNameInfo(zipfile.ZipInfo):
    """An entry whose name is stored as given bytes without the UTF-8 flag, as older
    packers (and Windows' 压缩文件夹 in a Chinese locale) write it."""

    def __init__(self, name: bytes) -> None:
        super().__init__(name.decode("cp437"))
        self.raw_name = name

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile calls it by this name
        return self.raw_name, self.flag_bits


def _repack(root: Path, target: Path, how: str) -> Path:
    """The packet folder ``root`` packed again the way a case officer's tools would."""
    if how == "folder":
        return root
    if how == "info-zip":
        subprocess.run(
            ["zip", "-qr", str(target), root.name], cwd=root.parent, check=True, timeout=60
        )
        return target
    encoding = {"zipfile-without-utf8-flag": "utf-8", "windows-gbk": "gbk"}[how]
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root.parent).as_posix()
            if how == "windows-gbk":
                name = name.replace("/", "\\")
            archive.writestr(_LegacyNameInfo(name.encode(encoding)), path.read_bytes())
    with zipfile.ZipFile(target) as archive:
        assert not any(i.flag_bits & 0x800 for i in archive.infolist())
    return target


@pytest.mark.parametrize("how", ["info-zip", "zipfile-without-utf8-flag", "windows-gbk", "folder"])
def test_verify_accepts_a_packet_packed_again_and_still_names_an_altered_file(
    packets: Packets, tmp_path: Path, how: str
) -> None:
    if how == "info-zip" and shutil.which("zip") is None:
        pytest.skip("Info-ZIP's zip is not installed (apt-get install zip; .ci/run does)")
    packet = export(packets, "analyst-ts", tmp_path / "out")
    root = _unpack(packet, tmp_path / "unpacked")
    result, _ = verify_packet(_repack(root, tmp_path / "again.zip", how))
    assert result.ok and result.checked >= 3, result
    report = root / "线索报告.docx"
    report.write_bytes(report.read_bytes() + b"\0")
    result, _ = verify_packet(_repack(root, tmp_path / "altered.zip", how))
    assert result.altered == ["线索报告.docx"] and not result.missing and not result.added
