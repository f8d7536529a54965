"""Analysis fanned out over Dask workers with prefect-dask, for nights with more documents
than one process analyses in time.

``CLUES_DASK_WORKERS=N`` starts a local cluster of N worker processes for the night;
``CLUES_DASK_ADDRESS=tcp://host:8786`` uses a running cluster whose workers may sit on
other machines (they need the same CLUES_DATABASE_URL, and CLUES_VAR with the trained
model; see docs/scale-out.md). Pending documents are cut into chunks; each chunk is one
task that opens its own session and commits its own results, so a worker lost halfway
costs only its chunk, which the task's retries (or the next night) redo.
"""

from __future__ import annotations

import os
from typing import Any

from clue_miner.flows.prefect_env import configure_prefect

configure_prefect()

from prefect import flow, task  # noqa: E402

from clue_miner.db import session_scope  # noqa: E402
from clue_miner.leads.store import analyse_pending, pending_document_ids  # noqa: E402
from clue_miner.nlp.classify.model import load_or_train  # noqa: E402

CHUNK = 200


@task(name="analyse-chunk", retries=2, retry_delay_seconds=30, timeout_seconds=3600)
def analyse_chunk(database_url: str, document_ids: list[int]) -> tuple[int, int]:
    """Analyse one chunk of pending documents in whichever worker runs it."""
    model = load_or_train()
    with session_scope(database_url) as session:
        counts = analyse_pending(session, model=model, document_ids=document_ids)
    return counts.documents, counts.flags


@flow(name="clues-analyse-fanout")
def analyse_fanout_flow(database_url: str, chunk_size: int = CHUNK) -> tuple[int, int]:
    """Every pending document, analysed in chunks by the flow's task runner."""
    with session_scope(database_url) as session:
        ids = pending_document_ids(session)
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    futures = [analyse_chunk.submit(database_url, chunk) for chunk in chunks]
    results = [future.result() for future in futures]
    return sum(d for d, _ in results), sum(f for _, f in results)


def dask_task_runner() -> Any | None:
    """The Dask task runner the environment asks for, or None to analyse in-process."""
    address = os.environ.get("CLUES_DASK_ADDRESS")
    workers = int(os.environ.get("CLUES_DASK_WORKERS", "0") or 0)
    if not address and workers < 1:
        return None
    from prefect_dask.task_runners import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}
    )
