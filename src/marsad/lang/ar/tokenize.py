"""Tokens and clitics for Arabic news prose.

Tokens are spans of the original text. Clitic splitting is conservative and lexicon-free: a proclitic (و ف ب ل ك
and the article ال / لل) is only split off when what remains is still a plausible word, so that names like بكين or
لندن keep their first letter. Downstream matchers (gazetteers, registry, FTS) try both the surface form and the
stem, which is what makes والصين / بالصين / للصين meet الصين.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from marsad.lang.ar.normalize import normalize

# A word: letters/marks (any script) with inner apostrophes or hyphens; numbers with separators; else one symbol.
_TOKEN_RE = re.compile(
    r"""
    (?P<num>\d+(?:[.,٫٬]\d+)*%?)
  | (?P<word>[^\W\d_](?:[^\W\d_]|[\u064B-\u065F\u0670\u0640])*(?:['’][^\W\d_]+)*)
  | (?P<sym>\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str  # normalised surface form
    kind: str  # word | num | sym


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    out = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s = m.group(0)
        kind = m.lastgroup or "sym"
        out.append(Token(m.start(), m.end(), s, normalize(s), kind))
    return out


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _TOKEN_RE.finditer(text):
        if m.lastgroup == "word":
            yield m.start(), m.end(), m.group(0)


_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def strip_clitics(norm_word: str, *, min_stem: int = 3) -> tuple[str, str]:
    """Split a *normalised* word into (proclitics, stem), e.g. "والصين" → ("و", "الصين"), "للصين" → ("ل", "الصين").

    The definite article stays on the stem (الصين is the name), except that لل is read as ل + ال.
    """
    w = norm_word
    if not w or w[0] not in "وفبكل":  # every proclitic starts with one of these letters
        return "", w
    for p in ("وبال", "فبال", "وكال", "وال", "فال", "بال", "كال"):
        if w.startswith(p) and len(w) - len(p) >= min_stem - 1:
            return p[:-2], "ال" + w[len(p) :]
    for p in ("ولل", "فلل", "لل"):
        if w.startswith(p) and len(w) - len(p) >= min_stem - 1:
            return p[:-1], "ال" + w[len(p) :]
    if len(w) - 1 >= min_stem and w[0] in "وفبلك":
        if len(w) - 2 >= min_stem and w[0] in "وف" and w[1] in "بلك":
            return w[:2], w[2:]
        return w[0], w[1:]
    return "", w


def stem_variants(norm_word: str) -> list[str]:
    """Candidate forms of a normalised word for lexicon lookup, most specific first."""
    out = [norm_word]
    pre, stem = strip_clitics(norm_word)
    if pre:
        out.append(stem)
        if len(pre) > 1:
            out.append(norm_word[1:])
    if stem.startswith("ال") and len(stem) > 4:
        out.append(stem[2:])
    return out
