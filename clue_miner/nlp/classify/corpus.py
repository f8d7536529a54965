"""The labelled corpus: JSON lines with id, title, text and labels (a list of categories)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from clue_miner.nlp.rules import load_rule_packs

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
CATEGORIES = tuple(pack.category for pack in load_rule_packs())  # one per rule pack


@dataclass(frozen=True)
class LabelledDoc:
    id: str | int
    title: str
    text: str
    labels: frozenset[str]

    @property
    def content(self) -> str:
        return f"{self.title}\n{self.text}"


class CorpusError(ValueError):
    """A corpus line that is not a labelled document; names the file and line."""


def read_jsonl(path: Path) -> list[LabelledDoc]:
    """Labelled documents from one JSON-lines file (labels may be absent: unlabelled)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text ({exc})") from exc
    docs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            doc_id = row["id"] if isinstance(row["id"], str | int) else str(row["id"])
            docs.append(
                LabelledDoc(
                    doc_id,
                    str(row.get("title", "")),
                    str(row["text"]),
                    frozenset(row.get("labels", [])),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path}:{number}: {exc}") from exc
    return docs


def load_corpus(directory: Path = CORPUS_DIR) -> list[LabelledDoc]:
    """Every ``*.jsonl`` file of the bundled corpus."""
    docs: list[LabelledDoc] = []
    for path in sorted(directory.glob("*.jsonl")):
        docs.extend(read_jsonl(path))
    return docs
