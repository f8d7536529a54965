"""The party (当事人) of a penalty decision or of each row of a 双公示 register.

A ``party`` mention marks who was penalised, as the decision names it by label; the analysis
takes it as the organization of a flag before any buyer, supplier or landlord that the facts
name. ``attrs.kind`` is ``organization`` or ``person``; ``attrs.fields`` holds the decision's
other parsed fields (统一社会信用代码, 作出机关 …) as plain strings.
"""

from __future__ import annotations

from clue_miner.nlp.extractors import extractor
from clue_miner.nlp.mentions import Mention
from clue_miner.nlp.penalty_decision import parse_decisions


@extractor("party")
def extract_parties(text: str) -> list[Mention]:
    """One mention per parsed decision's party."""
    found = []
    for decision in parse_decisions(text):
        party = decision.party
        if party is None:
            continue
        found.append(
            Mention(
                "party",
                text[party.start : party.end],
                party.value,
                party.start,
                party.end,
                {"kind": decision.party_kind, "fields": decision.values()},
            )
        )
    return found
