"""The search route's hot path (marsad.api.fast) answers exactly what the FastAPI route answers: the same body for
every well-formed search, and every other request (bad values, unknown or repeated parameters, FTS5 syntax errors)
left to the route, so its error shape and status stay the route's."""

from __future__ import annotations

import json

import pytest

from marsad.api.fast import parse

# well-formed searches: the hot path answers them
GOOD = [
    "",
    "q=الصين",
    "q=%D8%A7%D9%84%D8%B5%D9%8A%D9%86&limit=5&offset=1",
    "q=روسيا&sort=newest",
    "q=روسيا&sort=oldest&collapse=true",
    "q=روسيا&facets=1",
    "q=وزير&from=2020&to=2021-06",
    "q=وزير&source=SEED",
    "actor=USA",
    "event_type=CONSULT",
    "q=",
    'q="وزير الخارجية"',
    "q=وزير OR الصين&limit=200",
]
# malformed or not the hot path's: the FastAPI route answers, with its error where there is one
OTHER = [
    "q=x&q=y",
    "nope=1",
    "date_from=2020-01-01",
    "from=2018-13-45",
    "from=2019-02-29",
    "from=2021&to=2020",
    "limit=0",
    "limit=201",
    "limit=+5",
    "offset=100001",
    "sort=best",
    "facets=maybe",
    "collapse=yes",
    "event_type=bad-type",
    "q=" + "ا" * 501,
    'q="unterminated',
    "q=AND",
    "place_country=USA",
    "bbox=1,2,3,4",
]


@pytest.fixture(scope="module")
def both(store_path, monkeypatch_module):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    fast = TestClient(create_app(store_path), raise_server_exceptions=False)
    monkeypatch_module.setenv("MARSAD_FAST_SEARCH", "0")
    plain = TestClient(create_app(store_path), raise_server_exceptions=False)
    return fast, plain


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.parametrize("qs", GOOD + OTHER)
def test_same_answer_as_the_route(both, qs: str) -> None:
    fast, plain = both
    a, b = fast.get("/api/articles?" + qs), plain.get("/api/articles?" + qs)
    assert a.status_code == b.status_code
    assert a.headers["content-type"] == b.headers["content-type"]
    assert a.headers.get("content-security-policy") == b.headers.get("content-security-policy")
    assert json.loads(a.content) == json.loads(b.content)
    # twice: the second answer comes from the kept bytes
    assert json.loads(fast.get("/api/articles?" + qs).content) == json.loads(a.content)


@pytest.mark.parametrize("qs", GOOD)
def test_hot_path_takes_well_formed_searches(qs: str) -> None:
    assert parse(qs.encode()) is not None


@pytest.mark.parametrize("qs", OTHER)
def test_hot_path_leaves_the_rest_to_the_route(both, qs: str) -> None:
    fast, _ = both
    if parse(qs.encode()) is not None:  # well-formed, but the route's own checks refuse it (from > to, syntax)
        assert fast.get("/api/articles?" + qs).status_code in (400, 422)


def test_bounded_searches_are_the_rank_window_pages_and_listings() -> None:
    """On the event loop: relevance pages and listings by filters; in a thread: what reads every match."""
    from urllib.parse import quote

    from marsad.api.fast import bounded

    def b(qs: str) -> bool:
        got = parse(qs.replace("الصين", quote("الصين")).encode())
        assert got is not None
        return bounded(got)

    assert b("q=الصين") and b("q=الصين&sort=relevance&offset=500") and b("actor=USA&sort=oldest") and b("")
    assert b("event_type=CONSULT&from=2020")
    assert not b("q=الصين&sort=newest") and not b("q=الصين&facets=true") and not b("collapse=1")
    assert b("q=الصين&actor=USA") and b("q=الصين&from=2020&to=2020") and not b("q=الصين&source=bbc&sort=oldest")
