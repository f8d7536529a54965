"""An analyst's decisions on uncertain organization matches, and merging organizations.

Accepting a match makes the name mean the candidate from then on and merges the
organization that was kept apart for it: its permits, flags and leads move over, and a
lead that now duplicates one of the candidate's is merged into it with a triage event.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clue_miner.leads.org_matching import ACCEPTED, PENDING, REJECTED, current
from clue_miner.leads.store import org_lead_key, rescore
from clue_miner.models import (
    Flag,
    Lead,
    LeadEvidence,
    LeadStatus,
    Organization,
    OrganizationMatch,
    Permit,
    TriageEvent,
)


class ReviewError(ValueError):
    """A review decision that cannot be made (unknown or already decided match)."""


def pending_matches(session: Session) -> list[OrganizationMatch]:
    """Uncertain matches waiting for an analyst, best score first."""
    return list(
        session.scalars(
            select(OrganizationMatch)
            .where(OrganizationMatch.status == PENDING)
            .order_by(OrganizationMatch.score.desc(), OrganizationMatch.id)
        )
    )


def decide_match(session: Session, match_id: int, accept: bool, actor: str) -> OrganizationMatch:
    """Accept or reject one pending match; accepting merges the kept-apart organization."""
    match = session.get(OrganizationMatch, match_id)
    if match is None:
        raise ReviewError(f"没有编号为 {match_id} 的待核对匹配 no such match")
    if match.status != PENDING:
        raise ReviewError(f"匹配 {match_id} 已处理 already {match.status}")
    now = datetime.now(UTC)
    match.status = ACCEPTED if accept else REJECTED
    match.decided_by = actor
    match.decided_at = now
    if accept:
        others = session.scalars(
            select(OrganizationMatch).where(
                OrganizationMatch.name_key == match.name_key,
                OrganizationMatch.context_adcode == match.context_adcode,
                OrganizationMatch.status == PENDING,
                OrganizationMatch.id != match.id,
            )
        )
        for other in others:  # the name is decided: the other candidates are not it
            other.status, other.decided_by, other.decided_at = REJECTED, actor, now
        if match.kept_apart_id is not None:
            keep = current(session, session.get_one(Organization, match.candidate_id))
            drop = session.get_one(Organization, match.kept_apart_id)
            if drop.id != keep.id and drop.merged_into_id is None:
                merge_organizations(session, keep, drop, actor)
    session.flush()
    return match


def merge_organizations(
    session: Session, keep: Organization, drop: Organization, actor: str
) -> None:
    """Fold ``drop`` into ``keep``: permits, flags and leads point at ``keep`` afterwards."""
    drop.merged_into_id = keep.id
    if drop.uscc and not keep.uscc:
        uscc, drop.uscc = drop.uscc, None
        session.flush()
        keep.uscc = uscc
    session.execute(
        update(Permit).where(Permit.organization_id == drop.id).values(organization_id=keep.id)
    )
    for flag in session.scalars(select(Flag).where(Flag.organization_id == drop.id)):
        flag.organization_id = keep.id
        flag.lead_key = org_lead_key(flag.category, keep)
    for lead in session.scalars(select(Lead).where(Lead.organization_id == drop.id)):
        target_key = org_lead_key(lead.category, keep)
        target = session.scalars(select(Lead).where(Lead.key == target_key)).one_or_none()
        if target is None:
            lead.key, lead.organization_id, lead.organization_name = target_key, keep.id, keep.name
            continue
        merge_leads(session, target, lead, actor, f"同一单位 same organization: {keep.name}")
    session.flush()


def merge_leads(session: Session, keep: Lead, drop: Lead, actor: str, reason: str) -> None:
    """Move ``drop``'s evidence to ``keep`` and close ``drop`` as merged, with events on both."""
    held = {(e.document_id, e.start, e.end) for e in keep.evidence}
    for item in list(drop.evidence):
        if (item.document_id, item.start, item.end) in held:
            session.delete(item)
        else:
            session.execute(
                update(LeadEvidence).where(LeadEvidence.id == item.id).values(lead_id=keep.id)
            )
    drop_key = f"{drop.key}#merged-into-{keep.id}"[:300]
    session.add(
        TriageEvent(
            lead_id=drop.id,
            actor=actor,
            action="merge",
            from_status=drop.status,
            to_status=LeadStatus.MERGED.value,
            reason=f"并入线索 merged into #{keep.id}: {reason}"[:2000],
        )
    )
    session.add(
        TriageEvent(
            lead_id=keep.id,
            actor=actor,
            action="merge",
            from_status=keep.status,
            to_status=keep.status,
            reason=f"并入线索 #{drop.id} merged in: {reason}"[:2000],
        )
    )
    drop.status, drop.merged_into_id, drop.key = LeadStatus.MERGED.value, keep.id, drop_key
    session.flush()
    session.expire(keep, ["evidence"])
    session.expire(drop, ["evidence"])
    rescore(session, [keep])
