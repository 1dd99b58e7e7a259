"""The events stage's faster paths give the numbers of the plain ones they replaced, bit for bit (issue 20): word
vectors scaled to unit length as a block, the decision's category selection on the probability matrix, the
features a decision names looked up in one pass."""

from __future__ import annotations

import random

import numpy as np

from marsad.data import Article, Entity, Span
from marsad.events.candidates import build_candidates
from marsad.events.model import NONE, EventModel, shipped_model
from marsad.lang.ar.vectors import WordVectors, word_vectors
from marsad.learn.linear import LinearModel


def test_unit_block_equals_unit_per_row():
    vecs = word_vectors()
    if not len(vecs.rows):
        return
    rnd = random.Random(5)
    rows = [rnd.randrange(1, len(vecs.rows)) for _ in range(300)] + [1, 1]
    fresh = WordVectors(vecs.index, vecs.rows, vecs.scale)  # per-row results computed anew, not read from a cache
    block = vecs.units(rows)
    assert block.dtype == np.float32
    assert np.array_equal(block, np.stack([fresh.unit(r) for r in rows]))


def _article() -> Article:
    text = (
        "اتهمت روسيا الولايات المتحدة بانتهاك الاتفاق مع إيران. وأدانت فرنسا الهجوم على سوريا ودعت تركيا إلى وقف "
        "القتال. وبحث وزير الخارجية الصيني مع نظيره الروسي العلاقات بين الصين وروسيا."
    )
    ents = []
    for i, w in enumerate(["روسيا", "الولايات المتحدة", "إيران", "فرنسا", "سوريا", "تركيا", "الصين"]):
        spans = []
        a = text.find(w)
        while a >= 0:
            spans.append(Span(a, a + len(w), "GPE"))
            a = text.find(w, a + 1)
        ents.append(Entity(f"e{i}", "GPE", w, tuple(spans), country=f"C{i}"))
    return Article(id="t", text=text, body=text, entities=tuple(ents)).with_layers(
        body=[Span(0, len(text), "body")], sentences=[Span(0, len(text), "sent")]
    )


def _reference_ranked(model: EventModel, cands, floor):
    out = []
    for probs in model.probabilities_many(cands):
        ranked = sorted(probs.items(), key=lambda x: -x[1])
        out.append([(t, p) for t, p in (ranked if model.combine == "noisy_or" else ranked[:1]) if p >= floor])
    return out


def test_ranked_categories_equal_the_dictionary_path():
    model = shipped_model()
    if model is None:
        return
    cands = build_candidates(_article())
    assert len(cands) > 5
    d = model.detector
    # the dictionaries of probabilities_many are the plain softmax of the same scores
    plain = d.proba_many([c.feats for c in cands], extra=model._extra(d, cands))
    assert model.probabilities_many(cands) == [{t: p for t, p in r.items() if t != NONE} for r in plain]
    for combine in ("noisy_or", "max"):
        m = EventModel(d, None, threshold=model.threshold, combine=combine)
        for floor in (0.0, m.threshold / 4, 0.5):
            assert m._ranked(cands, floor) == _reference_ranked(m, cands, floor)


def test_top_features_equal_the_plain_lookup():
    rng = np.random.default_rng(3)
    names = [f"f{i}" for i in range(50)]
    model = LinearModel(("a", "b", "c"), {f: i for i, f in enumerate(names[:40])}, rng.normal(size=(3, 40)),
                        np.zeros(3))
    feats = {f: float(v) for f, v in zip(names[::-1], rng.uniform(0.5, 2, size=50), strict=True)}
    for cls in model.classes:
        known = [(f, model.vocab[f], v) for f, v in feats.items() if f in model.vocab]
        w = model.coef[model.classes.index(cls), [j for _, j, _ in known]].astype(np.float64) * [v for *_, v in known]
        top = np.argsort(-w, kind="stable")[:5]
        assert model.top_features(feats, cls) == [(known[i][0], round(float(w[i]), 3)) for i in top]
    assert model.top_features({"zz": 1.0}, "a") == []


def test_proba_matrix_equals_proba_many():
    rng = np.random.default_rng(7)
    names = [f"f{i}" for i in range(30)]
    rows = [{f: 1.0 for f in rng.choice(names, size=8, replace=False)} for _ in range(20)] + [{}]
    for n_rows, classes in ((1, ("drop", "keep")), (3, ("a", "b", "c"))):
        model = LinearModel(classes, {f: i for i, f in enumerate(names[:25])}, rng.normal(size=(n_rows, 25)),
                            rng.normal(size=n_rows))
        many = model.proba_many(rows)
        mat = model.proba_matrix(rows)
        assert [dict(zip(classes, r, strict=True)) for r in mat.tolist()] == many


def test_cue_entries_equal_the_full_suffix_search():
    """_entries_for skips the readings that are no lexicon stem with or without a suffix: the same entries as trying
    every suffix off every reading, for lexicon stems with clitics and suffixes and for words of no entry."""
    from marsad.events.extract import _CLITICS, _SUFFIXES, _candidates, _entries_for, _stems_of
    from marsad.events.lexicon import cue_index

    idx = cue_index()

    def full(word: str) -> tuple:
        out: list = []
        for cand in _candidates(word):
            for stem in _stems_of(cand):
                for entry in idx.get(stem, ()):
                    if entry not in out:
                        out.append(entry)
        return tuple(out)

    rnd = random.Random(3)
    stems = rnd.sample(sorted(idx), min(300, len(idx)))
    words = {c + s + x for s in stems for c in ("", *_CLITICS[:4], "و") for x in _SUFFIXES[:6]}
    words |= {"كتاب", "المدينة", "والطلاب", "سيارتها", "ب", ""}
    assert any(full(w) for w in words)
    for w in words:
        assert _entries_for.__wrapped__(w) == full(w), w
