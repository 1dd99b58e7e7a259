"""What goes into the full-text index, and how a query is brought to the same form.

Both sides pass through :func:`marsad.lang.ar.normalize` (hamza/alef/ya/ta-marbuta folds, harakat and tatweel
removed), so أمريكا / امريكا / أمريكا with harakat meet. The ``stems`` column adds the clitic-stripped stem of every
word that has a proclitic (والصين → الصين, للصين → الصين) so that a query for الصين finds them; stems live in their
own column so that phrase queries over ``body`` keep their word positions.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

# Words as FTS5's unicode61 tokenizer sees them: runs of letters/digits (harakat are gone after normalize).
_WORD = re.compile(r"[^\W_]+")
_ARABIC_START = re.compile(r"[\u0621-\u064A]")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if not _ARABIC_START.match(word):
        return word
    return strip_clitics(word)[1]


# word -> its stem when it has a clitic, else "": a plain dict read through map() stays in C for the words seen
# before, which is nearly all of them (index_fields runs for every stored article)
_STEMS: dict[str, str] = {}
_STEMS_MAX = 500_000


def _stems(ws: list[str]) -> str:
    """The stems of the words that have one, space-separated (filter and map run in C for known words)."""
    try:
        return " ".join(filter(None, map(_STEMS.__getitem__, ws)))
    except KeyError:
        if len(_STEMS) > _STEMS_MAX:
            _STEMS.clear()
        for w in ws:
            if w not in _STEMS:
                st = _stem(w)
                _STEMS[w] = "" if st == w else st
        return " ".join(filter(None, map(_STEMS.__getitem__, ws)))


# Only a word that begins with one of the proclitic letters can lose a clitic (every prefix strip_clitics strips
# opens with و ف ب ل ك): the words of the stems column are found by this pattern alone, a word (as _WORD splits,
# so not after another word character) opening with one of them. Half of index_fields' time was _WORD splitting the
# whole body and a dict lookup per word; most words open with another letter.
CLITIC_LETTERS = "وفبلك"
_CLITIC_WORD = re.compile(rf"(?<![^\W_])[{CLITIC_LETTERS}][^\W_]*")


def index_fields(title: str | None, body: str) -> tuple[str, str, str]:
    """(title, body, stems) as they are written to ``articles_fts``: the stems column is :func:`_stems` of the
    words of both (``_WORD``), read only where a word can have a stem (``_CLITIC_WORD``)."""
    t = normalize(title or "")
    b = normalize(body)
    return t, b, _stems(_CLITIC_WORD.findall(t) + _CLITIC_WORD.findall(b))


# FTS5 syntax markers: when a query has none of these, each word is quoted (so a stray hyphen or colon in a
# pasted headline is a word separator, not a syntax error).
_SYNTAX = re.compile(r'["()*:^+]|\b(?:AND|OR|NOT|NEAR)\b')


def fts_query(query: str, *, syntax: str = "auto") -> str:
    """The FTS5 MATCH expression for a user query. ``syntax``: ``auto`` (FTS5 syntax when the query uses any of
    its operators, else plain words), ``fts`` (always FTS5 syntax), ``plain`` (words, all required)."""
    q = normalize(query.strip())
    if syntax == "fts" or (syntax == "auto" and _SYNTAX.search(q)):
        return q
    words = _WORD.findall(q)
    return " ".join(f'"{w}"' for w in words)


def query_terms(query: str) -> list[str]:
    """Plain normalised words of a query (for snippets), operators removed."""
    q = normalize(query)
    return [w for w in _WORD.findall(q) if w not in {"AND", "OR", "NOT", "NEAR"}]
