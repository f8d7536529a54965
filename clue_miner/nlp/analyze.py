"""Text in, flags out: the single-document analysis every stage shares.

:func:`analyze_text` splits a text into articles, extracts mentions, derives ages from birth
dates, applies every rule pack and returns flags with named features, evidence offsets,
the organization, the responsible agency and the region.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from clue_miner.nlp.dictionaries import Place, full_place_name, places_by_code, term_lists
from clue_miner.nlp.extractors import extract_all
from clue_miner.nlp.extractors.agencies import resolve_agency_name
from clue_miner.nlp.extractors.organizations import normalize_org_name
from clue_miner.nlp.mentions import Mention
from clue_miner.nlp.normalize import PreparedText, prepare
from clue_miner.nlp.org_names import parse_org_name
from clue_miner.nlp.rules import RulePack, load_rule_packs
from clue_miner.nlp.rules.engine import RuleOutcome, SectionView, evaluate_rule, passes
from clue_miner.nlp.rules.model import FactSource
from clue_miner.nlp.text import Section, split_sections

ANALYSIS_VERSION = "v0.3"  # one decision: rules and text model weighed by a calibrated combiner
_LEVEL_RANK = {"district": 3, "city": 2, "province": 1}
_EVENT_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_SUGGESTION = re.compile(r"检察建议")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_QUOTE_MAX = 240
MAX_EVIDENCE = 5
# The crawler keeps at most this much of a page (``crawlers.html_text.MAX_TEXT_CHARS``); a
# text handed in another way is read no further, so one huge file cannot stall a run.
MAX_ANALYSIS_CHARS = 200_000


@dataclass
class Evidence:
    """A sentence that supports a flag: ``text[start:end] == quote``; ``hits`` are the exact
    spans of the features that fired inside it."""

    start: int
    end: int
    quote: str
    features: list[str]
    hits: list[tuple[int, int]]


@dataclass
class FlagResult:
    """One fired rule on one article of a text."""

    category: str
    rule_id: str
    rule_title: str
    title: str
    score: float
    features: list[dict[str, Any]]
    evidence: list[Evidence]
    organization: str | None
    organization_uscc: str | None
    organization_anonymous: bool
    agency: str | None
    region_adcode: str | None
    region_name: str | None
    legal_basis: list[str]
    facts: dict[str, Any]
    section_title: str
    section_start: int
    section_end: int
    section_index: int = 0
    fired: bool = True
    signals: dict[str, float] = field(default_factory=dict)
    key_fact: str = ""  # the pack's lead-key fact, for a flag with no identified organization

    def lead_key(self) -> str:
        """Stable identity of the case: category + credit code or name, else + the region,
        the name's core and the pack's key fact."""
        if self.organization_uscc:
            return f"{self.category}:uscc:{self.organization_uscc}"
        if self.organization and not self.organization_anonymous:
            return f"{self.category}:org:{self.organization[:200]}"
        facts = self.key_fact
        if len(facts) > 60:  # keys must fit the column on every database
            facts = "sha1-" + hashlib.sha1(facts.encode()).hexdigest()[:16]
        # "唐山市丰南区某文化传媒有限公司" and "某文化传媒有限公司" in 丰南区 are one company
        org = parse_org_name(self.organization).core[:100] if self.organization else "-"
        return f"{self.category}:event:{self.region_adcode or '-'}:{org}:{facts}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["lead_key"] = self.lead_key()
        del data["signals"], data["fired"], data["key_fact"]
        return data


@dataclass
class AnalysisResult:
    """What the rules made of a text. ``candidates`` holds, per article and category, the
    best outcome of the category's rules that found evidence (fired or not); ``flags`` are
    the candidates whose rule fired. The decision (:mod:`clue_miner.nlp.classify.decision`)
    weighs them with the text model and keeps the flags the night stores."""

    text: str
    mentions: list[Mention]
    flags: list[FlagResult] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    near_misses: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    rule_scores: dict[str, float] = field(default_factory=dict)
    candidates: list[FlagResult] = field(default_factory=list)
    truncated_at: int | None = None  # the prepared text was longer; only this much was read

    def rule_signals(self, category: str) -> dict[str, float]:
        """The named rule signals of the strongest candidate of ``category`` in the whole
        text (its rule's score, whether it fired, was excluded, and which features hit)."""
        best = self.best_candidate(category)
        if best is not None:
            return best.signals
        return {"rule_score": self.rule_scores.get(category, 0.0)}

    def best_candidate(self, category: str) -> FlagResult | None:
        """The candidate of ``category`` whose rule fired, or else scored highest."""
        own = [c for c in self.candidates if c.category == category]
        return max(own, key=lambda c: (c.fired, c.score, -c.section_start), default=None)


class _Event(NamedTuple):
    """The dated event an age is about, where its date stands, and whether the event is a
    signing, hiring or streaming."""

    day: date
    start: int
    end: int
    about_work: bool


@cache
def _age_events() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in term_lists()["age_events"]))


