"""64-bit simhash of a text, for finding reposts that differ only in a byline or a line.

Bylines, source lines and editor lines are dropped first (a repost rewrites exactly
those). Features are character trigrams of what remains with whitespace and punctuation
removed, weighted by how often they occur; each votes on 64 bits through a stable hash
(two seeded CRC-32s: fast, and the same on every machine and in every process).
Texts that share most of their trigrams end up a few bits apart.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

import numpy as np

BITS = 64
BANDS = 4  # two hashes within BANDS - 1 bits of each other share at least one band
BAND_BITS = BITS // BANDS
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_BYLINE = re.compile(
    r"^(?:来源|作者|编辑|责任编辑|记者|通讯员|转载|图为|供图|摄影)[:：].*$"
    r"|^(?:本网讯|本报讯|讯)?（[^）]{0,40}）"
    r"|（(?:转载[^）]*)?(?:责任)?编辑[:：][^）]*）"
    r"|【转载】",
    re.MULTILINE,
)


def _gram_hash(gram: bytes) -> int:
    """A stable 64-bit hash of a trigram: two CRC-32s with different seeds."""
    return zlib.crc32(gram) | zlib.crc32(gram, 0x9E3779B9) << 32


def simhash(text: str) -> int:
    """The unsigned 64-bit simhash of ``text`` (0 for a text too short to have trigrams)."""
    chars = _NOISE.sub("", _BYLINE.sub("", text))
    grams = Counter(chars[i : i + 3] for i in range(len(chars) - 2))
    if not grams:
        return 0
    hashes = np.fromiter((_gram_hash(g.encode()) for g in grams), np.uint64, len(grams))
    counts = np.fromiter(grams.values(), np.int64, len(grams))
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = ((bits.astype(np.int64) * 2 - 1) * counts[:, None]).sum(axis=0)
    return sum(1 << int(bit) for bit in np.flatnonzero(votes > 0))


def bands(value: int) -> tuple[int, ...]:
    """The hash cut into BANDS blocks of BAND_BITS bits (blocking keys)."""
    mask = (1 << BAND_BITS) - 1
    return tuple(value >> (i * BAND_BITS) & mask for i in range(BANDS))


def distance(a: int, b: int) -> int:
    """Hamming distance between two hashes."""
    return (a ^ b).bit_count()


def to_signed(value: int) -> int:
    """Store an unsigned 64-bit hash in a signed BIGINT column."""
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def from_signed(value: int) -> int:
    return value + (1 << BITS) if value < 0 else value
