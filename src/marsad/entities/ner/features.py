"""Token features for the CRF tagger.

Per-word features (surface, normalised form, clitic-stripped stem, affixes, shape, embedding clusters, gazetteer
classes) are computed once per distinct word and cached, together with the prefixed copies used as context for the
neighbours; a sentence's features are then mostly tuple concatenation. That is what keeps tagging well above
20k tokens/s per core in pure Python.
"""

from __future__ import annotations

import functools
import gzip
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

FEATURE_VERSION = 2


_LEN_NAMES = tuple("len=" + str(n) for n in range(10))


def _shape(tok: str) -> str:
    if "\u0621" <= tok[:1] <= "\u064a":  # an Arabic letter first (most words): not a number, not one punctuation mark
        return "ar" if tok.isalpha() else "ar_mixed"
    if tok.isdigit() or tok.replace(".", "").replace(",", "").replace("%", "").isdigit():
        return "num"
    if len(tok) == 1 and not tok.isalnum():
        return "punct"
    if tok.isascii():
        return "latin_up" if tok[:1].isupper() else "latin"
    if any("\u0600" <= c <= "\u06ff" for c in tok):
        return "ar" if tok.isalpha() else "ar_mixed"
    cat = unicodedata.category(tok[0])
    return "sym_" + cat[0]


@dataclass
class Resources:
    """Lexical resources the features read: word → cluster ids (several granularities), normalised word → gazetteer
    classes. Saved next to the CRF model as one gzip'd JSON file."""

    clusters: dict[str, list[str]] = field(default_factory=dict)
    gazetteer: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        data = {
            "version": FEATURE_VERSION,
            "meta": self.meta,
            "clusters": self.clusters,
            "gazetteer": self.gazetteer,
        }
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, path: Path) -> Resources:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(
            clusters=data.get("clusters", {}), gazetteer=data.get("gazetteer", {}), meta=data.get("meta", {})
        )


class Featurizer:
    """Turns a tokenised sentence into CRF feature lists. Thread-safe (the cache is ``functools.lru_cache``)."""

    def __init__(self, resources: Resources | None = None, *, cache_size: int = 200_000) -> None:
        self.res = resources or Resources()
        self._clusters: Mapping[str, list[str]] = self.res.clusters
        self._gaz: Mapping[str, list[str]] = self.res.gazetteer
        self._word = functools.lru_cache(maxsize=cache_size)(self._word_features)

    def _cl(self, w: str) -> list[str]:
        return self._clusters.get(w) or []

    def _word_features(
        self, tok: str
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
        own, near, far, bare = self.word_parts(tok)
        m1 = tuple("-1" + f for f in near)
        p1 = tuple("+1" + f for f in near)
        m2 = tuple("-2" + f for f in far)
        p2 = tuple("+2" + f for f in far)
        return tuple(own), m1, p1, m2, p2, bare

    def word_parts(self, tok: str) -> tuple[list[str], list[str], list[str], str]:
        """A word's own features, the ones it gives its neighbours one and two tokens away (before the "-1"/"+1",
        "-2"/"+2" prefixes) and its bare form: :meth:`_word_features` without the prefixed copies, for the fast
        tagger, which looks the unprefixed names up in per-prefix tables instead of building the copies."""
        n = normalize(tok)
        pre, stem = strip_clitics(n)
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 3 else stem
        shape = _shape(tok)
        cget = self._clusters.get
        cl = cget(n) or cget(stem) or cget(bare) or []
        scl = (cget(bare) or []) if bare != n else []
        gget = self._gaz.get
        gaz: set[str] = set()
        if n in self._gaz or stem in self._gaz or bare in self._gaz:  # (most words are in no gazetteer list)
            for form in (n, stem, bare):
                gaz.update(gget(form, ()))
        own = [
            "bias",
            "w=" + n,
            "s=" + stem,
            "b=" + bare,
            "p=" + pre,
            "p2=" + n[:2],
            "p3=" + n[:3],
            "x1=" + n[-1:],
            "x2=" + n[-2:],
            "x3=" + n[-3:],
            "bp2=" + bare[:2],
            "bx2=" + bare[-2:],
            "bx3=" + bare[-3:],
            "sh=" + shape,
            _LEN_NAMES[min(len(bare), 9)],
        ]
        if stem.startswith("ال"):
            own.append("al")
        if tok != n:
            own.append("r=" + tok)
        clusters = [f"c{i}={c}" for i, c in enumerate(cl)]
        gazetteer = ["g=" + g for g in sorted(gaz)]
        own += clusters
        own += [f"sc{i}={c}" for i, c in enumerate(scl)]
        own += gazetteer
        # the neighbours' names share the strings of the word's own (w=, b=, p=, sh=, clusters, gazetteer)
        near = [own[1], own[3], own[4], "x2=" + bare[-2:], own[13], *clusters, *gazetteer]
        far = [own[1]]
        far += [f"c{i}={c}" for i, c in enumerate(cl[1:2])]
        return own, near, far, bare

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        ws = [self._word(t) for t in tokens]
        n = len(ws)
        out: list[list[str]] = []
        for i, (own, _, _, _, _, bare) in enumerate(ws):
            f = list(own)
            if i > 0:
                f += ws[i - 1][1]
                f.append("bg-=" + ws[i - 1][5] + "|" + bare)
                if i > 1:
                    f += ws[i - 2][3]
                else:
                    f.append("BOS2")
            else:
                f.append("BOS")
            if i < n - 1:
                f += ws[i + 1][2]
                f.append("bg+=" + bare + "|" + ws[i + 1][5])
                if i < n - 2:
                    f += ws[i + 2][4]
                else:
                    f.append("EOS2")
            else:
                f.append("EOS")
            out.append(f)
        return out
