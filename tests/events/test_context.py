"""Contextual word states (marsad.lang.ar.context) and the event model's use of them."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.lang.ar.context import context_lm
from marsad.lang.ar.normalize import normalize


@pytest.fixture(scope="module")
def lm():
    model = context_lm()
    if model is None:
        pytest.skip("the neural NER model (and its language model) is not installed")
    return model


def _words(text: str) -> list[str]:
    return [normalize(w) for w in text.split()]


def test_states_have_one_row_per_word_and_batching_changes_nothing(lm):
    a = _words("قال وزير الخارجية إن بلاده ترفض العقوبات الجديدة")
    b = _words("التقى الرئيس نظيره في العاصمة")
    together = lm.states([a, b, []])
    alone = [lm.states([a])[0], lm.states([b])[0]]
    assert together[0].shape == (len(a), lm.dim) and together[1].shape == (len(b), lm.dim)
    assert together[2].shape == (0, lm.dim)
    for x, y in zip(together[:2], alone, strict=True):
        assert np.allclose(x, y, atol=1e-5)


def test_a_word_state_depends_on_its_sentence(lm):
    """The same last word after different words gets a different forward state (a word vector would not)."""
    x = lm.states([_words("هاجمت القوات المدينة"), _words("زار الوفد المدينة")])
    assert not np.allclose(x[0][-1, : lm.hidden], x[1][-1, : lm.hidden], atol=1e-3)
    # the backward state of the last word has read nothing but that word: the same in both sentences
    assert np.allclose(x[0][-1, lm.hidden :], x[1][-1, lm.hidden :], atol=1e-5)


def test_candidates_carry_their_sentence_states(lm):
    import marsad
    from marsad.events.candidates import build_candidates

    art = marsad.analyze("اتهمت روسيا الولايات المتحدة بتقويض الاستقرار في المنطقة، ودعت الصين واشنطن إلى الحوار.")
    plain = build_candidates(art)
    cands = build_candidates(art, context=True)
    assert plain and all(c.context is None for c in plain)
    assert len(cands) == len(plain) and all(c.context is not None for c in cands)
    for c in cands:
        h, ks, kt = c.context
        assert h.shape[1] == lm.dim
        assert -1 <= ks < len(h) and -1 <= kt < len(h)
        assert ks >= 0 or kt >= 0  # at least one actor of a pair is named in its sentence here
    # pairs of one sentence share one array (projected once by the model)
    assert len({id(c.context[0]) for c in cands}) <= len({c.sent for c in cands})


def test_a_model_with_context_round_trips_and_a_plain_one_drops_it(lm, tmp_path):
    import marsad
    from marsad.events.candidates import build_candidates
    from marsad.events.model import CONTEXT_FILE, NONE, ContextProjection, EventModel
    from marsad.learn.linear import fit

    art = marsad.analyze("اتهمت روسيا الولايات المتحدة بتقويض الاستقرار في المنطقة، ودعت الصين واشنطن إلى الحوار.")
    cands = build_candidates(art, context=True)
    proj = ContextProjection.fit([c.context[0] for c in cands], dim=4, every=1)
    assert proj.components.shape == (lm.dim, 4)
    feats = []
    for c, row in zip(cands, proj.matrix(cands).tolist(), strict=True):
        feats.append({**c.all_feats, **dict(zip(proj.names(), row, strict=True))})
    labels = ["ACCUSE" if k % 2 == 0 else NONE for k in range(len(cands))]
    model = EventModel(fit(feats * 2, labels * 2, c=1.0), None, threshold=0.2, context=proj)
    model.save(tmp_path)
    back = EventModel.load(tmp_path)
    assert back.uses_context and back.context is not None and back.context.dim == 4
    got, want = back.probabilities_many(cands), model.probabilities_many(cands)
    for g, w in zip(got, want, strict=True):
        assert g == pytest.approx(w, abs=1e-3)  # weights are stored as float16
    # the dense scoring of the states equals scoring them by name
    for g, x in zip(want, feats, strict=True):
        p = model.detector.proba(x)
        assert g["ACCUSE"] == pytest.approx(p["ACCUSE"], rel=1e-3, abs=1e-6)
    plain = EventModel(fit(feats * 2, labels * 2, c=1.0), None, threshold=0.2)
    plain.save(tmp_path)
    assert not (tmp_path / CONTEXT_FILE.split("/")[-1]).exists()
    assert not EventModel.load(tmp_path).uses_context


def test_training_with_context_fits_the_projection_and_its_own_threshold(lm):
    """learn.train(context=True) reads the states (projection fitted on the training sentences, the recipe's
    threshold); the default recipe, the shipped one, does not."""
    import marsad
    from marsad.events.candidates import build_candidates
    from marsad.events.learn import CONTEXT_THRESHOLD, PLAIN_THRESHOLD, PreparedDoc, train
    from marsad.events.model import NONE

    texts = ["اتهمت روسيا الولايات المتحدة بتقويض الاستقرار في المنطقة، ودعت الصين واشنطن إلى الحوار.",
             "التقى وزير الخارجية الروسي نظيره الصيني في موسكو، وبحث الجانبان التعاون بين البلدين."]  # fmt: skip
    docs = []
    for n, text in enumerate(texts):
        art = marsad.analyze(text)
        cands = build_candidates(art, context=True)
        labels = ["ACCUSE" if k % 3 == 0 else NONE for k in range(len(cands))]
        docs.append(PreparedDoc(f"d{n}", {}, art, cands, labels))
    with_states = train(docs, context=True, context_dim=8)
    assert with_states.uses_context and with_states.context is not None and with_states.context.dim == 8
    assert with_states.threshold == CONTEXT_THRESHOLD
    assert any(name in with_states.detector.vocab for name in with_states.context.names())
    plain = train(docs)
    assert not plain.uses_context and plain.threshold == PLAIN_THRESHOLD
    assert not any(name.startswith(("ls", "lt", "lm")) and name[2:].isdigit() for name in plain.detector.vocab)
