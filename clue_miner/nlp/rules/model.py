"""Rules as declared in YAML: named, weighted features, required ones, and exclusions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clue_miner.text_safety import Regex

PACKS_DIR = Path(__file__).resolve().parent / "packs"
IDENTIFIER = r"^[a-z][a-z0-9_]*$"  # a category, feature or fact name


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """One test: a regex, a named term list (``dictionaries/terms.yml``), a mention type
    with optional filters, or any of several."""

    pattern: Regex | None = None
    terms: str | None = None
    mention: str | None = None
    max_age_below: int | None = None
    precursor: bool | None = None
    specific: bool | None = None
    any: list[Condition] | None = None

    @field_validator("terms")
    @classmethod
    def _known_terms(cls, value: str | None) -> str | None:
        from clue_miner.nlp.dictionaries import term_lists

        if value is not None and value not in term_lists():
            raise ValueError(f"no term list {value!r} in dictionaries/terms.yml")
        return value


class Feature(Condition):
    """A named, weighted condition.

    ``near`` keeps only hits within two sentences of another feature's hits;
    ``skip_if_sentence`` drops hits whose sentence matches it (negations, prohibitions,
    advice: "未发现…", "…的，不得…").
    """

    name: str = Field(pattern=IDENTIFIER)
    label: str = Field(min_length=1, max_length=30)  # 中文名, shown to analysts
    weight: float = Field(ge=0, le=1)
    required: bool = False
    near: str | None = None
    skip_if_sentence: Regex | None = None


class Exclusion(_Strict):
    """A pattern that vetoes the rule, unless one of the ``unless`` features fired. A
    ``decisive`` exclusion (an inspection that found nothing, hosts who are all adults)
    also overrules the text model: the decision never flags a candidate it holds for."""

    name: str
    label: str = Field(min_length=1, max_length=30)  # 中文名, shown to analysts
    pattern: Regex
    unless: list[str] = []
    decisive: bool = False


class Rule(_Strict):
    """A rule of a pack. ``scope: document`` rules run on one text at a time; ``records``
    rules join the store (permits against activity) and are run by ``leads/cross_rules.py``
    with the same card, weights and legal basis."""

    id: str = Field(pattern=r"^[A-Z]{2}-\d{3}$")
    scope: Literal["document", "records"] = "document"
    title: str
    definition: str
    why: str
    threshold: float = Field(ge=0, le=1)
    features: list[Feature] = Field(min_length=1)
    exclusions: list[Exclusion] = []
    legal_basis: list[str] = []  # articles this rule cites before the pack's own

    @pydantic.model_validator(mode="after")
    def _known_mentions(self) -> Rule:
        """A document rule may only test mentions an extractor makes (a records rule's
        conditions name what its join module reads from the store)."""
        if self.scope != "document":
            return self
        from clue_miner.nlp.extractors import EXTRACTORS

        for feature in self.features:
            for kind in _mention_kinds(feature):
                if kind not in EXTRACTORS:
                    known = ", ".join(sorted(EXTRACTORS))
                    raise ValueError(
                        f"feature {feature.name!r}: no extractor makes {kind!r} mentions "
                        f"(known: {known})"
                    )
        return self


def _mention_kinds(condition: Condition) -> list[str]:
    kinds = [condition.mention] if condition.mention else []
    for part in condition.any or []:
        kinds += _mention_kinds(part)
    return kinds


class FactSpec(_Strict):
    """How a fact a lead carries is shown to readers: its Chinese label, and its form:
    ``list`` (盐酸、硫酸), ``per_item`` (硫酸1.1吨、盐酸20桶), ``age_ranges`` (不满16周岁)
    or one value followed by ``unit`` (13名)."""

    label: str = Field(min_length=2, max_length=20)
    format: Literal["list", "per_item", "age_ranges"] = "list"
    unit: str = Field(default="", max_length=4)


class ReportWording(_Strict):
    """The lead report's words for the category; ``{agency}`` and ``{procuratorate}`` are
    filled in from the lead."""

    failure: str = Field(min_length=10)  # how the supervising agency failed
    next_step: str = Field(min_length=10)  # what the procuratorate should do next


class RulePack(_Strict):
    """Everything about one category: its id and Chinese names, the agencies it routes to,
    its legal basis, its rules, and the keyword baseline it is measured against."""

    category: str = Field(pattern=IDENTIFIER)
    label: str = Field(min_length=2, max_length=20)  # 中文类别名, shown to analysts
    title: str
    keyword_baseline: list[Regex] = Field(min_length=1)  # a document matching all of them
    facts: dict[Annotated[str, Field(pattern=IDENTIFIER)], FactSpec] = {}  # in the order shown
    report: ReportWording
    agencies: list[str] = Field(min_length=1)
    legal_basis: list[str] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)


def load_rule_pack(path: Path) -> RulePack:
    """Read one pack; errors name the file and the field."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RulePack.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise RulePackError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in e['loc'])}': {e['msg']}" for e in exc.errors()
        )
        raise RulePackError(f"{path}: {problems}") from exc


@cache
def load_rule_packs(directory: Path = PACKS_DIR) -> tuple[RulePack, ...]:
    """All packs in ``directory``, sorted by category."""
    packs = [load_rule_pack(p) for p in sorted(directory.glob("*.yml"))]
    return tuple(sorted(packs, key=lambda p: p.category))