def _event_date(text: str, birth: Mention, born: date) -> _Event | None:
    """The date of the event an age is about: the nearest later date within 400 characters,
    preferring one in a sentence about signing, hiring or streaming."""
    best: tuple[int, int, _Event] | None = None
    for match in _EVENT_DATE.finditer(text):
        if birth.start <= match.start() < birth.end:
            continue
        distance = abs(match.start() - birth.start)
        if distance > 400:
            continue
        try:
            candidate = date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            continue
        if candidate <= born:
            continue
        window = text[max(0, match.start() - 30) : match.end() + 40]
        preference = 0 if _age_events().search(window) else 1
        if best is None or (preference, distance) < best[:2]:
            event = _Event(candidate, match.start(), match.end(), preference == 0)
            best = (preference, distance, event)
    return best[2] if best else None


def _between(text: str, birth: Mention, offset: int) -> str:
    return text[birth.end : offset] if offset >= birth.end else text[offset : birth.start]


def derive_ages(text: str, mentions: list[Mention], published: date | None) -> list[Mention]:
    """Ages computed from birth dates (written, or read from an ID number) at the event they
    are about (else at publication). Where that event is a signing, hiring or streaming
    in another sentence, the age is also placed at the event's date: a judgment names a
    party's birth date in its heading and what the party did paragraphs later."""
    derived = []
    births = [m for m in mentions if m.type == "birth_date"] + [
        Mention("birth_date", m.text, m.attrs["birth_date"], m.start, m.end)
        for m in mentions
        if m.type == "id_number"
    ]
    for birth in births:
        parts = [int(p) for p in birth.value.split("-")]
        born = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
        found = _event_date(text, birth, born)
        event = found.day if found else published
        if event is None:
            continue
        age = event.year - born.year - ((event.month, event.day) < (born.month, born.day))
        if not 0 <= age <= 120:
            continue
        attrs = {
            "min": age,
            "max": age,
            "qualifier": "derived",
            "at": event.isoformat(),
            "born": birth.value,
        }
        derived.append(Mention("age", birth.text, str(age), birth.start, birth.end, attrs))
        if found and found.about_work and _SENTENCE_END.search(_between(text, birth, found.start)):
            at_event = {**attrs, "placed": "event"}
            place = text[found.start : found.end]
            derived.append(Mention("age", place, str(age), found.start, found.end, at_event))
    return derived


