"""How the entities stage cuts the tagger's spans (issue 15): a person span run over a conjunction becomes one
mention per name, a foreign name loses its country adjective, and a currency after a number is money, not a club.
The tagger's labels are given here, so the tests check the span rules alone. Sentences are written for these tests."""

from __future__ import annotations

import pytest

from marsad.data import Article
from marsad.entities.common import article_units
from marsad.entities.stage import _coordinated, build_stage
from marsad.lang.ar.sentences import split_sentences


@pytest.fixture(scope="module")
def stage():
    return build_stage(use_ner=False)


def unit_of(text: str):
    art = Article.new(text).with_layers(sentences=split_sentences(text))
    (unit,) = article_units(art)
    return unit


def span(unit, words: str) -> tuple[int, int]:
    toks = [t.text for t in unit.tokens]
    ws = words.split()
    for i in range(len(toks) - len(ws) + 1):
        if toks[i : i + len(ws)] == ws:
            return i, i + len(ws)
    raise AssertionError(words)


def texts(unit, pieces) -> list[str]:
    return [" ".join(t.text for t in unit.tokens[a:b]) for a, b in pieces]


@pytest.mark.parametrize(
    ("sentence", "tagged", "names"),
    [
        # two names of two words each
        (
            "وحضر الاجتماع روبرت هاريس وتوماس كلاين أمس.",
            "روبرت هاريس وتوماس كلاين",
            ["روبرت هاريس", "وتوماس كلاين"],
        ),
        # و + the article starts the next name
        (
            "والتقى الأمير فيصل بن خالد والوليد بن سعد.",
            "فيصل بن خالد والوليد بن سعد",
            ["فيصل بن خالد", "والوليد بن سعد"],
        ),
        # a foreign surname that begins with و after one given name is one name
        ("وقال جافين ويلسون إن الخطة جاهزة.", "جافين ويلسون", ["جافين ويلسون"]),
        # a given name that begins with و is part of the name
        ("وقال محمد وليد الكردي إن الخطة جاهزة.", "محمد وليد الكردي", ["محمد وليد الكردي"]),
    ],
)
def test_person_span_over_a_conjunction(sentence, tagged, names):
    unit = unit_of(sentence)
    assert texts(unit, _coordinated(unit, *span(unit, tagged))) == names


def test_second_name_after_the_conjunction_is_a_mention_without_it(stage):
    unit = unit_of("وحضر الاجتماع روبرت هاريس وتوماس كلاين أمس.")
    a, b = span(unit, "روبرت هاريس وتوماس كلاين")
    labels = ["O"] * len(unit.tokens)
    labels[a:b] = ["B-PER"] + ["I-PER"] * (b - a - 1)
    ms = stage._ner_spans(0, unit, labels)
    text = "وحضر الاجتماع روبرت هاريس وتوماس كلاين أمس."
    assert [text[m.start - unit.start : m.end - unit.start] for m in ms] == ["روبرت هاريس", "توماس كلاين"]


@pytest.mark.parametrize(
    ("sentence", "tagged", "typ", "kept"),
    [
        ("وضرب الإعصار مدينة ساراسوتا الأمريكية أمس.", "ساراسوتا الأمريكية", "LOC", "ساراسوتا"),
        ("وأعلنت شركة كارفيلد البريطانية أرباحها.", "كارفيلد البريطانية", "ORG", "كارفيلد"),
        # a head noun's adjective is part of the name; so is one after a definite name
        (
            "وقالت وكالة الأنباء السعودية إن الوفد وصل.",
            "وكالة الأنباء السعودية",
            "ORG",
            "وكالة الأنباء السعودية",
        ),
        ("وفاز الهلال السعودي على ضيفه أمس.", "الهلال السعودي", "ORG", "الهلال السعودي"),
    ],
)
def test_country_adjective_after_a_foreign_name(stage, sentence, tagged, typ, kept):
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), typ)
    assert m is not None and sentence[m.start - unit.start : m.end - unit.start] == kept


