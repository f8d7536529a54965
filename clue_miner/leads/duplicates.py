"""Reposts: a document that is a near copy of an earlier one from another address.

Each current document gets a simhash fingerprint once. Candidates are only the documents
that share one of its four 16-bit bands (an indexed lookup, no all-pairs comparison); one
within ``MAX_DISTANCE`` bits is a repost of the earliest such document. A repost's flags
join the original's lead, and it does not count as independent corroboration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from clue_miner.models import Document, DocumentFingerprint
from clue_miner.nlp.simhash import bands, distance, from_signed, simhash, to_signed

MAX_DISTANCE = 3
MIN_CHARACTERS = 200  # short notices share templates, not content


@dataclass
class DuplicateCounts:
    fingerprinted: int = 0
    reposts: int = 0


def fingerprint_documents(session: Session, batch_size: int = 500) -> DuplicateCounts:
    """Fingerprint every current document without one; mark reposts of earlier ones."""
    counts = DuplicateCounts()
    done = select(DocumentFingerprint.document_id)
    pending = session.scalars(
        select(Document.id)
        .where(Document.superseded_at.is_(None), Document.id.not_in(done))
        .order_by(Document.published_date, Document.id)
    ).all()
    for start in range(0, len(pending), batch_size):
        chunk = pending[start : start + batch_size]
        texts = {
            doc_id: (url, text)
            for doc_id, url, text in session.execute(
                select(Document.id, Document.url, Document.text).where(Document.id.in_(chunk))
            )
        }
        batch = _Batch()
        for doc_id in chunk:  # in publication order: the earliest copy is the original
            url, text = texts[doc_id]
            value = simhash(text)
            original, gap = (
                min(
                    _near_copies(session, url, value) + batch.near_copies(url, value),
                    default=(None, None),
                )
                if len(text) >= MIN_CHARACTERS
                else (None, None)
            )
            batch.add(doc_id, url, value, original, gap)
            counts.fingerprinted += 1
            counts.reposts += original is not None
        if batch.rows:
            session.execute(insert(DocumentFingerprint), batch.rows)
        session.commit()
    return counts


@dataclass
class _Batch:
    """The fingerprints of one batch, inserted together at its end; until then the
    batch's own originals are searched here, beside the stored ones."""

    rows: list[dict[str, int | None]] = field(default_factory=list)
    originals: list[tuple[int, str, int]] = field(default_factory=list)

    def add(self, doc_id: int, url: str, value: int, original: int | None, gap: int | None) -> None:
        parts = bands(value)
        self.rows.append(
            {
                "document_id": doc_id,
                "simhash": to_signed(value),
                "band0": parts[0],
                "band1": parts[1],
                "band2": parts[2],
                "band3": parts[3],
                "duplicate_of_id": original,
                "distance": gap,
            }
        )
        if original is None:
            self.originals.append((doc_id, url, value))

    def near_copies(self, url: str, value: int) -> list[tuple[int, int]]:
        return [
            (doc_id, gap)
            for doc_id, other_url, other in self.originals
            if other_url != url and (gap := distance(value, other)) <= MAX_DISTANCE
        ]


def _near_copies(session: Session, url: str, value: int) -> list[tuple[int, int]]:
    """Stored originals (current, from another address) within MAX_DISTANCE bits, found
    through the bands they share with ``value``."""
    parts = bands(value)
    rows = session.execute(
        select(DocumentFingerprint.document_id, DocumentFingerprint.simhash)
        .join(Document, Document.id == DocumentFingerprint.document_id)
        .where(
            or_(
                DocumentFingerprint.band0 == parts[0],
                DocumentFingerprint.band1 == parts[1],
                DocumentFingerprint.band2 == parts[2],
                DocumentFingerprint.band3 == parts[3],
            ),
            Document.superseded_at.is_(None),
            Document.url != url,
            DocumentFingerprint.duplicate_of_id.is_(None),  # originals only: buckets stay small
        )
    ).all()
    return [
        (doc_id, gap)
        for doc_id, stored in rows
        if (gap := distance(value, from_signed(stored))) <= MAX_DISTANCE
    ]
