"""Highlighting from offsets: the segments of a body always rebuild the original text exactly, and each piece
knows every span that covers it (property tests over Arabic/Latin mixes and overlapping spans)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.api.queries import make_snippet
from marsad.web.highlight import Mark, body_blocks, regions, segment

TEXT = st.text(alphabet=st.sampled_from(list("وقال الرئيس إنّ الصينَ ـ،؟؛ abc <>&\"'\n")), min_size=0, max_size=80)


@st.composite
def text_and_marks(draw):
    text = draw(TEXT)
    n = len(text)
    marks = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, n))
        marks.append(Mark(a, b, draw(st.sampled_from(["ent", "quote", "event"])), "PER", f"r{len(marks)}"))
    return text, marks


@settings(max_examples=200, deadline=None)
@given(text_and_marks())
def test_segments_rebuild_the_text_and_carry_their_marks(tm):
    text, marks = tm
    segs = segment(text, marks)
    assert "".join(s.text for s in segs) == text
    for s in segs:
        assert text[s.start:s.end] == s.text
        covering = {m.ref for m in marks if m.start <= s.start and m.end >= s.end and m.start < m.end}
        assert {m.ref for m in s.marks} == covering


@settings(max_examples=200, deadline=None)
@given(text_and_marks(), st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=3))
def test_blocks_leave_out_removed_spans(tm, removed):
    text, marks = tm
    removed = [(min(a, b), max(a, b)) for a, b in removed]
    for block in body_blocks(text, marks, removed):
        for s in block:
            assert all(not (a <= s.start and s.end <= b) or a == b for a, b in removed)
            assert text[s.start:s.end] == s.text
    kept = regions(len(text), removed)
    assert all(0 <= a < b <= len(text) for a, b in kept)


def test_snippet_matches_through_harakat_hamza_and_tatweel():
    body = "قال المتحدث إنّ إيـــرانَ ستردّ، وأضاف أن ايران لن تتراجع."
    snippet, marks = make_snippet(body, ["ايران"])
    found = [snippet[s:e] for s, e in marks]
    assert found == ["إيـــرانَ", "ايران"]
    assert make_snippet("", ["x"]) == ("", [])
    text, marks = make_snippet("نص بلا تطابق", ["الصين"])
    assert text == "نص بلا تطابق" and marks == []


WORDS = st.sampled_from(["الصين", "إيران", "ايران", "إيـــرانَ", "الرّئيس", "قال", "Trump", "TRUMP", "ﻻ", "وزير"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30), st.sampled_from(["ايران", "الرئيس", "trump", "الصين"]))
def test_snippet_marks_slice_words_that_normalise_to_the_term(words, term):
    from marsad.lang.ar.normalize import normalize

    body = " ".join(words)
    snippet, marks = make_snippet(body, [term], width=10_000)
    assert snippet == body
    expected = sum(normalize(w).lower().count(term) for w in words)
    assert len(marks) == expected
    for s, e in marks:
        assert normalize(snippet[s:e]).lower() == term
