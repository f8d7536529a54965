"""Evidence: every response fetched is kept, as received, in WARC files (warcio).

A crawl process appends one gzip member per response to
``var/evidence/warc/<source>/<timestamp>-<pid>.warc.gz``. A snapshot reference
``warc:<path relative to var/evidence>@<byte offset>`` points at one record; the record
carries the HTTP status line and headers and a ``WARC-Payload-Digest`` in SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from clue_miner.config import evidence_dir

REF_PREFIX = "warc:"
_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}


class EvidenceError(ValueError):
    """A snapshot reference that does not resolve to a record in the evidence store."""


@dataclass(frozen=True)
class Snapshot:
    sha256: str
    ref: str
    size: int


@dataclass(frozen=True)
class StoredResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    sha256: str


def payload_digest(body: bytes) -> str:
    """The WARC-style labelled digest ``sha256:<base32>`` of a payload."""
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode("ascii")


class WarcEvidenceWriter:
    """Appends response records to one WARC file (opened lazily, one per crawl process)."""

    def __init__(self, source_id: str, root: Path | None = None) -> None:
        self.root = (root or evidence_dir()).resolve()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.relative = Path("warc") / source_id / f"{stamp}-{os.getpid()}.warc.gz"
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    def _open(self) -> WARCWriter:
        if self._writer is None:
            path = self.root / self.relative
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = path.open("ab")
            self._writer = WARCWriter(self._fh, gzip=True)
        return self._writer

    def write_response(
        self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes
    ) -> Snapshot:
        """Append one response record and return its reference."""
        writer = self._open()
        assert self._fh is not None
        kept = [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP]
        kept = [(k, v) for k, v in kept if k.lower() != "content-length"]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        digest = hashlib.sha256(body).hexdigest()
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Payload-Digest": payload_digest(body)},
        )
        offset = self._fh.tell()
        writer.write_record(record)
        self._fh.flush()
        return Snapshot(
            sha256=digest, ref=f"{REF_PREFIX}{self.relative.as_posix()}@{offset}", size=len(body)
        )

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._writer = None


def _locate(ref: str, root: Path | None) -> tuple[Path, int]:
    if not ref.startswith(REF_PREFIX) or "@" not in ref:
        raise EvidenceError(f"not a WARC snapshot reference: {ref!r}")
    relative, _, offset = ref[len(REF_PREFIX) :].rpartition("@")
    base = (root or evidence_dir()).resolve()
    path = (base / relative).resolve()
    if base not in path.parents or not offset.isdigit():
        raise EvidenceError(f"snapshot reference outside the evidence store: {ref!r}")
    if not path.is_file():
        raise EvidenceError(f"evidence file missing: {path}")
    return path, int(offset)


def read_response(ref: str, root: Path | None = None) -> StoredResponse:
    """The stored response a reference points at, with its bytes exactly as received."""
    path, offset = _locate(ref, root)
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)), None)
        if record is None or record.rec_type != "response":
            raise EvidenceError(f"no response record at {ref!r}")
        body = record.raw_stream.read()
        http = record.http_headers
        url = record.rec_headers.get_header("WARC-Target-URI")
        status = int(http.get_statuscode()) if http else 0
        headers = list(http.headers) if http else []
    return StoredResponse(url, status, headers, body, hashlib.sha256(body).hexdigest())


def read_snapshot(ref: str, root: Path | None = None) -> bytes:
    """The exact bytes that were fetched."""
    return read_response(ref, root).body
