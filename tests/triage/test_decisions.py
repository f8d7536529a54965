"""Decisions change a lead only through an appended triage event, and only for those
allowed to see the lead."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clue_miner.db import session_scope
from clue_miner.models import Lead, TriageEvent
from clue_miner.triage.accounts import AccountError, add_user, authenticate, can_access, user_named
from clue_miner.triage.decisions import Decision, DecisionError, decide
from tests.triage_store import PASSWORD, build_triage_store


def test_accept_hold_dismiss_reopen_each_append_an_event(db_url: str) -> None:
    store = build_triage_store(db_url)
    with session_scope(db_url) as session:
        user = user_named(session, "analyst-ts")
        lead = session.get_one(Lead, store.fengnan)
        decide(session, lead, user, Decision("accept"))
        decide(session, lead, user, Decision("hold", "等待人社局回复"))
        with pytest.raises(DecisionError, match="排除须选择理由"):
            decide(session, lead, user, Decision("dismiss", "看着不像"))
        decide(session, lead, user, Decision("dismiss", "证据不足：仅有一篇转载"))
        decide(session, lead, user, Decision("reopen"))
        with pytest.raises(DecisionError, match="already"):
            decide(session, lead, user, Decision("reopen"))
        events = session.scalars(
            select(TriageEvent).where(TriageEvent.lead_id == lead.id).order_by(TriageEvent.id)
        ).all()
        assert [(e.action, e.from_status, e.to_status) for e in events] == [
            ("accept", "new", "accepted"),
            ("hold", "accepted", "held"),
            ("dismiss", "held", "dismissed"),
            ("reopen", "dismissed", "new"),
        ]
        assert all(e.actor == "analyst-ts" for e in events)
        assert events[2].reason == "证据不足：仅有一篇转载"


def test_assign_comment_and_merge(db_url: str) -> None:
    store = build_triage_store(db_url)
    with session_scope(db_url) as session:
        user = user_named(session, "analyst-ts")
        lead = session.get_one(Lead, store.fengnan)
        decide(session, lead, user, Decision("assign", assignee="supervisor"))
        assert lead.assignee == "supervisor"
        with pytest.raises(DecisionError, match="无权查看"):
            decide(session, lead, user, Decision("assign", assignee="analyst-zjk"))
        with pytest.raises(DecisionError, match="备注不能为空"):
            decide(session, lead, user, Decision("comment", "  "))
        decide(session, lead, user, Decision("comment", "已电话联系区人社局"))
        other = session.get_one(Lead, store.fengnan_other)
        decide(session, other, user, Decision("merge", into=lead.id))
        assert other.status == "merged" and other.merged_into_id == lead.id
        with pytest.raises(DecisionError, match="已合并"):
            decide(session, other, user, Decision("accept"))
        actions = [e.action for e in session.get_one(Lead, lead.id).events]
        assert actions == ["assign", "comment", "merge"]


def test_a_region_bound_analyst_cannot_decide_another_region(db_url: str) -> None:
    store = build_triage_store(db_url)
    with session_scope(db_url) as session:
        user = user_named(session, "analyst-ts")
        foreign = session.get_one(Lead, store.qiaodong)
        assert not can_access(user, foreign)
        assert can_access(user_named(session, "admin"), foreign)
        assert can_access(user_named(session, "supervisor"), foreign)  # unbound
        with pytest.raises(DecisionError, match="无权"):
            decide(session, foreign, user, Decision("accept"))
        assert foreign.status == "new" and foreign.events == []


def test_passwords_are_hashed_and_checked(db_url: str) -> None:
    build_triage_store(db_url)
    with session_scope(db_url) as session:
        user = user_named(session, "analyst-ts")
        assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
        assert authenticate(session, "analyst-ts", PASSWORD) is not None
        assert authenticate(session, "analyst-ts", "wrong password!") is None
        assert authenticate(session, "nobody", PASSWORD) is None
        with pytest.raises(AccountError, match="已存在"):
            add_user(session, "analyst-ts", "analyst", PASSWORD)
        with pytest.raises(AccountError, match="密码至少"):
            add_user(session, "short", "analyst", "123")
        with pytest.raises(AccountError, match="角色"):
            add_user(session, "boss", "king", PASSWORD)
