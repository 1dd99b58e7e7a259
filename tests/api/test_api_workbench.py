"""Issue 19 points 1-4, 6, 8 through the API: attention over time, export of any search, copies collapsed,
saved searches with Atom feeds, quotes about an actor, paging to the end, the offline API docs page."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from test_api_errors import assert_error_shape

ATOM = "{http://www.w3.org/2005/Atom}"


def test_attention_by_day_week_month_adds_up(client):
    total = client.get("/api/articles", params={"q": "الاستقرار"}).json()["total"]
    for by in ("day", "week", "month"):
        a = client.get("/api/attention", params={"q": "الاستقرار", "by": by}).json()
        assert a["by"] == by and a["total"] == total == sum(s["articles"] for s in a["series"]) + a["undated"]
        assert a["buckets"] == sorted(a["buckets"]) and len(set(a["buckets"])) == len(a["buckets"])
        for s in a["series"]:
            assert s["articles"] <= s["all_articles"] and (s["share"] is None or 0 <= s["share"] <= 1)
    day = client.get("/api/attention", params={"q": "الاستقرار", "by": "day"}).json()
    # every day between the first and last match is there (zeros included)
    assert len(day["buckets"]) > len([s for s in day["series"] if s["articles"]])
    week = client.get("/api/attention", params={"q": "الاستقرار", "by": "week"}).json()
    import datetime as dt

    assert all(dt.date.fromisoformat(b).weekday() == 0 for b in week["buckets"])  # weeks named by their Monday


def test_attention_per_source_normalised_by_the_outlets_volume(client):
    a = client.get("/api/attention", params={"q": "عقوبات", "by": "month"}).json()
    assert a["total"] == 6 and [s["source"] for s in a["sources"]] == ["Test Wire"]
    wire = a["sources"][0]
    assert sum(wire["articles"]) == 6 and len(wire["articles"]) == len(wire["share"]) == len(a["buckets"])
    vol = client.get("/api/attention", params={"source": "Test Wire", "by": "month"}).json()
    by_month = dict(zip(vol["buckets"], vol["sources"][0]["articles"], strict=True))
    for b, n, out_of, sh in zip(a["buckets"], wire["articles"], wire["all_articles"], wire["share"], strict=True):
        assert out_of == by_month.get(b, 0)
        assert sh == (round(n / out_of, 5) if out_of else None)


def test_undated_articles_are_counted_not_dropped(tmp_path, store_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app
    from marsad.data import Article
    from marsad.store import Store

    db = tmp_path / "undated.db"
    shutil.copy(store_path, db)
    with Store(db, hooks=[]) as s:
        s.add([Article.new("خبر بلا تاريخ عن الاستقرار في المنطقة.", source="Test Wire", title="بلا تاريخ")])
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        a = c.get("/api/attention", params={"q": "الاستقرار"}).json()
        assert a["undated"] == 1 and a["total"] == c.get("/api/articles", params={"q": "الاستقرار"}).json()["total"]


def test_export_articles_csv_and_jsonl_match_the_search(client):
    params = {"q": "الصين", "source": "صحيفة المرصد"}
    total = client.get("/api/articles", params=params).json()["total"]
    r = client.get("/api/export", params={**params, "what": "articles", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total > 0 and {x["source"] for x in rows} == {"صحيفة المرصد"}
    assert all("الصين" in x["body"] for x in rows)
    lines = client.get("/api/export", params={**params, "what": "articles", "format": "jsonl"}).text.splitlines()
    recs = [json.loads(x) for x in lines]
    assert [x["id"] for x in recs] == [x["id"] for x in rows] and all(x["entities"] for x in recs)


def test_export_events_csv_gdelt_plover_and_quotes(client):
    params = {"q": "عقوبات"}
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export", params={
        **params, "what": "events", "format": "csv"}).text)))
    assert len(rows) == 6 and {x["type"] for x in rows} == {"SANCTION"}
    assert {x["source"] for x in rows} == {"Test Wire"} and all(x["url"].startswith("https://") for x in rows)
    gdelt = client.get("/api/export", params={**params, "what": "events", "format": "gdelt"})
    assert gdelt.status_code == 200
    assert len([x for x in gdelt.text.splitlines() if x.strip()]) == 6
    assert all("\t" in x for x in gdelt.text.splitlines() if x.strip())
    plover = [json.loads(x) for x in client.get("/api/export", params={
        **params, "what": "events", "format": "plover"}).text.splitlines() if x.strip()]
    assert len(plover) == 6
    quotes = list(csv.DictReader(io.StringIO(client.get("/api/export", params={
        **params, "what": "quotes", "format": "csv"}).text)))
    assert len(quotes) == 6 and all("الاستقرار" in q["text"] for q in quotes)
    # a format that does not fit the kind, or a query FTS5 cannot parse: errors before any byte is streamed
    assert assert_error_shape(client.get("/api/export", params={"what": "quotes", "format": "gdelt"}), 422)
    assert_error_shape(client.get("/api/export", params={"q": '"unbalanced'}), 400)


def test_collapse_copies_one_row_per_copy_group(client):
    flat = client.get("/api/articles", params={"q": "اتفاقية", "limit": 50}).json()
    col = client.get("/api/articles", params={"q": "اتفاقية", "limit": 50, "collapse": "true"}).json()
    u = col["unique"]
    assert u["articles"] == flat["total"] == 6
    if not u["indexed"]:
        pytest.skip("the dedup hook did not index this store")
    assert u["copies"] == u["articles"] - u["copy_groups"] and u["copy_groups"] < u["articles"]
    groups = [i["copy_group"] for i in col["items"]]
    assert len(groups) == len(set(groups)) == u["copy_groups"] == col["total"]  # one row per group
    matched = {i["id"] for i in flat["items"]}
    shown = {i["id"] for i in col["items"]} | {c["id"] for i in col["items"] for c in i["copies"]}
    assert shown >= matched  # nothing lost: every match is a row or one of its copies
    big = max(col["items"], key=lambda i: len(i["copies"]))
    assert big["copies"] and set(big["sources"]) >= {c["source"] for c in big["copies"]}


def test_saved_search_and_its_atom_feed(tmp_path, store_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    db = tmp_path / "saved.db"
    shutil.copy(store_path, db)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        assert c.get("/api/saved-searches").json()["total"] == 0
        r = c.post("/api/saved-searches", json={"name": "عقوبات على إيران", "q": "عقوبات", "actor": "IRN"})
        assert r.status_code == 201, r.text
        saved = r.json()
        assert saved["params"] == {"q": "عقوبات", "actor": "IRN"} and saved["total"] == 6
        assert c.get("/api/saved-searches").json()["items"][0]["id"] == saved["id"]
        feed = c.get(saved["feed"])
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(feed.content)
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text.endswith("عقوبات على إيران")
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 6
        days = [e.find(f"{ATOM}updated").text for e in entries]
        assert days == sorted(days, reverse=True)  # newest first
        for e in entries:
            assert e.find(f"{ATOM}link").get("href").startswith("http://testserver/articles/")
            assert "عقوبات" in e.find(f"{ATOM}summary").text
        # bad saved searches are refused in the one error shape
        assert_error_shape(c.post("/api/saved-searches", json={"name": "x", "from": "2020-02-30"}), 422)
        assert_error_shape(c.post("/api/saved-searches", json={"name": "x", "q": '"open'}), 400)
        assert_error_shape(c.post("/api/saved-searches", json={"q": "x"}), 422)
        assert_error_shape(c.get("/api/saved-searches/999/feed"), 404)


def test_quotes_about_an_actor_and_paging_to_the_end(client, tmp_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app
    from marsad.data import Article, Entity, Quote, Span
    from marsad.store import Store

    text = 'قال وزير الخارجية الروسي إن "إيران شريك مهم في المنطقة". وقالت إيران إن "الحوار مستمر".'
    q1, q2 = text.index("إيران شريك"), text.index("الحوار مستمر")
    iran = [i for i in range(len(text)) if text.startswith("إيران", i)]
    ents = (Entity("e1", "PER", "Lavrov", (Span(4, 24),), actor_id="per:sergey-lavrov"),
            Entity("e2", "GPE", "Iran", tuple(Span(i, i + 5) for i in iran), actor_id="IRN", country="IRN"))
    quotes = (Quote("q1", "direct", Span(q1, q1 + len("إيران شريك مهم في المنطقة")), ("e1",)),
              Quote("q2", "direct", Span(q2, q2 + len("الحوار مستمر")), ("e2",)))
    art = Article.new(text, source="s", title="t", published="2021-01-01").evolve(body=text, entities=ents,
                                                                                  quotes=quotes)
    db = tmp_path / "about.db"
    with Store(db, hooks=[]) as s:
        s.add([art])
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        about = c.get("/api/actors/IRN/quotes", params={"about": "true"}).json()
        assert [q["id"] for q in about["items"]] == ["q1"] and about["total"] == 1  # not its own words (q2)
        assert about["items"][0]["speakers"] == ["Lavrov"]
        said = c.get("/api/actors/IRN/quotes").json()
        assert [q["id"] for q in said["items"]] == ["q2"]
    said = client.get("/api/actors/USA/quotes", params={"limit": 5}).json()
    seen, offset = [], 0
    while offset < said["total"]:
        page = client.get("/api/actors/USA/quotes", params={"limit": 5, "offset": offset}).json()
        seen += [(q["article_id"], q["id"]) for q in page["items"]]
        offset += 5
    assert len(seen) == len(set(seen)) == said["total"] == 6


def test_actor_counts_are_articles_not_entity_rows(client):
    a = client.get("/api/actors/USA").json()
    arts = client.get("/api/articles", params={"actor": "USA", "limit": 200}).json()
    assert a["n_articles"] == arts["total"] == 12
    listed = client.get("/api/actors", params={"q": "الولايات المتحدة"}).json()["items"][0]
    assert listed["id"] == "USA" and listed["n_articles"] == 12


def test_api_docs_page_is_self_hosted(client):
    r = client.get("/api/docs")
    assert r.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    assert "<script>" not in r.text and "cdn" not in r.text.lower()  # CSP: no inline script, nothing remote
    js = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 500_000
    assert client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