def test_currency_after_a_number_is_money_not_a_name(stage):
    unit = unit_of("وبلغ ثمن السيارة المستعملة 120 ألف ريال أمس.")
    assert stage._ner_mention(0, unit, *span(unit, "ريال"), "ORG") is None
    unit = unit_of("وقد بيع الرغيف بريال واحد أمس.")
    assert stage._ner_mention(0, unit, *span(unit, "بريال"), "ORG") is None
    unit = unit_of("وفاز ريال مدريد على ضيفه أمس.")
    m = stage._ner_mention(0, unit, *span(unit, "ريال مدريد"), "ORG")
    assert m is not None and m.tok1 - m.tok0 == 2


# -- places the tagger missed, and bodies named after a city -------------------------------------------------------
def found(stage, text: str) -> dict[str, tuple[str, str | None]]:
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    return {text[m.start : m.end]: (e.type, e.country) for e in art.entities for m in e.mentions}


def test_town_after_a_locative_preposition(stage):
    from marsad.entities.common import _place_gazetteer

    if _place_gazetteer() is None:
        pytest.skip("the geo gazetteer is not installed")
    ents = found(stage, "وخرجت مظاهرات غاضبة في الديوانية مساء أمس احتجاجا على انقطاع الكهرباء.")
    assert ents["الديوانية"] == ("GPE", "IRQ")
    # a noun with its pronoun, or a word of the common vocabulary, after في is no town
    ents = found(stage, "وقال الرجل إنه كان في منزله عندما سمع صوت الانفجار في الحال.")
    assert not any(t in ("GPE", "LOC") for t, _ in ents.values())
    # a definite word after the name makes it a phrase
    ents = found(stage, "وتقع الديوانية الجديدة في الجهة المقابلة من النهر.")
    assert "الجهة" not in ents


def test_police_of_a_city_is_one_body(stage):
    ents = found(stage, "وقالت شرطة مدينة بوسطن إن التحقيق مستمر في الحادث.")
    assert ents["شرطة مدينة بوسطن"][0] == "ORG"


def test_a_name_the_tagger_started_twice_is_one_name(stage):
    from marsad.entities.stage import _join_split_names

    unit = unit_of("وزار الوفد مدينة كوتا كينابالو أمس.")
    a, b = span(unit, "كوتا كينابالو")
    labels = ["O"] * len(unit.tokens)
    labels[a], labels[a + 1] = "B-LOC", "B-LOC"
    assert _join_split_names(unit, labels, stage.registry)[a:b] == ["B-LOC", "I-LOC"]
    # a middle name the tagger left out between two halves of a person's name
    unit = unit_of("واستقال رئيس الوزراء تاديسي مريام بيكيلي أمس.")
    a, b = span(unit, "تاديسي مريام بيكيلي")
    labels = ["O"] * len(unit.tokens)
    labels[a], labels[a + 2] = "B-PER", "B-PER"
    assert _join_split_names(unit, labels, stage.registry)[a:b] == ["B-PER", "I-PER", "I-PER"]
    # two places of a list, or a head noun before its place, stay apart
    unit = unit_of("وقصفت الطائرات الكرمة الصالحية ومدينة حمص.")
    labels = ["O"] * len(unit.tokens)
    a, _ = span(unit, "الكرمة")
    labels[a], labels[a + 1] = "B-LOC", "B-LOC"
    assert _join_split_names(unit, labels, stage.registry)[a + 1] == "B-LOC"


def test_a_direction_with_a_preposition_ends_a_place_name(stage):
    unit = unit_of("وقتل عشرة أشخاص في مدينة كويتا بشرق باكستان.")
    m = stage._ner_mention(0, unit, *span(unit, "كويتا بشرق"), "LOC")
    assert m is not None and m.tok1 - m.tok0 == 1


