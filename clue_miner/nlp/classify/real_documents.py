"""Real public documents as an evaluation set, kept as an index and never as text.

``clue_miner/nlp/corpus/real/index.jsonl`` names each document: ``id``, ``url``, ``label``
(a category, ``other_pil`` for another public-interest domain, or ``negative``), ``genre``,
the ``query`` that finds it again with the search tool, the ``rank`` it came back at, and a
one-line ``note`` in our own words. The texts are third-party material: each session
rebuilds them into a scratch file outside the repository (one JSON line per document with
its ``url`` or ``id`` and its ``text``), and :func:`labelled_from_rebuilt` turns that file
into the labelled JSON lines ``clues evaluate`` reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from clue_miner.nlp.classify.corpus import CATEGORIES, CORPUS_DIR, CorpusError

REAL_INDEX = CORPUS_DIR / "real" / "index.jsonl"
LABELS = (*CATEGORIES, "other_pil", "negative")
INDEX_FIELDS = ("id", "url", "label", "genre", "query", "rank", "note")


@dataclass(frozen=True)
class IndexEntry:
    id: str
    url: str
    label: str
    genre: str
    query: str
    rank: int
    note: str


def read_index(path: Path = REAL_INDEX) -> list[IndexEntry]:
    """The index lines; a line with a missing field or an unknown label names its number."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            entry = IndexEntry(**{name: row[name] for name in INDEX_FIELDS})
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path}:{number}: {exc}") from exc
        if entry.label not in LABELS:
            raise CorpusError(f"{path}:{number}: unknown label {entry.label!r}")
        entries.append(entry)
    return entries


@dataclass
class Rebuilt:
    """The labelled documents, and the index entries no rebuilt text was found for."""

    documents: list[dict[str, object]]
    missing: list[str]


def labelled_from_rebuilt(rebuilt: Path, index: list[IndexEntry]) -> Rebuilt:
    """Join rebuilt texts to the index by ``id`` or exact ``url``; the labels are the
    index's (other_pil and negative label neither category)."""
    texts: dict[str, str] = {}
    for number, line in enumerate(rebuilt.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = str(row["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CorpusError(f"{rebuilt}:{number}: {exc}") from exc
        for key in (row.get("id"), row.get("url")):
            if key:
                texts.setdefault(str(key), text)
    documents: list[dict[str, object]] = []
    missing = []
    for entry in index:
        found = texts.get(entry.id) or texts.get(entry.url)
        if not found:
            missing.append(entry.id)
            continue
        labels = [entry.label] if entry.label in CATEGORIES else []
        documents.append(
            {"id": entry.id, "title": "", "text": found, "labels": labels, "genre": entry.genre}
        )
    return Rebuilt(documents, missing)
