"""The events stage's shared sentence layers: gathered word vectors equal the per-word ones, and the rule events
read from sentences found once equal those read by the rules on their own."""

from __future__ import annotations

import numpy as np

from marsad.data import Article, Entity, Span
from marsad.events.candidates import SentenceVectors, _cue_similarity, _word_row
from marsad.events.extract import extract_events, sentence_units
from marsad.lang.ar.vectors import word_vectors
from marsad.quotes.extract import MentionIndex


def test_sentence_vectors_are_the_words_own():
    sents = [["الرئيس", "الروسي", "يدين", "الهجوم", "الرئيس"], ["و", "xyz", "اتهمت", "واشنطن", "موسكو"], ["qqq"]]
    vecs = word_vectors()
    for norms in sents * 2:  # the second time every row is already kept
        sv = SentenceVectors(norms)
        rows = [r for r in map(_word_row, norms) if r is not None]
        if not rows:
            assert sv.units is None and sv.sims is None
            continue
        assert sv.units is not None and sv.sims is not None
        assert sv.units.dtype == np.float32 and sv.sims.dtype == np.float32
        assert np.array_equal(sv.units, np.stack([vecs.unit(r) for r in rows]))
        assert np.array_equal(sv.sims, np.stack([_cue_similarity(r) for r in rows]))


def test_rule_events_same_with_units_given():
    text = "اتهمت روسيا الولايات المتحدة بانتهاك الاتفاق. وأدانت فرنسا الهجوم على سوريا."
    def ent(i, name, typ, spans):
        return Entity(i, typ, name, tuple(Span(a, b, typ) for a, b in spans), country=name[:3].upper())
    ents = []
    for i, w in enumerate(["روسيا", "الولايات المتحدة", "فرنسا", "سوريا"]):
        a = text.index(w)
        ents.append(ent(f"e{i}", w, "GPE", [(a, a + len(w))]))
    art = Article(id="t", text=text, body=text, entities=tuple(ents)).with_layers(
        body=[Span(0, len(text), "body")], sentences=[Span(0, len(text), "sent")]
    )
    ix = MentionIndex.of(art)
    alone = extract_events(art, index=ix)
    assert len(alone) == 2  # both sentences state an event: the comparison is not between two empty lists
    assert extract_events(art, index=ix, units=list(sentence_units(art, ix))) == alone