def test_a_given_name_before_a_registry_surname_names_someone_else(stage):
    unit = unit_of("وقالت سارة ترامب إن العائلة ستحضر الحفل.")
    reg = stage._registry_matches(0, unit)
    assert [r.type for r in reg] == ["PER"]  # ترامب: the registry's Donald Trump
    ner = [stage._ner_mention(0, unit, *span(unit, "سارة ترامب"), "PER")]
    merged = stage._merge(unit, reg, ner)
    assert [(m.tok1 - m.tok0, m.actor_id) for m in merged] == [(2, None)]
    # the registry person's own given name keeps the match (دونالد ترامب is the registry's)
    unit = unit_of("وقال دونالد ترامب إن العائلة ستحضر الحفل.")
    reg = stage._registry_matches(0, unit)
    ner = [stage._ner_mention(0, unit, *span(unit, "دونالد ترامب"), "PER")]
    assert all(m.actor_id for m in stage._merge(unit, reg, ner))


def test_a_registry_name_after_a_generic_head_is_the_name_alone(stage):
    text = "وقالت صحيفة نيويورك تايمز إن المفاوضات ستستأنف الأسبوع المقبل."
    unit = unit_of(text)
    (m,) = stage._registry_matches(0, unit)
    assert text[m.start : m.end] == "نيويورك تايمز" and m.actor_id


# -- Arabic names whose words are also nouns, adjectives; party names ------------------------------------------------
def test_definite_family_name_after_an_arabic_given_name(stage):
    ents = found(stage, "وقال العقيد نايف الهدلاني، المتحدث باسم الشرطة، إن التحقيق مستمر.")
    assert ents.get("نايف الهدلاني", ("",))[0] == "PER"
    # a given name that is also a common word (أمل: hope) before a definite noun is the noun phrase
    ents = found(stage, "وأعرب المسؤول عن أمل الحكومة في التوصل إلى اتفاق قريبا.")
    assert not any(t == "PER" for t, _ in ents.values())
    # nor is a weekday after a name part of it
    ents = found(stage, "وقال نايف الخميس إن التحقيق مستمر.")
    assert "نايف الخميس" not in ents


def test_given_name_that_is_also_a_nisba_opens_the_tagged_name(stage):
    assert _person_width(stage, "وكان العقيد تركي الهدلاني قد أعلن الخبر.", "تركي الهدلاني") == 2
    # a nisba after a title is still no name: الرئيس التركي فلان keeps only the name
    assert _person_width(stage, "وقال الرئيس التركي رجب فلانوغلو إن الخطة جاهزة.", "التركي رجب فلانوغلو") == 2


def _person_width(stage, sentence: str, tagged: str) -> int | None:
    """Words in the person mention the stage makes of the tagger's span ``tagged`` in ``sentence`` (None: none)."""
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), "PER")
    return None if m is None else m.tok1 - m.tok0


def test_definite_title_or_nisba_after_a_name_is_its_family_name(stage):
    # فلان الشيخ، فلان الشاعر، فلان التركي: the tagger's person span ends on the family name, which is also a title
    for sentence, tagged in (
        ("وقال المتحدث نايف الشيخ إن التحقيق مستمر.", "نايف الشيخ"),
        ("وكتبت الإعلامية هالة الشاعر مقالا عن الأزمة.", "هالة الشاعر"),
        ("وأعلن العقيد سالم التركي والقائد الميداني الخبر.", "سالم التركي"),
    ):
        assert _person_width(stage, sentence, tagged) == 2, sentence
    # a title with its own nisba after it is about someone else (كريم addresses the French ambassador)
    assert _person_width(stage, "وانتقد كريم السفير الفرنسي في خطابه أمس.", "كريم السفير") == 1


