"""Event exports in formats users already have tools for; docs/exports.md describes every field.

* :func:`plover_records` — PLOVER JSON records with the fields of the PLOVER manual's "Data Fields" chapter (draft
  0.8), valid against the JSON Schema shipped as ``data/plover.schema.json`` (:func:`plover_schema`): current
  categories, modes and contexts from the manual's lists, its event scale, its entity (``code``, ``sector``,
  ``entity_text``, ``identifier_id`` …) and location objects, ``text_info``, ``cite_info``, ``coder``.
* :class:`GdeltExport` / :data:`GDELT_COLUMNS` / :data:`MENTION_COLUMNS` — the GDELT 2.0 event table (61 columns) and
  mentions table (16 columns): one event row per event per copy group (NumMentions/NumArticles/NumSources count the
  copies), one mention row per article that tells it; FIPS 10-4 geography, FractionDate per the codebook, full CAMEO
  codes from the PLOVER table with the Goldstein weight of that code, PETRARCH2 actor codes, UTC DATEADDED, AvgTone.
  Modality and negation follow CAMEO practice: negated events are left out (PETRARCH discards negated verbs);
  intended cooperation is coded as the CAMEO 03 "express intent" code, intended or threatened conflict as the 13
  THREATEN code, a demand as the 10 DEMAND code (see :func:`cameo_for`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from marsad.data import Article, Entity, Event
from marsad.events import plover
from marsad.events.tone import tone

# GDELT 2.0 event table (GDELT-Event_Codebook-V2.0): the GDELT 1.0 columns of
# ../shared/data/cameo-gdelt-docs/CSV.header.dailyupdates.txt plus an ADM2Code per geography block.
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{c}" for c in _ACTOR)
    + tuple(f"Actor2{c}" for c in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{c}" for c in _GEO)
    + tuple(f"Actor2Geo_{c}" for c in _GEO)
    + tuple(f"ActionGeo_{c}" for c in _GEO)
    + ("DATEADDED", "SOURCEURL")
)  # fmt: skip
# GDELT 2.0 mentions table (GDELT-Event_Codebook-V2.0, "Mentions table")
MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

# CAMEO agent (type) codes GDELT writes in Type1Code..Type3Code
CAMEO_TYPES = frozenset({
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM", "CVL", "DEV", "EDU",
    "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "MOD", "RAD", "REF", "REL", "IGO", "NGO", "IMG", "MNC", "NGM",
    "UIS", "SET",
})  # fmt: skip
_NOT_GROUPS = CAMEO_TYPES
# CAMEO region codes: the middle part of IGO codes (IGO + region + group), never a known-group code
CAMEO_REGIONS = frozenset({
    "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM", "MEA", "MDT", "NAF",
    "NMR", "PGS", "SIN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST", "ARB", "MOS", "BAL", "SCN", "NAM", "CAM",
})  # fmt: skip
# GDELT Geo_Type: 1 COUNTRY, 2 USSTATE, 3 USCITY, 4 WORLDCITY, 5 WORLDSTATE
GEO_COUNTRY, GEO_USSTATE, GEO_USCITY, GEO_WORLDCITY, GEO_WORLDSTATE = 1, 2, 3, 4, 5
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
PLOVER_CODEBOOK = "plover-0.8"


@lru_cache(maxsize=1)
def codes() -> dict[str, Any]:
    """``data/gdelt_codes.json`` (built by scripts/build_gdelt_codes.py): ISO3 -> FIPS, ISO3 -> English country
    name, registry actor id -> PETRARCH2 CAMEO actor code."""
    text = resources.files("marsad.events").joinpath("data/gdelt_codes.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def fips(iso3: str | None) -> str:
    return codes()["fips"].get(iso3 or "", "") if iso3 else ""


def _coder() -> str:
    try:
        from importlib.metadata import version

        return f"marsad {version('marsad')}"
    except Exception:  # not installed as a distribution (a source checkout on sys.path)
        return "marsad"


# --- dates --------------------------------------------------------------------------------------------------
def fraction_date(yyyymmdd: str) -> float:
    """The GDELT codebook's FractionDate: YEAR + (MONTH × 30 + DAY) / 365, rounded to 4 places."""
    y, m, d = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return round(y + (m * 30 + d) / 365, 4)


