"""A flag reads the facts its pack declares (``from``), keys and titles itself by them."""

from __future__ import annotations

from pathlib import Path

import yaml

from clue_miner.nlp.analyze import FlagResult, analyze_text
from clue_miner.nlp.rules.model import load_rule_pack

PACK = {
    "category": "food_safety",
    "label": "食品安全",
    "title": "食品安全",
    "keyword_baseline": ["食品"],
    "facts": {
        "foods": {
            "label": "涉案食品",
            "from": {
                "pattern": "销售(?P<value>过期[\\u4e00-\\u9fa5]{1,4}?)\\d",
                "in_evidence": True,
            },
            "key": True,
            "title": "{value}",
        },
        "fine": {"label": "罚款", "unit": "元", "from": {"mention": "money", "pick": "max"}},
        "seller": {"label": "销售者", "from": {"mention": "organization"}},
        "inspected_by": {"label": "检查机关"},  # set by a join: never read from the text
    },
    "report": {
        "failure": "{agency}未依法履行食品安全监管职责。",
        "next_step": "建议由{procuratorate}调查核实。",
    },
    "agencies": ["市场监督管理局"],
    "legal_basis": ["《中华人民共和国食品安全法》第三十四条"],
    "rules": [
        {
            "id": "FS-901",
            "title": "销售过期食品",
            "definition": "d",
            "why": "w",
            "threshold": 0.5,
            "features": [
                {
                    "name": "expired_sale",
                    "label": "销售过期食品",
                    "weight": 0.6,
                    "required": True,
                    "pattern": "销售过期[\\u4e00-\\u9fa5]{1,4}?\\d",
                }
            ],
        }
    ],
}
TEXT = (
    "某县市场监督管理局检查发现，某县鑫源超市有限公司销售过期牛奶12箱、销售过期面包30袋。"
    "该局依法没收涉案食品，罚款人民币5000元，并对另一家超市罚款2000元。"
)


def flag_of(tmp_path: Path, text: str = TEXT) -> FlagResult:
    path = tmp_path / "food_safety.yml"
    path.write_text(yaml.safe_dump(PACK, allow_unicode=True), encoding="utf-8")
    [flag] = analyze_text(text, packs=(load_rule_pack(path),)).flags
    return flag


def test_facts_come_from_the_sources_the_pack_names(tmp_path: Path) -> None:
    flag = flag_of(tmp_path)
    assert flag.facts == {
        "foods": ["过期牛奶", "过期面包"],
        "fine": 5000,
        "seller": ["某县鑫源超市有限公司"],
    }  # in the pack's order; a joined fact is not invented


def test_the_key_fact_and_title_fact_shape_an_anonymous_case(tmp_path: Path) -> None:
    flag = flag_of(tmp_path, TEXT.replace("某县鑫源超市有限公司", "一家超市"))
    assert flag.title == "销售过期食品（过期牛奶、过期面包）"
    assert flag.organization is None
    assert flag.lead_key().endswith(":-:过期牛奶,过期面包")
