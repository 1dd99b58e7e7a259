"""One JSON error body for every error, on every route (datasette's test_error_shape idea)."""

from __future__ import annotations

import pytest
from api_corpus import TOKEN


def assert_error_shape(r, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert {"code", "message", "status"} <= set(err), err
    assert err["status"] == status and isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    return err


def api_operations(app) -> list[tuple[str, str, list[str]]]:
    """(method, path, query parameter names) of every operation in the OpenAPI schema."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            params = [p["name"] for p in op.get("parameters", ()) if p["in"] == "query"]
            out.append((method.upper(), path, params))
    return out


def fill(path: str) -> str:
    return (path.replace("{article_id}", "nope").replace("{actor_id}", "nope").replace("{story_id}", "nope")
            .replace("{saved_id}", "999999"))


def test_every_api_route_errors_in_one_shape(client):
    ops = api_operations(client.app)
    assert len(ops) >= 15, ops
    seen = set()
    for method, path, params in ops:
        url = fill(path)
        other = "DELETE" if method != "DELETE" else "PUT"
        assert_error_shape(client.request(other, url), 405)
        seen.add(405)
        if "{" in path:
            assert_error_shape(client.request(method, url), 404)
            seen.add(404)
        if method == "GET" and "limit" in params:
            err = assert_error_shape(client.get(url, params={"limit": "many"}), 422)
            assert err["code"] == "invalid_parameter" and err["details"][0]["loc"][-1] == "limit"
            seen.add(422)
        if method == "POST" and path == "/api/ingest":
            assert_error_shape(client.post(url, json={}), 403)  # writes disabled without a token
            seen.add(403)
        elif method == "POST":  # saved searches: a JSON body with a name is required
            assert_error_shape(client.post(url, json={}), 422)
    assert seen == {403, 404, 405, 422}


@pytest.mark.parametrize("q", ['"unbalanced', "AND AND", "title: (", "NEAR(", "*", "col:x"])
def test_fts_syntax_errors_are_400(client, q):
    r = client.get("/api/articles", params={"q": q})
    if r.status_code == 200:  # some of these are valid FTS5 after normalisation; they must not be 5xx
        return
    err = assert_error_shape(r, 400)
    assert err["code"] == "bad_query"


def test_validation_errors_are_422(client):
    for params in ({"from": "yesterday"}, {"limit": 0}, {"limit": 10_000}, {"sort": "random"},
                   {"offset": -1}, {"event_type": "<script>"}):
        assert_error_shape(client.get("/api/articles", params=params), 422)
    assert_error_shape(client.get("/api/relations", params={"a": "USA"}), 422)
    assert_error_shape(client.get("/api/events", params={"quad_class": 9}), 422)


def test_unknown_paths_are_404_json_for_api_html_for_pages(client):
    assert_error_shape(client.get("/api/nothing-here"), 404)
    assert_error_shape(client.get("/static/nope.js"), 404)
    assert_error_shape(client.get("/articles/nope", headers={"accept": "application/json"}), 404)
    r = client.get("/articles/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'data-error-code="not_found"' in r.text


def test_write_endpoint_needs_token(client, store_path):
    body = {"articles": [{"text": "نص تجريبي قصير عن الصين وروسيا."}]}
    # no token configured on this app: writes are disabled
    assert assert_error_shape(client.post("/api/ingest", json=body), 403)["code"] == "writes_disabled"
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(store_path, token=TOKEN), raise_server_exceptions=False) as c:
        r = c.post("/api/ingest", json=body)
        assert assert_error_shape(r, 401)["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
        assert_error_shape(c.post("/api/ingest", json=body, headers={"authorization": "Bearer wrong"}), 401)
        # right token, bad body: 422 after authentication
        assert_error_shape(c.post("/api/ingest", json={"articles": []},
                                  headers={"authorization": f"Bearer {TOKEN}"}), 422)
        assert_error_shape(c.post("/api/ingest", content=b"{not json", headers={
            "authorization": f"Bearer {TOKEN}", "content-type": "application/json"}), 422)


def test_request_size_limit_413(store_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(store_path, token=TOKEN, max_body=2048), raise_server_exceptions=False) as c:
        big = {"articles": [{"text": "ا" * 5000}]}
        err = assert_error_shape(c.post("/api/ingest", json=big, headers={"authorization": f"Bearer {TOKEN}"}), 413)
        assert err["code"] == "payload_too_large"

        def chunks():  # no Content-Length: the limit is enforced while reading
            for _ in range(10):
                yield b"x" * 1024

        r = c.post("/api/ingest", content=chunks(), headers={"authorization": f"Bearer {TOKEN}",
                                                             "content-type": "application/json"})
        assert_error_shape(r, 413)


def test_unexpected_errors_are_500_without_traceback(store_path, monkeypatch):
    from fastapi.testclient import TestClient

    from marsad.api import create_app, queries

    def boom(*a, **k):
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(queries, "stats", boom)
    with TestClient(create_app(store_path), raise_server_exceptions=False) as c:
        r = c.get("/api/stats")
        err = assert_error_shape(r, 500)
        assert "secret" not in r.text and err["code"] == "internal_error"
