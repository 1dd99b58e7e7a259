import json

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.data import Article, Entity, Event, Quote, Rejection, Span


def _article(text: str) -> Article:
    a = Article.new(text, source="t", title="عنوان", published="2024-01-02")
    n = len(text)
    sp = Span(0, n, "body", {"k": [1, "ب"]})
    e = Entity("e1", "PER", "X", (Span(0, min(2, n), "PER"),), actor_id="~x", country="CHN", sector="GOV")
    q = Quote("q1", "direct", Span(0, n, "quote"), ("e1",), cue=Span(0, 0, "cue"))
    ev = Event("v1", "CONSULT", Span(0, n, "event"), ("e1",), ("e1",), mode="phone", date="2024-01-02",
               symmetric=True, cameo="04", quad_class=1, goldstein=1.0)
    return a.with_layers(body=[sp]).evolve(entities=(e,), quotes=(q,), events=(ev,), body=text)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=2, max_size=200))
def test_json_round_trip(text):
    a = _article(text)
    b = Article.from_json(a.to_json())
    assert b == a
    assert json.loads(b.to_json()) == json.loads(a.to_json())


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=2, max_size=200))
def test_pickle_round_trip(text):
    """Pool workers send records back pickled (by their field values): every record comes back equal, with the
    same JSON, its fields shared as they were (one pickle memo)."""
    import pickle

    a = _article(text)
    for proto in (2, pickle.HIGHEST_PROTOCOL):
        b = pickle.loads(pickle.dumps(a, protocol=proto))
        assert b == a and type(b) is Article
        assert b.to_json() == a.to_json()
        assert b.quotes[0].cue == Span(0, 0, "cue") and b.events[0].goldstein == 1.0
        assert b.entities[0].mentions[0] is not a.entities[0].mentions[0]
    pair = pickle.loads(pickle.dumps((a, a)))
    assert pair[0] is pair[1]


def test_id_is_content_hash_and_given_metadata_recorded():
    a = Article.new("نص", source="s")
    b = Article.new("نص", source="s")
    assert a.id == b.id == a.content_hash
    assert Article.new("نص", source="other").id != a.id
    assert Article.new("نص", id="mine").id == "mine"
    assert Article.new("نص", title="ع").meta["given"] == {"title": "ع"}


def test_span_rejects_bad_offsets():
    import pytest

    with pytest.raises(ValueError):
        Span(5, 2)


def test_rejection_serialises_bytes():
    r = Rejection("read", "E_BINARY", "binary", "f.bin", b"\x00\xff")
    d = r.to_dict()
    assert d["raw_is_bytes"] is True and "rejected at read [E_BINARY]" in r.message()
