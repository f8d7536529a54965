"""jieba with the domain dictionaries loaded once, its cache kept in our var folder.

We run jieba_fast: jieba with its dictionary graph and route search in C, the same
segmentation at about twice the speed (on our corpus and the real development set, 2 of
1,379 texts cut one phrase differently, both ways valid).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import jieba_fast as jieba
import jieba_fast.posseg as jieba_posseg

from clue_miner.config import var_dir
from clue_miner.nlp.dictionaries import jieba_words

_lock = threading.Lock()
_ready = False
# jieba segments each run of Chinese, letters and digits on its own (its re_han_default),
# so a text's words are the concatenation of its runs' words.
_RUN = jieba.re_han_default
_remembered: ContextVar[dict[str, list[str]] | None] = ContextVar("jieba_runs", default=None)


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
            jieba.add_word(word, freq=20000, tag="n")
        _ready = True


@contextmanager
def remembered_runs() -> Iterator[None]:
    """Within this block, :func:`words` segments each run of text once: a text made of
    another's sentences (a candidate's evidence, quoted from its document) costs nothing
    more. The words are exactly those without it; the memory ends with the block."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def words(text: str) -> list[str]:
    """jieba words of ``text`` (whitespace dropped), with the domain vocabulary."""
    _init()
    memory = _remembered.get()
    if memory is None:
        return [w for w in jieba.lcut(text, HMM=False) if w.strip()]
    found: list[str] = []
    for run in _RUN.split(text):
        if not run:
            continue
        if not _RUN.fullmatch(run):  # jieba yields such text a character at a time
            found.extend(run)
            continue
        cut = memory.get(run)
        if cut is None:
            cut = memory[run] = jieba.lcut(run, HMM=False)
        found.extend(cut)
    return [w for w in found if w.strip()]


def tagged_words(text: str) -> list[tuple[str, str]]:
    """jieba words of ``text`` with their part of speech (``nr`` a personal name), the
    HMM on so that names outside the dictionary are found."""
    _init()
    return [(pair.word, pair.flag) for pair in jieba_posseg.lcut(text, HMM=True)]


def dictionary_frequency(word: str) -> int:
    """How often ``word`` occurs in jieba's dictionary (0: not a dictionary word)."""
    _init()
    return int(jieba.dt.FREQ.get(word) or 0)
