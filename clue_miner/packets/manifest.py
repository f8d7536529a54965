"""The packet's manifest: every file with its SHA-256 and size, and who exported it when.
``verify_packet`` re-hashes a packet and names each missing, added or altered file."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(root: Path, about: dict[str, Any]) -> dict[str, Any]:
    """The manifest of every file under ``root`` (paths relative to it, sorted)."""
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
        data = path.read_bytes()
        files.append(
            {
                "path": path.relative_to(root).as_posix(),
                "sha256": sha256_bytes(data),
                "size": len(data),
            }
        )
    return {**about, "files": files}


@dataclass
class Verification:
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.added or self.altered)


class PacketError(ValueError):
    """A file that is not a packet at all (not a ZIP, no manifest)."""


def verify_packet(path: Path) -> tuple[Verification, dict[str, Any]]:
    """Re-hash every file of a packet ZIP against its manifest."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PacketError(f"{path}: 不是有效的ZIP文件 not a ZIP file ({exc})") from exc
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        manifests = [n for n in names if n.rsplit("/", 1)[-1] == MANIFEST]
        if len(manifests) != 1:
            raise PacketError(f"{path}: 缺少 manifest.json (found {len(manifests)})")
        prefix = manifests[0][: -len(MANIFEST)]
        try:
            manifest = json.loads(archive.read(manifests[0]))
            listed = {f["path"]: f for f in manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise PacketError(f"{path}: manifest.json 无法读取 unreadable ({exc})") from exc
        result = Verification()
        present = {n[len(prefix) :] for n in names if n.startswith(prefix)} - {MANIFEST}
        present |= {n for n in names if not n.startswith(prefix)}
        for name, entry in sorted(listed.items()):
            if name not in present:
                result.missing.append(name)
                continue
            data = archive.read(prefix + name)
            result.checked += 1
            if sha256_bytes(data) != entry.get("sha256") or len(data) != entry.get("size"):
                result.altered.append(name)
        result.added = sorted(present - set(listed))
    return result, manifest
