"""API filters accept current and retired PLOVER names and answer with the current ones, also on a store written
before migration 6 that still holds the old names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.data import Article, Entity, Event, Span
from marsad.store import Store

pytest.importorskip("fastapi")

TEXT = "انتقدت روسيا بريطانيا بشدة في بيان رسمي صدر اليوم عن وزارة الخارجية."


def _old_store(path: Path) -> str:
    a = Article.new(TEXT, source="t", title="t", published="2018-03-14")
    rus = Entity("e1", "GPE", "Russia", (Span(7, 12),), actor_id="RUS", country="RUS")
    gbr = Entity("e2", "GPE", "United Kingdom", (Span(13, 21),), actor_id="GBR", country="GBR")
    ev = Event("v1", "ACCUSE", Span(0, 6), ("e1",), ("e2",), cameo="11", quad_class=3)
    a = a.evolve(body=TEXT, entities=(rus, gbr), events=(ev,))
    with Store(path, hooks=[]) as s:
        s.add([a])
    conn = sqlite3.connect(path, isolation_level=None)  # as a release before migration 6 stored it
    conn.execute("UPDATE events SET type = 'DISAPPROVE'")
    conn.execute("UPDATE article_event_types SET type = 'DISAPPROVE'")
    conn.close()
    return a.id


@pytest.mark.parametrize("asked", ["ACCUSE", "DISAPPROVE", "accuse"])
def test_events_and_search_filters_fold_names(tmp_path: Path, asked: str) -> None:
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    path = tmp_path / "old.db"
    aid = _old_store(path)
    with TestClient(create_app(path), raise_server_exceptions=False) as c:
        items = c.get("/api/events", params={"type": asked}).json()["items"]
        assert [e["type"] for e in items] == ["ACCUSE"]
        hits = c.get("/api/articles", params={"event_type": asked}).json()["items"]
        assert [h["id"] for h in hits] == [aid]
        assert c.get("/api/events", params={"type": "CONSULT"}).json()["items"] == []
