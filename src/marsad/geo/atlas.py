"""The vendored world outline (npm ``world-atlas`` 2.0.2, Natural Earth 1:50m countries, ISC) as GeoJSON, and
country centroids from it.

TopoJSON decoding is written by hand (about thirty lines: de-quantise the delta-encoded arcs, stitch them into
rings) because the one maintained decoder is JavaScript (``topojson-client``) and the Python ports are unmaintained;
the map page gets GeoJSON from the server, so the browser needs nothing but the vendored ECharts.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

ATLAS_PATH = (
    Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "world-atlas" / "countries-50m.json"
)


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    tr = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        pts: list[tuple[float, float]] = []
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], idx: list[int]) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in idx:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend([round(x, 4), round(y, 4)] for x, y in (pts[1:] if ring else pts))
    return ring


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """The countries as a GeoJSON FeatureCollection; ``properties``: ``name`` (English), ``iso_n3`` (numeric)."""
    topo = json.loads(ATLAS_PATH.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("type") == "Polygon":
            geom = {"type": "Polygon", "coordinates": [_ring(arcs, r) for r in g["arcs"]]}
        elif g.get("type") == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [[_ring(arcs, r) for r in p] for p in g["arcs"]]}
        else:
            continue
        props = {"name": (g.get("properties") or {}).get("name", ""), "iso_n3": str(g.get("id") or "")}
        feats.append({"type": "Feature", "id": props["iso_n3"], "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def _unwrap(ring: list[list[float]]) -> list[list[float]]:
    """Longitudes made continuous along the ring (a ring crossing the antimeridian jumps from 180 to -180)."""
    out = [list(ring[0])]
    for x, y in ring[1:]:
        px = out[-1][0]
        while x - px > 180:
            x -= 360
        while px - x > 180:
            x += 360
        out.append([x, y])
    return out


def _area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    ring = _unwrap(ring)
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        f = x0 * y1 - x1 * y0
        a += f
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(ys) / len(ys), sum(xs) / len(xs)
    return abs(a) / 2, cy / (3 * a), cx / (3 * a)


def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO 3166-1 numeric code (as a string, no leading zeros) → (lat, lon) of the centroid of the country's largest
    polygon (the mainland, not the mean of scattered islands)."""
    out: dict[str, tuple[float, float]] = {}
    for f in world_geojson()["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        best = max((_area_centroid(p[0]) for p in polys if p and len(p[0]) > 2), default=None)
        code = f["properties"]["iso_n3"].lstrip("0")
        if best is not None and code:
            out[code] = (round(best[1], 4), round((best[2] + 180) % 360 - 180, 4))
    return out
