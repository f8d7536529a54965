"""make bench-link: joining records and making leads over 10,000 and 100,000 records.

Each size gets a fresh SQLite store filled with generated records as analysis would have
left them (documents, organization and chemical mentions, permit rows): one organization
per five documents, a permit registry row for each, enterprise filings, news that names
the companies (with and without their region prefix) dealing in chemicals inside and
outside their permits, and reposts of some of it. Extraction is not timed here (see
bench-nlp). Timed: the nightly join step (fingerprints and reposts, permits, organization
matching, the cross-record rules) and folding the flags into leads. Printed: the time and
the SQL statements per document for each size, and for 100k against 10k the ratios of time
per record and of statements per record (1.0 = linear).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from clue_miner.crawlers.pipelines import upsert_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import init_db, session_scope
from clue_miner.leads.join import join_records
from clue_miner.leads.store import link_flags
from clue_miner.models import Document, Mention, Record
from clue_miner.nlp.analyze import ANALYSIS_VERSION
from clue_miner.nlp.extractors.identifiers import uscc_check_char
from clue_miner.nlp.org_names import parse_org_name

DISTRICTS = [
    ("130702", "张家口市桥东区"),
    ("130703", "张家口市桥西区"),
    ("130705", "张家口市宣化区"),
    ("130708", "张家口市万全区"),
    ("130722", "张北县"),
    ("130207", "唐山市丰南区"),
    ("130203", "唐山市路北区"),
    ("130208", "唐山市丰润区"),
]
SYLLABLES = (
    "安邦宝昌诚达鼎东丰富冠广海恒宏华汇吉嘉金锦景久凯康利隆茂"
    "美明鹏祺荣瑞盛顺泰通万威鑫兴旭亚永友宇元源远跃泽兆振正志中众卓"
)
INDUSTRIES = ["化工贸易", "商务", "气体", "能源科技", "化工产品销售", "商贸"]
CHEMICALS = [("乙醇", False), ("甲苯", True), ("丙酮", True), ("盐酸", True), ("硫酸", True)]
CHEMICALS += [("甲醇", False), ("液氨", False), ("氢氧化钠", False), ("乙酸乙酯", False)]


def source(source_id: str, record_type: str) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": source_id,
            "name": source_id,
            "publisher": "张家口市行政审批局" if record_type == "permit_registry" else source_id,
            "region": {"adcode": "130700", "name": "河北省张家口市"},
            "record_type": record_type,
            "spider": "listing",
            "start_urls": [f"http://127.0.0.1:9/{source_id}/index.html"],
            "list": {"links": "ul li a::attr(href)"},
            "detail": {"title": "h1::text", "body": "div.content"},
        }
    )


@dataclass
class Company:
    name: str
    uscc: str
    adcode: str
    licensed: list[str]


@dataclass
class Store:
    documents: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)

    def document(self, source_id: str, record_type: str, title: str, body: str, adcode: str) -> int:
        doc_id = len(self.documents) + 1
        self.documents.append(
            {
                "id": doc_id,
                "source_id": source_id,
                "url": f"http://127.0.0.1:9/{source_id}/{doc_id}.html",
                "title": title,
                "text": body,
                "published_date": date(2025, 1 + doc_id % 12, 1 + doc_id % 28),
                "content_sha256": f"{doc_id:064x}",
                "raw_sha256": f"{doc_id:064x}",
                "snapshot_ref": f"bench/{doc_id}",
                "record_type": record_type,
                "region_adcode": adcode,
                "analysed_sha256": f"{doc_id:064x}",
                "analysis_version": ANALYSIS_VERSION,
            }
        )
        return doc_id

    def mention(self, doc_id: int, kind: str, text: str, value: str, **attrs: Any) -> None:
        doc = self.documents[doc_id - 1]
        full = f"{doc['title']}\n\n{doc['text']}"
        start = full.find(text)
        self.mentions.append(
            {
                "document_id": doc_id,
                "type": kind,
                "text": text,
                "value": value,
                "start": start,
                "end": start + len(text),
                "attributes": attrs,
            }
        )


def companies(count: int, rng: random.Random) -> list[Company]:
    made: list[Company] = []
    names: set[str] = set()
    while len(made) < count:
        adcode, place = rng.choice(DISTRICTS)
        trade = "".join(rng.sample(SYLLABLES, 2))
        name = f"{place}{trade}{rng.choice(INDUSTRIES)}有限公司"
        if name in names:
            continue
        names.add(name)
        body = f"91{adcode}MA0{len(made):06X}"[:17]
        licensed = sorted({c for c, _ in rng.sample(CHEMICALS, 3)})
        made.append(Company(name, body + uscc_check_char(body), adcode, licensed))
    return made


def generate(documents: int, seed: int = 7) -> Store:
    """Records for ``documents`` documents about ``documents // 5`` organizations."""
    rng = random.Random(seed)
    store = Store()
    orgs = companies(documents // 5, rng)
    for start in range(0, len(orgs), 50):  # registry pages of 50 rows
        batch = orgs[start : start + 50]
        lines = [
            f"{n} {c.name} {c.uscc} 冀张危化经字〔2024〕{start + n:06d} 不带储存经营 "
            f"{'、'.join(c.licensed)}"
            for n, c in enumerate(batch)
        ]
        doc_id = store.document(
            "bench-permits",
            "permit_registry",
            "危险化学品经营许可证信息公示",
            "\n".join(lines),
            "130700",
        )
        for n, company in enumerate(batch):
            store.records.append(
                {
                    "source_id": "bench-permits",
                    "document_id": doc_id,
                    "record_type": "permit_registry",
                    "row_number": n + 1,
                    "key": f"{start + n:06d}",
                    "fields": {
                        "org_name": company.name,
                        "uscc": company.uscc,
                        "permit_no": f"冀张危化经字〔2024〕{start + n:06d}",
                        "mode": "不带储存经营",
                        "scope": "、".join(company.licensed),
                        "valid_until": "2027-12-31",
                    },
                    "cells": {},
                }
            )
    for start in range(0, len(orgs) // 10, 10):  # filings of ten companies
        batch = orgs[start : start + 10]
        body = "\n".join(
            f"企业名称：{c.name}\n统一社会信用代码：{c.uscc}\n经营范围：化工产品销售（不含许可类化工产品）；五金产品零售。"
            for c in batch
        )
        doc_id = store.document(
            "bench-filings", "enterprise_filing", "企业设立登记公告", body, "130700"
        )
        for company in batch:
            store.mention(doc_id, "organization", company.name, parse_org_name(company.name).key)
    while len(store.documents) < documents:
        company = rng.choice(orgs)
        chemical, _ = rng.choice(CHEMICALS)
        named = (
            company.name
            if rng.random() < 0.7
            else company.name.split("区", 1)[-1].split("县", 1)[-1]
        )
        title = f"{named[:6]}等企业危化品经营情况通报"
        body = (
            f"本网讯 据群众反映，{named}近期向周边多家企业销售{chemical}约{rng.randint(1, 9)}吨。"
            f"记者了解到，相关部门已对该公司的经营情况开展核查，核查编号{len(store.documents)}。"
        )
        adcode = company.adcode if rng.random() < 0.8 else "130000"
        if store.documents and rng.random() < 0.05:  # a repost of an earlier story
            original = rng.choice(store.documents[-2000:])
            if original["record_type"] == "news":
                body = "来源：张家口新闻网\n" + original["text"]
                title = original["title"]
        doc_id = store.document("bench-news", "news", title, body, adcode)
        text = store.documents[doc_id - 1]["text"]
        for candidate in (company.name, named):
            if candidate in text:
                store.mention(doc_id, "organization", candidate, parse_org_name(candidate).key)
                break
        for name, is_precursor in CHEMICALS:
            if f"销售{name}" in text:
                store.mention(doc_id, "chemical", name, name, precursor=is_precursor)
    return store


def fill(url: str, store: Store) -> None:
    init_db(url)
    with session_scope(url) as session:
        for source_id, kind in [
            ("bench-permits", "permit_registry"),
            ("bench-filings", "enterprise_filing"),
            ("bench-news", "news"),
        ]:
            upsert_source(session, source(source_id, kind))
        session.flush()
        for rows, model in [
            (store.documents, Document),
            (store.mentions, Mention),
            (store.records, Record),
        ]:
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        session.commit()


def run(documents: int, workdir: Path) -> dict[str, float]:
    """Generate, then time the join step and lead linking; return the figures."""
    url = f"sqlite:///{workdir / f'link-{documents}.db'}"
    fill(url, generate(documents))
    gc.collect()  # the generated rows are gone; time the store, not the generator's garbage
    statements = 0

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    with session_scope(url) as session:
        event.listen(session.get_bind(), "before_cursor_execute", count)
        started = time.perf_counter()
        joined = join_records(session)
        joined_at = time.perf_counter()
        leads = link_flags(session)
        session.commit()
        finished = time.perf_counter()
    print(
        f"{documents:>7} documents, {documents // 5:>6} organizations: "
        f"join {joined_at - started:6.1f} s ({joined.permits} permits, {joined.reposts} reposts, "
        f"{joined.flags} flags, {joined.orgs_to_review} to review), "
        f"leads {finished - joined_at:5.1f} s ({leads.leads_new} leads) "
        f"= {finished - started:6.1f} s; {statements / documents:.1f} SQL statements per document"
    )
    return {"documents": documents, "seconds": finished - started, "statements": statements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clues-bench-link-") as tmp:
        small = run(args.small, Path(tmp))
        large = run(args.large, Path(tmp))
    per_record = (large["seconds"] / large["documents"]) / (small["seconds"] / small["documents"])
    work = (large["statements"] / large["documents"]) / (small["statements"] / small["documents"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scale = large["documents"] / small["documents"]
    print(
        f"time ratio {large['seconds'] / small['seconds']:.1f} for {scale:.0f}x "
        f"the records; time per record {per_record:.2f}, SQL statements per record {work:.2f} "
        f"(1.0 = linear); peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
