"""Text features for duplicate and story detection: normalised words, word-shingle hashes, weighted content terms.

Speed matters here (every stored article passes through at ingest); the normalisation is
:func:`marsad.lang.ar.normalize`, itself a ``str.translate`` table (the folds applied in C). Hashes are
stable across processes (CRC32 of UTF-8, then a 64-bit mixer), never Python's salted ``hash``.
"""

from __future__ import annotations

import gzip
import math
import re
import threading
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import compress, repeat

import numpy as np

from marsad.lang.ar.normalize import _DROP as _DROP_CODES
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

SHINGLE = 3  # word n-grams: short enough that copy-edited sentences still share most of them
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


_WORD_RE = re.compile(r"[^\W_]+")
# Characters normalize() deletes (harakat, tatweel, Quranic marks, zero-width and bidi controls): removed before
# splitting into words, so a word with a shadda is still one word.
_DROP_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_DROP_CODES)) + "]")
_NORM_WORD: dict[str, str] = {}  # surface word -> normalised; plain dicts: lookups via map() stay in C
_WORD_HASH: dict[str, int] = {}
_CACHE_MAX = 500_000


def norm_text(text: str) -> str:
    """``normalize(text)`` (one implementation for the whole package: :mod:`marsad.lang.ar.normalize`)."""
    return normalize(text)


def words(text: str) -> list[str]:
    """Normalised words (letters and digits) of ``text``, lower-cased for Latin script.

    Split first, then normalise each distinct word once (cached): news text repeats its words, and this keeps the
    per-article cost low enough for ≥ 1,000 near-duplicate checks a second.
    """
    raw = _WORD_RE.findall(_DROP_RE.sub("", text))
    try:
        return list(map(_NORM_WORD.__getitem__, raw))
    except KeyError:
        if len(_NORM_WORD) > _CACHE_MAX:
            _NORM_WORD.clear()
        for w in raw:
            if w not in _NORM_WORD:
                _NORM_WORD[w] = norm_text(w).lower()
        return list(map(_NORM_WORD.__getitem__, raw))


