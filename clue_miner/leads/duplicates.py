"""Reposts: a document that is a near copy of an earlier one from another address.

Each current document gets a simhash fingerprint once. Candidates are only the documents
that share one of its four 16-bit bands (an indexed lookup, no all-pairs comparison); one
within ``MAX_DISTANCE`` bits is a repost of the earliest such document. A repost's flags
join the original's lead, and it does not count as independent corroboration.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
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
        for doc_id in pending[start : start + batch_size]:
            doc = session.get_one(Document, doc_id)
            value = simhash(doc.text)
            parts = bands(value)
            original, gap = (
                _earliest_near_copy(session, doc, value, parts)
                if len(doc.text) >= MIN_CHARACTERS
                else (None, None)
            )
            session.add(
                DocumentFingerprint(
                    document_id=doc.id,
                    simhash=to_signed(value),
                    band0=parts[0],
                    band1=parts[1],
                    band2=parts[2],
                    band3=parts[3],
                    duplicate_of_id=original,
                    distance=gap,
                )
            )
            counts.fingerprinted += 1
            counts.reposts += original is not None
        session.commit()
    return counts


def _earliest_near_copy(
    session: Session, doc: Document, value: int, parts: tuple[int, ...]
) -> tuple[int | None, int | None]:
    rows = session.execute(
        select(DocumentFingerprint, Document)
        .join(Document, Document.id == DocumentFingerprint.document_id)
        .where(
            or_(
                DocumentFingerprint.band0 == parts[0],
                DocumentFingerprint.band1 == parts[1],
                DocumentFingerprint.band2 == parts[2],
                DocumentFingerprint.band3 == parts[3],
            ),
            Document.superseded_at.is_(None),
            Document.url != doc.url,
            DocumentFingerprint.duplicate_of_id.is_(None),  # originals only: buckets stay small
        )
    ).all()
    near = [
        (fp.document_id, gap)
        for fp, _other in rows
        if (gap := distance(value, from_signed(fp.simhash))) <= MAX_DISTANCE
    ]
    if not near:
        return None, None
    return min(near)
