"""Triage events are append-only, in the ORM and in the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clue_miner.db import get_engine, session_scope
from clue_miner.models import Lead, TriageEvent
from clue_miner.models.leads import AppendOnlyError


def make_event(url: str) -> int:
    with session_scope(url) as session:
        lead = Lead(
            key="minors_livestream:uscc:91130207MA0MA6C854",
            category="minors_livestream",
            score=0.9,
            title="直播机构招用、使用未成年人从事网络直播",
        )
        session.add(lead)
        session.flush()
        event = TriageEvent(
            lead_id=lead.id,
            actor="分析员王某",
            action="accept",
            from_status="new",
            to_status="accepted",
            reason="证据充分",
        )
        session.add(event)
        session.flush()
        return event.id


def test_the_orm_refuses_to_change_or_delete_an_event(db_url: str) -> None:
    event_id = make_event(db_url)
    with pytest.raises(AppendOnlyError), session_scope(db_url) as session:
        session.get_one(TriageEvent, event_id).reason = "改写"
    with pytest.raises(AppendOnlyError), session_scope(db_url) as session:
        session.delete(session.get_one(TriageEvent, event_id))


def test_the_database_refuses_raw_updates_and_deletes(db_url: str) -> None:
    event_id = make_event(db_url)
    for statement in (
        "UPDATE triage_events SET reason = 'x' WHERE id = :id",
        "DELETE FROM triage_events WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"), get_engine(db_url).begin() as conn:
            conn.execute(text(statement), {"id": event_id})
    with session_scope(db_url) as session:
        assert session.get_one(TriageEvent, event_id).reason == "证据充分"
