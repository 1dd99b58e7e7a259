"""The text layer every analysis stage reads: paragraphs of the body, tokens in normalised form with offsets into
the untouched text and their quotation-mark pairs, and sentence ends.

Computed once per article and shared: the quotes and events stages (and the learned event candidates) read the
same tokens through :func:`tokens_of`, which keeps the last article's paragraphs, instead of each tokenising the
text again. Offsets always point into ``article.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.data import Article, Span
from marsad.lang.ar.normalize import normalize

# Quotation-mark pairs of Arabic news copy (opening -> closing).
QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“", "‘": "’"}
PUNCT_END = set(".!?؟")


@dataclass(slots=True)
class Tok:
    start: int  # offsets into article.text
    end: int
    norm: str  # normalised surface (clitic و/ف kept)
    quoted: int = -1  # index of the quotation-mark pair it lies inside, -1 if none


# Words of the *original* text (letters with their harakat/tatweel, joined by - or _), normalised one word at a
# time through a cache: news vocabulary repeats, so this is several times faster than mapping every character.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_WORD_ORIG = re.compile(
    rf"(?:[^\W_]|[{_MARKS}])+(?:[-_](?:[^\W_]|[{_MARKS}])+)*|[#@](?:[^\W]|[{_MARKS}])+|\S", re.UNICODE
)


@lru_cache(maxsize=65536)
def _norm_word(w: str) -> str:
    return normalize(w)


_CACHE: dict[str, object] = {"text": None, "toks": {}}


def tokens_of(article: Article, start: int, end: int) -> list[Tok]:
    """Tokens of a paragraph in normalised form with original offsets, quotation pairs marked. The last article's
    paragraphs are kept, so the events stage reuses what the quotes stage computed (callers never mutate them)."""
    if _CACHE["text"] is not article.text:
        _CACHE["text"], _CACHE["toks"] = article.text, {}
    memo: dict = _CACHE["toks"]  # type: ignore[assignment]
    hit = memo.get((start, end))
    if hit is None:
        hit = memo[(start, end)] = _tokens_of(article, start, end)
    return hit


def _tokens_of(article: Article, start: int, end: int) -> list[Tok]:
    toks = [Tok(*m.span(), n) for m in _WORD_ORIG.finditer(article.text, start, end) if (n := _norm_word(m.group()))]
    # pair quotation marks: “…” «…» and straight quotes in order
    open_i: int | None = None
    closer = ""
    pair = 0
    for i, t in enumerate(toks):
        if open_i is None:
            if t.norm in QUOTE_PAIRS:
                open_i, closer = i, QUOTE_PAIRS[t.norm]
        elif t.norm == closer:
            for j in range(open_i, i + 1):
                toks[j].quoted = pair
            pair += 1
            open_i = None
    return toks


def paragraphs(article: Article) -> list[tuple[int, int]]:
    body = article.layer("body")
    spans: Iterable[Span] = body
    if not body:
        sents = article.layer("sentences")
        spans = sents if sents else (Span(0, len(article.text)),)
    out = []
    for s in spans:
        # a body span may hold several lines; a line is a paragraph
        pos = s.start
        for line in article.text[s.start : s.end].split("\n"):
            a, b = pos, pos + len(line)
            pos = b + 1
            if line.strip():
                out.append((a, b))
    # drop the title line (its verbs are headlines, not attributions)
    titles = article.layer("title")
    if titles:
        out = [(a, b) for a, b in out if not any(t.start <= a and b <= t.end for t in titles)]
    return out


def sentence_end(toks: Sequence[Tok], i: int, limit: int) -> int:
    """Index of the first token at/after i that ends the sentence (outside quotation marks), else limit. A decimal
    point ends nothing (the word pattern splits 12.5 into 12 . 5)."""
    for k in range(i, limit):
        t = toks[k]
        if t.quoted < 0 and t.norm in PUNCT_END and not decimal_point(toks, k):
            return k  # '..' and '.' both end
    return limit


def decimal_point(toks: Sequence[Tok], k: int) -> bool:
    """Whether token ``k`` is a '.' written between two digits with no space (12.5)."""
    if toks[k].norm != "." or k == 0 or k + 1 >= len(toks):
        return False
    before, after = toks[k - 1], toks[k + 1]
    return (
        before.end == toks[k].start
        and after.start == toks[k].end
        and before.norm[-1:].isdigit()
        and after.norm[:1].isdigit()
    )
