"""The table spider: a TRS-paginated GBK registry with no charset declared becomes records,
and spreadsheet attachments become records too (real crawls, SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clue_miner.crawlers.process import crawl_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import session_scope
from clue_miner.models import Attachment, CrawlRun, Document, Record

pytestmark = pytest.mark.slow


def test_a_registry_without_charset_and_with_script_paging_becomes_records(
    db_url: str, sample_sources: dict[str, SourceConfig]
) -> None:
    outcome = crawl_source(sample_sources["zhangjiakou-spj-permits"], database_url=db_url)
    with session_scope(db_url) as session:
        run = session.get_one(CrawlRun, outcome.crawl_run_id)
        assert (run.status, run.error_count, run.healthy) == ("ok", 0, True), run.errors
        assert run.list_pages == 3  # index.htm + index_1/index_2.htm from createPageHTML(3, …)
        docs = session.scalars(select(Document)).all()
        assert len(docs) == 15
        assert {d.encoding for d in docs} == {"gb18030"}
        assert all("行政审批局" in d.title for d in docs)
        records = session.scalars(select(Record)).all()
        assert len(records) == 75
        hengsheng = [r for r in records if r.fields["uscc"] == "91130702MA03AGYG1H"]
        assert hengsheng and all("盐酸" not in r.fields["scope"] for r in hengsheng)
        assert {r.key for r in hengsheng} >= {"冀张危化经字〔2024〕000123"}
        assert set(hengsheng[0].fields) >= {"org_name", "permit_no", "scope", "valid_until"}
        xls = session.scalars(select(Attachment).where(Attachment.filename.like("%.xls"))).all()
        assert len(xls) == 15 and all("许可范围" in (a.text or "") for a in xls)


def test_xlsx_permit_lists_become_records(
    db_url: str, sample_sources: dict[str, SourceConfig]
) -> None:
    outcome = crawl_source(sample_sources["zhangjiakou-yjj-notices"], database_url=db_url)
    with session_scope(db_url) as session:
        run = session.get_one(CrawlRun, outcome.crawl_run_id)
        assert run.status == "ok", run.errors
        records = session.scalars(select(Record)).all()
        assert records and all(r.attachment_id is not None for r in records)
        assert run.records_stored == len(records)
        assert any(r.fields.get("org_name") == "张家口市万全区利民气体有限公司" for r in records)
