"""The map: where the events of any search happened and which places its articles name, offline.

Routes (mounted by :func:`marsad.web.pages.mount_web`):

- ``GET /map``: the page (the vendored ECharts over the vendored ``world-atlas`` outline; no tile server);
- ``GET /api/map/world.geojson``: the outline, countries keyed by ISO3 (``properties.name``);
- ``GET /api/map/places``: counts for a search (the article search's parameters, ``bbox=west,south,east,north``
  among them, plus ``country=``: the ISO3 of the places counted): events by location and articles by named place,
  each by place and by country;
  ``actor=`` keeps the actor's own events (as source or target), not every event of its articles;
- ``GET /api/map/events``: the located events of a search (with ``country=`` / ``bbox=`` on the event location);
- ``GET /api/map/articles``: the articles of a search that name a place (or locate an event) in ``country=`` /
  inside ``bbox=``.

All read the ``places`` / ``event_locations`` tables of store migration 8 (:mod:`marsad.geo.store`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from marsad.api import queries as Q
from marsad.api.app import ERRORS, MinConfidence, SearchQ, reject_unknown_params
from marsad.api.db import Database
from marsad.api.errors import ApiError
from marsad.geo.store import article_filter_sql, bbox_sql
from marsad.web.pages import CONFIDENCE_CUTS

Country = Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 of the place")]
Limit = Annotated[int, Query(ge=1, le=2000)]


@lru_cache(maxsize=1)
def _iso_n3_to_iso3() -> dict[str, str]:
    from marsad.geo.gazetteer import _gnc_dir

    countries = json.loads((_gnc_dir() / "countries.json").read_text(encoding="utf-8"))
    return {str(c["isonumeric"]).lstrip("0"): c["iso3"] for c in countries.values()}


@lru_cache(maxsize=1)
def world_outline() -> bytes:
    """The vendored outline as GeoJSON with ``properties.name`` = ISO3 (ECharts keys map regions by name)."""
    from marsad.geo.atlas import world_geojson

    n3 = _iso_n3_to_iso3()

    def rings(r: list[list[float]]) -> list[list[list[float]]]:
        """One ring, rounded to 0.01° (about 1 km, finer than the screen), repeats dropped, and cut where it jumps
        across the antimeridian (drawn whole, that jump is a line across the map)."""
        pieces: list[list[list[float]]] = [[]]
        for x, y in r:
            p = [round(x, 2), round(y, 2)]
            cur = pieces[-1]
            if cur and abs(p[0] - cur[-1][0]) > 180:
                pieces.append(cur := [])
            if not cur or cur[-1] != p:
                cur.append(p)
        return [pc for pc in pieces if len(pc) >= 3]

    feats = []
    for f in world_geojson()["features"]:
        code = n3.get(f["properties"]["iso_n3"].lstrip("0"))
        if code == "ATA":
            continue  # Antarctica: no news places, and its ring along the map's edge draws a stray line
        props = {"name": code or f["properties"]["name"], "label": f["properties"]["name"]}
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        # each piece of a cut outer ring becomes a polygon of its own (holes stay with the first)
        out = []
        for poly in polys:
            outer = rings(poly[0])
            holes = [h for r in poly[1:] for h in rings(r)]
            out += [[o, *(holes if k == 0 else [])] for k, o in enumerate(outer)]
        geom = {"type": "MultiPolygon", "coordinates": out}
        feats.append({"type": "Feature", "id": f["id"], "properties": props, "geometry": geom})
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")).encode()


def _matching(db: Database, query: Any) -> tuple[str, list[Any]]:
    """``SELECT a.id ...`` for every article the search matches (the one search builder, marsad.store.search)."""
    from marsad.store import search as S

    conn = db.conn()
    p = S.plan(conn, query)
    return S.matching_sql(p, cols="a.id")


def _actor_clause(actor: str | None) -> tuple[str, list[Any]]:
    if not actor:
        return "", []
    return (" AND EXISTS (SELECT 1 FROM events v WHERE v.article_id = l.article_id AND v.event_id = l.event_id AND "
            "(EXISTS (SELECT 1 FROM json_each(v.source_actors) WHERE value = ?) OR "
            "EXISTS (SELECT 1 FROM json_each(v.target_actors) WHERE value = ?)))", [actor, actor])  # fmt: skip


def _sure_clause(min_confidence: float | None) -> tuple[str, list[Any]]:
    """Only the located events at least ``min_confidence`` sure (:func:`marsad.api.queries.confidence_sql`)."""
    if min_confidence is None:
        return "", []
    return (" AND EXISTS (SELECT 1 FROM events v WHERE v.article_id = l.article_id AND v.event_id = l.event_id AND "
            f"{Q.confidence_sql('v')})", [min_confidence])  # fmt: skip


def _where_loc(
    alias: str, country: str | None, bbox: tuple[float, float, float, float] | None
) -> tuple[str, list[Any]]:
    sql, args = "", []
    if country:
        sql += f" AND {alias}.country = ?"
        args.append(country)
    if bbox:
        b, ba = bbox_sql(alias, bbox)
        sql += " AND " + b
        args += ba
    return sql, args


def _require_tables(db: Database) -> None:
    if not db.has("places", "event_locations"):
        raise ApiError(404, "this store has no place tables (store migration 8): open it with marsad to migrate",
                       code="not_found")  # fmt: skip


def geo_router(db: Database) -> APIRouter:
    r = APIRouter(prefix="/api/map", responses=ERRORS, dependencies=[Depends(reject_unknown_params)])

    @r.get("/world.geojson", summary="World outline (Natural Earth 1:50m via world-atlas), countries by ISO3")
    def world() -> Any:
        return Response(
            world_outline(),
            media_type="application/geo+json",
            headers={"cache-control": "public, max-age=86400"},
        )

    @r.get(
        "/places", summary="Events by where they happened and articles by the places they name, for a search"
    )
    def places(query: SearchQ, country: Country = None, limit: Limit = 500,
               min_confidence: MinConfidence = None) -> dict[str, Any]:
        _require_tables(db)
        box = query.bbox
        sub, sargs = _matching(db, query)
        lw, la = _where_loc("l", country, box)
        aw, aa = _actor_clause(query.actor)
        cw, ca = _sure_clause(min_confidence)
        aw, aa = aw + cw, aa + ca
        conn = db.conn()
        ev_rows = conn.execute(
            "SELECT l.geonameid, l.name, l.name_ar, l.country, l.feature_code, l.lat, l.lon, count(*) AS n "
            f"FROM event_locations l WHERE l.article_id IN ({sub}){lw}{aw} AND l.lat IS NOT NULL "
            "GROUP BY l.geonameid, l.name, l.country ORDER BY n DESC LIMIT ?", [*sargs, *la, *aa, limit]
        ).fetchall()  # fmt: skip
        ev_countries = conn.execute(
            f"SELECT l.country, count(*) AS n FROM event_locations l WHERE l.article_id IN ({sub}){lw}{aw} "
            "AND l.country IS NOT NULL GROUP BY l.country ORDER BY n DESC", [*sargs, *la, *aa]
        ).fetchall()  # fmt: skip
        pw, pa = _where_loc("g", country, box)
        art_rows = conn.execute(
            "SELECT g.geonameid, g.name, g.name_ar, g.country, g.feature_code, g.lat, g.lon, "
            f"count(DISTINCT g.article_id) AS n FROM places g WHERE g.article_id IN ({sub}){pw} AND g.lat IS NOT NULL "
            "GROUP BY g.geonameid, g.name, g.country ORDER BY n DESC LIMIT ?", [*sargs, *pa, limit]
        ).fetchall()  # fmt: skip
        art_countries = conn.execute(
            f"SELECT g.country, count(DISTINCT g.article_id) AS n FROM places g WHERE g.article_id IN ({sub}){pw} "
            "AND g.country IS NOT NULL GROUP BY g.country ORDER BY n DESC", [*sargs, *pa]
        ).fetchall()  # fmt: skip

        def pl(rows: Any) -> list[dict[str, Any]]:
            return [{"geonameid": x[0], "name": x[1], "name_ar": x[2], "country": x[3], "feature_code": x[4],
                     "lat": x[5], "lon": x[6], "count": x[7]} for x in rows]  # fmt: skip

        return {
            "query": query.to_params() | ({"country": country} if country else {})
            | ({"min_confidence": min_confidence} if min_confidence is not None else {}),
            "events": {
                "by_place": pl(ev_rows),
                "by_country": [{"country": c, "count": n} for c, n in ev_countries],
            },
            "articles": {
                "by_place": pl(art_rows),
                "by_country": [{"country": c, "count": n} for c, n in art_countries],
            },
        }

    @r.get("/events", summary="Located events of a search, filtered by where they happened")
    def events(query: SearchQ, country: Country = None, limit: Limit = 200,
               offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
               min_confidence: MinConfidence = None) -> dict[str, Any]:  # fmt: skip
        _require_tables(db)
        sub, sargs = _matching(db, query)
        lw, la = _where_loc("l", country, query.bbox)
        aw, aa = _actor_clause(query.actor)
        cw, ca = _sure_clause(min_confidence)
        aw, aa = aw + cw, aa + ca
        rows = db.conn().execute(
            "SELECT v.article_id, v.event_id, v.type, v.date, v.source_actors, v.target_actors, v.evidence_text, "
            "l.geonameid, l.name, l.name_ar, l.country, l.adm1, l.lat, l.lon, l.how, l.entity_id "
            "FROM event_locations l JOIN events v ON v.article_id = l.article_id AND v.event_id = l.event_id "
            f"WHERE l.article_id IN ({sub}){lw}{aw} ORDER BY v.date DESC, v.article_id, v.event_id LIMIT ? OFFSET ?",
            [*sargs, *la, *aa, limit, offset],
        ).fetchall()  # fmt: skip
        items = [{
            "article_id": x[0], "event_id": x[1], "type": x[2], "date": x[3], "source_actors": json.loads(x[4]),
            "target_actors": json.loads(x[5]), "evidence": x[6],
            "location": {"geonameid": x[7], "name": x[8], "name_ar": x[9], "country": x[10], "adm1": x[11],
                         "lat": x[12], "lon": x[13], "how": x[14], "entity": x[15]},
        } for x in rows]  # fmt: skip
        return {"items": items, "limit": limit, "offset": offset}

    @r.get(
        "/articles", summary="Articles of a search naming a place (or locating an event) in a country / box"
    )
    def articles(query: SearchQ, country: Country = None, limit: Limit = 50,
                 offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:  # fmt: skip
        _require_tables(db)
        box = query.bbox
        sub, sargs = _matching(db, query)
        cond, cargs = ("1", []) if not (country or box) else article_filter_sql(country, box)
        cond = cond.replace("{id}", "a.id")
        rows = db.conn().execute(
            f"SELECT a.id, a.title, a.source, a.published FROM articles a WHERE a.id IN ({sub}) AND {cond} "
            "ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?", [*sargs, *cargs, limit, offset]
        ).fetchall()  # fmt: skip
        return {"items": [{"id": x[0], "title": x[1], "source": x[2], "published": x[3]} for x in rows],
                "limit": limit, "offset": offset}  # fmt: skip

    return r


def mount_map(app: FastAPI, db: Database, page: Any) -> None:
    """The map page and its API routes."""
    app.include_router(geo_router(db))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, q: str = "", date_from: str = "", date_to: str = "", source: str = "",
                 actor: str = "", event_type: str = "", country: str = "", conf: str = "") -> HTMLResponse:  # fmt: skip
        params = {"q": q[:500], "from": date_from[:10], "to": date_to[:10], "source": source[:200],
                  "actor": actor[:300], "event_type": event_type[:30].upper(), "country": country[:3].upper(),
                  # the events' confidence floor: one of the offered cuts, anything else no cut (as on /relations)
                  "min_confidence": conf if conf in CONFIDENCE_CUTS else ""}  # fmt: skip
        return page(request, "map.html", p=params, api_params=json.dumps({k: v for k, v in params.items() if v}),
                    nav="map")  # fmt: skip
