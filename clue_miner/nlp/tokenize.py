"""jieba with the domain dictionaries loaded once, its cache kept in our var folder."""

from __future__ import annotations

import logging
import threading

import jieba

from clue_miner.config import var_dir
from clue_miner.nlp.dictionaries import jieba_words

_lock = threading.Lock()
_ready = False


def _init() -> None:
    global _ready
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        cache_dir = var_dir() / "cache"
        cache_dir.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(cache_dir)
        for word in jieba_words():
            jieba.add_word(word, freq=20000)
        _ready = True


def words(text: str) -> list[str]:
    """jieba words of ``text`` (whitespace dropped), with the domain vocabulary."""
    _init()
    return [w for w in jieba.lcut(text, HMM=False) if w.strip()]
