"""Coreference spans: surnames, counterpart titles, groups (both parties) and من جانبه pronouns."""

from __future__ import annotations

from marsad.data import Article
from marsad.entities.stage import build_stage
from marsad.lang.ar.sentences import split_sentences

TEXT = (
    "أجرى وزير الخارجية الصيني وانغ يي اتصالا هاتفيا مع نظيره الروسي سيرغي لافروف، وبحث الجانبان العلاقات بين "
    "الصين وروسيا. وقال وانغ إن البلدين شريكان. من جانبه، أكد لافروف أن موسكو تدعم التعاون."
)


def analyse(text: str) -> Article:
    art = Article.new(text).with_layers(sentences=split_sentences(text))
    out = build_stage(use_ner=False)(art)
    assert isinstance(out, Article)
    return out


def by_name(art: Article) -> dict[str, str]:
    return {e.name: e.id for e in art.entities}


def corefs(art: Article, kind: str) -> list[tuple[str, list[str]]]:
    return [
        (art.text[s.start : s.end], list(s.attrs["entity"]))
        for s in art.layer("coref")
        if s.attrs["kind"] == kind
    ]


def test_surname_and_family_name_join_the_full_name():
    art = analyse(TEXT)
    ids = by_name(art)
    wang = art.entity(ids["Wang Yi"])
    lavrov = art.entity(ids["Sergey Lavrov"])
    assert wang is not None and lavrov is not None
    assert {art.text[m.start : m.end] for m in wang.mentions} == {"وانغ يي", "وانغ"}
    assert {art.text[m.start : m.end] for m in lavrov.mentions} == {"سيرغي لافروف", "لافروف"}


def test_counterpart_title_points_to_the_named_person():
    art = analyse(TEXT)
    assert ("نظيره الروسي", [by_name(art)["Sergey Lavrov"]]) in corefs(art, "title")


def test_groups_point_to_both_parties():
    art = analyse(TEXT)
    ids = by_name(art)
    groups = dict(corefs(art, "group"))
    assert set(groups["الجانبان"]) == {ids["Wang Yi"], ids["Sergey Lavrov"]}
    assert set(groups["البلدين"]) == {ids["China"], ids["Russia"]}


def test_min_janibihi_is_the_person_named_after_it():
    art = analyse(TEXT)
    assert ("من جانبه", [by_name(art)["Sergey Lavrov"]]) in corefs(art, "pronoun")


def test_pronoun_falls_back_to_the_last_person():
    art = analyse("استقبل الرئيس المصري عبد الفتاح السيسي الوفد. من جانبه، شدد على أهمية التعاون.")
    assert corefs(art, "pronoun") == [("من جانبه", [by_name(art)["Abdel Fattah el-Sisi"]])]


def test_coref_spans_slice_the_text_and_name_existing_entities():
    art = analyse(TEXT)
    ids = {e.id for e in art.entities}
    for s in art.layer("coref"):
        assert 0 <= s.start < s.end <= len(art.text)
        assert set(s.attrs["entity"]) <= ids
        assert s.attrs["kind"] in {"title", "surname", "group", "pronoun", "descriptor"}


def test_capital_as_government_metonym_joins_the_country():
    art = analyse(TEXT)
    russia = art.entity(by_name(art)["Russia"])
    assert russia is not None
    assert "موسكو" in {art.text[m.start : m.end] for m in russia.mentions}
    assert russia.attrs.get("metonym") is True


def test_group_prefers_the_countries_named_just_before():
    text = (
        "زار وزير الخارجية الإيراني محمد جواد ظريف باريس. وقال ظريف إن إيران ملتزمة بالاتفاق. "
        "وانتقد ظريف الدعم الذي قدمه الغرب للعراق في الحرب التي دارت بين البلدين."
    )
    art = analyse(text)
    ids = by_name(art)
    groups = dict(corefs(art, "group"))
    assert set(groups["البلدين"]) == {ids["Iran"], ids["Iraq"]}


def test_bare_head_is_the_body_named_with_it_before():
    art = analyse("أعلنت حركة حماس رفضها للخطة الجديدة. وقالت الحركة في بيان إن الخطة لن تمر.")
    assert ("الحركة", [by_name(art)["Hamas"]]) in corefs(art, "descriptor")


def test_bare_head_needs_a_body_introduced_with_that_head():
    # the article names no body with the head مفوضية: a bare المفوضية is not the UN it once stood beside
    art = analyse("دعت مفوضية الأمم المتحدة إلى الهدوء. ورحبت الحكومة بما قالته المفوضية.")
    assert all(text != "المفوضية" for text, _ in corefs(art, "descriptor"))


def test_a_longer_definite_name_is_not_the_bare_head():
    art = analyse("أعلنت حركة حماس رفضها للخطة. وقالت الحركة الوطنية إن الخطة لن تمر.")
    assert all(not text.startswith("الحركة") for text, _ in corefs(art, "descriptor"))


def test_the_latter_is_the_last_person_named_and_not_an_adjective():
    art = analyse(
        "التقى الرئيس الأمريكي دونالد ترامب نظيره الفرنسي إيمانويل ماكرون في الأسبوع الأخير، "
        "وأكد الأخير أن بلاده تدعم الاتفاق."
    )
    assert corefs(art, "descriptor") == [("الأخير", [by_name(art)["Emmanuel Macron"]])]


def test_state_body_and_adjective_stand_for_the_named_state():
    text = "أعلنت تركيا إغلاق المعبر. وذكر شهود أن القوات التركية قصفت مواقع قرب الحدود أمس."
    art = analyse(text)
    state = next(e.id for e in art.entities if e.actor_id == "TUR")
    spans = corefs(art, "descriptor")
    if any(text[m.start : m.end] == "القوات التركية" for e in art.entities for m in e.mentions):
        return  # an entity took the phrase: no descriptor is needed
    assert ("القوات التركية", [state]) in spans


def test_state_body_needs_the_state_named_in_the_article():
    text = "وذكر شهود أن القوات التركية قصفت مواقع قرب الحدود أمس."
    art = analyse(text)
    assert not [s for s in corefs(art, "descriptor") if s[0] == "القوات التركية"]


def test_bare_office_and_country_is_the_one_compatriot_with_that_office_head():
    text = (
        "استقبل وزير الخارجية الألماني هايكو ماس ضيوفه في برلين. "
        "وتحدث الوزير الألماني عن خطط بلاده للعام المقبل."
    )
    art = analyse(text)
    maas = next((e.id for e in art.entities if e.name == "Heiko Maas"), None)
    if maas is None:
        return  # the registry does not hold him: nothing to point to
    assert ("الوزير الألماني", [maas]) in corefs(art, "title")
