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


Scalar = str | int | float | bool


class Compare(_Strict):
    """Tests on one attribute of a mention (``value`` or an entry of its ``attrs``). A
    mention without the attribute passes only ``ne`` and ``not_in``."""

    lt: float | None = None
    le: float | None = None
    gt: float | None = None
    ge: float | None = None
    eq: Scalar | None = None
    ne: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None

    @pydantic.model_validator(mode="after")
    def _one_test_at_least(self) -> Compare:
        if not self.model_fields_set:
            raise ValueError("an attribute test needs lt, le, gt, ge, eq, ne, in or not_in")
        return self


class Condition(_Strict):
    """One test: a regex, a named term list (``dictionaries/terms.yml``), a mention kind
    whose attributes pass ``where`` (``mention: age, where: {max: {lt: 16}}``), or any of
    several."""

    pattern: Regex | None = None
    terms: str | None = None
    mention: str | None = None
    where: dict[Annotated[str, Field(pattern=IDENTIFIER)], Compare] | None = None
    any: list[Condition] | None = None

    @pydantic.model_validator(mode="after")
    def _where_needs_mention(self) -> Condition:
        if self.where is not None and self.mention is None:
            raise ValueError("'where' filters mentions: give 'mention' too")
        return self

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


class FactSource(_Strict):
    """Where a document rule's flag reads a fact: the values of one mention kind (those
    passing ``where``; with ``attr``, a mapping of value to that attribute), or the matches
    of ``pattern`` (its group ``value`` if it has one). ``in_evidence`` keeps only mentions
    or matches inside the hits of the features that fired; ``pick`` keeps all distinct
    values in text order (``sorted``: in sort order), or the largest or smallest number."""

    mention: str | None = None
    where: dict[Annotated[str, Field(pattern=IDENTIFIER)], Compare] | None = None
    attr: str | None = None
    pattern: Regex | None = None
    in_evidence: bool = False
    pick: Literal["all", "sorted", "max", "min"] = "all"

    @pydantic.model_validator(mode="after")
    def _one_source(self) -> FactSource:
        if (self.mention is None) == (self.pattern is None):
            raise ValueError("a fact is read from one 'mention' kind or one 'pattern'")
        if self.mention is not None:
            from clue_miner.nlp.extractors import EXTRACTORS

            if self.mention not in EXTRACTORS:
                raise ValueError(f"no extractor makes {self.mention!r} mentions")
        return self


class FactSpec(_Strict):
    """A fact a lead carries: how it is shown (its Chinese label, and its form: ``list``
    (盐酸、硫酸), ``per_item`` (硫酸1.1吨), ``age_ranges`` (不满16周岁) or one value followed
    by ``unit`` (13名)); where a document flag reads it (``from``; a fact without one is
    set by a join, ``leads/cross_rules``); whether it enters the lead key of a flag with no
    identified organization (``key``), and how it enters the flag's title (``title``, with
    ``{value}``: "{value}名未成年人"; a list fact shows its first five)."""

    label: str = Field(min_length=2, max_length=20)
    format: Literal["list", "per_item", "age_ranges"] = "list"
    unit: str = Field(default="", max_length=4)
    source: FactSource | None = Field(default=None, alias="from")
    key: bool = False
    title: str | None = Field(default=None, max_length=30)


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

    @pydantic.model_validator(mode="after")
    def _one_key_fact(self) -> RulePack:
        if sum(spec.key for spec in self.facts.values()) > 1:
            raise ValueError("at most one fact enters the lead key ('key: true')")
        return self

    @field_validator("agencies")
    @classmethod
    def _known_agencies(cls, value: list[str]) -> list[str]:
        from clue_miner.nlp.dictionaries import agency_types

        known = {a.canonical for a in agency_types()}
        unknown = [a for a in value if a not in known]
        if unknown:
            raise ValueError(
                f"unknown agencies {unknown} (known: see nlp/dictionaries/agencies.yml)"
            )
        return value


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node a validation error's location points to (the
    deepest node that exists on the way)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def load_rule_pack(path: Path) -> RulePack:
    """Read one pack; errors name the file, the line and the field."""
    try:
        source = path.read_text(encoding="utf-8")
        data: Any = yaml.safe_load(source)
        return RulePack.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise RulePackError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        root = yaml.compose(source)
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = _line_of(root, loc)
            where = f"{path}:{line}" if line else str(path)
            field = ".".join(str(p) for p in loc)
            problems.append(f"{where}: field '{field}': {error['msg']}")
        raise RulePackError("; ".join(problems)) from exc


@cache
def load_rule_packs(directory: Path = PACKS_DIR) -> tuple[RulePack, ...]:
    """All packs in ``directory``, sorted by category."""
    packs = [load_rule_pack(p) for p in sorted(directory.glob("*.yml"))]
    return tuple(sorted(packs, key=lambda p: p.category))
