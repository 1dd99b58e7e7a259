"""Issue 19 point 5: a search finds the spelling variants of a known actor through the actor registry's names
(ترامب / ترمب, أمريكا / أميركا) and nothing that only looks alike (السعوديه must not find سعيد). Own small store:
sentences written for this test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.data import Article, Entity, Span
from marsad.store import Store
from marsad.store.search import match_expression
from marsad.store.search import search as cli_search

pytest.importorskip("fastapi")

TEXTS = {
    "trump_a": "قال الرئيس ترامب إن المحادثات التجارية ستستمر الأسبوع المقبل.",
    "trump_b": "أعلن ترمب في مؤتمر صحفي عن خطة جديدة للضرائب.",
    "us_a": "وصل وفد من أمريكا إلى العاصمة لبحث ملف الطاقة.",
    "us_b": "قالت أميركا إنها سترسل مساعدات إلى المنطقة.",
    "saudi": "وقعت السعودية اتفاقا لبناء محطة كهرباء جديدة.",
    "said": "قال المهندس سعيد إن المشروع سينتهي قبل الصيف.",
}


@pytest.fixture(scope="module")
def spelling_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spell") / "s.db"
    arts = []
    for key, text in TEXTS.items():
        a = Article.new(text, source="t", title=key, published="2021-01-01").evolve(body=text)
        if key == "said":
            i = text.index("سعيد")
            a = a.evolve(entities=(Entity("e1", "PER", "سعيد", (Span(i, i + 4),), actor_id="~said"),))
        if key == "saudi":
            i = text.index("السعودية")
            a = a.evolve(entities=(Entity("e1", "GPE", "Saudi Arabia", (Span(i, i + 8),), actor_id="SAU",
                                          country="SAU"),))
        arts.append(a)
    with Store(path, hooks=[]) as s:
        s.add(arts)
    return path


@pytest.fixture(scope="module")
def spell_client(spelling_store):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(spelling_store), raise_server_exceptions=False) as c:
        yield c


def titles(client, q: str) -> set[str]:
    return {i["title"] for i in client.get("/api/articles", params={"q": q, "limit": 50}).json()["items"]}


@pytest.mark.parametrize(("q", "want"), [("ترامب", {"trump_a", "trump_b"}), ("ترمب", {"trump_a", "trump_b"}),
                                         ("أمريكا", {"us_a", "us_b"}), ("اميركا", {"us_a", "us_b"}),
                                         ("السعوديه", {"saudi"}), ("سعيد", {"said"})])
def test_variants_of_known_actors_and_nothing_else(spell_client, spelling_store, q, want):
    assert titles(spell_client, q) == want
    conn = sqlite3.connect(spelling_store)
    conn.row_factory = sqlite3.Row
    assert {h.title for h in cli_search(conn, q)} == want  # the CLI builds the same query


def test_variants_are_reported_and_highlighted(spell_client):
    body = spell_client.get("/api/articles", params={"q": "ترامب"}).json()
    assert body["variants"] == {"ترامب": ["ترمب"]}
    for it in body["items"]:
        marked = {it["snippet"][s:e] for s, e in it["snippet_marks"]}
        assert marked & {"ترامب", "ترمب"}, it


def test_variants_keep_other_words_and_fts_syntax(spell_client):
    assert titles(spell_client, "ترمب ضرائب") == set()  # every word still required (no stem for ضرائب here)
    assert titles(spell_client, "ترمب خطة") == {"trump_b"}
    assert titles(spell_client, '"ترامب"') == {"trump_a"}  # an FTS5 phrase is taken as written
    expr, used = match_expression("الرئيس ترامب")
    assert expr == '"الرييس" AND ("ترامب" OR "ترمب")' and used  # normalised words (ئ folds to ي) == {"ترامب": ["ترمب"]}
    assert match_expression("سعيد") == ('"سعيد"', {})


def test_actor_lookup_does_not_confuse_lookalike_words(spell_client):
    items = spell_client.get("/api/actors", params={"q": "السعوديه"}).json()["items"]
    assert [i["id"] for i in items] == ["SAU"]
    assert [i["id"] for i in spell_client.get("/api/actors", params={"q": "سعيد"}).json()["items"]] == ["~said"]
