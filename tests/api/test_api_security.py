"""Security properties of the server: headers, escaping, SQL parameters, the write path with a token."""

from __future__ import annotations

import re
import sqlite3

from api_corpus import TOKEN, XSS_TITLE


def test_security_headers_on_pages_api_and_static(client):
    for url in ("/", "/api/stats", "/static/js/marsad.js", "/api/nothing"):
        h = client.get(url).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
        assert "server" not in h or "uvicorn" not in h["server"].lower()


def test_pages_escape_hostile_article(client):
    hit = client.get("/api/articles", params={"q": "عاجل"}).json()["items"][0]
    for url in (f"/articles/{hit['id']}", "/?q=عاجل", "/", "/actors/CHN", "/stories"):
        html = client.get(url).text
        # no tag from the article survives as markup; it is shown as text
        assert "<script>window" not in html and "<img src=x" not in html and "<iframe" not in html
        assert 'onerror="window' not in html and "<b onmouseover" not in html
    html = client.get(f"/articles/{hit['id']}").text
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert 'href="javascript:' not in html  # the article's javascript: URL is not linked
    # the only scripts are the two shipped files
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/vendor/echarts/echarts.min.js" defer>', '<script src="/static/js/marsad.js" defer>']
    assert XSS_TITLE not in html


def test_sql_metacharacters_are_data(client, store_path):
    before = sqlite3.connect(store_path).execute("SELECT count(*) FROM articles").fetchone()[0]
    evil = "x'; DROP TABLE articles; --"
    for url, params in (("/api/articles", {"source": evil}), ("/api/articles", {"actor": evil}),
                        ("/api/actors", {"q": evil}), ("/api/events", {"actor": evil}),
                        ("/api/relations", {"a": evil, "b": "USA"}), ("/api/graph", {"actor": evil})):
        r = client.get(url, params=params)
        # an unknown relation side is a 404 saying so (not an empty 200); everything else answers as data
        assert r.status_code == (404 if url == "/api/relations" else 200), (url, r.text)
    assert client.get(f"/api/articles/{evil}").status_code == 404
    assert client.get("/api/articles", params={"q": evil}).status_code in (200, 400)
    after = sqlite3.connect(store_path).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert before == after


def test_ingest_with_token_stores_and_is_idempotent(tmp_path):
    from api_corpus import build_store
    from fastapi.testclient import TestClient

    from marsad.api import create_app
    from marsad.stages import default_pipeline

    db = tmp_path / "w.db"
    build_store(db, n=3, hostile=False)
    app = create_app(db, token=TOKEN, pipeline=default_pipeline(upto="dates"))
    auth = {"authorization": f"Bearer {TOKEN}"}
    text = "عاجل: الصين وروسيا توقعان اتفاقا جديدا\n\nوقعت الصين وروسيا اليوم اتفاقا للتعاون في مجال الطاقة والتجارة."
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/ingest", json={"articles": [{"text": text, "source": "test", "published": "2021-05-01"},
                                                      {"text": " "}]}, headers=auth)
        assert r.status_code == 200, r.text
        res = r.json()
        assert len(res["stored"]) == 1 and len(res["rejected"]) == 1 and res["rejected"][0]["stage"]
        new_id = res["stored"][0]
        assert c.get(f"/api/articles/{new_id}").json()["published"] == "2021-05-01"
        assert c.get("/api/articles", params={"q": "الطاقة"}).json()["total"] == 1
        again = c.post("/api/ingest", json={"articles": [{"text": text, "source": "test",
                                                          "published": "2021-05-01"}]},
                       headers={"x-marsad-token": TOKEN}).json()
        assert again["duplicates"] == [new_id] and not again["stored"]