def test_a_given_name_that_is_also_a_noun_after_a_title_or_comma_opens_the_name(stage):
    # إيمان (faith), سلام (peace): after a title, a nationality or a comma, the tagger's first word is the given name
    for sentence, tagged in (
        ("وأكدت الناشطة الحقوقية، إيمان الزيدي، أن الحملة مستمرة.", "إيمان الزيدي"),
        ("وسجل المهاجم العراقي سلام كاظمي هدف الفوز.", "سلام كاظمي"),
        ("وتأهل المصري هشام فوزي والسوري سلام الزعبي إلى النهائي.", "سلام الزعبي"),  # the nationality after و
    ):
        assert _person_width(stage, sentence, tagged) == 2, sentence
    # after a reporting verb the noun is the person's relation, not a name (the lawyer of Forster)
    assert _person_width(stage, "وقالت محامية فورستر إن موكلها بريء.", "محامية فورستر") == 1


def test_a_given_name_before_a_surname_that_is_a_common_word_vouches_for_it(stage):
    # the tagger found only بدوي (a Bedouin): سامي before it makes it a surname, and the name takes it in
    unit = unit_of("وقال الناشط سامي بدوي إن الحملة مستمرة.")
    m = stage._ner_mention(0, unit, *span(unit, "بدوي"), "PER")
    assert m is not None and (m.tok0, m.tok1) == span(unit, "سامي بدوي")
    # without a given name before it the common word stays no name
    unit = unit_of("ويعيش بدوي الصحراء في خيمة.")
    assert stage._ner_mention(0, unit, *span(unit, "بدوي"), "PER") is None


def test_a_country_after_led_by_or_a_feminine_noun_is_the_country(stage):
    # an indefinite noun takes no definite adjective: السعودية after it is the country, whatever its gender; and
    # برئاسة / بقيادة (chaired by, led by) opens no presidency or command named after the country
    for sentence in ("وعقد المجلس اجتماعا طارئا برئاسة الكويت أمس.", "وتشارك عشر دول في العملية بقيادة الكويت.",
                     "ورحب بالمبادرة التي أطلقتها السعودية أمس."):
        ents = found(stage, sentence)
        assert any(t == "GPE" for t, _ in ents.values()), sentence
        assert not any(k.startswith(("رئاسة", "قيادة")) for k in ents), sentence


def test_a_body_named_by_its_head_and_adjective_takes_its_field_in(stage):
    # the tagger stopped at الاتحاد الدولي: the ل-genitive of its field is part of the name
    unit = unit_of("وطالب الاتحاد الدولي للصحفيين بالإفراج عن المصور.")
    m = stage._ner_mention(0, unit, *span(unit, "الاتحاد الدولي"), "ORG")
    assert m is not None
    stage._body_tails(0, unit, [m])
    assert (m.tok0, m.tok1) == span(unit, "الاتحاد الدولي للصحفيين")
    # not "for the first time", not over another name, not over the country's adjective
    for sentence, tagged, other in (
        ("وفاز الاتحاد الدولي للمرة الثانية بالجائزة.", "الاتحاد الدولي", None),
        ("واستقبلت الشركة الوطنية للأمم المتحدة وفدا.", "الشركة الوطنية", "للأمم المتحدة"),
    ):
        unit = unit_of(sentence)
        m = stage._ner_mention(0, unit, *span(unit, tagged), "ORG")
        have = [m] + ([stage._registry_matches(0, unit)[0]] if other else [])
        stage._body_tails(0, unit, have)
        assert (m.tok0, m.tok1) == span(unit, tagged), sentence


def test_a_name_after_a_place_head_is_a_place(stage):
    # the tagger took a foreign place for a person: after an indefinite place head it is a place
    for sentence, tagged in (
        ('ووقع الحادث في بلدة "بورتو فيردي" شمالي البلاد.', "بورتو فيردي"),
        ("وضربت العاصفة ولاية تاماكوليا الساحلية.", "تاماكوليا"),
    ):
        unit = unit_of(sentence)
        m = stage._ner_mention(0, unit, *span(unit, tagged), "PER")
        assert m is not None and m.type == "LOC", sentence
    # a place named after a person keeps the tagger's reading (a given name or a title opens the name)
    unit = unit_of("وافتتح المستشفى في مدينة سلمان فلانوف الطبية.")
    m = stage._ner_mention(0, unit, *span(unit, "سلمان فلانوف"), "PER")
    assert m is not None and m.type == "PER"


