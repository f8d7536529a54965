"""What an analyst does to a lead: accept (受理), dismiss with a reason, hold (暂存),
assign, comment, merge a duplicate. Every decision appends a TriageEvent (who, when,
from, to, why); none is ever edited or deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clue_miner.leads.org_review import merge_leads
from clue_miner.models import Lead, LeadStatus, TriageEvent, User
from clue_miner.triage.accounts import AccountError, can_access, user_named

DISMISS_REASONS = ("误报", "证据不足", "不属于公益诉讼范围", "重复线索")
STATUS_ACTIONS = {
    "accept": LeadStatus.ACCEPTED,
    "dismiss": LeadStatus.DISMISSED,
    "hold": LeadStatus.HELD,
    "reopen": LeadStatus.NEW,
}
ACTION_LABELS = {
    "accept": "受理",
    "dismiss": "排除",
    "hold": "暂存",
    "reopen": "重新打开",
    "assign": "指派",
    "comment": "备注",
    "merge": "合并",
    "export": "导出材料包",
}
MAX_TEXT = 2000


class DecisionError(ValueError):
    """A decision that cannot be made; the message says why, in Chinese and English."""


class ConflictError(DecisionError):
    """Someone else changed the lead since it was read: nothing was saved; reload, retry."""


@dataclass(frozen=True)
class Decision:
    action: str
    reason: str | None = None
    assignee: str | None = None
    into: int | None = None  # merge: the lead this one duplicates


def decide(session: Session, lead: Lead, user: User, decision: Decision) -> TriageEvent:
    """Apply one decision by ``user`` to ``lead`` and return the event that records it."""
    if not can_access(user, lead):
        raise DecisionError(f"无权处理该线索 {user.name} may not decide lead {lead.id}")
    if lead.status == LeadStatus.MERGED.value:
        raise DecisionError(f"线索已合并至 #{lead.merged_into_id} lead {lead.id} was merged")
    reason = (decision.reason or "").strip()[:MAX_TEXT] or None
    lead_id = lead.id  # readable after a failed flush, unlike the lead itself
    try:
        if decision.action in STATUS_ACTIONS:
            return _change_status(session, lead, user, decision.action, reason)
        if decision.action == "assign":
            return _assign(session, lead, user, decision.assignee, reason)
        if decision.action == "comment":
            if not reason:
                raise DecisionError("备注不能为空 a comment needs text")
            return _event(session, lead, user, "comment", lead.status, lead.status, reason)
        if decision.action == "merge":
            return _merge(session, lead, user, decision.into, reason)
    except StaleDataError as exc:
        raise ConflictError(
            f"线索 #{lead_id} 刚被他人修改，本次操作未保存，请刷新后重试 "
            "the lead changed since it was read; nothing was saved"
        ) from exc
    raise DecisionError(f"未知操作 unknown action {decision.action!r}")


def _change_status(
    session: Session, lead: Lead, user: User, action: str, reason: str | None
) -> TriageEvent:
    target = STATUS_ACTIONS[action].value
    if lead.status == target:
        raise DecisionError(f"线索已是该状态 lead {lead.id} is already {target}")
    if action == "dismiss" and (reason or "").split("：")[0] not in DISMISS_REASONS:
        raise DecisionError(
            "排除须选择理由 a dismissal needs a reason: " + "、".join(DISMISS_REASONS)
        )
    event = _event(session, lead, user, action, lead.status, target, reason)
    lead.status = target
    session.flush()  # the version check happens here, not at some later commit
    return event


def _assign(
    session: Session, lead: Lead, user: User, assignee: str | None, reason: str | None
) -> TriageEvent:
    name = (assignee or "").strip()
    try:
        target = user_named(session, name)
    except AccountError as exc:
        raise DecisionError(str(exc)) from exc
    if not can_access(target, lead):
        raise DecisionError(f"{name} 无权查看该地区线索 may not see this region's leads")
    note = f"指派给 {name}" + (f"：{reason}" if reason else "")
    event = _event(session, lead, user, "assign", lead.status, lead.status, note)
    lead.assignee = name
    session.flush()
    return event


def _merge(
    session: Session, lead: Lead, user: User, into: int | None, reason: str | None
) -> TriageEvent:
    target = session.get(Lead, into) if into is not None else None
    if target is None or target.id == lead.id:
        raise DecisionError("请指定要并入的另一条线索 name the lead this one duplicates")
    if not can_access(user, target) or target.status == LeadStatus.MERGED.value:
        raise DecisionError(f"不能并入线索 #{target.id} cannot merge into lead {target.id}")
    merge_leads(session, target, lead, user.name, reason or "重复线索")
    return session.scalars(
        select(TriageEvent)
        .where(TriageEvent.lead_id == lead.id)
        .order_by(TriageEvent.id.desc())
        .limit(1)
    ).one()


def _event(
    session: Session,
    lead: Lead,
    user: User,
    action: str,
    from_status: str,
    to_status: str,
    reason: str | None,
) -> TriageEvent:
    event = TriageEvent(
        lead_id=lead.id,
        actor=user.name,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    session.add(event)
    session.flush()
    return event
