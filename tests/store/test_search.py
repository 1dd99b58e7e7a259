"""Search: Arabic normalisation on both sides, clitic stems, filters, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.data import Article, Entity, Event, Span
from marsad.errors import QueryError
from marsad.store import Store

DOCS = {
    "us": ("قال المتحدث إن أمريكا سترسل وفدا إلى المنطقة الأسبوع المقبل.", "2020-01-05", "alpha"),
    "us2": ("أكدت امريكا أن المحادثات ستستمر.", "2020-02-10", "beta"),
    "harakat": ("أَمْرِيكَا تُعلن عقوبات جديدة.", "2020-03-01", "alpha"),
    "china1": ("وقعت روسيا والصين اتفاقا للتعاون التجاري.", "2020-01-20", "alpha"),
    "china2": ("التقى الوزير بالصين نظيره الهندي في قمة إقليمية.", "2020-02-15", "beta"),
    "china3": ("أعلنت الصين عن خطة اقتصادية جديدة.", "2020-03-10", "gamma"),
    "fm": ("قال وزير الخارجية الروسي إن بلاده مستعدة للحوار.", "2020-03-12", "gamma"),
    "other": ("ارتفعت أسعار النفط في الأسواق العالمية.", "2020-03-15", "gamma"),
}


@pytest.fixture()
def store(tmp_path: Path):
    arts = {}
    for key, (text, date, source) in DOCS.items():
        a = Article.new(text, source=source, published=date, title=None).evolve(body=text)
        if key == "fm":
            ent = Entity("e1", "PER", "Sergey Lavrov", (Span(4, 16),), actor_id="RUS-lavrov", country="RUS")
            a = a.evolve(entities=(ent,), events=(Event("v1", "CONSULT", Span(0, 10), ("e1",)),))
        arts[key] = a
    with Store(tmp_path / "s.db", hooks=[]) as s:
        s.add(arts.values())
        s.keys = {a.id: k for k, a in arts.items()}  # type: ignore[attr-defined]
        yield s


def found(s: Store, q: str, **kw) -> set[str]:
    return {s.keys[h.id] for h in s.search(q, limit=100, **kw)}  # type: ignore[attr-defined]


def test_spelling_variants_meet(store: Store) -> None:
    for q in ("أمريكا", "امريكا", "أَمريكا", "امريكـــا"):
        assert found(store, q) == {"us", "us2", "harakat"}, q


def test_clitic_forms_found_by_stem(store: Store) -> None:
    assert found(store, "الصين") == {"china1", "china2", "china3"}
    assert found(store, "والصين") == {"china1"}  # a clitic in the query stays specific


def test_phrases_operators_and_prefix(store: Store) -> None:
    assert found(store, '"وزير الخارجية"') == {"fm"}
    assert found(store, "الصين OR النفط") == {"china1", "china2", "china3", "other"}
    assert found(store, "الصين NOT روسيا") == {"china2", "china3"}
    assert found(store, "اقتصا*") == {"china3"}
    assert found(store, "الصين روسيا") == {"china1"}  # plain words: all required


def test_filters(store: Store) -> None:
    assert found(store, "الصين", date_from="2020-02-01") == {"china2", "china3"}
    assert found(store, "الصين", date_to="2020-02-28", source="beta") == {"china2"}
    assert found(store, "", source="gamma") == {"china3", "fm", "other"}
    hits = store.search("", source="gamma")
    assert [h.published for h in hits] == sorted((h.published for h in hits), reverse=True)  # newest first
    assert found(store, "", actor="RUS-lavrov") == {"fm"}
    assert found(store, "", event_type="consult") == {"fm"}


def test_recency_window_widens_until_filters_are_met(store: Store) -> None:
    # window of 1: ranking starts among the newest match only, and must widen to reach the filtered hit
    assert {store.keys[h.id] for h in store.search("الصين", source="beta", rank_window=1)} == {"china2"}  # type: ignore[attr-defined]
    (newest,) = store.search("الصين", rank_window=1, limit=1)  # the window holds only the newest match
    assert store.keys[newest.id] == "china3"  # type: ignore[attr-defined]
    assert len(store.search("الصين", rank_window=1, limit=5)) == 3  # too few hits in the window: it widens


def test_snippet_points_at_the_match(store: Store) -> None:
    (hit,) = store.search("النفط")
    assert "النفط" in hit.snippet


@pytest.mark.parametrize("q", ['"unterminated', "الصين AND", "nosuchcol: x", "(الصين"])
def test_bad_syntax_is_a_query_error(store: Store, q: str) -> None:
    with pytest.raises(QueryError) as e:
        store.search(q)
    assert "cannot parse search query" in str(e.value)


def test_punctuation_in_plain_queries_is_not_syntax(store: Store) -> None:
    assert found(store, "الصين-روسيا") == {"china1"}
    with pytest.raises(QueryError):
        store.search("؟!")  # nothing searchable
