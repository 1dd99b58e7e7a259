"""Actors the registry does not know get a Latin name in the API and on their page, as the entity stage spells it."""

from __future__ import annotations

import pytest

from marsad.data import Article, Entity, Span
from marsad.entities.names import has_arabic, romanize

pytest.importorskip("fastapi", reason="the HTTP API needs the api extra (pip install 'marsad[api]')")

PERSON = "محمد سمير"  # an unknown lawyer of a made-up story
BODY = "لجنة التحكيم الخاصة"  # an unknown organisation of the same story


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from marsad.api import create_app
    from marsad.store import Store

    text = f"قال المحامي {PERSON} إن {BODY} رفضت الطعن، وأضاف {PERSON} أنه سيستأنف الحكم."
    ents = []
    for k, (typ, name) in enumerate((("PER", PERSON), ("ORG", BODY))):
        spans, pos = [], 0
        while (j := text.find(name, pos)) >= 0:
            spans.append(Span(j, j + len(name), typ))
            pos = j + len(name)
        ents.append(Entity(id=f"e{k}", type=typ, name=name, mentions=tuple(spans), actor_id="~" + name))
    path = tmp_path_factory.mktemp("latin") / "s.db"
    with Store(path) as store:
        store.add([Article(id="latin-1", text=text, title="خبر", published="2021-03-04", entities=tuple(ents))])
    with TestClient(create_app(path), raise_server_exceptions=False) as c:
        yield c


def test_unknown_actors_have_a_latin_name_in_the_api(client):
    items = {a["id"]: a for a in client.get("/api/actors").json()["items"]}
    person, body = items["~" + PERSON], items["~" + BODY]
    assert person["name_ar"] == PERSON and person["name_latin"] == romanize(PERSON)
    assert body["name_latin"] == romanize(BODY, rules_only=True)  # not a personal name: the rules
    for a in (person, body):
        assert a["name_latin"] and not has_arabic(a["name_latin"])
    one = client.get(f"/api/actors/~{PERSON}").json()
    assert one["name_latin"] == person["name_latin"]


def test_the_actor_page_shows_the_latin_name_beside_the_arabic_one(client):
    page = client.get(f"/actors/~{PERSON}")
    assert page.status_code == 200
    assert PERSON in page.text and romanize(PERSON) in page.text
