"""Latin and Arabic display names (marsad.entities.names and the entity stage's attrs)."""

from __future__ import annotations

import pytest

from marsad.data import Article
from marsad.entities.names import has_arabic, romanize
from marsad.stages import default_pipeline


@pytest.mark.parametrize(
    ("ar", "latin"),
    [
        ("عبدالله الزوري", "Abdullah Al-Zouri"),
        ("عبد الرحمن بن سعيد", "Abdulrahmen bin Said"),
        ("صالح الصماد", "Saleh Al-Samad"),
        ("#خالد_يوسف", "Khaled Yousef"),
    ],
)
def test_rules_give_readable_latin(ar, latin):
    assert romanize(ar, rules_only=True) == latin


def test_latin_names_have_no_arabic_letters():
    for ar in ("مُحَمَّد بن سلمان", "أبو بكر البغدادي", "ژاله آموزگار", "عيسى ـــ المؤمن"):
        out = romanize(ar, rules_only=True)
        assert out and not has_arabic(out) and out[0].isupper(), (ar, out)


def test_every_entity_has_an_arabic_and_a_latin_name():
    pipe = default_pipeline(upto="entities")
    text = ("قال وزير الخارجية الروسي سيرغي لافروف إن موسكو سترد. وأضاف الناشط عبدالكريم الفريحات أن "
            "الفريحات تلقى تهديدات في مدينة درعا.")
    art = pipe.process(Article.new(text))
    assert art.entities
    for e in art.entities:
        assert has_arabic(e.attrs["name_ar"]), e
        assert e.attrs["name_latin"] and not has_arabic(e.attrs["name_latin"]), e
    lavrov = next(e for e in art.entities if e.name == "Sergey Lavrov")
    assert lavrov.attrs["name_latin"] == "Sergey Lavrov"  # a known actor keeps its canonical English name


def test_conjunction_before_a_known_given_name_is_not_part_of_the_name():
    pipe = default_pipeline(upto="entities")
    art = pipe.process(Article.new("وقال المدرب ولويس إنريكي إن الفريق جاهز للمباراة."))
    per = next(e for e in art.entities if e.type == "PER")
    assert per.name == "لويس إنريكي" and per.attrs["name_latin"].startswith("Louis")


def test_person_spans_complete_nasab_and_compound_names_and_skip_conjunctions():
    pipe = default_pipeline(upto="entities")
    text = ("وصل السفير الأمير خالد بن بندر بن سلطان إلى برلين. وقال الداعية فتح الله غولن إن الاتهامات باطلة. "
            "وذكرت المصادر بأن عائلتها غادرت المدينة.")
    names = {e.name for e in pipe.process(Article.new(text)).entities if e.type == "PER"}
    assert not any(n.endswith(" بن") for n in names)
    assert "الله غولن" not in names
    assert not any(n.startswith("بأن") for n in names)
