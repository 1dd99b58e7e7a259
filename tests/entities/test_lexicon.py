"""Word lists as data: the normalising loader, name heads and news outlets."""

from __future__ import annotations

import pytest

from marsad.entities.lexicon import head_gazetteer, load_heads, load_outlets, outlet_of
from marsad.errors import ConfigError
from marsad.lang.ar.normalize import normalize


def test_heads_are_keyed_like_the_text():
    heads = load_heads()
    # written with ة / أ / ى in the table, found by the normalised token
    assert heads[normalize("وزارة")].kind == "ORG" and heads[normalize("وزارة")].sector == "GOV"
    assert heads[normalize("محافظة")].kind == "PLACE"
    assert heads[normalize("مهرجان")].kind == "EVENT"
    assert all(k == normalize(k) for k in heads)
    assert head_gazetteer()[normalize("جامعة")] == ["hORG"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("وزارة الخارجية\tORG\tGOV\tMinistry\tyes", "not one word"),
        ("وزارة\tTHING\tGOV\tMinistry\tyes", "kind"),
        ("وزارة\tORG\tGOV\tMinistry", "columns"),
        ("\u064e\tORG\t-\tx\tno", "not one word"),
        ("مدينة\tPLACE\t-\tCity\tyes", "complete"),  # a lone fatha normalises to nothing: it could never match
    ],
)
def test_an_entry_that_cannot_match_is_an_error(tmp_path, row, message):
    p = tmp_path / "heads.tsv"
    p.write_text("# test table\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_heads(p)


def test_conflicting_kinds_are_an_error(tmp_path):
    p = tmp_path / "heads.tsv"
    p.write_text("مدينة\tPLACE\t-\tCity\t-\nمدينه\tORG\t-\tCity\tno\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="already a PLACE"):
        load_heads(p)


def test_outlets_by_source_name_or_domain():
    assert outlet_of("okaz").country == "SAU" and outlet_of("okaz").local
    assert outlet_of(None, "https://www.alriyadh.com/1069441").country == "SAU"
    assert outlet_of("", "http://arabic.cnn.com/middle-east/x").country == "USA"
    assert not outlet_of("CNN").local  # international outlets are no prior for the people they name
    assert outlet_of("unknown-site", "https://example.org/a") is None
    assert all(k == k.lower() for k in load_outlets())


def test_a_national_paper_is_a_prior_for_its_people():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    text = ("أعلن مدير التعليم في المنطقة سعد بن فهد الدوسري عن بدء التسجيل للطلاب الجدد في المدارس. "
            "وأضاف الدوسري أن الوزارة تعمل على تحسين الخدمات في الكويت والبحرين بالتعاون مع الجهات المعنية.")
    local = pipe.process(Article.new(text, source="okaz"))
    plain = pipe.process(Article.new(text, source="somewhere"))
    per = next(e for e in local.entities if e.type == "PER")
    assert per.country == "SAU"
    assert next(e for e in plain.entities if e.type == "PER").country != "SAU"


def test_a_reporter_gets_the_outlets_country_not_the_datelines():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    text = ("قالت الحكومة الروسية إنها سترد على العقوبات. ويقول ستيفن روزنبرغ مراسل بي بي سي في موسكو إن "
            "الكرملين يستعد لخطوات جديدة في روسيا.")
    art = pipe.process(Article.new(text))
    per = next(e for e in art.entities if e.type == "PER")
    assert per.country == "GBR" and per.sector == "MED"


def test_place_heads_and_hashtags_complete_places_from_geonames():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    text = ("قصفت الطائرات مواقع في اليمن أمس. وتظاهر سكان #صعدة ضد الحرب في مديرية حيس، "
            "وعبر الناس جسر في المدينة.")
    ents = pipe.process(Article.new(text)).entities
    by_name = {e.name: e for e in ents}
    assert by_name["صعدة"].country == "YEM" and by_name["صعدة"].type == "GPE"
    assert by_name["حيس"].country == "YEM"  # named by the bare name; the mention keeps مديرية as evidence
    assert any(text[m.start : m.end] == "مديرية حيس" for m in by_name["حيس"].mentions)
    assert "في" not in by_name  # a word after a head is no name


def test_the_articles_own_outlet_is_its_source_not_an_actor():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    text = "لندن (بي بي سي) - قالت الحكومة البريطانية إنها ستفرض عقوبات جديدة على روسيا."
    own = pipe.process(Article.new(text, source="BBC"))
    other = pipe.process(Article.new(text, source="CNN"))
    assert "BBC" not in {e.name for e in own.entities}
    assert "BBC" in {e.name for e in other.entities}  # another outlet's credit is still an entity
    assert {s.attrs["entity"] for s in own.layer("mentions")} <= {e.id for e in own.entities}


def test_place_country_from_geonames_and_person_country_from_the_sentence():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    text = ("قالت الكويت إنها سترحب بالعمال. وسافر الوفد إلى بريشيا أمس لحضور المؤتمر. "
            "وقال المسؤول الهندي راجيش كومار إن الاتفاق مع الهند جاهز. وأكدت الكويت أن العمال سيعودون.")
    ents = {e.name: e for e in pipe.process(Article.new(text)).entities}
    assert ents["بريشيا"].country == "ITA"  # GeoNames, not the article's context (Kuwait)
    assert ents["راجيش كومار"].country == "IND"


def test_the_head_noun_decides_a_names_type():
    from marsad.entities.stage import _head_kind
    from marsad.lang.ar.normalize import normalize

    assert _head_kind(normalize("المسجد")) == "PLACE"
    assert _head_kind(normalize("ومطار")) == "PLACE"
    assert _head_kind(normalize("لجامعة")) == "ORG"
    assert _head_kind(normalize("مهرجان")) == "EVENT"
    assert _head_kind(normalize("الأقصى")) is None


def test_a_facility_named_after_its_place_is_a_place_of_its_own():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    art = pipe.process(Article.new("سيطرت القوات على مطار الحديدة أمس، وقالت إن مدينة الحديدة آمنة."))
    ents = {e.name: e for e in art.entities}
    assert ents["مطار الحديدة"].type == "LOC" and ents["مطار الحديدة"].country == "YEM"
    assert "Hodeidah" in ents  # the city keeps its own mention


def test_word_lists_load_normalised_so_every_entry_can_match():
    from marsad.entities.common import _INSTITUTIONS, _MINISTRY_DOMAINS, _ORG_HEADS, _VERBS

    for table in (_INSTITUTIONS, _MINISTRY_DOMAINS, _ORG_HEADS, _VERBS):
        assert all(k == normalize(k) for k in table)
    # written الرئاسه / البيئه / مستشفى in code, these three never matched a normalised token
    assert normalize("الرئاسة") in _INSTITUTIONS and normalize("البيئة") in _MINISTRY_DOMAINS
    assert normalize("مستشفى") in _ORG_HEADS
