"""The events model's word-vector features: the cue lexicon widened by meaning (events.candidates)."""

from __future__ import annotations

import pytest

from marsad.events import plover
from marsad.events.candidates import _prototypes, dense_names, semantic_vector
from marsad.events.lexicon import load_cues
from marsad.lang.ar.vectors import word_vectors


@pytest.fixture(scope="module")
def vecs():
    v = word_vectors()
    if not v.index:
        pytest.skip("the neural NER model (which carries the word vectors) is not installed")
    return v


def test_vectors_are_unit_rows(vecs):
    i = vecs.row(("في",))
    assert i is not None
    assert abs(float((vecs.unit(i) ** 2).sum()) - 1.0) < 1e-4
    assert vecs.row(("كلمةلاوجودلها",)) is None


def test_a_cue_word_is_closest_to_its_own_category(vecs):
    types, _ = _prototypes()
    checked = 0
    for entry in load_cues():
        typ = plover.current(entry.type)
        if entry.scope == "s" or len(entry.words) != 1 or vecs.row(entry.words) is None or typ not in types:
            continue
        vec = semantic_vector([entry.words[0]])
        assert vec is not None and len(vec) == len(dense_names("w")) == vecs.dim + len(types)
        sims = dict(zip(types, vec[vecs.dim :].tolist(), strict=True))
        assert sims[typ] == pytest.approx(max(sims.values()))  # similarity 1 with itself: the top category
        checked += 1
    assert checked >= 10


def test_words_without_vectors_add_nothing(vecs):
    assert semantic_vector(["كلمةلاوجودلها", "xyzq"]) is None


def test_dense_scoring_equals_scoring_by_name(vecs):
    """The model scores the dense block by one matrix product; it must equal scoring every feature by name."""
    import marsad
    from marsad.events.candidates import build_candidates
    from marsad.events.model import EVENT, NONE, shipped_model

    model = shipped_model()
    if model is None:
        pytest.skip("no shipped event model")
    art = marsad.analyze("التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني وانغ يي في موسكو، واتهمت روسيا "
                         "الولايات المتحدة بتقويض الاستقرار، ودعت الصين واشنطن إلى الحوار.")  # fmt: skip
    cands = build_candidates(art)
    assert cands and any(c.dense is not None for c in cands)
    fast = model.probabilities_many(cands)
    for c, got in zip(cands, fast, strict=True):
        if model.typer is None:  # one model over the categories and NONE
            p_all = model.detector.proba(c.all_feats)
            assert set(got) == set(p_all) - {NONE}
            for t, p in got.items():
                assert p == pytest.approx(p_all[t], rel=1e-3, abs=1e-6)
            continue
        p_ev = model.detector.proba(c.all_feats)[EVENT]
        p_ty = model.typer.proba(c.all_feats)
        for t, p in p_ty.items():
            assert got[t] == pytest.approx(p_ev * p, rel=1e-3, abs=1e-6)


def test_both_model_layouts_save_and_load(tmp_path):
    """The one-model layout and the hurdle layout round-trip through save/load, and saving one model into a folder
    that held a hurdle drops the hurdle's typer (it must not be read back beside the new detector)."""
    from marsad.events.model import EVENT, NONE, EventModel
    from marsad.learn.linear import fit

    X = [{"w:a": 1.0}, {"w:b": 1.0}, {"w:c": 1.0}, {"w:a": 1.0, "w:c": 1.0}] * 3  # features seen more than once
    hurdle = EventModel(fit(X, [EVENT, EVENT, NONE, NONE] * 3, c=1.0), fit(X[:2] * 3, ["ACCUSE", "SUPPORT"] * 3, c=1.0))
    hurdle.save(tmp_path)
    assert EventModel.load(tmp_path).typer is not None
    flat = EventModel(fit(X, ["ACCUSE", "SUPPORT", NONE, NONE] * 3, c=1.0), None, threshold=0.09)
    flat.save(tmp_path)
    back = EventModel.load(tmp_path)
    assert back.typer is None and back.threshold == 0.09
    assert back.detector.proba(X[0]) == pytest.approx(flat.detector.proba(X[0]), abs=1e-3)
