"""Contextual word states: what a word means in its sentence, for models that decide from a few annotated examples.

The states come from the word-level bidirectional language model that ships inside the neural NER model
(``entities/ner/models/neural/weights.npz``, keys ``lm_*``; trained by :mod:`marsad.entities.ner.lm_train` on the
unlabelled news, TagLM-style: one LSTM of 256 reads left to right and predicts the next word, one reads right to left
and predicts the previous one, both over the frozen word2vec rows of :mod:`marsad.lang.ar.vectors`). A word's state
is the two LSTMs' hidden vectors at it (512 numbers): unlike a word vector it depends on the words around it, so
"X criticised Y" and "X met Y" differ at Y even where the words at Y are the same.

Read here rather than through :class:`marsad.entities.ner.neural.NeuralTagger` because a caller that only needs the
language model should not load the tagger's network, char-CNN and vocabularies. The per-word input projections are
computed once per distinct word and cached (the recurrent part is per sentence, batched over a document's
sentences), as in the tagger.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from marsad.lang.ar.vectors import word_vectors

_KEYS = ("lm_wih_f", "lm_whh_f", "lm_b_f", "lm_wih_b", "lm_whh_b", "lm_b_b", "lm_unk")
_BATCH = 32  # sentences per recurrent pass (rows of one matrix product per step)
_MAX_CACHE = 300_000


class ContextLM:
    """The BiLM's hidden states of sentences given as normalised words. Thread-safe (the word cache is locked)."""

    def __init__(self, w: dict[str, np.ndarray]) -> None:
        from marsad.entities.ner.neural import _fold_gate_scale

        w = {k: v.astype(np.float32) for k, v in w.items()}
        _fold_gate_scale(w, "lm", ("wih", "whh", "b"))  # the tagger's layout: one tanh serves all four gates
        self.hidden = int(w["lm_whh_f"].shape[1])
        self._wih = np.concatenate(
            [w["lm_wih_f"], w["lm_wih_b"]]
        ).T.copy()  # (dim, 8H): both directions at once
        self._b = np.concatenate([w["lm_b_f"], w["lm_b_b"]])
        self._whh_t = (w["lm_whh_f"].T.copy(), w["lm_whh_b"].T.copy())
        self._unk = w["lm_unk"].reshape(-1)
        self._rows: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Numbers per word state (forward and backward hidden vectors)."""
        return 2 * self.hidden

    @staticmethod
    def _vector_row(norm: str) -> int:
        """The word's row as the language model's trainer and the tagger look it up (the same forms, the same
        fallbacks)."""
        from marsad.entities.ner.neural import WordEncoder, vector_id

        n, _, stem, bare = WordEncoder.forms(norm)
        return vector_id(word_vectors().index, n, stem, bare)

    def _inputs(self, words: set[str]) -> None:
        new = [x for x in words if x not in self._rows]
        if not new:
            return
        vecs = word_vectors()
        ids = np.array([self._vector_row(x) for x in new], dtype=np.intp)
        e = vecs.rows[ids].astype(np.float32) * vecs.scale[ids][:, None]
        e[ids == 0] = self._unk  # the trainer's learnt vector for a word without one (row 0 is all zeros)
        proj = e @ self._wih + self._b
        with self._lock:
            if len(self._rows) > _MAX_CACHE:
                self._rows.clear()
            for x, row in zip(new, proj, strict=True):
                self._rows[x] = row

    def states(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """One (len(sentence), :attr:`dim`) float32 array per sentence: forward then backward state of each word."""
        from marsad.entities.ner.neural import lstm_steps

        out: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(sentences)
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: -len(sentences[i]))
        g4 = 4 * self.hidden
        for s in range(0, len(order), _BATCH):
            idx = order[s : s + _BATCH]  # longest first, as lstm_steps wants
            self._inputs({x for i in idx for x in sentences[i]})
            lengths = np.array([len(sentences[i]) for i in idx])
            t = int(lengths[0])
            xf = np.zeros((len(idx), t, g4), np.float32)
            xb = np.zeros((len(idx), t, g4), np.float32)
            for r, i in enumerate(idx):
                rows = np.stack([self._rows[x] for x in sentences[i]])
                xf[r, : len(rows)] = rows[:, :g4]
                xb[r, : len(rows)] = rows[::-1, g4:]  # the backward LSTM reads the sentence reversed
            hf = lstm_steps(xf, lengths, self._whh_t[0])
            hb = lstm_steps(xb, lengths, self._whh_t[1])
            for r, i in enumerate(idx):
                n = int(lengths[r])
                out[i] = np.concatenate([hf[r, :n], hb[r, :n][::-1]], axis=1)
        return out


@lru_cache(maxsize=1)
def context_lm() -> ContextLM | None:
    """The shipped language model, or None when the neural NER model (or its language model) is not installed."""
    from marsad.entities.ner import DEFAULT_NEURAL_MODEL

    path = DEFAULT_NEURAL_MODEL / "weights.npz"
    if not path.is_file():
        return None
    with np.load(path) as z:
        if not all(k in z.files for k in _KEYS):
            return None
        w = {k: z[k] for k in _KEYS}
    return ContextLM(w)
