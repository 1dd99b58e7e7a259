"""What a candidate pair's features say about where each actor stands (events.candidates)."""

from __future__ import annotations

import marsad
from marsad.events.candidates import build_candidates


def _slot_feats(text: str, source: str, target: str) -> set[str]:
    art = marsad.analyze(text)
    names = {e.id: e.name for e in art.entities}
    for c in build_candidates(art):
        if {names[i] for i in c.source} == {source} and {names[i] for i in c.target} == {target}:
            return {k for k in c.feats if "clitic:" in k}
    raise AssertionError(f"no candidate {source} -> {target}: {[(c.source, c.target) for c in build_candidates(art)]}")


def test_a_party_written_with_a_proclitic_is_marked():
    # the target is written لفرنسا: the mention leaves the preposition out, the feature says it was there
    feats = _slot_feats("وجهت ألمانيا انتقادات حادة لفرنسا بسبب موقفها من الاتفاق.", "Germany", "France")
    assert "tclitic:ل" in feats


def test_a_name_that_begins_with_a_clitic_letter_is_not_marked():
    # ليبيا، بريطانيا، واشنطن open with the letters of a clitic, but nothing precedes the name
    feats = _slot_feats("وجهت ليبيا انتقادات حادة إلى فرنسا بسبب موقفها من الاتفاق.", "Libya", "France")
    assert feats == set()
    feats = _slot_feats("وجهت بريطانيا انتقادات حادة إلى واشنطن بسبب موقفها من الاتفاق.", "United Kingdom", "Washington D.C.")
    assert feats == set()


def test_a_dateline_names_no_party():
    # where and by whom the sentence was filed (town، country (outlet)--) is no party to what it reports
    text = "عمان، الأردن (CNN)-- انتقدت تركيا إيران بشدة بسبب تدخلها في شؤون جيرانها."
    art = marsad.analyze(text)
    names = {e.id: e.name for e in art.entities}
    parties = {names[i] for c in build_candidates(art) for i in (*c.source, *c.target)}
    assert {"Türkiye", "Iran"} <= parties
    assert not parties & {"Jordan", "Amman"}