class _Vocab:
    """Every word surface seen by this process (harakat removed) -> an id, and per id what the features read:
    its normalised form, its hash, its stem (an id into the stem table: the stem's string, idf and term key) and
    whether it is a figure. One dict lookup per distinct word of an article then gives all of them, and the rest
    is numpy indexing; three dicts (word -> normalised, -> hash, -> stem) read per token cost three times that,
    mostly in cache misses. Filled under a lock; a reader takes ``_VOCAB`` once and only reads ids it was given.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.norm: list[str] = []
        self.hash = np.zeros(4096, dtype=np.uint64)
        self.stem = np.zeros(4096, dtype=np.int64)  # stem id; -1: not weighed (a figure, or shorter than 2)
        self.figure = np.zeros(4096, dtype=bool)  # digits only, 2 or more
        self.stem_ids: dict[str, int] = {}
        self.stems: list[str] = []
        self.idf = np.zeros(4096, dtype=np.float64)
        self.key = np.zeros(4096, dtype=np.int64)

    def add(self, surfaces: list[str]) -> None:
        table, unseen = _idf_table()
        for w in surfaces:
            if w in self.ids:
                continue
            n = norm_text(w).lower()
            i = len(self.norm)
            if i == len(self.hash):
                self.hash, self.stem, self.figure = (np.resize(a, 2 * i) for a in (self.hash, self.stem, self.figure))
            self.hash[i] = word_hash(n)
            self.figure[i] = n.isdigit() and len(n) >= 2
            if len(n) >= 2 and not n.isdigit():
                st = stem(n)
                j = self.stem_ids.get(st)
                if j is None:
                    j = len(self.stems)
                    if j == len(self.idf):
                        self.idf, self.key = np.resize(self.idf, 2 * j), np.resize(self.key, 2 * j)
                    self.idf[j] = table.get(st, unseen)
                    self.key[j] = term_key(st)
                    self.stems.append(st)
                    self.stem_ids[st] = j
                self.stem[i] = j
            else:
                self.stem[i] = -1
            self.norm.append(n)
            self.ids[w] = i  # last: an id is published once its rows are written

    def token_ids(self, raw: list[str]) -> np.ndarray:
        """The ids of ``raw`` (surfaces as :func:`words` splits them), adding the unseen ones.

        Every token is looked up in the vocabulary itself when all are known (most articles once the vocabulary
        is warm): 43 vs 84 us an article at 229k words, against first collecting the distinct words in a local
        dict and mapping through it."""
        try:
            return np.fromiter(map(self.ids.__getitem__, raw), dtype=np.int64, count=len(raw))
        except KeyError:
            pass
        local = dict.fromkeys(raw)
        try:
            got = list(map(self.ids.__getitem__, local))
        except KeyError:
            with _VOCAB_LOCK:
                self.add(list(local))
            got = list(map(self.ids.__getitem__, local))
        local = dict(zip(local, got, strict=True))
        return np.fromiter(map(local.__getitem__, raw), dtype=np.int64, count=len(raw))


_VOCAB = _Vocab()
_VOCAB_LOCK = threading.Lock()


def _vocab() -> _Vocab:
    global _VOCAB
    if len(_VOCAB.norm) > _CACHE_MAX:
        with _VOCAB_LOCK:
            if len(_VOCAB.norm) > _CACHE_MAX:
                _VOCAB = _Vocab()
    return _VOCAB


def surface_words(text: str) -> list[str]:
    """The words of ``text`` as :func:`words` splits them, before they are normalised."""
    return _WORD_RE.findall(_DROP_RE.sub("", text))


@dataclass(frozen=True)
class TextFeatures:
    """What the dedup hook reads from a text, computed through the vocabulary in one pass (see :class:`_Vocab`):
    equal to ``len(words(t))``, ``shingle_hashes(words(t))``, ``term_weights(words(t))`` (as a dict, ``terms``,
    built only when asked for, and as ``term_vector`` of it) and the figures of ``words(t)`` (2+ digits)."""

    n_words: int
    shingles: np.ndarray
    tvec: tuple[np.ndarray, np.ndarray]
    numbers: frozenset[str]
    stem_ids: np.ndarray  # the terms as ids into ``stems``, in the order term_weights counts them
    weights: np.ndarray  # their weights, in the same order
    stems: list[str]  # the vocabulary's stem strings (read only at the ids above)

    @cached_property
    def terms(self) -> dict[str, float]:
        stems = self.stems
        return dict(zip([stems[i] for i in self.stem_ids.tolist()], self.weights.tolist(), strict=True))

    def top(self, k: int) -> list[str]:
        """``top_terms(self.terms, k)`` without building the dict: the same selection (every term at least as heavy
        as the k-th heaviest weight) and the same order, (-weight, term), on the terms' arrays."""
        w = self.weights
        n = len(w)
        if n > 2 * k:
            idx = np.flatnonzero(w >= np.partition(w, n - k)[n - k])
        else:
            idx = np.arange(n)
        stems = self.stems
        items = sorted(zip((-w[idx]).tolist(), [stems[i] for i in self.stem_ids[idx].tolist()], strict=True))
        return [t for _, t in items[:k]]


def text_features(text: str, *, shingles: bool = True) -> TextFeatures:
    v = _vocab()
    ids = v.token_ids(surface_words(text))
    sh = _shingles_of(v.hash[ids]) if shingles and len(ids) else np.zeros(0, dtype=np.uint64)
    figs = ids[v.figure[ids]]  # (the set drops repeats: no np.unique needed)
    numbers = frozenset(map(v.norm.__getitem__, figs.tolist())) if len(figs) else frozenset()
    sid = v.stem[ids]
    sid = sid[sid >= 0]
    if not len(sid):
        return TextFeatures(len(ids), sh, (np.zeros(0, np.int64), np.zeros(0)), numbers, np.zeros(0, np.int64),
                            np.zeros(0), v.stems)
    uniq, counts = _stem_counts(sid, len(v.idf))  # stems in the order of their first word, as term_weights counts
    global _LOGTF
    if counts.max() >= len(_LOGTF):
        _LOGTF = np.array([0.0, 1.0] + [_logtf(k) for k in range(2, 2 * int(counts.max()))])
    w = _LOGTF[counts] * v.idf[uniq]
    keep = w > 0
    if not keep.all():
        uniq, w = uniq[keep], w[keep]
    norm = math.sqrt(sum((w * w).tolist())) or 1.0
    w = round5(w / norm)
    keys = v.key[uniq]
    o = np.argsort(keys, kind="stable")
    return TextFeatures(len(ids), sh, (keys[o], w[o]), numbers, uniq, w, v.stems)


