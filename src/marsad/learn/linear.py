"""A sparse linear classifier over named features: trained with scikit-learn, applied with numpy only.

Candidates (event pairs, speaker candidates) are described by string features (``"cue:ACCUSE|between"``); a
multinomial logistic regression turns them into class probabilities. Training needs the ``train`` extra;
applying a shipped model needs numpy alone, and the file is a small ``.npz`` (features, classes, float16 weights)
so the package stays light and loads in milliseconds.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

Features = Mapping[str, float]


BLOCK = 512  # rows scored in one numpy pass by LinearModel.score_matrix


@dataclass
class LinearModel:
    classes: tuple[str, ...]
    vocab: dict[str, int]
    coef: np.ndarray  # (n_classes or 1, n_features)
    intercept: np.ndarray  # (n_classes or 1,)
    meta: dict[str, Any] = field(default_factory=dict)
    _coef_t: np.ndarray | None = field(default=None, repr=False, compare=False)
    _dense_w: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def scores(self, feats: Features) -> np.ndarray:
        idx = [(self.vocab[f], v) for f, v in feats.items() if f in self.vocab]
        z = self.intercept.astype(np.float64).copy()
        if idx:
            cols = np.fromiter((i for i, _ in idx), dtype=np.int64, count=len(idx))
            vals = np.fromiter((v for _, v in idx), dtype=np.float64, count=len(idx))
            z += self.coef[:, cols].astype(np.float64) @ vals
        return z

    def score_matrix(self, rows: Sequence[Features], *, intercept: bool = True) -> np.ndarray:
        """(len(rows), n_classes) scores of many feature sets in one numpy pass per block of rows (a document's
        candidates). Blocks of :data:`BLOCK` rows keep the (features × classes) products small enough to stay in
        cache on a long document; rows are independent, so the scores are those of one pass."""
        if len(rows) > BLOCK:
            return np.concatenate(
                [self.score_matrix(rows[i : i + BLOCK], intercept=intercept) for i in range(0, len(rows), BLOCK)]
            )
        if self._coef_t is None:
            self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float32)
        # every row's feature names looked up in one C-level map (unknown ones -1, then dropped), not a Python loop
        # per feature: the same columns, values and row starts as that loop, so the same sums
        n = len(rows)
        keys = list(chain.from_iterable(rows))
        js = np.fromiter(map(self.vocab.get, keys, repeat(-1, len(keys))), dtype=np.int64, count=len(keys))
        keep = js >= 0
        cols = js[keep]
        z = np.zeros((n, self.coef.shape[0]), dtype=np.float64)
        if intercept:
            z += self.intercept
        if len(cols):
            vals = np.fromiter(chain.from_iterable(f.values() for f in rows), dtype=np.float32, count=len(keys))[keep]
            lens = np.fromiter(map(len, rows), dtype=np.int64, count=n)
            kept = np.bincount(np.repeat(np.arange(n), lens)[keep], minlength=n)
            st = np.zeros(n, dtype=np.int64)
            st[1:] = np.cumsum(kept)[:-1]
            contrib = self._coef_t[cols] * vals[:, None]
            ends = np.append(st[1:], len(cols))
            filled = st < ends  # rows with at least one known feature
            z[filled] += np.add.reduceat(contrib, st[filled], axis=0)
        return z

    def weights_of(self, names: Sequence[str]) -> np.ndarray:
        """(len(names), n_classes) weights of the named features (zero for a name the model never kept): a block of
        dense features is then scored with one matrix product instead of a dictionary per row."""
        key = tuple(names)
        w = self._dense_w.get(key)
        if w is None:
            w = np.zeros((len(names), self.coef.shape[0]), dtype=np.float32)
            for i, f in enumerate(names):
                j = self.vocab.get(f)
                if j is not None:
                    w[i] = self.coef[:, j]
            self._dense_w[key] = w
        return w

    def proba_many(self, rows: Sequence[Features], *, extra: np.ndarray | None = None) -> list[dict[str, float]]:
        """Class probabilities of many feature sets; ``extra`` adds scores computed apart (shared features)."""
        return [dict(zip(self.classes, row, strict=True)) for row in self.proba_matrix(rows, extra=extra).tolist()]

    def proba_matrix(self, rows: Sequence[Features], *, extra: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities as a (rows, classes) matrix in :attr:`classes` order, for callers that select from
        them in numpy (:meth:`proba_many` gives them as one dictionary per row)."""
        z = self.score_matrix(rows)
        if extra is not None:
            z = z + extra
        if len(self.classes) == 2 and z.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p1, p1], axis=1)
        return self._softmax(z)

    @staticmethod
    def _softmax(z: np.ndarray) -> np.ndarray:
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        e /= e.sum(axis=1, keepdims=True)
        return e

    def proba(self, feats: Features) -> dict[str, float]:
        z = self.scores(feats)
        if len(self.classes) == 2 and z.shape[0] == 1:  # binary: one weight row for the second class
            p1 = float(1.0 / (1.0 + np.exp(-z[0])))
            return {self.classes[0]: 1.0 - p1, self.classes[1]: p1}
        z = z - z.max()
        e = np.exp(z)
        e /= e.sum()
        return dict(zip(self.classes, (float(x) for x in e), strict=True))

    def top_features(self, feats: Features, cls: str, k: int = 5) -> list[tuple[str, float]]:
        """The features that pushed ``cls`` most: the evidence kept with a decision."""
        row = self.classes.index(cls) if self.coef.shape[0] > 1 else 0
        # the known features looked up in one C-level pass (as in score_matrix), in the order of ``feats``
        names = list(feats)
        js = np.fromiter(map(self.vocab.get, names, repeat(-1, len(names))), dtype=np.int64, count=len(names))
        known = np.flatnonzero(js >= 0)
        if not len(known):
            return []
        vals = np.fromiter(feats.values(), dtype=np.float64, count=len(names))[known]
        weights = self.coef[row, js[known]].astype(np.float64) * vals
        top = np.argsort(-weights, kind="stable")[:k]
        return [(names[known[i]], round(float(weights[i]), 3)) for i in top.tolist()]

    def save(self, path: str | Path) -> None:
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        header = json.dumps({"classes": list(self.classes), "features": names, "meta": self.meta}, ensure_ascii=False)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            header=np.frombuffer(header.encode("utf-8"), dtype=np.uint8),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )
        Path(path).write_bytes(buf.getvalue())

    @classmethod
    def load(cls, path: str | Path | io.BytesIO) -> LinearModel:
        with np.load(path) as z:
            header = json.loads(bytes(z["header"]).decode("utf-8"))
            coef = z["coef"].astype(np.float32)
            intercept = z["intercept"].astype(np.float32)
        vocab = {f: i for i, f in enumerate(header["features"])}
        return cls(tuple(header["classes"]), vocab, coef, intercept, header.get("meta") or {})


