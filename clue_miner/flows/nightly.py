"""The nightly flow: crawl every source, analyse new documents, fold flags into leads."""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from clue_miner.flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow, get_run_logger, task  # noqa: E402
from sqlalchemy import select  # noqa: E402

from clue_miner.config import database_url as default_database_url  # noqa: E402
from clue_miner.crawlers.process import crawl_source  # noqa: E402
from clue_miner.crawlers.runs import (  # noqa: E402
    failed_start_summary,
    nightly_since,
    run_summary,
)
from clue_miner.crawlers.sources import (  # noqa: E402
    SourceConfig,
    load_sources,
    resolve_base_url,
)
from clue_miner.db import init_db, session_scope  # noqa: E402
from clue_miner.db.lease import night_lease  # noqa: E402
from clue_miner.flows.fanout import analyse_fanout_flow, dask_task_runner  # noqa: E402
from clue_miner.leads.join import JoinCounts, join_records  # noqa: E402
from clue_miner.leads.store import AnalysisCounts, analyse_pending, link_flags  # noqa: E402
from clue_miner.models import CrawlRun, NightlyRun  # noqa: E402
from clue_miner.nlp.classify.model import load_active, load_or_train  # noqa: E402

log = logging.getLogger(__name__)
IDLE_SECONDS = 2.0  # how long analysis alongside the crawl waits when nothing is pending


@dataclass
class NightlySummary:
    batch_id: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    documents_analysed: int = 0
    flags: int = 0
    leads_new: int = 0
    leads_updated: int = 0
    permits_new: int = 0
    reposts: int = 0
    joined_flags: dict[str, int] = field(default_factory=dict)
    orgs_to_review: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@task(name="crawl-source", retries=0)
def crawl_task(
    config: SourceConfig, batch_id: str, database_url: str, since: str | None
) -> dict[str, Any]:
    """Crawl one source in its own process; a failure is recorded, never raised.

    ``since`` is a date, ``"auto"`` (the last successful crawl of this source) or None.
    """
    logger = get_run_logger()
    with session_scope(database_url) as session:
        cutoff = (
            nightly_since(session, config.id)
            if since == "auto"
            else (date.fromisoformat(since) if since else None)
        )
    outcome = crawl_source(config, batch_id=batch_id, database_url=database_url, since=cutoff)
    if outcome.crawl_run_id is None:
        logger.error("crawl of %s failed to start: %s", config.id, outcome.log_tail[-800:])
        return failed_start_summary(config.id, outcome.log_tail[-300:])
    with session_scope(database_url) as session:
        return run_summary(session.get_one(CrawlRun, outcome.crawl_run_id))


@task(name="analyse-documents", retries=2, retry_delay_seconds=60, timeout_seconds=6 * 3600)
def analyse_task(database_url: str) -> tuple[int, int]:
    """Extract mentions, apply the rule packs and the classifiers to every new or changed
    document."""
    model = load_or_train()  # the first night trains one from the bundled corpus
    with session_scope(database_url) as session:
        counts = analyse_pending(session, model=model)
    return counts.documents, counts.flags


@task(name="join-records", retries=2, retry_delay_seconds=60, timeout_seconds=3 * 3600)
def join_task(database_url: str) -> JoinCounts:
    """Reposts, permits from registry rows, then the rules that join records."""
    with session_scope(database_url) as session:
        return join_records(session)


@task(name="link-leads", retries=2, retry_delay_seconds=60, timeout_seconds=3600)
def link_task(database_url: str) -> tuple[int, int]:
    """Fold every flag no lead cites yet into leads."""
    with session_scope(database_url) as session:
        counts = link_flags(session)
    return counts.leads_new, counts.leads_updated


@flow(name="clues-nightly", log_prints=True)
def nightly_flow(
    sources_dir: str,
    source_id: str | None = None,
    base_url: str | None = None,
    database_url: str | None = None,
    since: str | None = "auto",
) -> dict[str, Any]:
    """Crawl → analyse → join records → link, for the sources in ``sources_dir`` (or one).

    ``since="auto"`` stops each source's paging at entries older than its last
    successful crawl; a date string sets the cutoff; None crawls every list page.
    """
    url = database_url or default_database_url()
    init_db(url)
    configs = resolve_base_url(load_sources(Path(sources_dir)), base_url)
    configs = [c for c in configs if c.enabled and (source_id is None or c.id == source_id)]
    if source_id is not None and not configs:
        raise ValueError(f"no enabled source {source_id!r} in {sources_dir}")
    with night_lease(url):  # one night per store, whoever starts it
        summary = NightlySummary(batch_id=uuid.uuid4().hex)
        with session_scope(url) as session:
            session.add(NightlyRun(batch_id=summary.batch_id))
        try:
            _run_stages(configs, summary, url, since)
        except BaseException:
            _finish(url, summary, "failed")
            raise
        _finish(url, summary, "finished")
    return summary.to_dict()


