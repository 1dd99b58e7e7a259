"""The sparse linear model: numpy inference equals scikit-learn's, files round-trip, folds split by document."""

from __future__ import annotations

import random

import numpy as np
import pytest

from marsad.learn.linear import LinearModel, calibration, fit, fit_platt, group_folds, platt

pytest.importorskip("sklearn")


def _toy(n: int = 300, seed: int = 3):
    rng = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        lab = rng.choice(["A", "B", "NONE"])
        feats = {f"w:{w}": 1.0 for w in rng.sample(range(31), 2)}  # two noise words
        feats[f"sig:{lab}"] = 1.0 if rng.random() < 0.8 else 0.0
        X.append(feats)
        y.append(lab)
    return X, y


def test_numpy_probabilities_equal_sklearn(tmp_path):
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    X, y = _toy()
    model = fit(X, y, c=1.0, min_count=1)
    names = sorted(model.vocab, key=model.vocab.__getitem__)
    rows, cols, vals = [], [], []
    for r, f in enumerate(X):
        for k, v in f.items():
            rows.append(r)
            cols.append(model.vocab[k])
            vals.append(v)
    mat = csr_matrix((vals, (rows, cols)), shape=(len(X), len(names)))
    ref = LogisticRegression(C=1.0, max_iter=300).fit(mat, y)
    for i in (0, 7, 42):
        got = model.proba(X[i])
        want = dict(zip(ref.classes_, ref.predict_proba(mat[i])[0], strict=True))
        for c in want:
            assert got[c] == pytest.approx(want[c], abs=1e-4)
    path = tmp_path / "m.npz"
    model.save(path)
    back = LinearModel.load(path)
    assert back.classes == model.classes
    for i in (0, 7, 42):  # float16 weights: the same decision, probabilities within a rounding
        a, b = model.proba(X[i]), back.proba(X[i])
        assert max(a, key=a.get) == max(b, key=b.get)
        assert all(abs(a[c] - b[c]) < 0.01 for c in a)


def test_binary_model_and_unknown_features():
    X = [{"x": 1.0}] * 20 + [{"y": 1.0}] * 20
    y = ["1"] * 20 + ["0"] * 20
    m = fit(X, y, min_count=1)
    assert m.proba({"x": 1.0})["1"] > 0.8 and m.proba({"y": 1.0})["1"] < 0.2
    assert m.proba({"never seen": 1.0}) == m.proba({})  # unknown features weigh nothing
    assert m.top_features({"x": 1.0, "y": 1.0}, "1", k=1)[0][0] == "x"


def test_group_folds_split_documents():
    ids = [f"doc{i}" for i in range(23)] * 3
    folds = group_folds(ids, 5)
    assert len(folds) == 5
    assert set().union(*folds) == set(ids)
    assert sum(len(f) for f in folds) == 23  # each document in exactly one fold
    assert folds == group_folds(list(reversed(ids)), 5)  # independent of the data's order


def test_group_folds_seed_deals_another_split():
    ids = [f"doc{i}" for i in range(40)]
    assert group_folds(ids, 5, seed=0) == group_folds(ids, 5)  # seed 0 is the split of record
    other = group_folds(ids, 5, seed=1)
    assert sorted(len(f) for f in other) == [8] * 5 and set().union(*other) == set(ids)
    assert other != group_folds(ids, 5)
    assert other == group_folds(list(reversed(ids)), 5, seed=1)  # as stable and order-independent
    assert other != group_folds(ids, 5, seed=2)


def test_platt_scaling_fixes_overconfidence():
    rng = np.random.default_rng(0)
    probs = rng.uniform(0.01, 0.99, 6000)
    true_p = 1 / (1 + np.exp(-(0.5 * np.log(probs / (1 - probs)) - 1.0)))  # an overconfident model
    right = rng.uniform(0, 1, 6000) < true_p
    ab = fit_platt(list(probs), list(right))
    scaled = [platt(p, ab) for p in probs]
    for row in calibration(scaled, list(right), bins=5):
        if row["n"] >= 300:  # bins with enough candidates to measure
            assert abs(row["mean_p"] - row["observed"]) < 0.06
    assert platt(0.9, ab) > platt(0.5, ab) > platt(0.1, ab)  # monotone: the ranking is kept
