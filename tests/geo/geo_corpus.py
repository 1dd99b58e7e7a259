"""Articles written for the geo tests (no third-party text): a dateline, places after في / ب, a capital, a
governorate, a curated region, and hand-built records whose layers do not depend on NER quality."""

from __future__ import annotations

from marsad.data import Article, Entity, Event, Span

TEXTS = [
    "دمشق - استقبل الرئيس السوري بشار الأسد وزير الخارجية الإيراني محمد جواد ظريف في دمشق اليوم الأحد.\n"
    "وأعلنت وزارة الدفاع السورية أن وحداتها سيطرت على مواقع جديدة في الغوطة الشرقية بريف دمشق.",
    "القاهرة (وكالات) - استقبل وزير الخارجية المصري سامح شكري نظيره الأردني أيمن الصفدي في القاهرة اليوم الخميس،"
    " وبحث الجانبان تعزيز التعاون بين مصر والأردن.",
    "اتهمت الولايات المتحدة إيران بدعم جماعات مسلحة في اليمن، وقالت روسيا إنها ستبحث الأزمة مع الصين.",
]


def _span(text: str, needle: str, start: int = 0) -> Span:
    i = text.index(needle, start)
    return Span(i, i + len(needle))


def hand_article() -> Article:
    """Entities and events placed by hand: an event whose sentence says في حلب, one with no place in its sentence
    (the dateline answers), and the layers the geo stage reads."""
    text = "بيروت - قال الجيش السوري إنه قصف مواقع في حلب أمس.\nوانتقدت تركيا الحكومة السورية بشدة."
    s1 = Span(0, text.index("\n"))
    s2 = Span(text.index("\n") + 1, len(text))
    ents = (
        Entity("e1", "GPE", "Beirut", (_span(text, "بيروت"),), actor_id="cap:LBN", country="LBN"),
        Entity(
            "e2",
            "ORG",
            "Syrian Army",
            (_span(text, "الجيش السوري"),),
            actor_id=None,
            country="SYR",
            sector="MIL",
        ),
        Entity("e3", "GPE", "Aleppo", (_span(text, "حلب"),), actor_id=None, country="SYR"),
        Entity("e4", "GPE", "Turkey", (_span(text, "تركيا"),), actor_id="TUR", country="TUR"),
        Entity(
            "e5", "ORG", "Syrian government", (_span(text, "الحكومة السورية"),), country="SYR", sector="GOV"
        ),
    )
    evs = (
        Event("v1", "ASSAULT", _span(text, "قصف مواقع في حلب"), source=("e2",), target=()),
        Event("v2", "ACCUSE", _span(text, "وانتقدت تركيا الحكومة السورية"), source=("e4",), target=("e5",)),
    )
    body = Span(0, len(text), "body")
    return Article(
        id="geo-hand",
        text=text,
        source="test",
        body=text,
        layers={"sentences": (s1, s2), "body": (body,)},
        entities=ents,
        events=evs,
    )


def no_dateline_article() -> Article:
    text = "وانتقدت تركيا الحكومة السورية بشدة."
    ents = (
        Entity("e4", "GPE", "Turkey", (_span(text, "تركيا"),), actor_id="TUR", country="TUR"),
        Entity(
            "e5", "ORG", "Syrian government", (_span(text, "الحكومة السورية"),), country="SYR", sector="GOV"
        ),
    )
    evs = (Event("v2", "ACCUSE", Span(0, len(text) - 1), source=("e4",), target=("e5",)),)
    return Article(
        id="geo-nodl",
        text=text,
        source="test",
        body=text,
        layers={"sentences": (Span(0, len(text)),), "body": (Span(0, len(text), "body"),)},
        entities=ents,
        events=evs,
    )