_STEM_SCRATCH = threading.local()  # per thread: a count and a first-position table over stem ids (see _stem_counts)
_NO_POS = np.iinfo(np.int32).max
_POSITIONS: np.ndarray = np.arange(1 << 16, dtype=np.int32)


def _stem_counts(sid: np.ndarray, n_stems: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``sid`` (stem ids, 0 <= id < ``n_stems``) in the order of their first occurrence,
    and how often each occurs: ``np.unique(sid, return_index=True, return_counts=True)`` put in the order of the
    first indices, without its sorts.

    Counted in two per-thread tables indexed by stem id (``np.add.at`` and ``np.minimum.at`` of the positions,
    then set back after the call): a value's first occurrence is where the table's minimum position equals the
    position. 40 -> 14 us for an article of ~200 weighed words."""
    n = len(sid)
    if n > len(_POSITIONS):
        uniq, at, counts = np.unique(sid, return_index=True, return_counts=True)
        order = np.argsort(at)
        return uniq[order], counts[order]
    tables = getattr(_STEM_SCRATCH, "tables", None)
    if tables is None or len(tables[0]) < n_stems:
        size = max(n_stems, 4096)
        tables = _STEM_SCRATCH.tables = (np.zeros(size, dtype=np.int32), np.full(size, _NO_POS, dtype=np.int32))
    count, first = tables
    pos = _POSITIONS[:n]
    try:
        np.add.at(count, sid, 1)
        np.minimum.at(first, sid, pos)
        uniq = sid[first[sid] == pos]
        return uniq, count[uniq]
    finally:  # all zero and _NO_POS again for the next call
        count[sid] = 0
        first[sid] = _NO_POS


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser over uint64 (vectorised): spreads bits so min-hash and band keys behave as random."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x


def word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _word_hashes(ws: list[str]) -> np.ndarray:
    try:
        return np.fromiter(map(_WORD_HASH.__getitem__, ws), dtype=np.uint64, count=len(ws))
    except KeyError:
        if len(_WORD_HASH) > _CACHE_MAX:
            _WORD_HASH.clear()
        for w in ws:
            if w not in _WORD_HASH:
                _WORD_HASH[w] = word_hash(w)
        return np.fromiter(map(_WORD_HASH.__getitem__, ws), dtype=np.uint64, count=len(ws))


def shingle_hashes(ws: list[str], n: int = SHINGLE) -> np.ndarray:
    """Sorted unique uint64 hashes of the word n-grams of ``ws`` (a text shorter than n words gives one shingle)."""
    if not ws:
        return np.zeros(0, dtype=np.uint64)
    return _shingles_of(_word_hashes(ws), n)


def _shingles_of(h: np.ndarray, n: int = SHINGLE) -> np.ndarray:
    """:func:`shingle_hashes` from the word hashes ``h`` (one or more): the position-weighted sum of each n words'
    hashes (``((h0 * P + h1) * P + h2) mod 2^64``), mixed by :func:`mix64`, sorted and unique.

    Computed in place in one array and one scratch buffer (the same operations as the plain expression, so the same
    bits; ``np.unique`` of a sorted array is the array without its repeats): 36 -> 10 us an article."""
    if len(h) < n:
        n = len(h)
    m = len(h) - n + 1
    if n == 1:
        acc = h[:m].copy()
    else:
        acc = np.multiply(h[:m], _SHINGLE_P)
        acc += h[1 : m + 1]
        for i in range(2, n):
            acc *= _SHINGLE_P
            acc += h[i : m + i]
    mix64_inplace(acc, np.empty_like(acc))
    acc.sort()
    return _sorted_unique(acc)


_SHINGLE_P = np.uint64(0x100000001B3)
# SplitMix64's finaliser as (shift, multiplier) steps: x ^= x >> s, then x *= m (see mix64)
MIX64_STEPS = ((np.uint64(30), np.uint64(0xBF58476D1CE4E5B9)), (np.uint64(27), np.uint64(0x94D049BB133111EB)),
               (np.uint64(31), None))  # fmt: skip


_MIX_M1 = MIX64_STEPS[0][1]


def mix64_inplace(x: np.ndarray, t: np.ndarray, *, first: bool = True) -> None:
    """``x[...] = mix64(x)`` for a uint64 array ``x``, with ``t`` a scratch array of its shape: the same operations
    as :func:`mix64` (so the same bits), without a new array per step. (uint64 arrays wrap on overflow silently.)
    ``first=False``: ``x`` has had the first step (``x ^= x >> 30``) already."""
    steps: tuple[tuple[np.uint64, np.uint64 | None], ...] = MIX64_STEPS
    if not first:
        x *= _MIX_M1
        steps = steps[1:]
    for shift, mul in steps:
        np.right_shift(x, shift, out=t)
        x ^= t
        if mul is not None:
            x *= mul


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` of a sorted 1-d array ``a``: its values without their repeats."""
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def sample32(shingles: np.ndarray) -> np.ndarray:
    """The shingle set as sorted unique uint32 (what is stored: half the bytes; collisions are negligible here).

    ``np.unique`` of the high halves; when they are already in order (``shingles`` sorted, as every caller passes
    them) the repeats are dropped without sorting again."""
    hi = (shingles >> np.uint64(32)).astype(np.uint32)
    if len(hi) < 2 or not (hi[1:] >= hi[:-1]).all():
        return np.unique(hi)
    return _sorted_unique(hi)


def containment(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two sorted unique hash arrays."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    inter = int(np.count_nonzero(_matches(a, b)[1]))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def _matches(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted unique ``a`` and ``b`` (non-empty): ``(idx, hit)`` with ``b[idx[hit]] == a[hit]`` the values they
    share. A binary search of ``a`` in ``b``: the same intersection as ``np.intersect1d``, which concatenates and
    sorts both arrays (about 5x the time for the few hundred values of an article)."""
    idx = b.searchsorted(a)  # (the method: np.searchsorted adds a Python wrapper call)
    np.minimum(idx, len(b) - 1, out=idx)
    return idx, b[idx] == a


# -- weighted content terms ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def document_frequencies() -> tuple[dict[str, int], int]:
    """Fixed document frequencies of stems (package data, built by ``python -m marsad.dedup.build_df``).

    Fixed rather than counted from the store: a weight that changed as articles arrive would make the similarity
    of two articles, and so the stories, depend on the order they were ingested in.
    """
    path = resources.files("marsad.dedup") / "data" / "df.tsv.gz"
    df: dict[str, int] = {}
    n_docs = 1
    with resources.as_file(path) as p, gzip.open(p, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            key, _, val = line.rstrip("\n").partition("\t")
            if i == 0 and key == "#docs":
                n_docs = int(val)
                continue
            df[key] = int(val)
    return df, n_docs


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of a normalised word: proclitics and the article off (والصين, بالصين, الصين → صين)."""
    _, s = strip_clitics(word)
    if s.startswith("ال") and len(s) >= 5:
        s = s[2:]
    return s


@lru_cache(maxsize=1)
def _idf_table() -> tuple[dict[str, float], float]:
    df, n = document_frequencies()
    return {t: math.log((n + 1) / (c + 1)) for t, c in df.items()}, math.log(n + 1)


def idf(term: str) -> float:
    table, unseen = _idf_table()
    return table.get(term, unseen)


_NOT_WEIGHED = "\x00"  # (a sentinel object compared by identity: digits and words shorter than min_len)
_WORD_STEM: dict[str, str] = {}  # normalised word -> its stem or _NOT_WEIGHED, for min_len=2


def _logtf(n: int) -> float:
    return 1.0 + math.log(n)


# 1 + log(tf) for tf = 0, 1, 2, ...: tf 1 weighs exactly its idf (1.0 * idf == idf); longer tables grow on demand
_LOGTF = np.array([0.0, 1.0] + [_logtf(n) for n in range(2, 1024)])


def _term_arrays(ws: list[str], min_len: int = 2) -> tuple[list[str], list[float]]:
    """The stems of ``ws`` in the order of their first word and their TF-IDF weights, L2-normalised and rounded
    (see :func:`term_weights`). Per token the stem is read from a cache through ``map`` and counted by
    ``Counter`` (both in C); the arithmetic is the same per term as a loop would do (an IEEE product or quotient
    per element, the norm summed by ``sum`` in term order), so the weights are equal to the last bit."""
    global _LOGTF
    table, unseen = _idf_table()
    cache = _WORD_STEM if min_len == 2 else {}
    if len(cache) > _CACHE_MAX:
        cache.clear()
    try:
        tf = Counter(map(cache.__getitem__, ws))
    except KeyError:
        for w in ws:
            if w not in cache:
                cache[w] = stem(w) if len(w) >= min_len and not w.isdigit() else _NOT_WEIGHED
        tf = Counter(map(cache.__getitem__, ws))
    tf.pop(_NOT_WEIGHED, None)
    if not tf:
        return [], []
    stems = list(tf)
    n = np.fromiter(tf.values(), dtype=np.intp, count=len(stems))
    top = int(n.max())
    if top >= len(_LOGTF):
        _LOGTF = np.array([0.0, 1.0] + [_logtf(k) for k in range(2, 2 * top)])
    v = _LOGTF[n] * np.fromiter(map(table.get, stems, repeat(unseen)), dtype=np.float64, count=len(stems))
    keep = v > 0
    if not keep.all():
        stems = list(compress(stems, keep.tolist()))
        v = v[keep]
    norm = math.sqrt(sum((v * v).tolist())) or 1.0
    # Rounded here, to what is stored, so a fresh article and a stored one compare exactly alike.
    return stems, round5(v / norm).tolist()


def round5(x: np.ndarray) -> np.ndarray:
    """``round(v, 5)`` of every value of ``x`` (0 <= v <= 1), as Python rounds: the double nearest to k / 10^5, k the
    exact value times 10^5 rounded half to even. ``rint(x * 1e5) / 1e5`` gives that (the quotient of two exact
    doubles is correctly rounded) except where the product's rounding error (< 2e-11 here) could move it across a
    half: those few values are rounded by Python itself."""
    r = x * 1e5
    k = np.rint(r)
    r -= k
    np.abs(r, out=r)  # |x * 1e5 - k| <= 0.5: near a half where above 0.5 - 1e-6
    out = np.divide(k, 1e5, out=k)
    if (r > 0.499999).any():
        for i in np.flatnonzero(r > 0.499999).tolist():
            out[i] = round(float(x[i]), 5)
    return out


def term_weights(ws: list[str], *, min_len: int = 2) -> dict[str, float]:
    """TF-IDF weights (sub-linear tf, fixed idf) of the stems of ``ws``, L2-normalised; stop words weigh ~0."""
    stems, weights = _term_arrays(ws, min_len)
    return dict(zip(stems, weights, strict=True))


def term_weights_reference(ws: list[str], *, min_len: int = 2) -> dict[str, float]:
    """:func:`term_weights` written as one loop per term (the definition; tests compare the two)."""
    table, unseen = _idf_table()
    tf: dict[str, int] = {}
    for w in ws:
        if len(w) >= min_len and not w.isdigit():
            st = stem(w)
            tf[st] = tf.get(st, 0) + 1
    out: dict[str, float] = {}
    for t, n in tf.items():
        v = (1.0 + math.log(n)) * table.get(t, unseen) if n > 1 else table.get(t, unseen)
        if v > 0:
            out[t] = v
    norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
    return {t: round(v / norm, 5) for t, v in out.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two L2-normalised weight dicts, summed in term order so that cosine(a, b) == cosine(b, a)
    to the last bit (a link decided at a threshold must not depend on which article came first)."""
    common = sorted(a.keys() & b.keys())
    return math.fsum(a[t] * b[t] for t in common)


def top_terms(weights: dict[str, float], k: int) -> list[str]:
    """The ``k`` heaviest terms (ties broken by the term itself, so the choice never depends on dict order).

    ``heapq.nsmallest(k, items, key=(-weight, term))``, which is ``sorted(...)[:k]``: only the terms at least as
    heavy as the k-th heaviest weight (found by ``np.partition``) can be among them, so only those are sorted."""
    if len(weights) > 2 * k:
        vals = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        kth = np.partition(vals, len(vals) - k)[len(vals) - k]
        items = [kv for kv in weights.items() if kv[1] >= kth]
    else:
        items = list(weights.items())
    items.sort(key=_by_weight)
    return [t for t, _ in items[:k]]


def _by_weight(kv: tuple[str, float]) -> tuple[float, str]:
    return -kv[1], kv[0]


_M64_INT = (1 << 64) - 1
_TERM_KEYS: dict[str, int] = {}


def _mix64_int(x: int) -> int:
    """:func:`mix64` on one Python int (the same SplitMix64 finaliser, bit for bit, without a numpy array)."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _M64_INT
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _M64_INT
    return x ^ (x >> 31)


def term_key(term: str) -> int:
    """Signed 64-bit key of a term for the SQLite posting table and the stored term vectors (cached per term)."""
    k = _TERM_KEYS.get(term)
    if k is None:
        v = _mix64_int(zlib.crc32(term.encode("utf-8")))
        k = v - (1 << 64) if v >= 1 << 63 else v
        if len(_TERM_KEYS) > _CACHE_MAX:
            _TERM_KEYS.clear()
        _TERM_KEYS[term] = k
    return k


def term_keys(terms: list[str]) -> list[int]:
    """``[term_key(t) for t in terms]``, read from the cache through ``map`` when every term is in it."""
    try:
        return list(map(_TERM_KEYS.__getitem__, terms))
    except KeyError:
        return [term_key(t) for t in terms]


def term_vector(weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """``weights`` as (sorted int64 term keys, float64 weights in the same order): what is stored and compared."""
    if not weights:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    try:  # the keys of terms seen before, read through map() in C
        keys = np.fromiter(map(_TERM_KEYS.__getitem__, weights), dtype=np.int64, count=len(weights))
    except KeyError:
        keys = np.fromiter(map(term_key, weights), dtype=np.int64, count=len(weights))
    vals = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    order = np.argsort(keys, kind="stable")
    return keys[order], vals[order]


def pack_vector(vec: tuple[np.ndarray, np.ndarray]) -> bytes:
    return vec[0].tobytes() + vec[1].tobytes()


def unpack_vector(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 16
    return np.frombuffer(blob, dtype=np.int64, count=n), np.frombuffer(blob, dtype=np.float64, offset=8 * n)


def cosines_upper(q: tuple[np.ndarray, np.ndarray], blobs: list[bytes]) -> np.ndarray:
    """The cosine of ``q`` with each :func:`pack_vector` blob in ``blobs``, all at once, plus a margin: never less
    than :func:`cosine_vectors` gives for the same pair, so ``cosines_upper(...) >= t`` keeps every blob whose
    exact cosine reaches ``t`` (and perhaps one within 1e-9 below, which the exact cosine then turns away).

    One lookup of every blob's keys in ``q``'s (:func:`_weights_in`) and one sum per blob (``np.add.reduceat``)
    instead of a search and an ``fsum`` per blob: the story candidates of an article are tens of stored vectors, of
    which most fall below the lowest threshold. Summed in float64 in any order, the result is within n * 2^-52 of the
    correctly rounded sum for n <= a few thousand terms of weight <= 1, far inside the margin."""
    return _bound(q, blobs)[0]


def close_cosines(q: tuple[np.ndarray, np.ndarray], blobs: list[bytes], floor: float) -> list[tuple[int, float]]:
    """``(i, cosine_vectors(q, unpack_vector(blobs[i])))`` for each blob whose :func:`cosines_upper` reaches
    ``floor``, in order.

    The exact cosine is the ``math.fsum`` of the products the bound summed for that blob: its terms are the
    products of the weights of the keys the two vectors share (IEEE products, the same either way round) and +0.0
    for its other keys, which change no sum. That holds when neither vector repeats a key (two terms of one CRC-32);
    otherwise, or where the bound was not computed term by term, it is computed by :func:`cosine_vectors`."""
    bound, terms = _bound(q, blobs)
    keep = np.flatnonzero(bound >= floor).tolist()
    if not keep:
        return []
    qk = q[0]
    if terms is None or (len(qk) > 1 and bool((qk[1:] == qk[:-1]).any())):
        return [(i, cosine_vectors(q, unpack_vector(blobs[i]))) for i in keep]
    k, prod, first, lens = terms
    out = []
    for i in keep:
        a, b = int(first[i]), int(first[i] + lens[i])
        seg = k[a:b]
        if len(seg) > 1 and not bool((seg[1:] > seg[:-1]).all()):
            out.append((i, cosine_vectors(q, unpack_vector(blobs[i]))))
        else:
            out.append((i, math.fsum(prod[a:b].tolist())))
    return out


def _bound(
    q: tuple[np.ndarray, np.ndarray], blobs: list[bytes]
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None]:
    """:func:`cosines_upper`, and the terms it summed: (all keys, their products, each blob's first index and
    length), or None where there were none."""
    out = np.zeros(len(blobs), dtype=np.float64)
    qk, qw = q
    if not len(qk) or not blobs:
        return out, None
    # The keys of all blobs joined into one int64 array and their weights into one float64 array, in the same order
    # (blob i holds lens[i] keys, then lens[i] weights): two joins of memoryview halves, no index arithmetic
    lens = np.fromiter(map(len, blobs), dtype=np.intp, count=len(blobs)) >> 4
    total = int(lens.sum())
    if not total:
        return out, None
    views = [memoryview(b) for b in blobs]
    half = (lens << 3).tolist()
    k = np.frombuffer(b"".join([v[:h] for v, h in zip(views, half, strict=True)]), dtype=np.int64)
    prod = _weights_in(qk, qw, k)
    prod *= np.frombuffer(b"".join([v[h:] for v, h in zip(views, half, strict=True)]), dtype=np.float64)
    first = np.zeros(len(blobs), dtype=np.intp)  # index of blob i's first term among all terms
    np.cumsum(lens[:-1], out=first[1:])
    has = lens > 0
    out[has] = np.add.reduceat(prod, first[has]) + _COSINE_MARGIN
    return out, (k, prod, first, lens)


_COSINE_MARGIN = 1e-9
_SLOTS = 1 << 16
_SCRATCH = threading.local()  # per thread: a key table and a weight table of _SLOTS entries, all zero between calls


def _weights_in(qk: np.ndarray, qw: np.ndarray, k: np.ndarray) -> np.ndarray:
    """For each key of ``k``: its weight in (``qk``, ``qw``) (sorted unique keys and their weights), 0.0 where absent.

    A binary search of thousands of keys in ``qk`` costs about 4x a lookup in a direct-mapped table of ``qk`` (slot:
    16 bits of the key), so the table is used when ``qk`` fits in it without two keys sharing a slot (one of four
    16-bit windows of the key; with ~200 terms, the first window already in ~4 articles of 5), else the search. Both
    give the same values: a slot holding another key (or none: key 0, weight 0) gives 0.0."""
    sc = getattr(_SCRATCH, "tables", None)
    if sc is None:
        sc = _SCRATCH.tables = (np.zeros(_SLOTS, dtype=np.int64), np.zeros(_SLOTS, dtype=np.float64))
    tk, tw = sc
    if len(qk) <= _SLOTS // 64:
        for shift in (0, 16, 32, 48):
            s = ((qk >> shift) if shift else qk) & (_SLOTS - 1)
            tk[s] = qk
            try:
                if (tk[s] == qk).all():  # no two keys in one slot: the table holds them all
                    tw[s] = qw
                    ks = ((k >> shift) if shift else k) & (_SLOTS - 1)
                    w = tw[ks]
                    w[tk[ks] != k] = 0.0
                    return w
            finally:
                tk[s] = 0
                tw[s] = 0.0
    idx = np.searchsorted(qk, k)
    np.minimum(idx, len(qk) - 1, out=idx)
    w = qw[idx]
    w[qk[idx] != k] = 0.0
    return w


def cosine_vectors(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """:func:`cosine` over term vectors: the same products, summed with ``math.fsum`` (correctly rounded, so the
    order of the terms does not matter and the result equals the dict version to the last bit)."""
    if not len(a[0]) or not len(b[0]):
        return 0.0
    idx, hit = _matches(a[0], b[0])
    return math.fsum((a[1][hit] * b[1][idx[hit]]).tolist())