def test_a_citys_club_traffic_police_and_municipality(stage):
    ents = found(stage, "وأعلنت بلدية الموصل أن مرور دبي ونادي بيروت شاركوا في الحملة.")
    for name, country in (("بلدية الموصل", "IRQ"), ("مرور دبي", "ARE"), ("نادي بيروت", "LBN")):
        assert ents[name][0] == "ORG", name
        if country:
            assert ents[name][1] == country, name


def test_a_quoted_name_after_an_organisation_head_is_the_organisation(stage):
    for sentence, tagged in (('وقالت شركة "فلوريان تيك" إنها ستوسع أعمالها.', "فلوريان تيك"),
                             ("وفاز حزب «نوفا ليبرتا» في الانتخابات المحلية.", "نوفا ليبرتا")):
        unit = unit_of(sentence)
        for typ in ("PER", "MISC", "LOC"):
            m = stage._ner_mention(0, unit, *span(unit, tagged), typ)
            assert m is not None and m.type == "ORG", (sentence, typ)
    # not without the quotes around the whole name
    unit = unit_of("وقالت شركة فلوريان تيك إنها ستوسع أعمالها.")
    m = stage._ner_mention(0, unit, *span(unit, "فلوريان تيك"), "PER")
    assert m is not None and m.type == "PER"


def test_a_natural_features_head_is_part_of_its_name(stage):
    unit = unit_of("وعبر اللاجئون نهر بارونا سباحة.")
    m = stage._ner_mention(0, unit, *span(unit, "بارونا"), "LOC")
    assert m is not None
    stage._headed_names(0, unit, [m])
    assert (m.tok0, m.tok1) == span(unit, "نهر بارونا")
    # an organisation after the same word is left alone: the rule reads places only
    unit = unit_of("وعبر اللاجئون نهر بارونا سباحة.")
    m = stage._ner_mention(0, unit, *span(unit, "بارونا"), "ORG")
    assert m is not None and m.type == "ORG"
    stage._headed_names(0, unit, [m])
    assert (m.tok0, m.tok1) == span(unit, "بارونا")


def test_party_name_without_its_description(stage):
    ents = found(stage, "وقال حزب النهضة والإصلاح المعارض إنه سيقاطع الجلسة.")
    assert ents.get("حزب النهضة والإصلاح", ("",))[0] == "ORG"
    ents = found(stage, "واتهم حزب الاستقلال الحاكم خصومه بالتزوير.")
    assert ents.get("حزب الاستقلال", ("",))[0] == "ORG"


def test_governorate_head_is_part_of_the_place_name(stage):
    from marsad.entities.common import _place_gazetteer

    ents = found(stage, "وشنت الطائرات غارات على مواقع في محافظة إدلب أمس.")
    assert ents.get("محافظة إدلب", ("",))[0] == "GPE" and "إدلب" not in ents
    if _place_gazetteer() is None:
        pytest.skip("the geo gazetteer is not installed")
    # a word that is also an adjective names a governorate after the head, in a story about its country
    ents = found(stage, "وقتل ثلاثة مدنيين في محافظة البيضاء وسط اليمن أمس.")
    assert ents.get("محافظة البيضاء") == ("GPE", "YEM")
    # …not in a story about another country, nor after a head that is no administrative division
    ents = found(stage, "واشترى الرجل سيارة في مدينة البيضاء الجديدة أمس.")
    assert "مدينة البيضاء" not in ents


