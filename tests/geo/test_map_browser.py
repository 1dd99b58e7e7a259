"""The map in headless Chromium (Debian /usr/bin/chromium + Playwright): a search's events and places appear as
markers, an actor's events too, and no request leaves the machine."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "api"))
sys.path.insert(0, str(HERE.parent / "web"))

from api_corpus import LiveServer  # noqa: E402
from geo_corpus import TEXTS  # noqa: E402
from web_helpers import shot  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("fastapi")
    from marsad.data import Article, Rejection
    from marsad.stages import default_pipeline
    from marsad.store import Store

    pipe = default_pipeline(time_limit=None)
    arts = [
        pipe.process(Article.new(t, source="geo-test", published=f"2024-03-0{i + 1}"))
        for i, t in enumerate(TEXTS)
    ]
    assert not any(isinstance(a, Rejection) for a in arts)
    db = tmp_path_factory.mktemp("geo-web") / "map.db"
    with Store(db) as store:
        store.add(arts)
    srv = LiveServer(db)
    yield srv
    srv.stop()



@pytest.fixture()
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    outside: list[str] = []

    def guard(route):  # anything not on the loopback server is recorded and refused
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    pg.errors, pg.requests, pg.outside = [], [], outside  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()


def markers(pg) -> int:
    pg.wait_for_selector("#map[data-ready='ready'], #map[data-ready='empty'], #map[data-ready='error']")
    assert pg.get_attribute("#map", "data-ready") == "ready", pg.inner_text("#map")
    return int(pg.get_attribute("#map", "data-markers") or 0)


def test_map_shows_a_searchs_events_and_places(page, server):
    page.goto(server.url + "/map?q=" + "استقبل")
    n = markers(page)
    assert n >= 1
    assert page.locator("#map svg").count() >= 1  # drawn (SVG renderer), outline included
    assert page.locator("#map svg path").count() > 100  # the world's countries are paths
    places = page.locator("#map-places li").all_inner_texts()
    assert len(places) == n and any("SYR" in t for t in places), places
    # the articles' places: another set of markers from the same search
    page.check("input[value='articles']")
    page.wait_for_function("document.querySelector('#map').dataset.markers !== undefined")
    assert markers(page) >= 1
    assert any("SYR" in t for t in page.locator("#map-countries li").all_inner_texts())
    shot(page, "geo-map-search")
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    assert page.outside == [], page.outside  # type: ignore[attr-defined]
    hosts = {urlparse(u).hostname for u in page.requests}  # type: ignore[attr-defined]
    assert hosts == {"127.0.0.1"}, hosts


def test_an_actors_events_on_the_map(page, server):
    import json
    import urllib.request

    with urllib.request.urlopen(server.url + "/api/map/events?limit=50") as r:
        items = json.load(r)["items"]
    actor = next((a for i in items for a in i["source_actors"] + i["target_actors"] if a), None)
    if actor is None:
        pytest.skip("the pipeline found no event with a registry actor in the test articles")
    page.goto(server.url + "/map?actor=" + actor)
    assert markers(page) >= 1
    assert page.locator(".active-filters").count() == 1
    assert page.outside == [], page.outside  # type: ignore[attr-defined]
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
