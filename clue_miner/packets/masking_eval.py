"""Masking measured like a PII system: recall of a minor's personal data, and corruption.

The corpus (``nlp/corpus/personal_data/sentences.jsonl``, our own writing) labels every
span of a minor's personal data in each sentence (``spans``: kind, text, nth occurrence)
and the strings that must stay as they are (``keep``). :func:`evaluate_masking` masks each
sentence and aligns the result with the original: a span is masked when every one of its
identifying characters changed (a name's surname, an ID number's first six digits, a
mobile number's first three and a date's 年/月/日 are kept by design); every changed
character outside the spans is corruption.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from clue_miner.nlp.classify.corpus import CORPUS_DIR, CorpusError
from clue_miner.nlp.dictionaries import surnames
from clue_miner.nlp.personal_data import KINDS
from clue_miner.packets.masking import mask_minors

MASKING_CORPUS = CORPUS_DIR / "personal_data" / "sentences.jsonl"
_NOT_IDENTIFYING = set("某*※")


@dataclass(frozen=True)
class LabelledSpan:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    text: str
    spans: tuple[LabelledSpan, ...]
    keep: tuple[str, ...]


@dataclass
class MaskingReport:
    """Per kind, the labelled spans and those masked; the characters outside every span
    and those changed; the cases behind each shortfall."""

    sentences: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    masked: Counter[str] = field(default_factory=Counter)
    outside: int = 0
    corrupted: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # id, kind, clear text
    corruptions: list[tuple[str, str, str]] = field(default_factory=list)  # id, before, after

    @property
    def recall(self) -> float:
        total = sum(self.spans.values())
        return sum(self.masked.values()) / total if total else 1.0

    @property
    def corruption(self) -> float:
        return self.corrupted / self.outside if self.outside else 0.0


def read_masking_corpus(path: Path = MASKING_CORPUS) -> list[LabelledSentence]:
    """The labelled sentences; a span that is not in its text names the file and line."""
    sentences = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = str(row["text"])
            spans = tuple(_locate(text, span) for span in row.get("spans", []))
            keep = tuple(str(k) for k in row.get("keep", []))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{path}:{number}: {exc}") from exc
        sentences.append(LabelledSentence(str(row["id"]), text, spans, keep))
    return sentences


def _locate(text: str, span: dict[str, object]) -> LabelledSpan:
    kind, clear, nth = str(span["kind"]), str(span["text"]), int(str(span.get("nth", 0)))
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    start = -1
    for _ in range(nth + 1):
        start = text.find(clear, start + 1)
        if start < 0:
            raise ValueError(f"{clear!r} (occurrence {nth}) is not in the text")
    return LabelledSpan(kind, start, start + len(clear))


def _kept_prefix(kind: str, clear: str) -> int:
    if kind in ("name", "guardian_name"):
        if len(clear) >= 3 and clear[:2] in surnames():
            return 2
        return 1 if clear[:1] in surnames() else 0
    return {"id_number": 6, "phone": 3}.get(kind, 0)


def _identifying(kind: str, clear: str) -> list[int]:
    """Offsets within ``clear`` that must change for the span to count as masked."""
    prefix = _kept_prefix(kind, clear)
    if kind in ("birth_date", "phone"):
        digits = [i for i, c in enumerate(clear) if c.isdigit()]
        return digits[prefix:] if kind == "phone" else digits
    return [i for i in range(prefix, len(clear)) if clear[i] not in _NOT_IDENTIFYING]


def _changed(before: str, after: str) -> set[int]:
    """Offsets of ``before`` that the masking replaced or deleted; an insertion marks the
    character it follows."""
    changed: set[int] = set()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changed.update(range(i1, i2))
        elif tag == "insert":
            changed.add(max(i1 - 1, 0))
    return changed


def evaluate_masking(sentences: list[LabelledSentence], minors_case: bool = True) -> MaskingReport:
    """Mask every sentence and measure recall per kind and corruption. Each sentence is
    read as part of a minors' case (as a packet of a lead about minors masks it) unless
    ``minors_case`` is off: then only what the sentence itself says counts."""
    report = MaskingReport(sentences=len(sentences))
    for sentence in sentences:
        masked = mask_minors(sentence.text, minors_case).text
        changed = _changed(sentence.text, masked)
        inside: set[int] = set()
        for span in sentence.spans:
            clear = sentence.text[span.start : span.end]
            inside.update(range(span.start, span.end))
            report.spans[span.kind] += 1
            if all(span.start + i in changed for i in _identifying(span.kind, clear)):
                report.masked[span.kind] += 1
            else:
                report.misses.append((sentence.id, span.kind, clear))
        outside = [i for i in range(len(sentence.text)) if i not in inside]
        report.outside += len(outside)
        wrong = [i for i in outside if i in changed]
        broken = [k for k in sentence.keep if masked.count(k) < sentence.text.count(k)]
        report.corrupted += len(wrong)
        if wrong or broken:
            report.corruptions.append((sentence.id, sentence.text, masked))
    return report