@pytest.mark.parametrize(
    ("sentence", "word", "typ"),
    [
        ("وجرت الانتخابات في أبريل/نيسان الماضي.", "نيسان", "ORG"),  # a month
        ("وقالت الوزارة إن القرار نهائي.", "الوزارة", "ORG"),  # a bare head: the body named before
        ("وتظاهر الفلسطينيون أمام المقر أمس.", "الفلسطينيون", "ORG"),  # a people
        ("وقاطع الشيعة الاجتماع أمس.", "الشيعة", "ORG"),  # a sect
        ("وبثت قناة بي الخبر أمس.", "بي", "ORG"),  # a letter of a spelled-out name
    ],
)
def test_words_that_name_no_organisation(stage, sentence, word, typ):
    unit = unit_of(sentence)
    assert stage._ner_mention(0, unit, *span(unit, word), typ) is None


def test_a_month_after_a_locative_preposition_is_no_town(stage):
    ents = found(stage, "ووقع الهجوم في نيسان من العام الماضي.")
    assert "نيسان" not in ents


def test_dateline_town_before_its_country(stage):
    text = "أتلانتا، الولايات المتحدة الأمريكية (CNN)-- حذر مسؤولون من عاصفة قوية."
    unit = unit_of(text)
    tagged = stage._ner_mention(0, unit, 0, 1, "ORG")
    reg = stage._registry_matches(0, unit)
    assert tagged is not None and any(m.tok0 == 2 for m in reg)
    stage._dateline_place(0, unit, [tagged, *reg])
    assert (tagged.type, tagged.country) == ("GPE", "USA")
    # an untagged town is found; a comma that closes no dateline is left alone
    assert [m.type for m in stage._dateline_place(0, unit, reg)] == ["GPE"]
    unit = unit_of("وقال المتحدث، الولايات المتحدة لن تتراجع.")
    assert stage._dateline_place(0, unit, stage._registry_matches(0, unit)) == []


def test_dateline_town_before_a_colon(stage):
    from marsad.entities.common import _place_gazetteer

    if _place_gazetteer() is None:
        pytest.skip("the GeoNames index is not available")
    unit = unit_of("سامي العلي - واس - ينبع: افتتح المحافظ المعرض السنوي للكتاب.")
    (m,) = stage._dateline_colon(0, unit, [])
    assert (m.type, m.country, unit.tokens[m.tok0].text) == ("GPE", "SAU", "ينبع")
    # a colon after a quote's speaker is no dateline
    unit = unit_of("وقال الوزير - في كلمته: إن العمل مستمر.")
    assert stage._dateline_colon(0, unit, []) == []


def test_a_registry_surname_takes_its_given_name_in_another_spelling(stage):
    # the registry writes سيرغي لافروف; the text's سيرغيه لافروف is his full name, not the surname alone
    ents = found(stage, "وطلب وزير الخارجية الروسي سيرغيه لافروف تأجيل الجلسة.")
    assert "سيرغيه لافروف" in ents and ents["سيرغيه لافروف"][0] == "PER"
    # another given name before the surname is not taken in
    ents = found(stage, "وطلب النائب ميشال لافروف تأجيل الجلسة.")
    assert "ميشال لافروف" not in ents


def test_tournament_name_starts_at_its_cup(stage):
    sentence = "وانطلقت بطولة كأس القارات الثالثة أمس."
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, "بطولة كأس القارات الثالثة"), "MISC")
    assert m is not None and sentence[m.start - unit.start : m.end - unit.start] == "كأس القارات الثالثة"


def test_facilities_named_after_a_king_or_by_a_foreign_word(stage):
    ents = found(stage, "وأغلقت السلطات جسر الملك خالد أمام السيارات أمس.")
    assert ents.get("جسر الملك خالد", ("",))[0] == "LOC"
    ents = found(stage, "وهبطت الطائرات في قاعدة زاركانيم العسكرية أمس.")
    assert ents.get("قاعدة زاركانيم", ("",))[0] == "LOC"
    # a road's common word, and the body that runs a bridge, are not facilities
    ents = found(stage, "ووصلت المفاوضات إلى طريق مسدود أمس.")
    assert not any(k.startswith("طريق") for k in ents)
    ents = found(stage, "وقالت قاعدة عائداتها إن الأمر انتهى.")
    assert not any(k.startswith("قاعدة") for k in ents)


