"""Clause-level event rules on hand-written sentences: a noun cue inside a relative clause takes that clause's
subject as its source, a coordinated subject in reported speech shares the act, and a light verb (عقد، أجرى) with a
coordinated subject makes a talks noun a CONSULT between the two."""

from __future__ import annotations

import re

from marsad.data import Article, Entity, Span
from marsad.events.stage import EventsStage
from marsad.quotes.stage import QuotesStage


def _article(text: str, names: dict[str, tuple[str, str, str | None]]) -> Article:
    ents = []
    for eid, (surface, typ, country) in names.items():
        pat = r"(?<![\w])(?:[وبل])?(" + re.escape(surface) + r")(?![\w])"
        spans = [Span(m.start(1), m.end(1), "mention") for m in re.finditer(pat, text)]
        ents.append(Entity(eid, typ, surface, tuple(spans), country=country))
    art = Article.new(text, id="c", published="2023-11-08").evolve(entities=tuple(ents))
    return EventsStage()(QuotesStage()(art.with_layers(body=[Span(0, len(text), "body")])))


def _dyads(art: Article) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return {(e.type, e.source, e.target) for e in art.events}


def test_relative_clause_subject_is_the_agent_of_the_noun_cue():
    art = _article(
        "رفضت البرازيل العقوبات التي فرضتها كندا على فنزويلا الشهر الماضي.",
        {"b": ("البرازيل", "GPE", "BRA"), "c": ("كندا", "GPE", "CAN"), "v": ("فنزويلا", "GPE", "VEN")},
    )
    got = _dyads(art)
    assert ("SANCTION", ("c",), ("v",)) in got
    assert not any(t == "SANCTION" and "b" in s for t, s, _ in got)


def test_relative_clause_without_a_party_names_no_sanction():
    art = _article(
        "انتقدت البرازيل بشدة العقوبات الجديدة التي أعلنتها كندا.",
        {"b": ("البرازيل", "GPE", "BRA"), "c": ("كندا", "GPE", "CAN")},
    )
    got = _dyads(art)
    assert not any(t == "SANCTION" for t, _, _ in got)
    assert ("ACCUSE", ("b",), ("c",)) in got


def test_coordinated_subject_in_reported_speech_shares_the_act():
    art = _article(
        "وقال الوزير نادر حمد إن الأردن ومصر تعارضان الرسوم الجمركية التي تفرضها إيطاليا.",
        {"n": ("نادر حمد", "PER", "JOR"), "j": ("الأردن", "GPE", "JOR"), "e": ("مصر", "GPE", "EGY"),
         "i": ("إيطاليا", "GPE", "ITA")},
    )  # fmt: skip
    got = _dyads(art)
    assert ("ACCUSE", ("n",), ("i",)) in got  # the speaker, for his own country
    assert ("ACCUSE", ("e",), ("i",)) in got  # the partner named beside it
    assert not any(t == "SANCTION" for t, _, _ in got)


def test_light_verb_with_counterpart_makes_talks_a_consult():
    names = {"s": ("سمير العلوي", "PER", "MAR"), "m": ("منير الصادق", "PER", "TUN")}
    art = _article(
        "أجرى وزير الخارجية المغربي سمير العلوي ونظيره التونسي منير الصادق محادثات مطولة في الرباط أمس.",
        names,
    )
    consult = [e for e in art.events if e.type == "CONSULT"]
    assert len(consult) == 1
    ev = consult[0]
    assert {*ev.source, *ev.target} == {"s", "m"} and ev.symmetric and ev.mode is None  # talks: no mode of its own in the PLOVER manual
    svo = _article("سمير العلوي ومنير الصادق يعقدان مباحثات في تونس.", names)
    assert any(e.type == "CONSULT" and {*e.source, *e.target} == {"s", "m"} for e in svo.events)


def test_talks_noun_without_a_partner_stays_silent():
    art = _article(
        "عقد وزير الخارجية المغربي سمير العلوي مباحثات في الرباط أمس.", {"s": ("سمير العلوي", "PER", "MAR")}
    )
    assert not [e for e in art.events if e.type == "CONSULT"]


def test_responder_is_the_target_of_the_act_it_answers():
    art = _article(
        "ردت البرازيل بحزم على المقاطعة التي أعلنتها كندا الأسبوع الماضي.",
        {"b": ("البرازيل", "GPE", "BRA"), "c": ("كندا", "GPE", "CAN")},
    )
    got = _dyads(art)
    assert ("SANCTION", ("c",), ("b",)) in got
    assert ("SANCTION", ("b",), ("c",)) not in got