def _finish(url: str, summary: NightlySummary, status: str) -> None:
    with session_scope(url) as session:
        run = session.scalars(
            select(NightlyRun).where(NightlyRun.batch_id == summary.batch_id)
        ).one()
        run.status, run.finished_at, run.summary = status, datetime.now(UTC), summary.to_dict()


class AnalysisAlongsideCrawl:
    """Analyses documents while the crawls store them, in a thread of the flow's process:
    a crawl runs in its own process and leaves this one idle. Only documents whose text
    is final are taken (none of their attachments can still arrive), so the results are
    those of analysing after the crawls. Whatever it has not done when the crawls end,
    and anything an error stops, is left to the analysis stage."""

    def __init__(self, database_url: str, configs: list[SourceConfig]) -> None:
        self.database_url = database_url
        self.complete_sources = {c.id for c in configs if not c.fetches_attachments}
        self.counts = AnalysisCounts()
        self._crawls_done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="analyse-alongside", daemon=True)

    def __enter__(self) -> AnalysisAlongsideCrawl:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._crawls_done.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            model = load_or_train()
            while not self._crawls_done.is_set():
                with session_scope(self.database_url) as session:
                    counts = analyse_pending(
                        session, model=model, complete_sources=self.complete_sources
                    )
                self.counts.documents += counts.documents
                self.counts.flags += counts.flags
                if counts.documents == 0:
                    self._crawls_done.wait(IDLE_SECONDS)
        except Exception as exc:  # the analysis stage (with its retries) does the rest
            log.warning("analysis alongside the crawl stopped: %s: %s", type(exc).__name__, exc)


def _run_stages(
    configs: list[SourceConfig], summary: NightlySummary, url: str, since: str | None
) -> None:
    if load_active() is None:
        log.info("训练分类模型 training the classifiers on the bundled corpus (first run) …")
    runner = dask_task_runner()
    with AnalysisAlongsideCrawl(url, configs) if runner is None else nullcontext() as alongside:
        _crawl(configs, summary, url, since)
    log.info("分析 analysing new and changed documents …")
    if runner is None:
        summary.documents_analysed, summary.flags = analyse_task(url)
    else:
        load_or_train()  # train once here, not in every worker
        analyse = analyse_fanout_flow.with_options(task_runner=runner)
        summary.documents_analysed, summary.flags = analyse(url)
    if alongside is not None:
        summary.documents_analysed += alongside.counts.documents
        summary.flags += alongside.counts.flags
    log.info(
        "      %d documents, %d flags; linking leads …", summary.documents_analysed, summary.flags
    )
    _join_and_link(summary, url)


def _crawl(
    configs: list[SourceConfig], summary: NightlySummary, url: str, since: str | None
) -> None:
    for number, config in enumerate(configs, start=1):
        log.info("[%d/%d] 抓取 crawling %s …", number, len(configs), config.id)
        result = crawl_task(config, summary.batch_id, url, since)
        log.info(
            "      %s%s: %d new, %d changed, %d unchanged, %d known (not fetched), %d errors",
            result["status"],
            ""
            if result["healthy"] in (True, None)
            else " UNHEALTHY: " + "; ".join(result["health_notes"]),
            result["documents_new"],
            result["documents_changed"],
            result["documents_unchanged"],
            result["details_skipped"],
            result["errors"],
        )
        summary.sources.append(result)


def _join_and_link(summary: NightlySummary, url: str) -> None:
    joined = join_task(url)
    log.info(
        "      %d new permits, %d reposts; flags from joined records: %s; %d organization "
        "matches to review (clues orgs review)",
        joined.permits,
        joined.reposts,
        ", ".join(f"{k} {v}" for k, v in joined.flags_by_rule.items()),
        joined.orgs_to_review,
    )
    summary.flags += joined.flags
    summary.permits_new, summary.reposts = joined.permits, joined.reposts
    summary.joined_flags, summary.orgs_to_review = joined.flags_by_rule, joined.orgs_to_review
    summary.leads_new, summary.leads_updated = link_task(url)