@pytest.mark.parametrize(
    ("sentence", "tagged", "kept"),
    [
        # a person named right after a body, or after a title inside its span, is not part of its name
        # (the bare head left is no name at all)
        ("وقال سفير فرنسا لدى المنظمة بيتر هاريس إن الخطة جاهزة.", "المنظمة بيتر هاريس", None),
        ("وقال رئيس هيئة كبار العلماء الشيخ عبدالله فلان إن الخطة جاهزة.", "هيئة كبار العلماء الشيخ عبدالله فلان",
         "هيئة كبار العلماء"),
        # an indefinite common word after a definite name goes on the sentence
        ("وبدأ الهلال تحضيراته للموسم الجديد.", "الهلال تحضيراته", "الهلال"),
        # a body named after a king keeps his name
        ("وقال رئيس جامعة الملك خالد إن الخطة جاهزة.", "جامعة الملك خالد", "جامعة الملك خالد"),
    ],
)
def test_organisation_span_ends_where_its_name_does(stage, sentence, tagged, kept):
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), "ORG")
    assert (m and sentence[m.start - unit.start : m.end - unit.start]) == kept


def test_forces_of_a_named_body_are_named_by_the_body(stage):
    ents = found(stage, "وتمكنت قوات كتائب الفرقان من السيطرة على المدينة أمس.")
    assert "قوات كتائب الفرقان" not in ents
    assert ents.get("كتائب الفرقان", ("",))[0] == "ORG"
    unit = unit_of("وتمكنت قوات كتائب الفرقان من السيطرة على المدينة أمس.")
    m = stage._ner_mention(0, unit, *span(unit, "قوات كتائب الفرقان"), "ORG")
    assert m is not None and m.tok0 == span(unit, "كتائب الفرقان")[0]


def test_dual_place_head_opens_the_first_name(stage):
    from marsad.entities.common import _place_gazetteer

    if _place_gazetteer() is None:
        pytest.skip("the geo gazetteer is not installed")
    ents = found(stage, "وخرجت احتجاجات في مدينتي الديوانية والسماوة جنوب العراق أمس.")
    assert any(k.endswith("الديوانية") and v[0] == "GPE" for k, v in ents.items())


def test_national_branch_of_an_international_body(stage):
    text = "وقالت جمعية الصليب الأحمر الكينية إن فرقها وصلت إلى المنطقة."
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    branch = [e for e in art.entities if any(text[m.start : m.end] == "جمعية الصليب الأحمر الكينية" for m in e.mentions)]
    assert branch and branch[0].type == "ORG" and branch[0].country == "KEN"
    assert branch[0].actor_id != "org:icrc"
    # the body named alone is still the international one
    text = "وقالت الصليب الأحمر إن فرقها وصلت إلى المنطقة."
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    assert any(e.actor_id == "org:icrc" for e in art.entities)


def test_hashtag_joins_an_institution_and_its_nisba(stage):
    text = "وتمكن #الجيش_الليبي من السيطرة على المدينة أمس."
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    hits = [e for e in art.entities if any("الجيش_الليبي" in text[m.start : m.end] for m in e.mentions)]
    assert hits and hits[0].type == "ORG" and hits[0].country == "LBY"


@pytest.mark.parametrize(
    ("sentence", "tagged", "name"),
    [
        # the tagger found the surname only: و + a given name before it is the second person's given name, also one
        # that is a common word (إيمان: faith)
        ("واعتقلت الشرطة الكاتبة سلمى الحربي وإيمان الزهراني في المدينة.", "الزهراني", "إيمان الزهراني"),
        ("وفاز في السباق خالد العمري وسالم القحطاني أمس.", "وسالم القحطاني", "سالم القحطاني"),
    ],
)
def test_given_name_after_the_conjunction_is_the_second_persons(stage, sentence, tagged, name):
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), "PER")
    assert m is not None and sentence[m.start : m.end] == name