def fit(
    X: Sequence[Features],
    y: Sequence[str],
    *,
    c: float = 1.0,
    min_count: int = 2,
    class_weight: Mapping[str, float] | str | None = None,
    sample_weight: Sequence[float] | None = None,
    max_iter: int = 300,
    meta: Mapping[str, Any] | None = None,
) -> LinearModel:
    """Multinomial logistic regression (L2) over the features seen in at least ``min_count`` examples."""
    from marsad.errors import require

    require("sklearn", feature="training a model", extra="train")
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for feats in X:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= min_count)
    vocab = {f: i for i, f in enumerate(names)}
    mat = _matrix(X, vocab, csr_matrix)
    classes = sorted(set(y))
    if len(classes) < 2:
        raise ValueError("[E_TRAIN] training data has a single class")
    clf = LogisticRegression(C=c, max_iter=max_iter, class_weight=class_weight)  # type: ignore[arg-type]
    clf.fit(mat, list(y), sample_weight=None if sample_weight is None else np.asarray(sample_weight))
    coef = np.asarray(clf.coef_, dtype=np.float32)
    intercept = np.asarray(clf.intercept_, dtype=np.float32)
    return LinearModel(tuple(str(c_) for c_ in clf.classes_), vocab, coef, intercept, dict(meta or {}))


def _matrix(X: Sequence[Features], vocab: Mapping[str, int], csr_matrix: Any) -> Any:
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, feats in enumerate(X):
        for f, v in feats.items():
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append(float(v))
    return csr_matrix((vals, (rows, cols)), shape=(len(X), len(vocab)), dtype=np.float64)


def group_folds(groups: Sequence[str], k: int, *, seed: int = 0) -> list[set[str]]:
    """K folds by document: each group (document id) in exactly one fold, assigned in sorted order round-robin so
    folds are stable across runs and independent of the data's order. ``seed`` > 0 deals the sorted ids in an
    order shuffled by that seed instead: another split of the same articles, as stable and order-independent, for
    repeated cross-validation (how much a figure moves with the split alone)."""
    uniq = sorted(set(groups))
    if seed:
        import random

        random.Random(seed).shuffle(uniq)
    folds: list[set[str]] = [set() for _ in range(k)]
    for i, g in enumerate(uniq):
        folds[i % k].add(g)
    return folds


def calibration(probs: Iterable[float], labels: Iterable[bool], bins: int = 5) -> list[dict[str, float]]:
    """Reliability table: mean predicted probability vs observed rate per probability bin."""
    table: list[list[float]] = [[0.0, 0.0, 0.0] for _ in range(bins)]
    for p, yes in zip(probs, labels, strict=True):
        b = min(bins - 1, int(p * bins))
        table[b][0] += p
        table[b][1] += float(yes)
        table[b][2] += 1
    return [
        {"bin": round(i / bins, 2), "mean_p": round(s / n, 3), "observed": round(o / n, 3), "n": int(n)}
        for i, (s, o, n) in enumerate(table)
        if n
    ]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def fit_platt(probs: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """Platt scaling on out-of-fold probabilities: ``p' = sigmoid(a * logit(p) + b)`` so that a confidence of 0.7
    is right about 70% of the time. Returns (a, b); (1, 0) leaves probabilities as they are."""
    if len(set(labels)) < 2:
        return 1.0, 0.0
    from sklearn.linear_model import LogisticRegression

    x = np.array([[_logit(p)] for p in probs])
    clf = LogisticRegression(C=100.0).fit(x, np.asarray(labels, dtype=int))
    return float(clf.coef_[0][0]), float(clf.intercept_[0])


def platt(p: float, ab: tuple[float, float]) -> float:
    a, b = ab
    return float(1.0 / (1.0 + np.exp(-(a * _logit(p) + b))))