def utc_added(article: Article) -> str:
    """DATEADDED in UTC (YYYYMMDDHHMMSS): from the article's given timestamp with its offset when the source gave one
    (ANT ``time``, an RFC 2822 or ISO 8601 date), else its date and HH:MM read as UTC; '' without a date."""
    meta = article.meta or {}
    for raw in (meta.get("published_utc"), meta.get("time_raw"), (meta.get("record") or {}).get("time")):
        if not raw or not isinstance(raw, str):
            continue
        dt: datetime | None = None
        try:
            dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                dt = parsedate_to_datetime(raw)
            except (TypeError, ValueError, IndexError):
                dt = None
        if dt is not None and dt.tzinfo is not None:
            return dt.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    if not article.published:
        return ""
    hhmm = (article.published_time or "00:00").replace(":", "")[:4].ljust(4, "0")
    return article.published.replace("-", "") + hhmm + "00"


# --- CAMEO code of an event ---------------------------------------------------------------------------------
_INTENT_COOP = {"CONSULT": "036", "AID": "033", "COOPERATE": "031", "SUPPORT": "032", "RETREAT": "035",
                "CONCEDE": "035", "AGREE": "030"}  # fmt: skip
_INTENT_CONFLICT = {"SANCTION": "1312", "ASSAULT": "138", "MOBILIZE": "138", "COERCE": "130", "PROTEST": "133",
                    "THREATEN": "130"}  # fmt: skip
_DEMAND = {"AID": "103", "COOPERATE": "101", "CONSULT": "106", "RETREAT": "105", "CONCEDE": "105",
           "SUPPORT": "102", "AGREE": "100"}  # fmt: skip
INTENT_MODALITIES = frozenset({"intend", "fut", "hope", "future"})


def cameo_for(ev: Event) -> str:
    """The full CAMEO code for an event, as CAMEO codes it: intended cooperation -> 03x (express intent), intended or
    threatened conflict -> 13x (threaten), a demand -> 10x; else the code of its PLOVER category and mode."""
    f = plover.fold(ev.type, ev.mode)
    modality = (ev.modality or "").lower()
    if modality in INTENT_MODALITIES:
        if f.category in _INTENT_COOP:
            return _INTENT_COOP[f.category]
        if f.category in _INTENT_CONFLICT:
            return _INTENT_CONFLICT[f.category]
    if modality == "threaten" and f.category in _INTENT_CONFLICT:
        return _INTENT_CONFLICT[f.category]
    if modality == "demand" and f.category in _DEMAND:
        return _DEMAND[f.category]
    return f.cameo


def cameo_quad(code: str) -> int:
    """GDELT's QuadClass of a CAMEO code, from its root: 01-05 verbal cooperation, 06-08 material cooperation, 09-13
    verbal conflict, 14-20 material conflict."""
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


# --- actors -------------------------------------------------------------------------------------------------
def latin_name(ent: Entity) -> str:
    """GDELT's Actor*Name: the English country name for a country, else ``attrs["name_latin"]`` (the entities stage
    adds it), else the canonical name when it is already in Latin script; '' (code only) for an Arabic-only name."""
    if ent.is_country and ent.country in codes()["country_names"]:
        return str(codes()["country_names"][ent.country])
    name = (ent.attrs or {}).get("name_latin") or ent.name
    if not name or _ARABIC.search(name):
        return ""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", ascii_name).strip().upper()


@dataclass(frozen=True, slots=True)
class ActorCodes:
    code: str
    country: str
    known_group: str
    types: tuple[str, ...]


