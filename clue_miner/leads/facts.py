"""The facts behind a lead, gathered from the flags that cite it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.models import Flag, Lead, LeadEvidence


def lead_facts(session: Session, lead: Lead) -> dict[str, Any]:
    """The facts the flags behind a lead extracted (chemicals, head counts, permit numbers),
    merged: lists are united, other values kept from the first flag that has them."""
    flag_ids = select(LeadEvidence.flag_id).where(
        LeadEvidence.lead_id == lead.id, LeadEvidence.flag_id.is_not(None)
    )
    merged: dict[str, Any] = {}
    for facts in session.scalars(select(Flag.facts).where(Flag.id.in_(flag_ids)).order_by(Flag.id)):
        for name, value in facts.items():
            if isinstance(value, list):
                known = merged.setdefault(name, [])
                known.extend(v for v in value if v not in known)
            else:
                merged.setdefault(name, value)
    return merged
