"""Fixtures for the HTTP API tests: a synthetic store on disk, the app in-process, a live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_corpus import LiveServer, build_store

pytest.importorskip("fastapi")




@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "api.db"
    build_store(path)
    return path


@pytest.fixture(scope="session")
def client(store_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(store_path), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def live(store_path):
    srv = LiveServer(store_path)
    yield srv
    srv.stop()
