"""Analysts deciding the same lead at the same moment never lose an update: a decision
made on a stale copy is refused (nothing saved), and retried on a fresh copy it applies."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from clue_miner.db import session_scope
from clue_miner.models import Lead, TriageEvent
from clue_miner.triage.accounts import user_named
from clue_miner.triage.decisions import ConflictError, Decision, decide
from tests.triage_store import build_triage_store


def test_a_decision_on_a_stale_copy_is_refused(db_url: str) -> None:
    store = build_triage_store(db_url)
    with session_scope(db_url) as first, session_scope(db_url) as second:
        lead_a = first.get_one(Lead, store.fengnan)
        lead_b = second.get_one(Lead, store.fengnan)
        decide(first, lead_a, user_named(first, "analyst-ts"), Decision("accept"))
        first.commit()
        with pytest.raises(ConflictError, match="刚被他人修改"):
            decide(second, lead_b, user_named(second, "supervisor"), Decision("hold"))
        second.rollback()
    with session_scope(db_url) as session:
        lead = session.get_one(Lead, store.fengnan)
        assert lead.status == "accepted"
        assert [(e.actor, e.action) for e in lead.events] == [("analyst-ts", "accept")]


def test_parallel_writers_lose_nothing(db_url: str) -> None:
    store = build_triage_store(db_url)
    with session_scope(db_url) as session:
        initial_version = session.get_one(Lead, store.fengnan).version
    writers, rounds = 4, 5
    applied: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def analyst(number: int) -> None:
        name = "supervisor" if number % 2 else "admin"
        try:
            for turn in range(rounds):
                while True:  # retry on a fresh copy until the decision applies
                    try:
                        with session_scope(db_url) as session:
                            lead = session.get_one(Lead, store.fengnan)
                            if turn % 2:
                                action = Decision("comment", f"第{number}号分析员第{turn}次备注")
                            else:
                                action = Decision("reopen" if lead.status == "held" else "hold")
                            decide(session, lead, user_named(session, name), action)
                        break
                    except ConflictError:
                        continue
                with lock:
                    applied.append(f"{number}-{turn}")
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and len(applied) == writers * rounds
    with session_scope(db_url) as session:
        events = session.scalars(
            select(TriageEvent).where(TriageEvent.lead_id == store.fengnan).order_by(TriageEvent.id)
        ).all()
        lead = session.get_one(Lead, store.fengnan)
        assert len(events) == writers * rounds
        changes = [e for e in events if e.action != "comment"]
        status = "new"
        for event in changes:  # every change starts from the state the last one left
            assert event.from_status == status, [
                (e.action, e.from_status, e.to_status) for e in changes
            ]
            status = event.to_status or status
        assert lead.status == status
        assert lead.version == initial_version + len(changes)
