"""Event exports in formats users already have tools for.

* :func:`plover_records` — PLOVER JSON records with the field names of the PLOVER manual's "Data Fields" chapter
  (``id, date, actor, recipient, event, mode, event_loc, event_text, quad_code, event_scale, text_info`` …).
* :data:`GDELT_COLUMNS` / :func:`gdelt_rows` — rows shaped like the GDELT 2.0 event table (61 tab-separated
  columns), so that GDELT-reading tools load them unchanged. Columns we cannot fill (ethnic/religion codes,
  coordinates, FIPS ADM1 codes, tone) are left empty; docs/exports.md describes each column.
"""

from __future__ import annotations

from typing import Any

from marsad.data import Article, Entity

# GDELT 2.0 event table (data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf): the GDELT 1.0 columns
# in ../shared/data/cameo-gdelt-docs/CSV.header.dailyupdates.txt plus an ADM2Code per geography block.
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

# CAMEO-style sector codes we emit as GDELT TypeCodes (they are the same three-letter agent codes)
_CAMEO_TYPES = {"GOV", "MIL", "OPP", "REB", "BUS", "MED", "IGO", "NGO", "JUD", "LEG", "EDU", "REL", "CVL", "COP",
                "SPY", "LAB", "REF", "AGR", "HLH", "CRM", "ELI", "UAF", "INS", "MNC"}  # fmt: skip


def _entity_obj(article: Article, eid: str) -> dict[str, Any]:
    ent = article.entity(eid)
    if ent is None:
        return {"code": None, "entity_id": eid}
    raw = article.text[ent.mentions[0].start : ent.mentions[0].end] if ent.mentions else ent.name
    return {
        "code": ent.country,
        "raw_text": raw,
        "entity_name": ent.name,
        "entity_id": ent.id,
        "identifier_id": ent.actor_id,
        "country_name": ent.country,
        "sector_code": ent.sector,
        "type": ent.type,
    }


def plover_records(article: Article) -> list[dict[str, Any]]:
    """One PLOVER record per event (the manual's field names; our extras are prefixed ``marsad_``)."""
    out = []
    for ev in article.events:
        loc = article.entity(ev.location) if ev.location else None
        out.append({
            "id": f"marsad-{article.id}-{ev.id}",
            "has_event": True,
            "date": ev.date or article.published,
            "actor": [_entity_obj(article, i) for i in ev.source],
            "recipient": [_entity_obj(article, i) for i in ev.target],
            "event": [ev.type],
            "mode": [ev.mode] if ev.mode else [],
            "context": [],
            "event_loc": {"name": loc.name, "entity_id": loc.id, "country": loc.country} if loc else None,
            "event_text": [article.text[ev.evidence.start : ev.evidence.end]],
            "quad_code": ev.quad_class,
            "event_scale": ev.goldstein,
            "text_info": {"article_id": article.id, "url": article.url, "source": article.source,
                          "title": article.title, "start": ev.evidence.start, "end": ev.evidence.end},
            "marsad_negated": ev.negated,
            "marsad_modality": ev.modality,
            "marsad_symmetric": ev.symmetric,
            "marsad_confidence": ev.confidence,
            "marsad_cameo_root": ev.cameo,
        })  # fmt: skip
    return out


def _actor_cols(ent: Entity | None) -> list[Any]:
    if ent is None:
        return [""] * len(_ACTOR)
    sector = ent.sector if ent.sector in _CAMEO_TYPES else ""
    code = (ent.country or "") + sector
    return [code, ent.name.upper(), ent.country or "", "", "", "", "", sector, "", ""]


def _geo_cols(ent: Entity | None) -> list[Any]:
    if ent is None:
        return ["", "", "", "", "", "", "", ""]
    geo_type = 1 if ent.type == "GPE" and ent.country and len(ent.mentions) else 4
    return [geo_type, ent.name, ent.country or "", "", "", "", "", ""]


def gdelt_rows(article: Article) -> list[list[Any]]:
    """One GDELT 2.0 event-table row per (event, first source, first target); see docs/exports.md."""
    rows = []
    for n, ev in enumerate(article.events):
        date = (ev.date or article.published or "").replace("-", "")
        a1 = article.entity(ev.source[0]) if ev.source else None
        a2 = article.entity(ev.target[0]) if ev.target else None
        loc = article.entity(ev.location) if ev.location else None
        year: int | str = int(date[:4]) if len(date) == 8 else ""
        frac: float | str = ""
        if len(date) == 8:
            frac = round(int(date[:4]) + (int(date[4:6]) - 1) / 12 + (int(date[6:8]) - 1) / 365, 4)
        root = ev.cameo or ""
        added = (article.published or "").replace("-", "")
        row: list[Any] = [
            int(ev.id[:12], 16) if all(c in "0123456789abcdef" for c in ev.id[:12]) else ev.id,
            int(date) if date else "",
            int(date[:6]) if date else "",
            year,
            frac,
            *_actor_cols(a1),
            *_actor_cols(a2),
            1 if n == 0 else 0,
            root,
            root,
            root,
            ev.quad_class or "",
            ev.goldstein if ev.goldstein is not None else "",
            1,
            1,
            1,
            "",
            *_geo_cols(a1 if a1 is not None and a1.type in ("GPE", "LOC") else None),
            *_geo_cols(a2 if a2 is not None and a2.type in ("GPE", "LOC") else None),
            *_geo_cols(loc),
            f"{added}000000" if added else "",
            article.url or "",
        ]
        rows.append(row)
    return rows
