"""The geo stage: places on GPE/LOC entities, a location on every event (sentence → dateline → actor country)."""

from __future__ import annotations

import pytest
from geo_corpus import TEXTS, hand_article, no_dateline_article

from marsad.geo.stage import GeoStage
from marsad.stages import ORDER, build_stages

KEYS = {
    "geonameid",
    "name",
    "name_ar",
    "feature_class",
    "feature_code",
    "country_iso3",
    "country_fips",
    "adm1",
    "lat",
    "lon",
}


def test_registered_after_events():
    assert ORDER.index("geo") == ORDER.index("events") + 1
    assert [s.name for s in build_stages(upto="geo")][-1] == "geo"


def test_entities_get_places_and_events_locations():
    art = GeoStage()(hand_article())
    ents = {e.id: e for e in art.entities}
    assert set(ents["e3"].attrs["geo"]) == KEYS
    assert (ents["e3"].attrs["geo"]["name"], ents["e3"].attrs["geo"]["feature_class"]) == ("Aleppo", "P")
    assert ents["e4"].attrs["geo"]["feature_code"] == "PCLI"
    assert "geo" not in ents["e2"].attrs  # an organisation is not a place
    locs = {ev.id: ev.attrs["location"] for ev in art.events}
    assert set(locs["v1"]) == KEYS | {"entity", "how", "evidence"}
    # في حلب in the event's sentence
    assert (locs["v1"]["how"], locs["v1"]["entity"], locs["v1"]["name"]) == ("sentence", "e3", "Aleppo")
    assert art.text[slice(*locs["v1"]["evidence"])] == "حلب"
    # nothing in the sentence: the report's dateline
    assert (locs["v2"]["how"], locs["v2"]["name"], locs["v2"]["entity"]) == ("dateline", "Beirut", "e1")
    assert art.text[slice(*locs["v2"]["evidence"])] == "بيروت"


def test_actor_country_when_nothing_else():
    art = GeoStage()(no_dateline_article())
    loc = art.events[0].attrs["location"]
    assert (loc["how"], loc["country_iso3"], loc["feature_code"], loc["entity"]) == (
        "actor-country",
        "TUR",
        "PCLI",
        "e4",
    )


def test_stage_keeps_everything_else():
    before = hand_article()
    after = GeoStage()(before)
    assert after.text == before.text and after.layers == before.layers
    assert [(e.id, e.name, e.mentions) for e in after.entities] == [
        (e.id, e.name, e.mentions) for e in before.entities
    ]
    assert [(v.id, v.type, v.source, v.target, v.evidence) for v in after.events] == [
        (v.id, v.type, v.source, v.target, v.evidence) for v in before.events
    ]


@pytest.mark.slow
def test_default_pipeline_locates_and_resolves():
    import marsad

    art = marsad.analyze(TEXTS[0], source="geo-test")
    places = {e.attrs["geo"]["name"] for e in art.entities if "geo" in e.attrs}
    assert "Eastern Ghouta" in places or "Damascus" in places, places
    for e in art.entities:
        if e.type in ("GPE", "LOC") and "geo" in e.attrs:
            assert set(e.attrs["geo"]) == KEYS
    for ev in art.events:
        loc = ev.attrs.get("location")
        assert loc is None or loc["how"] in ("sentence", "dateline", "actor-country")


def test_index_loads_when_the_pipeline_is_built_not_in_a_document():
    import pickle

    st = build_stages(upto="geo")[-1]
    assert st._gaz is not None
    clone = pickle.loads(pickle.dumps(st))  # what an executor sends a worker: the stage without its index
    assert clone._gaz is None and clone.gaz is st.gaz  # loaded once per process


def test_a_name_starting_with_ba_is_not_a_clitic():
    from marsad.geo.gazetteer import load_gazetteer
    from marsad.geo.stage import _is_clitic_b

    gaz = load_gazetteer()
    uk, syria = gaz.country("GBR"), gaz.country("SYR")
    assert not _is_clitic_b("بريطانيا", uk)
    assert _is_clitic_b("بسوريا", syria)


def test_a_capital_entity_used_as_an_actor_gets_its_state_and_keeps_the_city_per_mention():
    from marsad.data import Article, Entity, Span

    text = "وفرضت واشنطن عقوبات جديدة على الشركات."
    start = text.index("واشنطن")
    ent = Entity("e1", "GPE", "Washington", (Span(start, start + len("واشنطن")),), country="USA")
    body = Span(0, len(text), "body")
    art = Article(id="geo-meto", text=text, source="test", body=text,
                  layers={"sentences": (Span(0, len(text)),), "body": (body,)}, entities=(ent,))  # fmt: skip
    out = GeoStage()(art).entities[0]
    assert out.attrs["geo"]["feature_code"] == "PCLI" and out.attrs["geo"]["country_iso3"] == "USA"
    assert out.attrs["geo_mentions"][0]["name"] == "Washington"  # the mention itself still names the city
