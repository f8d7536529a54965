"""Chinese labels for statuses and categories, shared by the web app and the packets."""

from __future__ import annotations

from clue_miner.models import LeadStatus
from clue_miner.nlp.rules import load_rule_packs

STATUS_LABELS = {
    LeadStatus.NEW.value: "新线索",
    LeadStatus.ACCEPTED.value: "已受理",
    LeadStatus.HELD.value: "暂存",
    LeadStatus.DISMISSED.value: "已排除",
    LeadStatus.MERGED.value: "已合并",
}
CATEGORY_LABELS = {pack.category: pack.label for pack in load_rule_packs()}
