"""Property tests: on arbitrary Arabic-like text with arbitrary entity mentions, quotes and events never fail and
every span slices the original text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.data import Article, Entity, Span
from marsad.events.extract import extract_events, sentence_types
from marsad.quotes.extract import extract_quotes

WORDS = ["قال", "وأضاف", "إن", "أن", "مشيرا", "إلى", "روسيا", "الصين", "الوزير", "اتصال", "هاتفي", "مع", "طرد",
         "عقوبات", "تدين", "«", "»", '"', "،", ".", ":", "ـ", "َ", "وانغ", "يي", "بين", "على", "لم", "الروسي"]  # fmt: skip


@st.composite
def articles(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=60))
    text = " ".join(words)
    ents = []
    for i in range(draw(st.integers(0, 4))):
        if not text:
            break
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, min(len(text), a + 12)))
        ents.append(Entity(f"e{i}", draw(st.sampled_from(["PER", "ORG", "GPE"])), "x", (Span(a, b, "mention"),),
                           country=draw(st.sampled_from([None, "RUS", "CHN"]))))  # fmt: skip
    art = Article.new(text or " ", id="p").evolve(entities=tuple(ents))
    return art.with_layers(body=[Span(0, len(art.text), "body")])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_quotes_and_events_total(art):
    qs = extract_quotes(art)
    for q in qs:
        assert 0 <= q.content.start < q.content.end <= len(art.text)
        assert all(art.entity(s) is not None for s in q.speaker)
    art = art.evolve(quotes=tuple(qs))
    for ev in extract_events(art):
        assert 0 <= ev.evidence.start < ev.evidence.end <= len(art.text)
        assert ev.source and ev.target and not set(ev.source) & set(ev.target)
    sentence_types(art.text)
