"""Sentence splitting for Arabic news prose.

News sentences end in . ؟ ? ! ؛ or a line break, but Arabic wire copy often runs one "sentence" over a whole
paragraph joined by ، and و. A sentence longer than ``max_words`` is cut at the last ، (or ؛) before the limit, so
that downstream cue matching works on clause-sized units. Abbreviations (د. م. and agency initials with dots) and decimals are not ends.
"""

from __future__ import annotations

import re

from marsad.data import Span

_END = re.compile(r"(?:[.!?؟]+|[؛;]|\.\.\.|…)(?=[\s\"'»”)\]]|$)[\"'»”)\]]*|\n\s*\n|\n")
# a single Arabic letter then a dot (د. / م.) is an abbreviation, not a sentence end
_WORD = re.compile(r"\S+")
_ABBREV = re.compile(r"(?:^|[\s(])(?:[\u0621-\u064A]|[A-Za-z]{1,3})\.$")


def split_sentences(text: str, start: int = 0, end: int | None = None, *, max_words: int = 80) -> list[Span]:
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    for m in _END.finditer(text, start, end):
        if m.group(0).startswith(".") and _ABBREV.search(text[max(pos, m.start() - 6) : m.start() + 1]):
            continue
        _emit(text, pos, m.end(), spans, max_words)
        pos = m.end()
    if pos < end:
        _emit(text, pos, end, spans, max_words)
    return spans


def _emit(text: str, s: int, e: int, out: list[Span], max_words: int) -> None:
    """Append text[s:e] as one sentence, or as several clause-sized pieces when it runs on past ``max_words``.

    A loop, not recursion, and each step only looks at the next ``max_words`` words: a 2 MB page with no sentence
    end costs linear time and constant memory (found by the reliability suite)."""
    while True:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            return
        if e - s <= 2 * max_words:  # too short to hold max_words words (a word and its space are ≥ 2 chars)
            out.append(Span(s, e, "sent"))
            return
        limit = -1
        for i, m in enumerate(_WORD.finditer(text, s, e)):
            if i == max_words:  # there is a word past the limit: cut after the max_words-th one
                break
            limit = m.end()
        else:
            out.append(Span(s, e, "sent"))
            return
        # cut a run-on sentence at the last comma before the limit (or at the limit if there is none)
        cut = max(text.rfind("،", s, limit), text.rfind("؛", s, limit), text.rfind(",", s, limit))
        if cut <= s + (limit - s) // 3:
            cut = limit
        else:
            cut += 1
        out.append(Span(s, _rstrip(text, s, cut), "sent"))
        s = cut


def _rstrip(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e
