"""Places and event locations in the store: two query tables filled from ``entity.attrs["geo"]`` and
``event.attrs["location"]``, and the SQL the API's ``country=`` / ``bbox=`` filters and the map's counts use.

The tables are created by store migration 8 (:data:`V8_GEO`, applied from :mod:`marsad.store.schema`, which also
backfills them from the kept records); :class:`GeoHook` fills them for every newly stored article, inside the
article's transaction.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from typing import Any

from marsad.data import Article
from marsad.errors import InputError

V8_GEO = """
CREATE TABLE IF NOT EXISTS places (
    article_id    TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    geonameid     INTEGER,
    name          TEXT NOT NULL,
    name_ar       TEXT,
    feature_class TEXT,
    feature_code  TEXT,
    country       TEXT,            -- ISO3
    country_fips  TEXT,
    adm1          TEXT,
    lat           REAL,
    lon           REAL,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS places_country ON places(country);
CREATE INDEX IF NOT EXISTS places_latlon ON places(lat, lon);
CREATE TABLE IF NOT EXISTS event_locations (
    article_id    TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    geonameid     INTEGER,
    name          TEXT NOT NULL,
    name_ar       TEXT,
    feature_class TEXT,
    feature_code  TEXT,
    country       TEXT,
    country_fips  TEXT,
    adm1          TEXT,
    lat           REAL,
    lon           REAL,
    entity_id     TEXT,            -- the place entity, when the text names it
    how           TEXT NOT NULL,   -- sentence | dateline | actor-country
    ev_start      INTEGER,         -- evidence of the location in articles' text
    ev_end        INTEGER,
    PRIMARY KEY (article_id, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_locations_country ON event_locations(country);
CREATE INDEX IF NOT EXISTS event_locations_latlon ON event_locations(lat, lon)
"""

_PLACE_COLS = ("geonameid", "name", "name_ar", "feature_class", "feature_code", "country_iso3", "country_fips",
               "adm1", "lat", "lon")  # fmt: skip


def _vals(g: dict[str, Any]) -> list[Any]:
    return [g.get(k) for k in _PLACE_COLS]


def place_rows(article_id: str, entities: Iterable[dict[str, Any]]) -> list[list[Any]]:
    return [
        [article_id, e["id"], *_vals(e["attrs"]["geo"])]
        for e in entities
        if (e.get("attrs") or {}).get("geo")
    ]


def location_rows(article_id: str, events: Iterable[dict[str, Any]]) -> list[list[Any]]:
    out = []
    for ev in events:
        loc = (ev.get("attrs") or {}).get("location")
        if loc:
            span = loc.get("evidence") or [None, None]
            out.append(
                [article_id, ev["id"], *_vals(loc), loc.get("entity"), loc.get("how") or "", span[0], span[1]]
            )
    return out


def insert(
    conn: sqlite3.Connection, article_id: str, entities: list[dict[str, Any]], events: list[dict[str, Any]]
):
    conn.executemany(
        f"INSERT OR REPLACE INTO places VALUES ({','.join('?' * 12)})", place_rows(article_id, entities)
    )
    conn.executemany(f"INSERT OR REPLACE INTO event_locations VALUES ({','.join('?' * 16)})",
                     location_rows(article_id, events))  # fmt: skip


def migrate_v8(conn: sqlite3.Connection) -> None:
    """Store migration 8: the tables, then rows for the records already kept (those stored by a pipeline that
    had the geo stage; older records have no places until re-analysed)."""
    for stmt in V8_GEO.split(";\n"):
        if stmt.strip():
            conn.execute(stmt)
    for aid, blob in conn.execute("SELECT id, record FROM articles").fetchall():
        raw = blob if isinstance(blob, bytes) else str(blob or "").encode("utf-8")
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            pass  # a record kept as plain JSON (or not a record at all: then it has no places either)
        if b'"geo"' not in raw and b'"location"' not in raw:
            continue
        try:
            rec = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # an unreadable record has nothing to backfill; the store keeps it as it is
        insert(conn, aid, rec.get("entities") or [], rec.get("events") or [])


class GeoHook:
    """Store hook: rows in ``places`` / ``event_locations`` for each newly stored article (when migration 8 made
    the tables; an older store without them is left alone)."""

    name = "geo"

    def migrate(self, conn: sqlite3.Connection) -> None:
        pass  # the numbered migration (8) creates the tables

    def on_insert(self, conn: sqlite3.Connection, article: Article) -> None:
        if not any("geo" in e.attrs for e in article.entities) and not any(
            "location" in v.attrs for v in article.events
        ):
            return
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'places'").fetchone() is None:
            return
        insert(conn, article.id, [{"id": e.id, "attrs": e.attrs} for e in article.entities],
               [{"id": v.id, "attrs": v.attrs} for v in article.events])  # fmt: skip


# -- filters -----------------------------------------------------------------------------------------------------


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees (GeoJSON order) → the four numbers; a clear error otherwise."""
    try:
        w, s, e, n = (float(x) for x in value.split(","))
    except ValueError as err:
        raise InputError(
            f"bbox must be west,south,east,north in degrees, got {value!r}", code="E820"
        ) from err
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise InputError(f"bbox out of range or south > north: {value!r}", code="E820")
    return w, s, e, n


def bbox_sql(alias: str, bbox: tuple[float, float, float, float]) -> tuple[str, list[Any]]:
    """Condition on ``alias.lat`` / ``alias.lon``; a box with west > east crosses the antimeridian."""
    w, s, e, n = bbox
    if w <= e:
        return f"({alias}.lat BETWEEN ? AND ? AND {alias}.lon BETWEEN ? AND ?)", [s, n, w, e]
    return f"({alias}.lat BETWEEN ? AND ? AND ({alias}.lon >= ? OR {alias}.lon <= ?))", [s, n, w, e]


def article_filter_sql(
    country: str | None, bbox: tuple[float, float, float, float] | None
) -> tuple[str, list[Any]]:
    """Condition on an article id column ``{id}``: the article names a place (or locates an event) in the country
    and/or inside the box. Returns SQL with ``{id}`` left for the caller to format."""
    conds, args = [], []
    for table in ("places", "event_locations"):
        c, a = [], []
        if country:
            c.append("g.country = ?")
            a.append(country)
        if bbox:
            sql, ba = bbox_sql("g", bbox)
            c.append(sql)
            a += ba
        conds.append(f"EXISTS (SELECT 1 FROM {table} g WHERE g.article_id = {{id}} AND {' AND '.join(c)})")
        args += a
    return "(" + " OR ".join(conds) + ")", args
