"""Fixtures for the browser tests: the real ``marsad serve`` on a free loopback port, headless Chromium driven by
Playwright (the Debian /usr/bin/chromium; no browser download). Screenshots go to artifacts/web/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))  # the shared synthetic corpus

from api_corpus import LiveServer, build_store  # noqa: E402


@pytest.fixture(scope="session")
def web_server(tmp_path_factory):
    pytest.importorskip("fastapi")
    db = tmp_path_factory.mktemp("web") / "web.db"
    build_store(db)
    srv = LiveServer(db)
    yield srv
    srv.stop()



@pytest.fixture()
def page(browser, web_server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    pg.errors = []  # type: ignore[attr-defined]
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()
