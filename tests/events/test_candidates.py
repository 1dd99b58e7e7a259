"""Candidate pairs of the event model (events.candidates): which quote frame a pair is read in."""

from __future__ import annotations

import marsad
from marsad.events.candidates import build_candidates


def _named(art):
    names = {e.id: e.name for e in art.entities}
    return lambda ids: {names[i] for i in ids}


def test_each_pair_reads_the_clause_that_names_its_target():
    """One sentence, two reported clauses of one speaker (اعتبر ... أن ...، مؤكدا أن ...): a pair whose target is
    in the first clause is read with the first clause's cue and content, not the longer second one."""
    text = ("واعتبر وزير الخارجية المصري سامح شكري أن إسرائيل تواصل انتهاك القانون الدولي في المنطقة، "
            "مؤكدا أن مصر تدعم الأردن في جهوده لحماية المقدسات.")  # fmt: skip
    art = marsad.analyze(text)
    assert len(art.quotes) == 2
    name = _named(art)
    frames = {}
    for c in build_candidates(art):
        if "Sameh Shoukry" in name(c.source):
            assert c.quote is not None
            frames[next(iter(name(c.target)))] = c.quote.cue.attrs.get("lemma")
            assert c.quote.content.start <= c.tgt_span[0] < c.quote.content.end
    assert frames["Israel"] == "اعتبر"
    assert frames["Jordan"] == "أكد"
