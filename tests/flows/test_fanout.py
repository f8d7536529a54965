"""Analysis fanned out over two Dask worker processes (prefect-dask) stores exactly the
flags that analysis in one process does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from clue_miner.db import init_db, session_scope
from clue_miner.leads.store import analyse_pending
from clue_miner.models import Document, Flag
from clue_miner.nlp.classify.model import load_or_train
from clue_miner.sample_site.build import load_articles
from clue_miner.sample_site.portals import PORTALS
from tests.factories import source_config, store_document

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def store(url: str) -> None:
    init_db(url)
    config = source_config("fengnan-rsj-penalties", "penalty_notice", "丰南区人社局", "130207")
    with session_scope(url) as session:
        for article in load_articles(PORTALS["rsj"])[:12]:
            body = "\n".join(article.paragraphs)
            store_document(session, config, f"{article.id}.html", article.title, body, article.date)


def flags(url: str) -> set[tuple[str, str, float, str | None]]:
    """What was flagged where; organizations by name (their ids depend on which worker
    created them first)."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Document.url, Flag.rule_id, Flag.score, Flag.organization_name).join(
                Document, Document.id == Flag.document_id
            )
        ).all()
    return {(u, r, round(s, 4), o) for u, r, s, o in rows}


def test_two_dask_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    from prefect_dask.task_runners import DaskTaskRunner

    from clue_miner.flows.fanout import analyse_fanout_flow

    one, fanned = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'fan.db'}"
    store(one)
    store(fanned)
    model = load_or_train()
    with session_scope(one) as session:
        expected = analyse_pending(session, model=model)
    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True}
    )
    documents, flag_count = analyse_fanout_flow.with_options(task_runner=runner)(
        fanned, chunk_size=4
    )
    assert (documents, flag_count) == (expected.documents, expected.flags) == (12, expected.flags)
    assert expected.flags > 0
    assert flags(fanned) == flags(one)
