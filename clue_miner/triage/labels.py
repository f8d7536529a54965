"""Chinese labels for statuses and categories, shared by the web app and the packets."""

from __future__ import annotations

from clue_miner.models import LeadStatus

STATUS_LABELS = {
    LeadStatus.NEW.value: "新线索",
    LeadStatus.ACCEPTED.value: "已受理",
    LeadStatus.HELD.value: "暂存",
    LeadStatus.DISMISSED.value: "已排除",
    LeadStatus.MERGED.value: "已合并",
}
CATEGORY_LABELS = {
    "minors_livestream": "网络直播侵害未成年人",
    "hazmat_unlicensed": "危化品无证、超范围经营",
}
