"""Text preparation: width normalisation, re-joining wrapped lines, articles and sentences.

:func:`normalize` keeps the length of the text, so offsets found in the normalised text
point at the same characters of the stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH = {
    cp: cp - 0xFEE0
    for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for cp in range(r[0], r[1] + 1)
}
_FULLWIDTH[0x3000] = 0x20
_SENTENCE_END = "。！？!?；;"
_NO_JOIN_END = _SENTENCE_END + "：:”」』）)…"
_HEADING = re.compile(r"^#{1,6}\s")
_SENTENCE_BREAK = re.compile(r"[。！？!?；;\n]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def normalize(text: str) -> str:
    """Full-width digits and Latin letters to ASCII, ideographic spaces to spaces."""
    return text.translate(_FULLWIDTH)


def join_wrapped_lines(text: str, min_line: int = 40) -> str:
    """Undo hard line wraps in the middle of sentences (newspaper columns, PDF text).

    A long line that ends without punctuation, followed (after blank lines) by a line that
    is not a heading and starts with a Chinese character, continues that line.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        while (
            j < len(lines)
            and len(line) >= min_line
            and line[-1:] not in _NO_JOIN_END
            and _CJK.match(line[-1:] or " ")
            and not _HEADING.match(lines[j])
            and _CJK.match(lines[j].lstrip()[:1] or " ")
        ):
            line += lines[j].strip()
            i = j
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
        out.append(line)
        i += 1
    return "\n".join(out)


@dataclass(frozen=True)
class Section:
    """A stretch of a text that reads as one article: ``text[start:end]``."""

    title: str
    start: int
    end: int


def split_sections(text: str) -> list[Section]:
    """Split a multi-article page at Markdown-style headline blocks (``#``/``##``).

    A block of consecutive heading lines (blank lines between them allowed) opens a new
    article when it holds a level-1 or level-2 heading; ``###`` sub-heads stay inside.
    A text without such headings is one section.
    """
    starts: list[tuple[int, str]] = []
    offset = 0
    in_block = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        is_heading = bool(_HEADING.match(stripped))
        major = is_heading and not stripped.startswith("###")
        if major and not in_block:
            starts.append((offset, stripped.lstrip("#").strip()))
            in_block = True
        elif major and in_block:
            starts[-1] = (starts[-1][0], starts[-1][1] + " " + stripped.lstrip("#").strip())
        elif stripped and not is_heading:
            in_block = False
        offset += len(line)
    if not starts or (starts[0][0] > 0 and text[: starts[0][0]].strip()):
        starts.insert(0, (0, ""))
    sections = []
    for k, (start, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        if text[start:end].strip():
            sections.append(Section(title=title, start=start, end=end))
    return sections


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries within ``text[start:end]``: at 。！？； and line breaks."""
    end = len(text) if end is None else end
    spans = []
    begin = start
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        stop = match.end()
        if text[begin:stop].strip():
            spans.append((begin, stop))
        begin = stop
    if text[begin:end].strip():
        spans.append((begin, end))
    return spans
