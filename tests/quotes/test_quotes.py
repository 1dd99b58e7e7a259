"""Quotes: hand-built articles (entity offsets written here) and the seed with its gold entities."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from marsad.data import Article, Entity, Span
from marsad.quotes.extract import extract_quotes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "events"))
from gold_oracle import article_from_gold  # noqa: E402


def _article(text: str, names: dict[str, tuple[str, str, str | None]]) -> Article:
    ents = []
    for eid, (surface, typ, country) in names.items():
        spans = []
        pos = text.find(surface)
        while pos >= 0:
            spans.append(Span(pos, pos + len(surface), "mention"))
            pos = text.find(surface, pos + 1)
        ents.append(Entity(eid, typ, surface, tuple(spans), country=country))
    art = Article.new(text, id="t").evolve(entities=tuple(ents))
    return art.with_layers(body=[Span(0, len(text), "body")])


def test_indirect_implied_and_participle_speakers():
    text = (
        "قال الوزير سامي داود إن الحكومة ستواصل الإصلاحات الاقتصادية هذا العام. "
        "وتابع أن البرلمان سيناقش القانون الجديد الأسبوع المقبل، مشيرا إلى أن الميزانية جاهزة تماما."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY")})
    qs = extract_quotes(art)
    got = {art.text[q.content.start : q.content.end]: q for q in qs}
    assert "الحكومة ستواصل الإصلاحات الاقتصادية هذا العام" in got
    assert "البرلمان سيناقش القانون الجديد الأسبوع المقبل" in got
    assert "الميزانية جاهزة تماما" in got
    assert all(q.speaker == ("e1",) for q in qs)
    assert all(q.kind == "indirect" for q in qs)
    # content never carries the cue or the complementiser
    assert not any(t.startswith(("أن", "إن")) for t in got)


def test_direct_quote_and_name_in_quotes_is_not_a_quote():
    text = 'وقال وزير الخارجية "سامي داود" في مؤتمر صحفي إن "العلاقات بين البلدين تمر بمرحلة ممتازة جدا".'
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY")})
    qs = extract_quotes(art)
    assert len(qs) == 1
    q = qs[0]
    assert q.kind == "direct"
    assert art.text[q.content.start : q.content.end] == "العلاقات بين البلدين تمر بمرحلة ممتازة جدا"
    assert q.speaker == ("e1",)
    assert art.text[q.cue.start : q.cue.end] == "وقال"


def test_unnamed_source_kept_with_description():
    text = "وقال مصدر دبلوماسي إن المفاوضات ستستأنف الشهر المقبل في العاصمة."
    art = _article(text, {})
    qs = extract_quotes(art)
    assert len(qs) == 1
    assert qs[0].speaker == ()
    assert "مصدر دبلوماسي" in qs[0].attrs["description"]


def test_nisba_delegate_speaks_for_country():
    text = "ورد المندوب الروسي على الاتهامات البريطانية، وقال إنه لا يمكن توجيه الاتهامات دون تقديم أدلة. روسيا دولة."
    art = _article(text, {"r": ("روسيا", "GPE", "RUS")})
    qs = extract_quotes(art)
    assert [q.speaker for q in qs] == [("r",)]


def test_spans_slice_the_original_text():
    text = "أكد الرئيس علي حسن أهمية الحوار بين الأطراف كافة، مضيفا أن الأزمة لن تحل بالقوة."
    art = _article(text, {"e1": ("علي حسن", "PER", None)})
    for q in extract_quotes(art):
        assert 0 <= q.content.start < q.content.end <= len(text)
        assert q.cue is not None and text[q.cue.start : q.cue.end].strip()


def test_seed_required_quotes_and_speakers(shared: Path):
    g = json.loads((shared / "gold" / "dev" / "seed.json").read_text(encoding="utf-8"))
    art = article_from_gold(g)
    qs = extract_quotes(art)
    for gq in g["quotes"]:
        if gq["optional"]:
            continue
        head = gq["text"][:30]
        hits = [q for q in qs if head in art.text[q.content.start : q.content.end]]
        assert hits, f"missing quote {head}"
        assert set(hits[0].speaker) == set(gq["speaker"]), head


def test_appositive_name_and_statement_issuer():
    text = (
        "وقال القائم بأعمال السفير لدى المنظمة، سامي داود، إن بلاده ترفض القرار الجديد تماما. "
        "وأدان قادة مصر والأردن الهجوم وأصدروا بيانا مشتركا. "
        "وقال البيان إن الهجوم انتهاك صريح للقانون الدولي."
    )
    art = _article(
        text, {"s": ("سامي داود", "PER", "EGY"), "e": ("مصر", "GPE", "EGY"), "j": ("الأردن", "GPE", "JOR")}
    )
    qs = {art.text[q.content.start : q.content.end][:12]: q for q in extract_quotes(art)}
    assert qs["بلاده ترفض ا"].speaker == ("s",)
    assert qs["الهجوم انتها"].speaker == ("e",)


def test_speaker_slot_proposes_entities_the_entity_stage_missed():
    """Made-up sentences: a name after a rank, a name set off by commas after a title, a definite organisation."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وقال العميد زاهر قنديل إن القوات سيطرت على الطريق الساحلي بالكامل.\n"
        "وقال محافظ الإقليم، رامي سلوان، إن المدارس ستفتح أبوابها الأسبوع المقبل.\n"
        "وقالت الهيئة الوطنية للأرصاد إن الأمطار ستستمر حتى نهاية الأسبوع.\n"
        "وأضاف قنديل أن الطريق سيفتح أمام المدنيين قريبا."
    )
    art = _article(text, {})
    quotes, ents = extract_quotes_and_speakers(art)
    by_id = {e.id: e for e in ents}
    spoke = [by_id[q.speaker[0]] for q in quotes if q.speaker]
    names = [(e.type, art.text[e.mentions[0].start : e.mentions[0].end]) for e in spoke[:3]]
    assert names == [("PER", "زاهر قنديل"), ("PER", "رامي سلوان"), ("ORG", "الهيئة الوطنية للأرصاد")]
    assert all(e.attrs["source"] == ["speaker-slot"] for e in ents)
    for e in ents:  # every mention is the evidence: its offsets slice the name out of the text
        assert all(normalize_words(art.text[m.start : m.end]) for m in e.mentions)
    # the last name alone in a later speaker slot is the same person (a second mention), and he speaks again
    qandil = spoke[0]
    assert len(qandil.mentions) == 2
    assert quotes[-1].speaker == (qandil.id,)


def test_speaker_slot_leaves_objects_and_unnamed_sources_alone():
    text = (
        "ووصفت الحكومة الشبان بأنهم مخربون يهددون الأمن العام في البلاد.\n"
        "وقالوا المحتجون إن مطالبهم اجتماعية قبل كل شيء آخر.\n"
        "وقال مصدر أمني إن التحقيقات ما زالت جارية في الحادث."
    )
    art = _article(text, {})
    from marsad.quotes.extract import extract_quotes_and_speakers

    _quotes, ents = extract_quotes_and_speakers(art)
    assert not any(art.text[e.mentions[0].start : e.mentions[0].end] in ("الشبان", "المحتجون", "مصدر أمني")
                   for e in ents)  # fmt: skip


def normalize_words(s: str) -> list[str]:
    return s.split()
