"""Places and event locations in the store (migration 8, the insert hook, the backfill) and the map API filters."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from geo_corpus import hand_article, no_dateline_article

from marsad.geo.stage import GeoStage
from marsad.store import Store


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "geo.db"
    geo = GeoStage()
    with Store(path) as store:
        store.add([geo(hand_article()), geo(no_dateline_article())])
    return path


def rows(path, sql):
    with sqlite3.connect(path) as c:
        return c.execute(sql).fetchall()


def test_insert_fills_places_and_locations(db):
    places = dict(rows(db, "SELECT entity_id, name FROM places WHERE article_id = 'geo-hand'"))
    assert places == {"e1": "Beirut", "e3": "Aleppo", "e4": "Turkey"}
    locs = rows(
        db,
        "SELECT event_id, name, country, how, entity_id, ev_start, ev_end FROM event_locations "
        "ORDER BY article_id, event_id",
    )
    assert [(r[0], r[1], r[3]) for r in locs] == [
        ("v1", "Aleppo", "sentence"),
        ("v2", "Beirut", "dateline"),
        ("v2", "Turkey", "actor-country"),
    ]
    assert rows(db, "SELECT max(version) FROM migrations")[0][0] >= 8


def test_migration_backfills_from_kept_records(db):
    with sqlite3.connect(db) as c:
        c.execute("DROP TABLE places")
        c.execute("DROP TABLE event_locations")
        c.execute("DELETE FROM migrations WHERE version >= 8")  # a store from before geo (8) and every later one
    with Store(db):
        pass
    assert len(rows(db, "SELECT * FROM places")) == 4
    assert len(rows(db, "SELECT * FROM event_locations")) == 3


@pytest.fixture()
def client(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app

    return TestClient(create_app(db))


def test_map_places_by_place_and_country(client):
    r = client.get("/api/map/places")
    assert r.status_code == 200
    body = r.json()
    ev = {p["name"]: p["count"] for p in body["events"]["by_place"]}
    assert ev == {"Aleppo": 1, "Beirut": 1, "Turkey": 1}
    assert {c["country"]: c["count"] for c in body["events"]["by_country"]} == {"SYR": 1, "LBN": 1, "TUR": 1}
    arts = {c["country"]: c["count"] for c in body["articles"]["by_country"]}
    assert arts == {"LBN": 1, "SYR": 1, "TUR": 2}


def test_country_and_bbox_filters(client):
    r = client.get("/api/map/events", params={"country": "SYR"}).json()
    assert [(i["event_id"], i["location"]["name"]) for i in r["items"]] == [("v1", "Aleppo")]
    # a box around the Levant (west,south,east,north): Aleppo and Beirut, not Turkey's centroid
    r = client.get("/api/map/events", params={"bbox": "35,33,38,37"}).json()
    assert sorted(i["location"]["name"] for i in r["items"]) == ["Aleppo", "Beirut"]
    r = client.get("/api/map/articles", params={"country": "TUR"}).json()
    assert sorted(a["id"] for a in r["items"]) == ["geo-hand", "geo-nodl"]
    r = client.get("/api/map/articles", params={"bbox": "35,33,36,34"}).json()  # Beirut only
    assert [a["id"] for a in r["items"]] == ["geo-hand"]
    r = client.get("/api/map/places", params={"country": "LBN"}).json()
    assert [p["name"] for p in r["events"]["by_place"]] == ["Beirut"]


def test_actor_filter_keeps_the_actors_own_events(client):
    r = client.get("/api/map/events", params={"actor": "TUR"}).json()
    assert [i["event_id"] for i in r["items"]] == ["v2", "v2"]
    assert {i["article_id"] for i in r["items"]} == {"geo-hand", "geo-nodl"}


@pytest.mark.parametrize("bad", ["1,2,3", "a,b,c,d", "0,50,10,40", "0,0,200,10"])
def test_bad_bbox_is_one_clear_error(client, bad):
    r = client.get("/api/map/events", params={"bbox": bad})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_parameter" and err["status"] == 422 and "bbox" in err["message"]


def test_unknown_parameter_and_bad_country(client):
    assert client.get("/api/map/places", params={"place": "x"}).status_code == 422
    assert client.get("/api/map/places", params={"country": "syria"}).status_code == 422


def test_world_outline_and_page(client):
    r = client.get("/api/map/world.geojson")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    names = {f["properties"]["name"] for f in r.json()["features"]}
    assert {"SYR", "EGY", "USA", "FRA"} <= names
    page = client.get("/map", params={"q": "حلب"})
    assert page.status_code == 200 and 'id="map"' in page.text and "/static/js/map.js" in page.text


def test_search_routes_take_place_country_and_bbox(client):
    """/api/articles and /api/events (and every search-based route) filter by where: ``place_country`` (ISO3;
    /api/events' ``country`` stays the actors' country) and ``bbox``."""
    ids = lambda r: sorted(i["id"] for i in r.json()["items"])  # noqa: E731
    assert ids(client.get("/api/articles", params={"place_country": "TUR"})) == ["geo-hand", "geo-nodl"]
    assert ids(client.get("/api/articles", params={"place_country": "LBN"})) == ["geo-hand"]
    assert ids(client.get("/api/articles", params={"place_country": "FRA"})) == []
    assert ids(client.get("/api/articles", params={"bbox": "35,33,36,34"})) == ["geo-hand"]
    ev = client.get("/api/events", params={"place_country": "SYR"}).json()["items"]
    assert [(e["article_id"], e["id"]) for e in ev] == [("geo-hand", "v1")]
    ev = client.get("/api/events", params={"bbox": "35,33,38,37"}).json()["items"]
    assert sorted(e["id"] for e in ev) == ["v1", "v2"]
    r = client.get("/api/articles", params={"bbox": "10,10"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_parameter"


def test_map_takes_the_events_confidence_floor(tmp_path):
    """min_confidence on /api/map/places and /api/map/events, and the map page's choice passed to its API call:
    only the located events at least that sure."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app

    geo = GeoStage()
    art = geo(hand_article())
    sure = {"v1": 0.6, "v2": 0.15}  # Aleppo's shelling sure, the dateline-located accusation not
    art = art.evolve(events=tuple(replace(e, confidence=sure.get(e.id)) for e in art.events))
    path = tmp_path / "geo-conf.db"
    other = geo(no_dateline_article())
    other = other.evolve(events=tuple(replace(e, confidence=0.3) for e in other.events))  # Turkey's, under 0.5
    with Store(path) as store:
        store.add([art, other])
    with TestClient(create_app(path)) as c:
        every = {p["name"] for p in c.get("/api/map/places").json()["events"]["by_place"]}
        only = c.get("/api/map/places", params={"min_confidence": 0.5}).json()
        assert every == {"Aleppo", "Beirut", "Turkey"}
        assert [p["name"] for p in only["events"]["by_place"]] == ["Aleppo"]
        assert only["query"]["min_confidence"] == 0.5
        assert [p["country"] for p in only["events"]["by_country"]] == ["SYR"]
        # the articles' places are not events: no floor applies to them
        assert only["articles"] == c.get("/api/map/places").json()["articles"]
        evs = c.get("/api/map/events", params={"min_confidence": 0.5}).json()["items"]
        assert [(i["event_id"], i["location"]["name"]) for i in evs] == [("v1", "Aleppo")]
        assert c.get("/api/map/events", params={"min_confidence": 2}).status_code == 422
        page = c.get("/map", params={"conf": "0.5"}).text
        assert 'value="0.5" selected' in page and "min_confidence" in page
        assert "min_confidence" not in c.get("/map", params={"conf": "0.37"}).text.split('id="map"')[1][:200]