def test_the_preposition_after_the_conjunction_is_no_given_name(stage):
    # وعلى (Egyptian spelling علي) before a surname is the preposition, not Ali
    sentence = "وقال المدرب إن الفريق تعب كثيرا وعلى كونتي أن يجد الحل."
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, "كونتي"), "PER")
    assert m is not None and sentence[m.start : m.end] == "كونتي"


def test_rank_ordinal_is_not_part_of_the_name(stage):
    # رقيب أول فلان: the ordinal belongs to the rank before it
    sentence = "وقتل الرقيب أول سالم عبدالله الحربي في الاشتباك."
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, "أول سالم عبدالله الحربي"), "PER")
    assert m is not None and sentence[m.start : m.end] == "سالم عبدالله الحربي"


@pytest.mark.parametrize(
    ("sentence", "tagged", "name"),
    [
        ('وقتل القيادي سالم الحربي المكنى "أبو علي" في الغارة.', "سالم الحربي المكنى", "سالم الحربي"),
        ("وغادر خالد العمري عقب انتهاء الاجتماع.", "خالد العمري عقب", "خالد العمري"),
    ],
)
def test_a_by_name_or_time_word_ends_the_persons_name(stage, sentence, tagged, name):
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), "PER")
    assert m is not None and sentence[m.start : m.end] == name


def test_a_street_or_race_named_after_a_place_does_not_name_it(stage):
    text = "وانفجرت سيارة في شارع بغداد وسط المدينة، ويستعد الفريق لخوض سباق البحرين."
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    places = {text[m.start : m.end] for e in art.entities if e.type == "GPE" for m in e.mentions}
    assert "بغداد" not in places and "البحرين" not in places
    text = "وانفجرت سيارة في بغداد أمس."
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    assert any(text[m.start : m.end] == "بغداد" for e in art.entities if e.type == "GPE" for m in e.mentions)


@pytest.mark.parametrize(
    ("sentence", "tagged", "name"),
    [
        ("وقال حزب النهضة الموالي للحكومة إنه سيشارك.", "حزب النهضة الموالي", "حزب النهضة"),
        ("وتعمل شركة فالكونا المتفرعة من شركة أم كبرى في المدينة.", "شركة فالكونا المتفرعة", "شركة فالكونا"),
    ],
)
def test_a_participle_with_a_complement_ends_the_bodys_name(stage, sentence, tagged, name):
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), "ORG")
    assert m is not None and sentence[m.start : m.end] == name


def test_persian_compound_surname_left_out_with_its_first_word(stage):
    sentence = "وأكد الوزير كريم نوري رحيم زاده أن التحقيق مستمر."
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, "كريم نوري"), "PER")
    assert m is not None and sentence[m.start : m.end] == "كريم نوري رحيم زاده"


@pytest.mark.parametrize(
    ("sentence", "tagged", "name"),
    [
        ("وقالت الشرطة إن مارتن كوليبر احتجز في المطار أمس.", "مارتن كوليبر احتجز", "مارتن كوليبر"),
        ("وأرسل بيلنغر رسالة إلى الوزارة.", "وأرسل بيلنغر", "بيلنغر"),
        # after بن / أبي a word is a name, whatever it means elsewhere
        ("وتحدث الخطيب عن سعيد بن أبي نال في الدرس.", "سعيد بن أبي نال", "سعيد بن أبي نال"),
    ],
)
def test_a_verb_at_the_edge_of_a_person_span_is_not_the_name(stage, sentence, tagged, name):
    unit = unit_of(sentence)
    m = stage._ner_mention(0, unit, *span(unit, tagged), "PER")
    assert m is not None and sentence[m.start : m.end] == name
