"""Rule packs: YAML files under ``packs/`` (one per category), each rule with a card under
``docs/rules/<rule-id>.md``. :func:`load_rule_packs` reads them; :mod:`.engine` applies them."""

from clue_miner.nlp.rules.model import Feature, Rule, RulePack, RulePackError, load_rule_packs

__all__ = ["Feature", "Rule", "RulePack", "RulePackError", "load_rule_packs"]
