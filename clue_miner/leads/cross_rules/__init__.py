"""Rules that join records (``scope: records`` in the rule packs). Each module runs one
rule against the whole store and reconciles its flags idempotently; a new one is added
here and gets its card next to the single-document rules.

- HZ-101 ``permit_scope``: activity with a chemical outside every valid licence.
- HZ-102 ``licence_review``: a licence whose conditions the records contradict.
- ML-101 ``livestream_minors``: a registered livestream business reported using minors.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from clue_miner.leads.cross_rules import licence_review, livestream_minors, permit_scope

CROSS_RULES: dict[str, Callable[[Session], int]] = {
    permit_scope.RULE_ID: permit_scope.run,
    licence_review.RULE_ID: licence_review.run,
    livestream_minors.RULE_ID: livestream_minors.run,
}


def run_cross_rules(session: Session) -> dict[str, int]:
    """Run every cross-record rule; return the new flags per rule."""
    return {rule_id: run(session) for rule_id, run in CROSS_RULES.items()}