def _sentence_of(view: SectionView, offset: int) -> tuple[int, int]:
    start, end = (
        view.sentences[view.sentence_index(offset)] if view.sentences else (view.start, view.end)
    )
    if end - start > _QUOTE_MAX:
        start = max(start, offset - _QUOTE_MAX // 2)
        end = min(end, start + _QUOTE_MAX)
    return start, end


def _evidence(outcome: RuleOutcome, view: SectionView, text: str) -> list[Evidence]:
    """The sentences holding required-feature hits, strongest first (at most MAX_EVIDENCE)."""
    required = {f.name for f in outcome.rule.features if f.required}
    by_sentence: dict[tuple[int, int], Evidence] = {}
    for feature in outcome.features:
        for hit in feature.hits:
            span = _sentence_of(view, hit.start)
            item = by_sentence.setdefault(
                span, Evidence(span[0], span[1], text[span[0] : span[1]], [], [])
            )
            if feature.name not in item.features:
                item.features.append(feature.name)
            item.hits.append((hit.start, hit.end))
    relevant = [e for e in by_sentence.values() if required & set(e.features)]
    relevant.sort(key=lambda e: (-len(required & set(e.features)), -len(e.features), e.start))
    return sorted(relevant[:MAX_EVIDENCE], key=lambda e: e.start)


_PARTY_LABEL = re.compile(
    r"(当事人|被处罚单位|被处罚人|被检查单位|被告|被申请人|违法主体)[:：]?\s*$"
)
# An organization right after these words is the other side of the deal: the buyer, the
# supplier, the landlord or the carrier ("销售给B公司", "从C公司购进", "租用D公司的仓库").
_COUNTERPARTY_BEFORE = re.compile(
    r"(?:销售给|卖给|售给|售予|出售给|转售给|供应给|供货给|供给|提供给|配送给|送给|送往|运往|运至|送至|"
    r"交付|租用|承租|租赁|借用|挂靠|委托|向|从|自|为|替)$"
)
_COUNTERPARTY_AFTER = re.compile(r"^(?:处|那里|手中)?(?:购买|购进|采购|进货|租赁|承租|提供的)")
ORG_WINDOW_SENTENCES = 3


def _counterparty(m: Mention, text: str) -> bool:
    """Whether the organization is named as the other side of a deal, not the actor."""
    before = text[max(0, m.start - 6) : m.start]
    after = text[m.end : m.end + 6]
    return bool(_COUNTERPARTY_BEFORE.search(before)) or bool(
        _COUNTERPARTY_AFTER.match(after) and re.search(r"(?:从|向|自)$", before)
    )


def _decision_party(outcome: RuleOutcome, view: SectionView) -> Mention | bool | None:
    """The party a penalty decision names for the evidence: the nearest party label before
    the first required hit (or the first one). ``False`` when the section parses as no
    decision; ``None`` when the party is a person, so that no buyer or supplier is named."""
    parties = [m for m in view.mentions if m.type == "party"]
    if not parties:
        return False
    required = {f.name for f in outcome.rule.features if f.required}
    hits = [h.start for f in outcome.features if f.name in required for h in f.hits]
    first = min(hits) if hits else view.start
    before = [p for p in parties if p.start <= first]
    party = before[-1] if before else parties[0]
    if party.attrs.get("kind") != "organization":
        return None
    for m in view.mentions:
        if m.type == "organization" and m.start < party.end and party.start < m.end:
            return m
    anonymous = "某" in party.value
    return Mention(
        "organization",
        party.text,
        normalize_org_name(party.value),
        party.start,
        party.end,
        {"anonymous": anonymous},
    )


def _choose_organization(outcome: RuleOutcome, view: SectionView) -> Mention | None:
    """The organization the required evidence is about, or None when no organization is
    named near it (a licensee table further down is not the offender).

    A penalty decision's party (当事人, 被处罚单位, a 双公示 row's 行政相对人) is the one,
    whatever else the facts name. Otherwise candidates are organizations within three
    sentences of a required hit, and the party a text names ("当事人…"). Ranked by the
    other side of a deal last (a buyer, supplier, landlord), then by how many required
    features hit in their sentence, then a registered legal form (有限公司 …), then
    recurrence, then position.
    """
    party = _decision_party(outcome, view)
    if party is not False:
        return party if isinstance(party, Mention) else None
    required = {f.name for f in outcome.rule.features if f.required}
    sentences_by_feature = {
        f.name: {view.sentence_index(h.start) for h in f.hits}
        for f in outcome.features
        if f.name in required
    }
    hit_sentences = set().union(*sentences_by_feature.values())
    orgs = [m for m in view.mentions if m.type == "organization"]

    def labelled(m: Mention) -> bool:
        return bool(_PARTY_LABEL.search(view.text[max(0, m.start - 8) : m.start]))

    def candidate(m: Mention) -> bool:
        sentence = view.sentence_index(m.start)
        near = any(abs(sentence - s) <= ORG_WINDOW_SENTENCES for s in hit_sentences)
        return near or labelled(m)

    candidates = [m for m in orgs if candidate(m)]
    if not candidates:
        return None
    acting = {m.value for m in candidates if not _counterparty(m, view.text)}

    def rank(m: Mention) -> tuple[int, int, int, int, int, int]:
        sentence = view.sentence_index(m.start)
        together = sum(sentence in s for s in sentences_by_feature.values())
        registered = int(m.value.endswith(("有限公司", "有限责任公司")))
        recurrences = sum(o.value == m.value for o in orgs)
        return (
            int(m.value not in acting),
            -int(labelled(m)),
            -together,
            -registered,
            -recurrences,
            m.start,
        )

    return min(candidates, key=rank)


def _uscc_for(org: Mention | None, view: SectionView) -> str | None:
    if org is None:
        return None
    for mention in view.mentions:
        if (
            mention.type == "uscc"
            and org.end <= mention.start <= org.end + 80
            and mention.attrs.get("status") == "valid"
        ):
            return mention.value
    return None


def _section_places(view: SectionView) -> list[Place]:
    table = places_by_code()
    found = [table[m.value] for m in view.mentions if m.type == "place" and m.value in table]
    return sorted(found, key=lambda p: -_LEVEL_RANK.get(p.level, 0))


def _choose_agency(pack: RulePack, view: SectionView, region: Place | None) -> str:
    candidates = [m for m in view.mentions if m.type == "agency" and m.value in pack.agencies]
    context = _section_places(view)
    if candidates:

        def rank(m: Mention) -> tuple[int, int, int]:
            s, e = _sentence_of(view, m.start)
            suggested = 0 if _SUGGESTION.search(view.text[s:e]) else 1
            return (suggested, pack.agencies.index(m.value), m.start)

        return resolve_agency_name(min(candidates, key=rank), context)
    if region is not None:
        return region.name + pack.agencies[0]
    return "属地" + pack.agencies[0]  # the local one, wherever the case turns out to be


def _region(uscc: str | None, view: SectionView, default_adcode: str | None) -> Place | None:
    table = places_by_code()
    if uscc and uscc[2:8] in table:
        return table[uscc[2:8]]
    section_places = _section_places(view)
    if section_places:
        return section_places[0]
    return table.get(default_adcode or "")


def _fact_value(source: FactSource, outcome: RuleOutcome, view: SectionView) -> Any:
    """One fact as its pack declares it (None when the section holds none)."""
    hits = [(h.start, h.end) for f in outcome.features for h in f.hits]
    found: list[tuple[int, str, Any]] = []  # (offset, value, attribute)
    if source.mention is not None:
        for m in view.mentions:
            if m.type != source.mention or not passes(m, source.where or {}):
                continue
            if source.in_evidence and (m.start, m.end) not in hits:
                continue
            if source.attr is not None and source.attr not in m.attrs:
                continue
            found.append((m.start, m.value, m.attrs.get(source.attr) if source.attr else None))
    else:
        regex = re.compile(source.pattern or "")
        for match in regex.finditer(view.text, view.start, view.end):
            start, end = match.span("value") if "value" in regex.groupindex else match.span()
            if end <= start:
                continue
            if source.in_evidence and not any(a <= start and end <= b for a, b in hits):
                continue
            found.append((start, view.text[start:end], None))
    if not found:
        return None
    if source.attr is not None:
        return {value: attribute for _, value, attribute in found}
    if source.pick in ("max", "min"):
        numbers = [float(v) for _, v, _ in found if _is_number(v)]
        if not numbers:
            return None
        best = max(numbers) if source.pick == "max" else min(numbers)
        return int(best) if best.is_integer() else best
    values = list(dict.fromkeys(v for _, v, _ in sorted(found, key=lambda f: f[0])))
    return sorted(values) if source.pick == "sorted" else values


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _facts(pack: RulePack, outcome: RuleOutcome, view: SectionView) -> dict[str, Any]:
    """The facts the pack declares a flag reads from its section, in the pack's order."""
    facts: dict[str, Any] = {}
    for name, spec in pack.facts.items():
        if spec.source is None:
            continue  # set by a join (leads/cross_rules)
        value = _fact_value(spec.source, outcome, view)
        if value is not None:
            facts[name] = value
    return facts


def _key_fact(pack: RulePack, facts: dict[str, Any]) -> str:
    """The pack's lead-key fact as the key writes it: sorted values, or the value."""
    for name, spec in pack.facts.items():
        if spec.key and name in facts:
            value = facts[name]
            if isinstance(value, list | tuple):
                return ",".join(sorted(str(v) for v in value))
            return str(value)
    return ""


def _flag_title(pack: RulePack, rule_title: str, facts: dict[str, Any]) -> str:
    """The rule's title with the pack's title fact: "…危险化学品（盐酸、硫酸）"."""
    for name, spec in pack.facts.items():
        if spec.title is None or not facts.get(name):
            continue
        value = facts[name]
        shown = "、".join(str(v) for v in value[:5]) if isinstance(value, list) else str(value)
        return f"{rule_title}（{spec.title.format(value=shown)}）"
    return rule_title


def analyze_text(
    text: str,
    published: date | None = None,
    default_region: str | None = None,
    packs: tuple[RulePack, ...] | None = None,
    prepared: PreparedText | None = None,
) -> AnalysisResult:
    """Analyse a stored text. The work happens on its prepared form (Simplified, spam and
    repeats removed, see :mod:`clue_miner.nlp.normalize`); every offset in the result
    (mentions, evidence, sections) points into ``text`` itself. Only the first
    ``MAX_ANALYSIS_CHARS`` of the prepared text are read (``truncated_at`` says so)."""
    prepared = prepared if prepared is not None else prepare(text)
    work = prepared.text[:MAX_ANALYSIS_CHARS]
    mentions = extract_all(work)
    mentions = sorted(mentions + derive_ages(work, mentions, published), key=lambda m: m.start)
    result = AnalysisResult(text=text, mentions=mentions, sections=split_sections(work))
    if len(prepared.text) > MAX_ANALYSIS_CHARS:
        result.truncated_at = MAX_ANALYSIS_CHARS
    for index, section in enumerate(result.sections):
        view = SectionView(work, section.start, section.end, mentions)
        for pack in packs or load_rule_packs():
            best: RuleOutcome | None = None
            for rule in pack.rules:
                if rule.scope != "document":
                    continue
                outcome = evaluate_rule(rule, view)
                result.rule_scores[pack.category] = max(
                    result.rule_scores.get(pack.category, 0.0), outcome.score
                )
                near = outcome.score >= rule.threshold / 2 and not outcome.missing
                if near and not outcome.fired:
                    result.near_misses.append(
                        {
                            "rule_id": rule.id,
                            "section": section.title,
                            "score": outcome.score,
                            "excluded_by": outcome.excluded_by,
                        }
                    )
                if _has_evidence(outcome) and (
                    best is None or (outcome.fired, outcome.score) > (best.fired, best.score)
                ):
                    best = outcome
            if best is not None:
                flag = _flag(pack, best, view, section, work, default_region)
                flag.section_index = index
                result.candidates.append(flag)
    result.flags = [c for c in result.candidates if c.fired]
    return _in_source_offsets(result, prepared)


def _in_source_offsets(result: AnalysisResult, prepared: PreparedText) -> AnalysisResult:
    """The same result with every span moved from the prepared text to the stored one."""
    source = prepared.source

    def span(start: int, end: int) -> tuple[int, int]:
        return prepared.to_source(start, end)

    mentions = []
    for m in result.mentions:
        start, end = span(m.start, m.end)
        mentions.append(Mention(m.type, source[start:end], m.value, start, end, m.attrs))
    for flag in result.candidates:
        for ev in flag.evidence:
            ev.start, ev.end = span(ev.start, ev.end)
            ev.quote = source[ev.start : ev.end]
            ev.hits = [span(a, b) for a, b in ev.hits]
        flag.section_start, flag.section_end = span(flag.section_start, flag.section_end)
    sections = [Section(s.title, *span(s.start, s.end)) for s in result.sections]
    result.mentions, result.sections = mentions, sections
    result.removed = [r.__dict__ for r in prepared.removals]
    return result


def _flag(
    pack: RulePack,
    outcome: RuleOutcome,
    view: SectionView,
    section: Section,
    text: str,
    default_region: str | None,
) -> FlagResult:
    org = _choose_organization(outcome, view)
    uscc = _uscc_for(org, view)
    region = _region(uscc, view, default_region)
    facts = _facts(pack, outcome, view)
    org_name = org.value if org else None
    return FlagResult(
        category=pack.category,
        rule_id=outcome.rule.id,
        rule_title=outcome.rule.title,
        title=_flag_title(pack, outcome.rule.title, facts),
        score=outcome.score,
        features=[{"name": f.name, "weight": f.weight} for f in outcome.features],
        evidence=_evidence(outcome, view, text),
        organization=org_name,
        organization_uscc=uscc,
        organization_anonymous=bool(org and org.attrs.get("anonymous")),
        agency=_choose_agency(pack, view, region),
        region_adcode=region.adcode if region else None,
        region_name=full_place_name(region.adcode) if region else None,
        legal_basis=[*outcome.rule.legal_basis, *pack.legal_basis],
        facts=facts,
        section_title=section.title,
        section_start=section.start,
        section_end=section.end,
        fired=outcome.fired,
        signals=rule_signals(outcome),
        key_fact=_key_fact(pack, facts),
    )


def _has_evidence(outcome: RuleOutcome) -> bool:
    """Whether a required feature of the rule hit: there is a sentence to quote."""
    required = {f.name for f in outcome.rule.features if f.required}
    return any(f.name in required for f in outcome.features)


DECISIVE_SIGNAL = "decisive"


def rule_signals(outcome: RuleOutcome) -> dict[str, float]:
    """The named signals of a rule outcome that the decision weighs: the rule's score,
    whether it fired or an exclusion vetoed it, the share of its required features that hit,
    and one ``feature_<name>`` per feature that hit; ``decisive`` (not weighed, the decision
    obeys it) when a decisive exclusion holds."""
    required = sum(f.required for f in outcome.rule.features)
    signals = {
        "rule_score": outcome.score,
        "rule_fired": float(outcome.fired),
        "excluded": float(outcome.excluded_by is not None),
        "required_share": round((required - len(outcome.missing)) / max(1, required), 4),
    }
    signals.update({f"feature_{f.name}": 1.0 for f in outcome.features})
    if outcome.decisive_exclusion:
        signals[DECISIVE_SIGNAL] = 1.0
    return signals
