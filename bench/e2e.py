"""make bench: the whole nightly flow over 20,000 public-record pages, then again unchanged.

Detail pages (the sample site's articles, our own writing, round-robin with a running
number) and their list pages are served on loopback by the bench page server. In this
script, in order:

1. the baselines: a bare Scrapy spider fetching every page (its own process, as ours), and
   bare ``jieba.lcut`` over the same texts (here, after jieba's dictionary is loaded);
2. the nightly flow (a real Prefect flow run: crawl, analyse with the classifiers, join
   records, link leads) into a fresh SQLite store;
3. the same flow again over the unchanged site.

Printed and written to ``bench/results.json``: documents, documents per second, peak memory
(the largest of this process and the crawl processes), the unchanged rerun's time as a
fraction of the first run, and the ratio of our first run to bare Scrapy + bare jieba.
Goals: ratio <= 2, rerun <= 10 %, peak memory <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from bench.crawl import run_bare
from bench.pages import served_pages

RESULTS = Path(__file__).resolve().parent / "results.json"
SOURCE = """id: bench-portal
name: 基准测试门户
publisher: 某局
region: {{adcode: "130207", name: 河北省唐山市丰南区}}
record_type: penalty_notice
spider: listing
start_urls: ["{base}/list/0.html"]
list:
  links: "ul.list li a::attr(href)"
  next_page: "//a[text()='下一页']/@href"
detail: {{title: "h1::text", date: ".pubdate::text", body: "div.content"}}
crawl: {{concurrency: 8, max_pages: 100000}}
assertions: {{min_documents: 1}}
"""


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def bare_jieba(database_url: str) -> tuple[float, int]:
    """Seconds for jieba.lcut over every stored document's text, and how many."""
    import jieba
    from sqlalchemy import select

    from clue_miner.db import session_scope
    from clue_miner.models import Document

    with session_scope(database_url) as session:
        texts = [f"{t}\n{b}" for t, b in session.execute(select(Document.title, Document.text))]
    jieba.lcut("预热")
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started, len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    args = parser.parse_args()
    with served_pages(args.pages) as base, tempfile.TemporaryDirectory(prefix="clues-e2e-") as tmp:
        work = Path(tmp)
        os.environ["CLUES_VAR"] = str(work / "var")
        sources = work / "sources"
        sources.mkdir()
        (sources / "bench-portal.yml").write_text(SOURCE.format(base=base), encoding="utf-8")
        url = f"sqlite:///{work / 'clues.db'}"

        bare_fetch = run_bare(base, 8)
        from clue_miner.flows.nightly import nightly_flow
        from clue_miner.nlp.classify.model import load_or_train

        load_or_train()  # a fresh var trains once; not part of a night
        started = time.perf_counter()
        first = nightly_flow(sources_dir=str(sources), database_url=url)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = nightly_flow(sources_dir=str(sources), database_url=url)
        second_seconds = time.perf_counter() - started
        jieba_seconds, documents = bare_jieba(url)
    bare_seconds = bare_fetch["seconds"] + jieba_seconds
    results = {
        "documents": documents,
        "pages": args.pages,
        "first_run_seconds": round(first_seconds, 1),
        "rerun_seconds": round(second_seconds, 1),
        "docs_per_s": round(documents / first_seconds, 1),
        "peak_rss_mb": round(peak_mb(), 0),
        "rerun_fraction": round(second_seconds / first_seconds, 3),
        "bare_scrapy_seconds": round(bare_fetch["seconds"], 1),
        "bare_jieba_seconds": round(jieba_seconds, 1),
        "ratio_vs_bare": round(first_seconds / bare_seconds, 2),
        "leads_new": first["leads_new"],
        "rerun_documents_new": sum(s["documents_new"] for s in second["sources"]),
        "cores": os.cpu_count(),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{documents} documents from {args.pages} pages on {base}, {os.cpu_count()} cores")
    print(
        f"first night   : {first_seconds:7.1f} s = {results['docs_per_s']} docs/s "
        f"({first['leads_new']} leads)"
    )
    print(
        f"unchanged rerun: {second_seconds:6.1f} s = {results['rerun_fraction']:.1%} of the first "
        "(goal <= 10 %)"
    )
    print(
        f"bare Scrapy {bare_fetch['seconds']:.1f} s + bare jieba.lcut {jieba_seconds:.1f} s = "
        f"{bare_seconds:.1f} s; ratio ours/bare {results['ratio_vs_bare']} (goal <= 2)"
    )
    print(f"peak RSS {results['peak_rss_mb']:.0f} MB (goal <= 1024); written to {RESULTS}")


if __name__ == "__main__":
    main()
