"""A capital named as an actor stands for its state; named as a place it stays the city (marsad.geo.metonymy)."""

from __future__ import annotations

from marsad.geo.metonymy import _is_fem_verb, acts_for_state, roles
from marsad.geo.resolve import Context


def test_subject_of_a_verb_is_the_state(gaz, res):
    for text in ("وقال مسؤولون إن واشنطن ترفض الاتفاق الجديد.",  # SVO after إن
                 "وفرضت واشنطن عقوبات جديدة على الشركات.",  # VSO
                 "وأكد البيان أن #موسكو \"تطالب\" بسحب الاتهامات."):  # fmt: skip
        name = "موسكو" if "موسكو" in text else "واشنطن"
        assert acts_for_state(text, [name], gaz), text
        r = res.resolve([name], Context(), text=text)
        assert r is not None and r.place.is_country and r.place.country_iso3 in ("USA", "RUS"), text


def test_a_place_reading_keeps_the_city(gaz, res):
    for text in ("وصل الوزير إلى واشنطن الليلة الماضية.",
                 "وشهدت موسكو أمس مظاهرة كبيرة.",  # a verb whose subject is where something happens
                 "الوكالة – لندن ارتفعت مبيعات السيارات."):  # a dateline, not a subject  # fmt: skip
        name = next(n for n in ("واشنطن", "موسكو", "لندن") if n in text)
        r = res.resolve([name], Context(), text=text)
        assert r is not None and r.place.feature_code == "PPLC", text
    # without the text the resolver knows no role: the capital
    assert res.resolve(["واشنطن"], Context()).place.feature_code == "PPLC"


def test_more_place_readings_than_actor_readings_keep_the_city(gaz):
    text = "تعتبر طهران الأمر خطيرا. وفي طهران تظاهر الطلاب. وقرب طهران وقع الانفجار."
    assert roles(text, ["طهران"], gaz) == (1, 2)
    assert not acts_for_state(text, ["طهران"], gaz)
    # a headline repeated word for word counts once
    rep = "طهران تودع الضحايا. " * 5 + "وفي طهران حداد. وقرب طهران تجمع."
    assert roles(rep, ["طهران"], gaz) == (1, 2)


def test_feminine_verb_forms_and_what_is_not_one(gaz):
    for w in ("اعتبرت", "وفرضت", "تنتبه", "تنسحب", "ستفرض", "تصر", "تسعى"):
        assert _is_fem_verb(w, gaz), w
    # a plural, a noun in ة, a name the registry or the place index knows, a nisba adjective
    for w in ("قوات", "تسوية", "ترمب", "بيروت", "تركي", "الوقت"):
        assert not _is_fem_verb(w, gaz), w


def test_each_text_is_read_on_its_own_and_keys_of_several_words(gaz):
    """The token index is kept for the last text only: a second text (even an equal copy, or one that differs)
    is read on its own, and a name of two words is found with its clitic on the first word."""
    a = "وفرضت واشنطن عقوبات. وفي واشنطن تظاهر الطلاب."
    b = "وفرضت موسكو عقوبات. وأكدت موسكو أنها ترفض."
    assert roles(a, ["واشنطن"], gaz) == (1, 1)
    assert roles(b, ["واشنطن"], gaz) == (0, 0)
    assert roles(b, ["موسكو"], gaz) == (2, 0)
    assert roles("".join(list(a)), ["واشنطن"], gaz) == (1, 1)  # an equal text, another object
    two = "وقالت مصادر إن بيونغ يانغ ترفض العرض. وفي بيونغ يانغ احتفالات. ويعمل ببيونغ يانغ مصنع."
    assert roles(two, ["بيونغ يانغ"], gaz) == (1, 2)
