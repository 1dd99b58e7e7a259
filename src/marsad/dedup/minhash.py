"""MinHash signatures and LSH band keys, vectorised with numpy.

Written here rather than taken from datasketch because (1) datasketch hashes every shingle with SHA-1 in a Python
loop, which alone costs more than our whole per-article budget (≥ 1,000 articles/s), while here the shingles are
already 64-bit hashes and a signature is a few numpy passes; and (2) its LSH index lives in memory or Redis/Cassandra,
whereas ours must be rows in the store's SQLite file, written in the same transaction as the article (so a crash
never leaves the index and the articles out of step). The scheme is the textbook one (Broder 1997; banding as in
Leskovec et al., *Mining of Massive Datasets* ch. 3): ``NUM_PERM`` independent hash functions
``h_i(x) = mix64(x XOR seed_i)``, signature = per-function minimum, ``BANDS`` bands of ``ROWS`` rows.
"""

from __future__ import annotations

import numpy as np

from marsad.dedup.text import mix64

NUM_PERM = 96
BANDS = 32
ROWS = 3  # P(candidate) = 1 - (1 - J^3)^32: J=0.3 → 0.58, J=0.4 → 0.88, J=0.5 → 0.98, J=0.1 → 0.03
assert BANDS * ROWS == NUM_PERM

_SEEDS = mix64(np.arange(1, NUM_PERM + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
_BAND_SALT = mix64(np.arange(BANDS, dtype=np.uint64) + np.uint64(0x5BD1E995))
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)


def signature(shingles: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint64) of a set of uint64 shingle hashes."""
    if len(shingles) == 0:
        return _EMPTY.copy()
    # mix64(shingles[:, None] ^ _SEEDS) computed in place in two buffers (the same operations, so the same bits;
    # mix64 itself allocates a new n x NUM_PERM array per step)
    x = shingles[:, None] ^ _SEEDS[None, :]
    t = np.empty_like(x)
    for shift, mul in _MIX_STEPS:
        np.right_shift(x, shift, out=t)
        x ^= t
        if mul is not None:
            x *= mul
    return x.min(axis=0)


# SplitMix64's finaliser as (shift, multiplier) steps: x ^= x >> s, then x *= m (see text.mix64)
_MIX_STEPS = ((np.uint64(30), np.uint64(0xBF58476D1CE4E5B9)), (np.uint64(27), np.uint64(0x94D049BB133111EB)),
              (np.uint64(31), None))  # fmt: skip


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (band index salted in, so equal rows in different bands never collide)."""
    rows = sig.reshape(BANDS, ROWS)
    acc = _BAND_SALT.copy()
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            acc = mix64(acc ^ rows[:, r])
    return acc.view(np.int64).tolist()
