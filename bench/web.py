"""make bench-web: the triage queue over 10,000 leads on SQLite.

Fills a fresh SQLite store with 10,000 leads (two evidence quotes each, over 20 regions,
two categories, four statuses) and times, in this process through the real app (FastAPI
test client, real SQLite), the pages an analyst opens in the morning: the default queue,
sorted by score, filtered by category and region, a full-text search over lead and
evidence text, a late page, and a lead page. Printed: the median and the worst of 20
requests each, in milliseconds (the issue's goal: under 200 ms), beside a baseline of
the login page (no database query) measured the same way.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from clue_miner.crawlers.pipelines import upsert_source
from clue_miner.crawlers.sources import SourceConfig
from clue_miner.db import init_db, session_scope
from clue_miner.models import Document, Lead, LeadEvidence
from clue_miner.triage.accounts import add_user

PASSWORD = "bench password 1"
REGIONS = [f"1302{n:02d}" for n in range(1, 11)] + [f"1307{n:02d}" for n in range(1, 11)]
STATUSES = ["new"] * 6 + ["accepted", "held", "dismissed"]
WORDS = [
    "盐酸",
    "硫酸",
    "甲苯",
    "丙酮",
    "液氨",
    "主播",
    "直播间",
    "未成年人",
    "协议",
    "仓库",
    "车库",
    "配送",
    "销售",
    "储存",
]


def fill(url: str, count: int, rng: random.Random) -> None:
    init_db(url)
    source = SourceConfig.model_validate(
        {
            "id": "bench-news",
            "name": "bench",
            "publisher": "bench",
            "region": {"adcode": "130000", "name": "河北省"},
            "record_type": "news",
            "spider": "listing",
            "start_urls": ["http://127.0.0.1:9/index.html"],
            "list": {"links": "a::attr(href)"},
            "detail": {"title": "h1::text", "body": "div"},
        }
    )
    now = datetime.now(UTC)
    with session_scope(url) as session:
        upsert_source(session, source)
        add_user(session, "bench", "admin", PASSWORD)
        session.flush()
        docs, leads, evidence = [], [], []
        for n in range(1, count + 1):
            text = "；".join(rng.choice(WORDS) + f"第{n}号情况" for _ in range(30))
            docs.append(
                {
                    "id": n,
                    "source_id": source.id,
                    "url": f"http://127.0.0.1:9/{n}.html",
                    "title": f"第{n}号通报",
                    "text": text,
                    "content_sha256": f"{n:064x}",
                    "raw_sha256": f"{n:064x}",
                    "snapshot_ref": f"bench/{n}",
                    "record_type": "news",
                    "region_adcode": "130000",
                }
            )
            category = rng.choice(["minors_livestream", "hazmat_unlicensed"])
            leads.append(
                {
                    "id": n,
                    "key": f"{category}:bench:{n}",
                    "category": category,
                    "status": rng.choice(STATUSES),
                    "score": round(rng.uniform(0.6, 1.0), 2),
                    "title": f"线索{n}：{rng.choice(WORDS)}{rng.choice(WORDS)}",
                    "organization_name": f"某{rng.choice(WORDS)}有限公司{n}",
                    "region_adcode": rng.choice(REGIONS),
                    "features": [{"name": "bench", "weight": 0.9}],
                    "first_seen": now - timedelta(minutes=n),
                    "last_seen": now,
                }
            )
            for start in (0, 40):
                evidence.append(
                    {
                        "lead_id": n,
                        "document_id": n,
                        "rule_id": "HZ-001",
                        "quote": text[start : start + 40],
                        "start": start,
                        "end": start + 40,
                    }
                )
        for rows, model in [(docs, Document), (leads, Lead), (evidence, LeadEvidence)]:
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])


def timed(client: TestClient, path: str, repeat: int = 20) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    return statistics.median(samples), max(samples)


def main() -> None:
    from clue_miner.web.app import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clues-bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'clues.db'}"
        fill(url, args.leads, random.Random(3))
        with TestClient(create_app(url), follow_redirects=False) as client:
            baseline = timed(client, "/login")
            form = client.get("/login").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token})
            pages = {
                "queue (new first)": "/",
                "queue by score, all statuses": "/?status=&sort=score",
                "category + region filter": "/?status=&category=hazmat_unlicensed&region=130200",
                "search lead and evidence text": "/?status=&q=车库",
                "page 100": "/?status=&page=100",
                "lead page": f"/leads/{args.leads // 2}",
            }
            print(f"{args.leads} leads, {2 * args.leads} evidence quotes on SQLite")
            name = "login page (baseline)"
            print(f"  {name:32s} median {baseline[0]:6.1f} ms, worst {baseline[1]:6.1f} ms")
            for name, path in pages.items():
                median, worst = timed(client, path)
                print(
                    f"  {name:32s} median {median:6.1f} ms, worst {worst:6.1f} ms "
                    f"({median / baseline[0]:.1f}x the baseline)"
                )


if __name__ == "__main__":
    main()
