"""Airports and seaports for the place index: ``مطار X`` is the airport that serves the town X names, ``ميناء X``
its port.

Sources (GeoNames' airport and port records, ``S/AIRP`` and ``H/PRT``, are not in the packages we can install;
these carry no geonameid):

- ``airportsdata`` (PyPI, MIT; OurAirports / ICAO data): every airport with an IATA code (about 7,900: the ones
  that take scheduled flights), with its name, country and point;
- ``searoute`` (PyPI, Apache-2.0; the optional ``ports`` extra, in ``all``): its ``data/ports.geojson``, ~3,960 seaports with their UN/LOCODE (whose first
  two letters are the country), the name of the place they serve and their point. A port is named as the source
  names it; "Port of X" and "X Port" are its English alternates.

The resolver reads ``مطار`` / ``ميناء`` + a place name (مطار الحديدة، بمطار القاهرة الدولي، ميناء عدن): it resolves the
place, then takes the facility of that place's country nearest to its point, within :data:`MAX_KM`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_KM = 40.0


@dataclass(frozen=True)
class Airport:
    icao: str
    iata: str
    name: str
    country_iso2: str
    lat: float
    lon: float


def load_airports() -> list[Airport]:
    """Airports with an IATA code; none when ``airportsdata`` is not installed (the index is built without them)."""
    try:
        import airportsdata
    except ImportError:
        return []
    out = []
    for icao, a in airportsdata.load("ICAO").items():
        if a.get("iata") and a.get("country") and a.get("name"):
            out.append(Airport(icao, a["iata"], a["name"], a["country"], float(a["lat"]), float(a["lon"])))
    return out


@dataclass(frozen=True)
class Seaport:
    locode: str
    name: str
    country_iso2: str
    lat: float
    lon: float


def load_seaports() -> list[Seaport]:
    """Seaports from searoute's ports.geojson; none when ``searoute`` is not installed."""
    import json
    from importlib import resources

    try:
        path = resources.files("searoute") / "data" / "ports.geojson"
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    out = []
    for feat in data.get("features") or ():
        props, geom = feat.get("properties") or {}, feat.get("geometry") or {}
        code, name, xy = props.get("port") or "", props.get("name"), list(geom.get("coordinates") or [])
        if len(code) == 5 and name and len(xy) == 2:
            out.append(Seaport(code, name, code[:2], float(xy[1]), float(xy[0])))
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