def actor_codes(ent: Entity) -> ActorCodes:
    """CAMEO actor code parts: the PETRARCH2 code for known organisations (IGOUNO, IGOWSTNAT, PSEREBHMS …), else
    country + sector (USAGOV); the code split into country, known group and type codes as GDELT does."""
    pet = codes()["actors"].get(ent.actor_id or "", "")
    sector = ent.sector if ent.sector in CAMEO_TYPES else ""
    if not pet or pet in CAMEO_TYPES:  # a bare type (MED) says less than country + sector
        code = (ent.country or "") + sector
    else:
        code = pet
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    country = parts[0] if parts and re.fullmatch(r"[A-Z]{3}", parts[0]) and parts[0] in codes()["fips"] else ""
    if not country and ent.country and not pet:
        country = ent.country
    types = tuple(p for p in parts if p in CAMEO_TYPES)
    groups = [p for p in parts[1 if country else 0 :] if p not in _NOT_GROUPS and p not in CAMEO_REGIONS]
    if "UNO" in parts and len(groups) > 1:
        groups = [g for g in groups if g != "UNO"]
    return ActorCodes(code, country, groups[-1] if groups else "", types[:3])


def _actor_cols(ent: Entity | None) -> list[Any]:
    if ent is None:
        return [""] * len(_ACTOR)
    c = actor_codes(ent)
    t = list(c.types) + ["", "", ""]
    return [c.code, latin_name(ent), c.country, c.known_group, "", "", "", t[0], t[1], t[2]]


# --- geography ----------------------------------------------------------------------------------------------
def _geo_type(g: Mapping[str, Any]) -> int | None:
    fc, code = g.get("feature_class") or "", g.get("feature_code") or ""
    us = (g.get("country_iso3") or "") == "USA"
    if fc == "A" and code.startswith("PCL"):
        return GEO_COUNTRY
    if fc == "A" and code == "ADM1":
        return GEO_USSTATE if us else GEO_WORLDSTATE
    if fc == "P" or (fc == "A" and code in ("ADM2", "ADM3", "ADM4")):
        return GEO_USCITY if us else GEO_WORLDCITY
    return None  # seas, regions, continents: GDELT has no type for them


def _coords(g: Mapping[str, Any]) -> tuple[Any, Any]:
    """(lat, lon) when both are valid WGS84 degrees, else ("", "") rather than a point off the globe."""
    try:
        lat, lon = float(g["lat"]), float(g["lon"])
    except (KeyError, TypeError, ValueError):
        return "", ""
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else ("", "")


def geo_cols(ent: Entity | None, loc: Mapping[str, Any] | None = None) -> list[Any]:
    """A GDELT geography block from the geo stage's record (``event.attrs["location"]`` or ``entity.attrs["geo"]``:
    geonameid, name, feature_class, feature_code, country_iso3, country_fips, adm1, lat, lon); for a country entity
    without one, the country itself (type 1, FIPS code as FeatureID, as GDELT does). Other places without a
    resolved location are left empty rather than given a wrong type."""
    g = loc or ((ent.attrs or {}).get("geo") if ent is not None else None)
    if g:
        typ = _geo_type(g)
        if typ is not None:
            cfips = g.get("country_fips") or fips(g.get("country_iso3"))
            lat, lon = _coords(g)
            if typ == GEO_COUNTRY and cfips:
                return [typ, g.get("name") or "", cfips, cfips, "", lat, lon, cfips]
            if cfips:
                adm1 = f"{cfips}{g['adm1']}" if g.get("adm1") else cfips
                return [typ, g.get("name") or "", cfips, adm1, "", lat, lon, g.get("geonameid", "")]
    if ent is not None and ent.is_country and fips(ent.country):
        cf = fips(ent.country)
        name = codes()["country_names"].get(ent.country, ent.name).title()
        return [GEO_COUNTRY, name, cf, cf, "", "", "", cf]
    return ["", "", "", "", "", "", "", ""]


def _place(article: Article, eid: str | None) -> Entity | None:
    ent = article.entity(eid) if eid else None
    return ent if ent is not None and ent.type in ("GPE", "LOC") else None


# --- GDELT --------------------------------------------------------------------------------------------------
def _int_id(*parts: str) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(parts).encode("utf-8"), digest_size=7).digest(), "big")


def _event_key(article: Article, ev: Event, code: str) -> str:
    def ids(xs: Iterable[str]) -> str:
        out = []
        for i in xs:
            e = article.entity(i)
            out.append((e.actor_id or e.name) if e is not None else i)
        return ";".join(sorted(out))

    return "|".join((code, ids(ev.source), ids(ev.target), ev.date or article.published or ""))


