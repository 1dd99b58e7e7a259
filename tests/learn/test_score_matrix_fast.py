"""LinearModel.score_matrix (one C-level vocabulary lookup for all rows) gives exactly the scores of the plain
per-feature loop it replaced: same columns, values and row starts, so the same float32 sums (issue 20)."""

import random

import numpy as np

from marsad.learn.linear import LinearModel


def reference(model: LinearModel, rows, *, intercept=True):
    coef_t = np.ascontiguousarray(model.coef.T, dtype=np.float32)
    starts, cols, vals = [], [], []
    for feats in rows:
        starts.append(len(cols))
        for f, v in feats.items():
            j = model.vocab.get(f)
            if j is not None:
                cols.append(j)
                vals.append(v)
    z = np.zeros((len(rows), model.coef.shape[0]), dtype=np.float64)
    if intercept:
        z += model.intercept
    if cols:
        contrib = coef_t[np.asarray(cols)] * np.asarray(vals, dtype=np.float32)[:, None]
        st = np.asarray(starts)
        ends = np.append(st[1:], len(cols))
        filled = st < ends
        z[filled] += np.add.reduceat(contrib, st[filled], axis=0)
    return z


def test_score_matrix_equals_the_loop_bit_for_bit():
    rnd = random.Random(11)
    rng = np.random.default_rng(11)
    names = [f"f{i}" for i in range(300)]
    for n_classes in (1, 5):
        model = LinearModel(
            classes=tuple(f"c{i}" for i in range(max(2, n_classes))),
            vocab={f: i for i, f in enumerate(names[:200])},
            coef=rng.normal(size=(n_classes, 200)),
            intercept=rng.normal(size=n_classes),
        )
        for n_rows in (0, 1, 7, 600, 1500):  # empty rows, unknown-only rows and more than one block included
            rows = [
                {f: rnd.choice([1.0, 0.5, rnd.random() * 3]) for f in rnd.sample(names, rnd.randint(0, 12))}
                for _ in range(n_rows)
            ]
            for intercept in (True, False):
                got = model.score_matrix(rows, intercept=intercept)
                assert got.shape == (n_rows, n_classes)
                assert np.array_equal(got, reference(model, rows, intercept=intercept))
