"""The nightly step between analysis and leads: everything that looks across records."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clue_miner.leads.cross_rules import run_cross_rules
from clue_miner.leads.duplicates import fingerprint_documents
from clue_miner.leads.org_matching import PENDING, fill_core_names
from clue_miner.leads.permits import build_permits
from clue_miner.models import OrganizationMatch


@dataclass
class JoinCounts:
    permits: int = 0
    reposts: int = 0
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    orgs_to_review: int = 0

    @property
    def flags(self) -> int:
        return sum(self.flags_by_rule.values())


def join_records(session: Session) -> JoinCounts:
    """Fingerprint new documents (reposts), turn registry rows into permits, then run the
    cross-record rules; report how many organization matches wait for review."""
    counts = JoinCounts()
    fill_core_names(session)
    counts.reposts = fingerprint_documents(session).reposts
    counts.permits = build_permits(session)
    session.commit()
    counts.flags_by_rule = run_cross_rules(session)
    session.commit()
    counts.orgs_to_review = (
        session.scalar(
            select(func.count())
            .select_from(OrganizationMatch)
            .where(OrganizationMatch.status == PENDING)
        )
        or 0
    )
    return counts