def _sentence_no(article: Article, pos: int) -> int:
    sents = (article.layers or {}).get("sentences") or ()
    for n, s in enumerate(sents, 1):
        if s.start <= pos < s.end:
            return n
    return 1


def _copy_group(article: Article) -> str:
    d = (article.meta or {}).get("dedup") or {}
    return str(d.get("copy_group") or article.id)


@dataclass
class _Group:
    row: list[Any]
    mentions: list[list[Any]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    tones: list[float] = field(default_factory=list)


@dataclass
class GdeltExport:
    """Collects events over a stream of articles and yields GDELT 2.0 event rows (one per event per copy group) and
    mentions rows (one per telling article). ``skipped`` counts what was left out and why."""

    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def _skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def add(self, article: Article) -> None:
        if not article.events:
            return
        doc_tone = tone(article.body or article.text)[0]
        added = utc_added(article)
        group = _copy_group(article)
        body_start = min((s.start for s in (article.layers or {}).get("body") or ()), default=0)
        first_sent = ((article.layers or {}).get("sentences") or ())
        lead_end = next((s.end for s in first_sent if s.start >= body_start), len(article.text))
        for ev in article.events:
            if ev.negated:
                self._skip("negated (CAMEO codes no negated events)")
                continue
            if not plover.is_category(ev.type):
                self._skip(f"unknown category {ev.type}")
                continue
            date = (ev.date or article.published or "").replace("-", "")
            if not re.fullmatch(r"\d{8}", date):
                self._skip("no date")
                continue
            code = cameo_for(ev)
            key = (group, _event_key(article, ev, code))
            g = self.groups.get(key)
            gid = _int_id(*key)
            if g is None:
                a1 = article.entity(ev.source[0]) if ev.source else None
                a2 = article.entity(ev.target[0]) if ev.target else None
                loc = (ev.attrs or {}).get("location")
                gold = plover.goldstein(code)
                row: list[Any] = [
                    gid, int(date), int(date[:6]), int(date[:4]), fraction_date(date),
                    *_actor_cols(a1), *_actor_cols(a2),
                    1 if ev.evidence.start < lead_end else 0,
                    code, code[:3], code[:2], cameo_quad(code), gold,
                    0, 0, 0, 0.0,
                    *geo_cols(_place(article, a1.id if a1 else None)),
                    *geo_cols(_place(article, a2.id if a2 else None)),
                    *geo_cols(_place(article, ev.location), loc if isinstance(loc, Mapping) else None),
                    added, article.url or "",
                ]  # fmt: skip
                g = self.groups[key] = _Group(row)
            if article.id in g.articles:
                continue  # the same event told twice in one article is one mention
            g.articles.add(article.id)
            g.sources.add(article.source or "")
            g.tones.append(doc_tone)

            g.mentions.append([
                gid, g.row[GDELT_COLUMNS.index("DATEADDED")] or "", added,
                1 if article.url else 6,
                _source_name(article), article.url or article.id,
                _sentence_no(article, ev.evidence.start),
                _offset(article, ev.source[0] if ev.source else None, ev.evidence.start),
                _offset(article, ev.target[0] if ev.target else None, ev.evidence.start),
                ev.evidence.start, 1, max(10, min(100, round(100 * float(ev.confidence or 0)))),
                len(article.text), doc_tone, "srclc:ara", "",
            ])  # fmt: skip

    def rows(self) -> Iterator[list[Any]]:
        i_m, i_s, i_a, i_t = (GDELT_COLUMNS.index(c) for c in ("NumMentions", "NumSources", "NumArticles", "AvgTone"))
        for g in self.groups.values():
            row = list(g.row)
            row[i_m] = len(g.mentions)
            row[i_s] = len(g.sources)
            row[i_a] = len(g.articles)
            row[i_t] = round(sum(g.tones) / len(g.tones), 4) if g.tones else 0.0
            yield row

    def mentions(self) -> Iterator[list[Any]]:
        for g in self.groups.values():
            yield from g.mentions


def _offset(article: Article, eid: str | None, near: int) -> int:
    """Character offset of the entity's mention nearest the event's evidence; -1 when there is none."""
    ent = article.entity(eid) if eid else None
    if ent is None or not ent.mentions:
        return -1
    return min(ent.mentions, key=lambda s: abs(s.start - near)).start


def _source_name(article: Article) -> str:
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return article.source or ""


def gdelt_rows(article: Article) -> list[list[Any]]:
    """GDELT 2.0 event rows for one article (counts from this article alone; :class:`GdeltExport` counts copies)."""
    ex = GdeltExport()
    ex.add(article)
    return list(ex.rows())


# --- PLOVER -------------------------------------------------------------------------------------------------
# CAMEO agent codes -> the manual's sector codes (Sector Codes table): MED was media in CAMEO, JRN in PLOVER; HLH
# (health) is MED in PLOVER; INS/SEP are folded into REB (sector code note 3).
_SECTOR = {"MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB", "NGO": "SOC", "HRI": "SOC", "MOD": "PTY",
           "RAD": "PTY", "DEV": "SOC", "ENV": "SOC", "NGM": "SOC"}  # fmt: skip
PLOVER_SECTORS = ("COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS", "CRM",
                  "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC")  # fmt: skip
NONSTATE_CODES = ("IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC")


def _plover_code(ent: Entity) -> str | None:
    """The manual's 3-char country-name code: ISO3 for states, UNO / EUR / IGO / NGO / IMG / MNC for non-state
    international entities (Table "International Non-state actor names")."""
    pet = codes()["actors"].get(ent.actor_id or "", "")
    if pet.startswith("IGOUNO") or pet == "UNO":
        return "UNO"
    if pet.startswith("IGOEUR"):
        return "EUR"
    if ent.sector == "IGO" or pet.startswith("IGO"):
        return "IGO"
    if ent.country and re.fullmatch(r"[A-Z]{3}", ent.country):
        return ent.country
    if ent.sector in ("NGO", "HRI"):
        return "NGO"
    if ent.sector in ("REB", "INS") or pet.startswith("IMG"):
        return "IMG"
    if ent.sector == "MNC":
        return "MNC"
    return None


def _entity_obj(article: Article, eid: str) -> dict[str, Any]:
    ent = article.entity(eid)
    if ent is None:
        return {"sector": "UNK", "identifier_id": eid}
    raw = article.text[ent.mentions[0].start : ent.mentions[0].end] if ent.mentions else ent.name
    out: dict[str, Any] = {"entity_text": raw}
    code = _plover_code(ent)
    if code:
        out["code"] = code
    sector = _SECTOR.get(ent.sector or "", ent.sector or "")
    if sector in PLOVER_SECTORS:
        out["sector"] = sector
    if ent.actor_id:
        out["identifier_id"] = ent.actor_id
    out["identifier_text"] = ent.name
    return out


def plover_location(article: Article, ev: Event) -> dict[str, Any] | None:
    """The manual's location object (Mordecai3 / GeoNames fields) from the geo stage's record; a named place without
    one gets ``extracted_place`` only; a country entity gets its country."""
    loc = (ev.attrs or {}).get("location")
    ent = article.entity(ev.location) if ev.location else None
    g = loc if isinstance(loc, Mapping) else ((ent.attrs or {}).get("geo") if ent is not None else None)
    if not g and ent is None:
        return None
    out: dict[str, Any] = {}
    if ent is not None and ent.mentions:
        out["extracted_place"] = article.text[ent.mentions[0].start : ent.mentions[0].end]
    if g:
        out["resolved_place"] = g.get("name") or ""
        for k_in, k_out in (("geonameid", "geonameid"), ("lat", "lat"), ("lon", "lon"),
                            ("feature_class", "feature_class"), ("feature_code", "feature_code")):  # fmt: skip
            if g.get(k_in) not in (None, ""):
                out[k_out] = g[k_in]
        if "geonameid" in out:
            out["geonameid"] = int(out["geonameid"])
        lat, lon = _coords(g)
        out.pop("lat", None)
        out.pop("lon", None)
        if lat != "":
            out["lat"], out["lon"] = lat, lon
        iso3 = g.get("country_iso3")
        if iso3:
            out["country_code"] = iso3
            name = codes()["country_names"].get(iso3)
            if name:
                out["country"] = name.title()
        typ = _geo_type(g)
        out["resolution"] = {GEO_COUNTRY: 1, GEO_USSTATE: 2, GEO_WORLDSTATE: 2}.get(typ or 0, 4 if typ else 1)
        if typ in (GEO_USCITY, GEO_WORLDCITY):
            out["city"] = g.get("name") or ""
    elif ent is not None:
        out["resolved_place"] = ent.name
        if ent.country:
            out["country_code"] = ent.country
            if ent.is_country:
                out["resolution"] = 1
    return out


def _contexts(ev: Event) -> list[str]:
    ctx = [c for c in (ev.attrs or {}).get("contexts", ()) if plover.valid_context(c)]
    ctx += list(plover.fold(ev.type, ev.mode).contexts)
    modality = (ev.modality or "").lower()
    if modality in ("intend", "fut", "future"):
        ctx.append("future")
    elif modality in ("hope", "threaten", "demand", "hypothetical"):
        ctx.append("hypothetical")
    if ev.negated:
        ctx.append("negation")
    return sorted(set(ctx), key=ctx.index)


def plover_records(article: Article) -> list[dict[str, Any]]:
    """One PLOVER record per dated event (the manual's field names; marsad's extras are prefixed ``marsad_``).
    Modality and negation go to ``context`` as the manual's auxiliary modes (future, hypothetical, negation)."""
    out = []
    coder = _coder()
    for ev in article.events:
        if not plover.is_category(ev.type):
            continue
        f = plover.fold(ev.type, ev.mode)
        date = ev.date or article.published
        if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            continue  # PLOVER requires a date: an undated article's events cannot be records
        rec: dict[str, Any] = {
            "id": f"marsad-{article.id}-{ev.id}",
            "has_event": True,
            "date": date,
        }
        if article.published_time and (not ev.date or ev.date == article.published):
            rec["time"] = article.published_time + ":00" if len(article.published_time) == 5 else article.published_time
        rec["actor"] = [_entity_obj(article, i) for i in ev.source] or [{"sector": "UNK"}]
        rec["recipient"] = [_entity_obj(article, i) for i in ev.target]
        rec["event"] = [f.category]
        rec["mode"] = [f.mode] if f.mode else []
        rec["context"] = _contexts(ev)
        loc = plover_location(article, ev)
        if loc is not None:
            rec["event_loc"] = loc
        rec["event_text"] = [article.text[ev.evidence.start : ev.evidence.end]]
        rec["quad_code"] = plover.quad(f.category)
        rec["event_scale"] = plover.scale(f.category, f.mode)
        rec["text_info"] = {"sequence": _sentence_no(article, ev.evidence.start), "start": ev.evidence.start,
                            "end": ev.evidence.end}  # fmt: skip
        cite: dict[str, Any] = {"corpus": (article.meta or {}).get("corpus") or article.source or "",
                                "citation": article.id, "language": "ar", "publication": article.source or "",
                                "coder": coder, "codebook": PLOVER_CODEBOOK}  # fmt: skip
        if article.url:
            cite["url"] = article.url
        if article.title:
            cite["title"] = article.title
        rec["cite_info"] = cite
        rec["coder"] = coder
        rec.update({
            "marsad_article_id": article.id,
            "marsad_negated": ev.negated,
            "marsad_modality": ev.modality,
            "marsad_symmetric": ev.symmetric,
            "marsad_confidence": ev.confidence,
            "marsad_cameo": cameo_for(ev),
        })  # fmt: skip
        if f.mode is None and ev.mode:
            rec["marsad_mode_raw"] = ev.mode
        out.append(rec)
    return out


@lru_cache(maxsize=1)
def plover_schema() -> dict[str, Any]:
    """The JSON Schema shipped with the package (``data/plover.schema.json``)."""
    text = resources.files("marsad.events").joinpath("data/plover.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def build_plover_schema() -> dict[str, Any]:
    """The schema written from the manual's Data Fields tables (PLOVER JSON, entity, text, cite and location objects)
    and its lists (categories, modes per category, contexts and auxiliary modes, sector and non-state codes).
    ``python -m marsad.events.export schema`` rewrites ``data/plover.schema.json`` from it."""
    str_or_null = {"type": ["string", "null"]}
    entity = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "sector": {"type": "string", "enum": list(PLOVER_SECTORS)},
            "entity_text": str_or_null, "identifier_id": str_or_null, "identifier_text": str_or_null,
            "religion": str_or_null, "ethnicity": str_or_null, "office": str_or_null, "gender": str_or_null,
            "age": {"type": "integer", "minimum": 0},
        },
    }  # fmt: skip
    location = {
        "type": "object",
        "properties": {
            "extracted_place": {"type": "string"}, "resolved_place": {"type": "string"},
            "geonameid": {"type": "integer"},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "city": {"type": "string"}, "district": {"type": "string"}, "province": {"type": "string"},
            "country": {"type": "string"}, "country_code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "feature_class": {"type": "string", "pattern": "^[AHLPRSTUV]$"},
            "feature_code": {"type": "string"},
            "resolution": {"type": "integer", "enum": [1, 2, 3, 4, 5]},
        },
        "additionalProperties": False,
    }  # fmt: skip
    all_contexts = [*plover.contexts(), *plover.auxiliary_modes()]
    per_category = [
        {
            "if": {"properties": {"event": {"contains": {"const": cat}}}},
            "then": {"properties": {
                "mode": {"items": {"enum": list(plover.modes(cat))}},
                "quad_code": {"const": plover.quad(cat)},
                "event_scale": {"enum": sorted({plover.scale(cat, m) for m in (None, *plover.modes(cat))})},
            }},
        }
        for cat in plover.CATEGORIES
    ]  # fmt: skip
    scales = sorted({plover.scale(c, m) for c in plover.CATEGORIES for m in (None, *plover.modes(c))})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "marsad/plover-0.8.schema.json",
        "title": "PLOVER event record (PLOVER manual draft 0.8, chapter 'Data Fields')",
        "type": "object",
        "required": ["id", "date", "actor", "event"],
        "properties": {
            "id": {"type": "string", "minLength": 1},
            "has_event": {"type": "boolean"},
            "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
            "time": {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"},
            "enddate": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "endtime": {"type": "string"},
            "actor": {"type": "array", "items": entity, "minItems": 1},
            "recipient": {"type": "array", "items": entity},
            "event": {"type": "array", "items": {"enum": list(plover.CATEGORIES)}, "minItems": 1},
            "event_loc": location,
            "event_text": {"type": "array", "items": {"type": "string"}},
            "quad_code": {"type": "integer", "enum": [1, 2, 3, 4]},
            "event_scale": {"type": "number", "enum": scales},
            "mode": {"type": "array", "items": {"type": "string"}},
            "context": {"type": "array", "items": {"enum": all_contexts}},
            "link": {"type": "string"},
            "text": {"type": "string"},
            "text_info": {"type": "object", "properties": {
                "sequence": {"type": "integer", "minimum": 0}, "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0}, "text_story": {"type": "array", "items": {"type": "string"}},
            }},
            "cite_info": {"type": "object", "properties": {
                k: {"type": "string"} for k in ("corpus", "citation", "url", "title", "publication", "license",
                                                 "copyright", "coder", "codebook", "version")
            } | {"language": {"type": "string", "pattern": "^[a-z]{2}$"}}},
            "coder": {"type": "string"},
            "coded_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "coded_time": {"type": "string"},
            "comment": {"type": "string"},
        },
        "allOf": per_category,
    }  # fmt: skip


def _main(argv: list[str] | None = None) -> None:
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["schema"]:
        raise SystemExit("usage: python -m marsad.events.export schema")
    out = Path(__file__).parent / "data" / "plover.schema.json"
    out.write_text(json.dumps(build_plover_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    _main()
