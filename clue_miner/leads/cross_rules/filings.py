"""Business scopes (经营范围) from enterprise filings, each attributed to the entry it
belongs to: the first scope after a company name, before the next name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.leads.cross_rules.common import FILING_RECORD_TYPES
from clue_miner.models import Document, Mention
from clue_miner.nlp.extractors.identifiers import uscc_status

_SCOPE = re.compile(r"经营范围[:：]\s*([^\n]+)")
_USCC = re.compile(r"统一社会信用代码[:：]?\s*([0-9A-Z]{18})")


@dataclass(frozen=True)
class FiledScope:
    """One company's entry in a filing: its name, credit code, and business scope."""

    name: str
    uscc: str | None
    document: Document
    start: int
    end: int
    text: str

    def evidence(self, features: list[str]) -> dict[str, Any]:
        """The scope line as a flag's evidence item."""
        return {
            "start": self.start,
            "end": self.end,
            "quote": self.document.analysis_text()[self.start : self.end],
            "features": features,
            "hits": [],
            "document_id": self.document.id,
        }


def filed_scopes(session: Session) -> list[FiledScope]:
    """Every business scope in current filings, with the company it was filed for."""
    rows = session.execute(
        select(Mention, Document)
        .join(Document, Mention.document_id == Document.id)
        .where(
            Mention.type == "organization",
            Document.superseded_at.is_(None),
            Document.record_type.in_(FILING_RECORD_TYPES),
        )
        .order_by(Mention.document_id, Mention.start)
    ).all()
    by_document: dict[int, tuple[Document, list[Mention]]] = {}
    for mention, doc in rows:
        by_document.setdefault(doc.id, (doc, []))[1].append(mention)
    found: list[FiledScope] = []
    for doc, mentions in by_document.values():
        text = doc.analysis_text()
        for index, mention in enumerate(mentions):
            if "某" in mention.value:
                continue
            limit = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
            scope = _SCOPE.search(text, mention.end, limit)
            if scope is None:
                continue
            code = _USCC.search(text, mention.end, scope.start())
            uscc = code.group(1) if code and uscc_status(code.group(1)) == "valid" else None
            found.append(
                FiledScope(mention.value, uscc, doc, scope.start(), scope.end(), scope.group(1))
            )
    return found
