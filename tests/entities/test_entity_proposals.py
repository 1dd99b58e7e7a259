"""Candidates the entity stage proposes for the keep/drop model (issue 15): hashtags of several words, a definite
head with a relational adjective, weak-headed genitive chains; and people joined by و kept apart. Made-up
sentences."""

from __future__ import annotations

from marsad.data import Article
from marsad.entities.common import _first_names
from marsad.entities.stage import build_stage
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.sentences import split_sentences


def analyse(text: str, **kw) -> Article:
    art = Article.new(text).with_layers(sentences=split_sentences(text))
    out = build_stage(**kw)(art)
    assert isinstance(out, Article)
    return out


def _by_surface(art: Article) -> dict[str, object]:
    return {art.text[m.start : m.end]: e for e in art.entities for m in e.mentions}


def test_a_hashtag_of_several_words_is_one_name():
    text = "وأصدر #اتحاد_الكتاب_المستقلين بيانا أمس عن معرض الكتاب.\n"
    for kw in ({"use_ner": False}, {"entity_model": False}):  # the rule alone; and with the tagger
        ents = _by_surface(analyse(text, **kw))
        e = ents["اتحاد_الكتاب_المستقلين"]
        assert e.type == "ORG" and not e.attrs.get("rule_drop")  # type: ignore[attr-defined]
        assert not {"اتحاد", "الكتاب_المستقلين", "المستقلين"} & set(ents)
    assert "hashtag" in _by_surface(analyse(text, use_ner=False))["اتحاد_الكتاب_المستقلين"].attrs["source"]  # type: ignore[attr-defined]


def test_head_and_adjective_bodies_are_proposals_only_the_model_keeps():
    text = "وقالت الهيئة الزراعية إن المحصول تراجع، فيما فتحت الشرطة النرويجية تحقيقا في الحادث.\n"
    rules = analyse(text, entity_model=False)
    proposed = analyse(text, entity_model=False, entity_proposals=True)
    assert not {"الهيئة الزراعية", "الشرطة النرويجية"} & set(_by_surface(rules))
    ents = _by_surface(proposed)
    for name in ("الهيئة الزراعية", "الشرطة النرويجية"):
        assert ents[name].type == "ORG" and ents[name].attrs.get("rule_drop")  # type: ignore[attr-defined]
    assert ents["الشرطة النرويجية"].country == "NOR"  # type: ignore[attr-defined]


def test_a_weak_head_and_its_genitive_is_a_proposal():
    text = "وأصدرت هيئة المياه والزراعة تقريرا عن الجفاف في المنطقة.\n"
    assert "هيئة المياه" not in _by_surface(analyse(text, entity_model=False))
    e = _by_surface(analyse(text, entity_model=False, entity_proposals=True))["هيئة المياه"]
    assert e.type == "ORG" and e.attrs.get("rule_drop")  # type: ignore[attr-defined]


def test_a_given_name_before_a_name_after_the_conjunction_is_not_taken_in():
    assert normalize("جون") in _first_names()
    st = build_stage(entity_model=False)
    for text, joined in (("وقال جون هاريسون إن الاتفاق صامد.\n", True), ("والتقى جون وهاريسون في المدينة.\n", False)):
        art = Article.new(text).with_layers(sentences=split_sentences(text))
        unit = st._units(art)[0]
        k = next(i for i, t in enumerate(unit.tokens) if t.text.endswith("هاريسون"))
        m = st._ner_mention(0, unit, k, k + 1, "PER")
        assert m is not None
        assert (m.tok0 == k - 1) is joined  # the tagger left the given name out / a second person after و
