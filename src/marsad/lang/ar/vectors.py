"""Word vectors (word2vec, 100 dimensions) learnt from the unlabelled Arabic news, for models that need to know
which words are used alike.

The table ships once, inside the neural NER model (``entities/ner/models/neural/weights.npz``: ``vec_words`` and
int8 rows ``emb_vec_q`` with a per-row scale; built by ``marsad train ner`` from
:mod:`marsad.entities.ner.embeddings`), and is read from there rather than copied. Rows are decoded and scaled to
unit length one word at a time, when first asked for, so loading costs the file read only (the 150k x 100 float
matrix is never built).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

DIM = 100


@dataclass
class WordVectors:
    index: dict[str, int]  # normalised word -> row
    rows: np.ndarray  # (n, dim) int8
    scale: np.ndarray  # (n,) float32
    _unit: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def dim(self) -> int:
        return int(self.rows.shape[1]) if self.rows.size else DIM

    def row(self, forms: tuple[str, ...]) -> int | None:
        """The row of the first of ``forms`` (a word, then its clitic-stripped readings) that has a vector."""
        for f in forms:
            i = self.index.get(f)
            if i is not None:
                return i
        return None

    def unit(self, i: int) -> np.ndarray:
        v = self._unit.get(i)
        if v is None:
            v = self.rows[i].astype(np.float32) * self.scale[i]
            v = v / (float(np.linalg.norm(v)) + 1e-8)
            self._unit[i] = v
        return v

    def units(self, rows: Sequence[int]) -> np.ndarray:
        """(len(rows), dim) :meth:`unit` vectors of many rows (not cached), bit for bit the same: the scaling and
        the division are the same float32 element-wise operations on the whole block, and each row's squared norm
        is the same ``dot`` that ``np.linalg.norm`` takes (one BLAS call per row instead of five numpy calls)."""
        u = self.rows[rows].astype(np.float32) * self.scale[rows][:, None]
        sq = np.array([r.dot(r) for r in u], dtype=np.float32)
        u /= (np.sqrt(sq).astype(np.float64) + 1e-8).astype(np.float32)[:, None]
        return u


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    """The shipped vectors; an empty table when the neural NER model is not installed (features then stay off)."""
    from marsad.entities.ner import DEFAULT_NEURAL_MODEL

    path = DEFAULT_NEURAL_MODEL / "weights.npz"
    empty = WordVectors({}, np.zeros((0, DIM), dtype=np.int8), np.zeros(0, dtype=np.float32))
    if not path.is_file():
        return empty
    with np.load(path) as z:
        if "vec_words" not in z.files or "emb_vec_q" not in z.files:
            return empty
        words = bytes(z["vec_words"]).decode("utf-8").split("\n")
        rows = z["emb_vec_q"]
        scale = z["emb_vec_scale"].astype(np.float32).reshape(-1)
    # row 0 of the NER table is "no vector"; word k is row k + 1
    return WordVectors({w: k + 1 for k, w in enumerate(words)}, rows, scale)
