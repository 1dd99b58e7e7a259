"""Document tone for GDELT's AvgTone: 100 × (positive − negative words) / all words, GDELT's own definition, with
marsad's hand-written Arabic news-tone word list (``data/tone_ar.tsv``, documented in ``data/README.md``).

Hand-written because no Arabic sentiment lexicon with a clear licence ships in a package we can install here
(``../shared/data/lexicons`` has none either); the list is short and coarse: a tone sign, not a sentiment model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from marsad.lang.ar.normalize import normalize

_WORD = re.compile(r"[\u0621-\u064a]+")
_PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_SUFFIXES = ("", "ه", "ها", "هم", "ات", "ين", "ون", "ي", "ا", "ته", "تها")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    text = resources.files("marsad.events").joinpath("data/tone_ar.tsv").read_text(encoding="utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        stem, pol = line.split("\t")[:2]
        key = normalize(stem.strip())
        if key != stem.strip():
            raise ValueError(f"[E501] tone_ar.tsv: {stem!r} is not in the normalised alphabet ({key!r})")
        out[key] = int(pol)
    return out


def _polarity(word: str, lex: dict[str, int]) -> int:
    cands = [word] + [word[len(p) :] for p in _PROCLITICS if word.startswith(p) and len(word) - len(p) >= 2]
    for w in cands:
        for s in _SUFFIXES:
            if s and not w.endswith(s):
                continue
            stem = w[: len(w) - len(s)] if s else w
            if stem in lex:
                return lex[stem]
    return 0


def tone(text: str) -> tuple[float, float, float, int]:
    """(tone, positive %, negative %, words) of a text."""
    words = _WORD.findall(normalize(text))
    if not words:
        return 0.0, 0.0, 0.0, 0
    lex = lexicon()
    pos = neg = 0
    for w in words:
        p = _polarity(w, lex)
        pos += p > 0
        neg += p < 0
    n = len(words)
    return round(100.0 * (pos - neg) / n, 4), round(100.0 * pos / n, 4), round(100.0 * neg / n, 4), n
