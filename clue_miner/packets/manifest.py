"""The packet's manifest: every file with its SHA-256 and size, and who exported it when.
``verify_packet`` re-hashes a packet and names each missing, added or altered file."""

from __future__ import annotations

import hashlib
import json
import struct
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
    """A file that is not a packet at all (not a ZIP or folder, no manifest)."""


UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
UNICODE_PATH_FIELD = 0x7075  # Info-ZIP's Unicode Path extra field


def _unicode_path(extra: bytes) -> str | None:
    """The UTF-8 name an Info-ZIP Unicode Path extra field carries, if any."""
    at = 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + size]
        if tag == UNICODE_PATH_FIELD and size > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        at += 4 + size
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its packer meant it. Packers that re-zip a packet (Info-ZIP's
    ``zip -r``, Windows' 压缩文件夹, older tools) often drop the UTF-8 flag; the stored bytes
    are then UTF-8 or, from Chinese Windows, GBK, which Python would read as CP437."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    named = _unicode_path(info.extra)
    if named:
        return named
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _zip_files(path: Path) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PacketError(f"{path}: 不是有效的ZIP文件 not a ZIP file ({exc})") from exc
    with archive:
        return {
            entry_name(info).replace("\\", "/"): archive.read(info)
            for info in archive.infolist()
            if not info.is_dir()
        }


def _folder_files(path: Path) -> dict[str, bytes]:
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def verify_packet(path: Path) -> tuple[Verification, dict[str, Any]]:
    """Re-hash every file of a packet (a ZIP, however re-packed, or an unpacked folder)
    against its manifest."""
    if path.is_dir():
        files = _folder_files(path)
    elif path.exists():
        files = _zip_files(path)
    else:
        raise PacketError(f"{path}: 文件或文件夹不存在 no such file or folder")
    manifests = sorted(
        (n for n in files if n.rsplit("/", 1)[-1] == MANIFEST), key=lambda n: n.count("/")
    )
    if not manifests or (len(manifests) > 1 and manifests[0].count("/") == manifests[1].count("/")):
        raise PacketError(f"{path}: 缺少 manifest.json (found {len(manifests)})")
    prefix = manifests[0][: -len(MANIFEST)]
    try:
        manifest = json.loads(files[manifests[0]])
        listed = {f["path"]: f for f in manifest["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise PacketError(f"{path}: manifest.json 无法读取 unreadable ({exc})") from exc
    result = Verification()
    present = {n[len(prefix) :]: data for n, data in files.items() if n.startswith(prefix)}
    present.update({n: data for n, data in files.items() if not n.startswith(prefix)})
    present.pop(MANIFEST, None)
    for name, entry in sorted(listed.items()):
        if name not in present:
            result.missing.append(name)
            continue
        data = present[name]
        result.checked += 1
        if sha256_bytes(data) != entry.get("sha256") or len(data) != entry.get("size"):
            result.altered.append(name)
    result.added = sorted(set(present) - set(listed))
    return result, manifest
