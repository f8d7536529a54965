"""Raw responses kept exactly as fetched, addressed by their SHA-256.

A snapshot reference looks like ``sha256/ab/abcdef…``; beside the body file a ``.json``
sidecar records the URL, status, headers and fetch time. Writing the same bytes twice is a
no-op, so reruns do not grow the store.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from clue_miner.config import evidence_dir


@dataclass(frozen=True)
class Snapshot:
    sha256: str
    ref: str
    size: int


def snapshot_path(ref: str, root: Path | None = None) -> Path:
    """The file that holds the bytes of a snapshot reference."""
    base = (root or evidence_dir()).resolve()
    path = (base / ref).resolve()
    if base not in path.parents:
        raise ValueError(f"snapshot reference escapes the evidence store: {ref!r}")
    return path


def store_snapshot(
    body: bytes,
    url: str,
    status: int,
    headers: dict[str, str],
    root: Path | None = None,
) -> Snapshot:
    """Write ``body`` (if new) and its metadata sidecar; return its reference."""
    digest = hashlib.sha256(body).hexdigest()
    ref = f"sha256/{digest[:2]}/{digest}"
    path = snapshot_path(ref, root)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(body)
        tmp.replace(path)
        meta = {
            "url": url,
            "status": status,
            "headers": headers,
            "fetched_at": datetime.now(UTC).isoformat(),
            "sha256": digest,
            "size": len(body),
        }
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    return Snapshot(sha256=digest, ref=ref, size=len(body))


def read_snapshot(ref: str, root: Path | None = None) -> bytes:
    """The exact bytes that were fetched."""
    return snapshot_path(ref, root).read_bytes()
