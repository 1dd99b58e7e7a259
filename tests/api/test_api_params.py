"""Issue 19 point 9: one query builder for CLI and API, one set of parameter names, ``total`` on every list,
422 on unknown parameters and impossible dates, a case-insensitive source filter (synthetic store, app
in-process, SQLite on disk)."""

from __future__ import annotations

import sqlite3

import pytest
from test_api_errors import assert_error_shape

from marsad.store.search import search as cli_search


def test_unknown_parameters_are_422_naming_the_parameter(client):
    for url, params in (("/api/articles", {"date_from": "2020-01-01"}), ("/api/articles", {"sourc": "x"}),
                        ("/api/events", {"limt": 5}), ("/api/stats", {"x": 1}),
                        ("/api/attention", {"per": "source"}), ("/api/actors/CHN/quotes", {"page": 2})):
        err = assert_error_shape(client.get(url, params=params), 422)
        assert err["code"] == "invalid_parameter"
        assert err["details"][0]["loc"] == ["query", next(iter(params))]
        assert next(iter(params)) in err["message"]


@pytest.mark.parametrize("bad", ["2018-13-45", "2019-02-29", "2020-00", "2020-04-31"])
def test_impossible_dates_are_422_on_every_search_route(client, bad):
    for url in ("/api/articles", "/api/events", "/api/attention", "/api/export"):
        for name in ("from", "to"):
            err = assert_error_shape(client.get(url, params={name: bad}), 422)
            assert err["details"][0]["loc"][-1] == name and "calendar date" in err["message"], err


def test_reversed_range_is_422_and_real_dates_pass(client):
    err = assert_error_shape(client.get("/api/articles", params={"from": "2020-05", "to": "2020-02"}), 422)
    assert err["details"][0]["loc"] == ["query", "from"]
    assert client.get("/api/articles", params={"from": "2020-02-29", "to": "2020-02-29"}).status_code == 200


def test_every_list_has_a_total(client):
    for url, params in (("/api/articles", {}), ("/api/events", {"limit": 5}), ("/api/actors", {}),
                        ("/api/actors/USA/quotes", {}), ("/api/actors/USA/quotes", {"about": "true"}),
                        ("/api/actors/USA/events", {"limit": 2}), ("/api/actors/USA/cooccurring", {}),
                        ("/api/stories", {"min_size": 1}), ("/api/saved-searches", {})):
        body = client.get(url, params=params).json()
        assert isinstance(body.get("total"), int), (url, body)
        assert body["total"] >= len(body["items"]), url
    ev = client.get("/api/events", params={"limit": 5}).json()
    assert ev["total"] == 36 and len(ev["items"]) == 5  # the total is of every match, not of the page
    usa = client.get("/api/actors/USA/events", params={"limit": 2}).json()
    assert usa["total"] == 12 and len(usa["items"]) == 2


def test_source_filter_ignores_letter_case(client):
    exact = client.get("/api/articles", params={"source": "Test Wire"}).json()["total"]
    assert exact == 12
    for spelling in ("test wire", "TEST WIRE", " Test wire "):
        assert client.get("/api/articles", params={"source": spelling}).json()["total"] == exact, spelling
        assert client.get("/api/attention", params={"source": spelling}).json()["total"] == exact
    assert client.get("/api/articles", params={"source": "test"}).json()["total"] == 0  # not a substring match


def test_events_filter_by_text_and_source(client):
    all_ev = client.get("/api/events", params={"limit": 1000}).json()
    by_src = client.get("/api/events", params={"source": "test wire", "limit": 1000}).json()
    assert 0 < by_src["total"] < all_ev["total"] and {e["source"] for e in by_src["items"]} == {"Test Wire"}
    by_q = client.get("/api/events", params={"q": "عقوبات", "limit": 1000}).json()
    assert by_q["total"] == 6 and {e["type"] for e in by_q["items"]} == {"SANCTION"}
    assert all(e["url"].startswith("https://example.org/") for e in by_q["items"])
    # event_type is the name on every route; type stays as a deprecated alias
    assert client.get("/api/events", params={"event_type": "AID"}).json()["total"] == 6
    assert client.get("/api/events", params={"type": "AID"}).json()["total"] == 6


def test_cli_and_api_use_the_same_builder(client, store_path):
    conn = sqlite3.connect(store_path)
    conn.row_factory = sqlite3.Row
    for kw in ({"q": "الاستقرار", "actor": "org:un"}, {"q": "", "source": "test wire"},
               {"q": "الصين", "date_from": "2020-02-01"}, {"q": "", "actor": "روسيا"},
               {"q": "", "event_type": "sanction", "source": "TEST wire"}):
        filters = {k: v for k, v in kw.items() if k != "q"}
        cli = [h.id for h in cli_search(conn, kw["q"], limit=200, **filters)]
        params = {("from" if k == "date_from" else k): v for k, v in kw.items() if v}
        api = client.get("/api/articles", params={**params, "limit": 200}).json()
        assert api["total"] == len(cli) > 0, kw
        assert set(cli) == {i["id"] for i in api["items"]}, kw


def test_actor_filter_takes_names_in_any_script(client):
    by_id = client.get("/api/articles", params={"actor": "RUS", "limit": 200}).json()
    for name in ("روسيا", "Russia"):
        by_name = client.get("/api/articles", params={"actor": name, "limit": 200}).json()
        assert by_name["total"] == by_id["total"] > 0 and by_name["items"] == by_id["items"], name


def test_relations_accept_names_and_say_when_a_side_is_unknown(client):
    by_id = client.get("/api/relations", params={"a": "RUS", "b": "IRN"}).json()
    by_name = client.get("/api/relations", params={"a": "روسيا", "b": "ايران"}).json()
    assert by_name["totals"] == by_id["totals"] and by_id["totals"]["events"] == 6
    err = assert_error_shape(client.get("/api/relations", params={"a": "بريطانيا", "b": "RUS"}), 404)
    assert err["code"] == "unknown_actor" and "/api/actors" in err["message"]
    week = client.get("/api/relations", params={"a": "USA", "b": "IRN", "by": "week"}).json()
    assert sum(s["events"] for s in week["series"]) == 12
