"""Prefect global concurrency limits that keep flow runs from colliding.

The nightly deployment runs one night at a time, but a manual ``clues run`` started while
it runs (or a second deployment against the same Prefect server) is another flow run. Two
limits keep them apart; they live on the Prefect server, so they hold across processes
and machines that share it:

- ``clues-crawl-<source>``: one crawl per source at a time, so a portal is never crawled
  twice at once (double the load on it, two crawls racing to store the same pages);
- ``clues-analysis``: one flow run at a time analyses, joins and links, so no document is
  analysed twice at once (its flags would be stored twice).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from clue_miner.flows.prefect_env import configure_prefect

configure_prefect()

from prefect import get_client  # noqa: E402
from prefect.concurrency.sync import concurrency  # noqa: E402

ANALYSIS_LIMIT = "clues-analysis"


def crawl_limit_name(source_id: str) -> str:
    return f"clues-crawl-{source_id}"


@contextmanager
def _slot(name: str, timeout_seconds: float | None) -> Iterator[None]:
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(name, 1)  # created on first use
    with concurrency(name, occupy=1, timeout_seconds=timeout_seconds, strict=True):
        yield


def one_crawl_per_source(source_id: str, timeout_seconds: float) -> AbstractContextManager[None]:
    """Hold the source's crawl slot; wait at most ``timeout_seconds`` for another flow
    run's crawl of it to end (then TimeoutError)."""
    return _slot(crawl_limit_name(source_id), timeout_seconds)


def one_analysis_at_a_time() -> AbstractContextManager[None]:
    """Hold the analysis slot, waiting as long as another flow run holds it."""
    return _slot(ANALYSIS_LIMIT, None)
