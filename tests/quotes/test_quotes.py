"""Quotes: hand-built articles (entity offsets written here) and the seed with its gold entities."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
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


def _spoken(art: Article) -> dict[str, tuple[str, ...]]:
    from marsad.quotes.extract import extract_quotes_and_speakers

    quotes, _ents = extract_quotes_and_speakers(art)
    return {art.text[q.content.start : q.content.end]: q.speaker for q in quotes}


def _speaker_names(art: Article, *, first_word: bool = False) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each quote's content (or its first word) -> the names of its speakers, as the rules and the slot read them;
    and every entity id the quotes stage knows -> its name."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    quotes, ents = extract_quotes_and_speakers(art)
    names = {e.id: e.name for e in ents}
    out: dict[str, list[str]] = {}
    for q in quotes:
        content = art.text[q.content.start : q.content.end]
        out[content.split()[0] if first_word else content] = [names.get(i, i) for i in q.speaker]
    return out, names


def test_noun_phrase_content_after_a_title_and_before_a_later_preposition():
    """Made-up sentences: a noun-phrase content may hold its own circumstance before the cue's preposition; a
    sentence-initial definite title belongs to the speaker; an object whose name opens with a title word stays."""
    text = (
        "وأكد الرئيس، سامي داود، مشاركة الجيش في العملية على الحدود الغربية.\n"
        "أعلن القائد الميداني رامي سلوان بدء عملية جديدة في الشمال.\n"
        "وطالبت الرابطة الإقليمية مجلس الأمن بحماية المدنيين فورا."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY"), "e2": ("رامي سلوان", "PER", "EGY"),
                          "o1": ("الرابطة الإقليمية", "ORG", None), "o2": ("مجلس الأمن", "ORG", None)})  # fmt: skip
    got = _spoken(art)
    assert got.get("مشاركة الجيش في العملية على الحدود الغربية") == ("e1",)
    assert got.get("بدء عملية جديدة في الشمال") == ("e2",)
    assert got.get("مجلس الأمن بحماية المدنيين فورا") == ("o1",)


def test_document_and_bqawlihi_frames():
    """جاء في بيان X أن …: the issuer speaks; بقوله إن …: the subject of the clause speaks; جاء في المرتبة … is
    no quote."""
    text = (
        "وجاء في بيان وزارة الزراعة أن المحصول تضاعف هذا العام.\n"
        "ورد الوزير سامي داود على الانتقادات بقوله إن الوزارة ماضية في خطتها.\n"
        "وجاء في المرتبة الثانية أن الفريق سجل هدفين."
    )
    art = _article(text, {"o1": ("وزارة الزراعة", "ORG", "EGY"), "e1": ("سامي داود", "PER", "EGY")})
    got = _spoken(art)
    assert got.get("المحصول تضاعف هذا العام") == ("o1",)
    assert got.get("الوزارة ماضية في خطتها") == ("e1",)
    assert not any(k.startswith("الفريق") for k in got)


def test_title_and_nisba_before_an_object_and_a_bare_state_noun():
    """اتهم الرئيس المصري الولايات المتحدة …: the title's holder accuses, the country after it is the object;
    وقالت المملكة: the article's kingdom."""
    text = (
        "استقبل الرئيس المصري سامي داود الوفد في القاهرة.\n"
        "واتهم الرئيس المصري الولايات المتحدة بدعم المعارضة المسلحة.\n"
        "وأيدت السعودية قرار مصر. وذكرت المملكة أن القرار يخدم استقرار المنطقة."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY"), "g1": ("مصر", "GPE", "EGY"),
                          "g2": ("الولايات المتحدة", "GPE", "USA"), "g3": ("السعودية", "GPE", "SAU"),
                          "g4": ("القاهرة", "GPE", "EGY")})  # fmt: skip
    # whole words only (the helper also finds مصر inside المصري)
    ents = tuple(
        replace(e, mentions=tuple(m for m in e.mentions if not text[m.end : m.end + 1].isalpha()))
        for e in art.entities
    )
    art = art.evolve(entities=ents)
    got = _spoken(art)
    accuse = next(v for k, v in got.items() if "بدعم المعارضة" in k)
    assert accuse == ("e1",)
    # the kingdom the article names (not Egypt, the republic it names most: two places and a person), and not a new
    # body called المملكة
    assert got.get("القرار يخدم استقرار المنطقة") == ("g3",)


def test_unnamed_sources_the_body_they_speak_for_and_people_described():
    """مسؤولون في الهيئة …: the body speaks (the guideline's 'unnamed spokesperson of a named body'); المدافعون
    عن البيئة: people described by what they do, an unnamed source with no entity proposed."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وقال مسؤولون في الهيئة الوطنية للطيران إن الرحلات ستستأنف غدا.\n"
        "ويرى المدافعون عن البيئة أن المشروع يهدد الغابات القريبة."
    )
    art = _article(text, {})
    quotes, ents = extract_quotes_and_speakers(art)
    by_text = {art.text[q.content.start : q.content.end]: q for q in quotes}
    body = by_text["الرحلات ستستأنف غدا"].speaker
    assert len(body) == 1
    ent = next(e for e in ents if e.id == body[0])
    assert (ent.type, ent.name) == ("ORG", "الهيئة الوطنية للطيران")
    assert by_text["المشروع يهدد الغابات القريبة"].speaker == ()
    assert not any(e.name.startswith("المدافعون") for e in ents)


def test_honorific_name_whose_given_name_is_a_common_word():
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = "وذكر العميد هيكل زغلوفي قائد اللواء الثالث أن القوات تقدمت نحو المدينة."
    art = _article(text, {})
    quotes, ents = extract_quotes_and_speakers(art)
    assert quotes and quotes[0].speaker
    assert next(e for e in ents if e.id == quotes[0].speaker[0]).name == "هيكل زغلوفي"


def test_ranker_sees_an_addressee_and_keeps_plural_sources_unnamed():
    from marsad.quotes.speakers import _unnamed_description, speaker_candidates

    text = "وقال مصدر دبلوماسي لصحيفة الأنباء إن المفاوضات ستستأنف الشهر المقبل."
    art = _article(text, {"m": ("صحيفة الأنباء", "ORG", None)})
    from marsad.quotes.extract import extract_quotes

    art = art.evolve(quotes=tuple(extract_quotes(art)))
    (cands,) = speaker_candidates(art)
    assert cands[0].feats.get("slot_after:ل") == 1.0
    assert _unnamed_description("المدافعون عن البيئة") and _unnamed_description("المصادر")
    assert _unnamed_description("مصدر أمني") and not _unnamed_description("المسؤول التركي")


def test_topic_after_amma_speaks_in_the_fa_clause():
    """أما فلان، وهو …، فقال إن …: the topic, not the previous speaker."""
    text = (
        "وقال الوزير سامي داود إن الوضع في المدينة مستقر تماما. "
        "أما رامي سلوان، وهو ممثل المنظمة في المدينة، فقال إن الوضع خطير جدا."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY"), "e2": ("رامي سلوان", "PER", "EGY")})
    got = _spoken(art)
    assert got.get("الوضع في المدينة مستقر تماما") == ("e1",)
    assert got.get("الوضع خطير جدا") == ("e2",)


def test_indefinite_head_made_definite_by_its_genitive_chain_names_a_body():
    """مؤسسة جسر المدينة (the chain ends in a definite noun), هيئة "كذا" (a quoted name): a body the slot names;
    شاهد عيان، وسائل إعلام محلية، عاملون بمجال …: unnamed."""

    text = (
        "ذكرت مؤسسة جسر المدينة، في بيان أمس، أن الكهرباء عادت إلى الجسر.\n"
        "وقالت جمعية «نور الأمل» الخيرية إن التبرعات تضاعفت.\n"
        "وأفاد شاهد عيان بأن المبنى انهار.\n"
        "وقال عاملون بمجال السياحة إن الموسم ضعيف."
    )
    art = _article(text, {})
    by_text, names = _speaker_names(art)
    assert by_text["الكهرباء عادت إلى الجسر"] == ["مؤسسة جسر المدينة"]
    assert by_text["التبرعات تضاعفت"] == ["نور الأمل"]
    assert by_text["المبنى انهار"] == [] and by_text["الموسم ضعيف"] == []


def test_accusative_plural_after_a_call_is_the_object():
    """ودعا الموظفين إلى …: whom the speaker called on (accusative -ين), so the speaker is implied; المدافعون (the
    nominative) would be the subject."""
    text = (
        "وقال المدير سامي داود إن المقابلات ستجرى في مقر الإدارة. "
        "ودعا الموظفين إلى احترام الجداول المحددة لهم."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY")})
    got = _spoken(art)
    assert got.get("المقابلات ستجرى في مقر الإدارة") == ("e1",)
    called = next(v for k, v in got.items() if "الجداول" in k)
    assert called == ("e1",)


def test_circumstantial_participle_after_a_cue_is_no_name():
    """وأضاف مخاطبا الصحفيين: "…": the participle describes the previous speaker, it names nobody new."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = 'وقال الوزير سامي داود إن الدعم كبير جدا. وأضاف مخاطبا الصحفيين: "الصبر له حدود واضحة".'
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY")})
    quotes, ents = extract_quotes_and_speakers(art)
    assert [q.speaker for q in quotes] == [("e1",), ("e1",)]
    assert not ents


def test_nisba_before_a_name_and_person_titles_open_no_body():
    """قال الليبي زاهر إن …: a nisba and a name, a person; وذكر المراسل / قال المحلل الاقتصادي: a person's
    title, not an organisation called المراسل."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "قال الليبي زغلوفي الذي حضر المؤتمر إن الوضع يتحسن ببطء.\n"
        "وذكر المراسل أن الطريق مغلق منذ الصباح.\n"
        "وقال المحلل الاقتصادي في الصحيفة إن الأسعار سترتفع.\n"
        "وتستضيف ليبيا المؤتمر المقبل."
    )
    art = _article(text, {"g": ("ليبيا", "GPE", "LBY")})
    quotes, ents = extract_quotes_and_speakers(art)
    names = {e.id: (e.type, e.name) for e in ents}
    spoke = [[names.get(i, i) for i in q.speaker] for q in quotes]
    assert spoke[0] == [("PER", "زغلوفي")]
    assert not any(n.startswith(("المراسل", "المحلل")) for _t, n in names.values())


def test_bare_head_refers_to_the_body_named_earlier():
    """وقالت الهيئة إن …: the body named before with that head (في تقرير لهيئة الرقابة المالية الوطنية), which the
    entity stage missed: the full name is the entity, the bare head one of its mentions."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "صدر أمس تقرير لهيئة الرقابة المالية الوطنية عن العام الماضي.\n"
        "وقالت الهيئة في تقريرها إن العجز تراجع بشكل ملحوظ."
    )
    art = _article(text, {})
    quotes, ents = extract_quotes_and_speakers(art)
    (q,) = quotes
    ent = next(e for e in ents if e.id == q.speaker[0])
    assert ent.name == "هيئة الرقابة المالية الوطنية"
    assert [art.text[m.start : m.end] for m in ent.mentions] == ["هيئة الرقابة المالية الوطنية", "الهيئة"]


def test_title_holder_named_after_the_titles_genitive():
    """قال مندوب البلد لدى المنظمة، فلان، …: the holder speaks, not the country or body in the title's genitive;
    a circumstance (مع) between the title and a person keeps the person out."""
    text = (
        "قال مندوب الأردن لدى الجامعة العربية، كمال الزعبي، في كلمة له إن الأزمة تتطلب حلا سياسيا عاجلا. "
        'وأعلن رئيس "هيئة الموانئ" عادل مراد الأحد أن الحركة عادت إلى طبيعتها في كل الأرصفة. '
        "وقال وزير الخارجية الأردني في لقاء مع فؤاد ناصر إن المحادثات كانت مثمرة للغاية."
    )
    art = _article(text, {
        "j": ("الأردن", "GPE", "JOR"), "l": ("الجامعة العربية", "ORG", None), "k": ("كمال الزعبي", "PER", "JOR"),
        "h": ("هيئة الموانئ", "ORG", None), "m": ("عادل مراد", "PER", None), "f": ("فؤاد ناصر", "PER", None),
    })  # fmt: skip
    qs = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert qs["الأزمة"] == ("k",)
    assert qs["الحركة"] == ("m",)
    assert qs["المحادثات"] != ("f",)


def test_ranker_decisions_carry_over_to_the_next_quote():
    """Sequential decoding: the previous-speaker features of a quote read the ranker's decision for the quote
    before it, not the rules' speaker."""
    from marsad.learn.linear import LinearModel
    from marsad.quotes.speakers import SpeakerModel, speaker_candidates

    text = "قال الأمين العام للمنظمة نبيل حداد إن الاجتماع ناجح جدا. وأضاف أن الدول ستلتزم بالخطة كاملة."
    art = _article(text, {"o": ("المنظمة", "ORG", None), "n": ("نبيل حداد", "PER", None)})
    art = art.evolve(quotes=tuple(extract_quotes(art)))
    assert len(art.quotes) == 2
    seen: list[tuple[str, ...]] = []

    def choose(i, cands, q):
        seen.append(tuple(sorted(c.entity for c in cands if c.feats.get("prev_speaker"))))
        return ("o",)  # whatever the rules said, the decision is the body

    speaker_candidates(art, choose=choose)
    assert seen[1] == ("o",)
    # a model that always prefers the body: its choice for the first quote becomes the second's previous speaker
    import numpy as np

    lin = LinearModel(("0", "1"), {"type:ORG": 0}, np.array([[5.0]]), np.array([-2.0]))
    out = SpeakerModel(lin).assign(art)
    assert [q.speaker for q in out.quotes] == [("o",), ("o",)]


def test_unnamed_source_before_the_verb_names_nobody():
    """مصادر طبية ذكرت أن …، وكانت مصادر حكومية قد ذكرت …: an unnamed subject before the verb (SVO) is the speaker,
    not the person quoted before; a body named in that subject is left to the rules."""
    text = (
        "قال الوزير سامي داود إن الحكومة ستواصل الإصلاحات الاقتصادية هذا العام. "
        "غير أن مصادر طبية ذكرت أن الاحتجاجات مستمرة في عدة مدن. "
        "وكانت مصادر حكومية قد ذكرت أن الطرق أغلقت بالكامل منذ الصباح. "
        "ومسؤول في هيئة الموانئ أكد أن الحركة عادت إلى طبيعتها."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY"), "h": ("هيئة الموانئ", "ORG", None)})
    qs = {art.text[q.content.start : q.content.end].split()[0]: q for q in extract_quotes(art)}
    assert qs["الحكومة"].speaker == ("e1",)
    assert qs["الاحتجاجات"].speaker == () and "مصادر طبية" in qs["الاحتجاجات"].attrs["description"]
    assert qs["الطرق"].speaker == () and "مصادر حكومية" in qs["الطرق"].attrs["description"]
    assert qs["الحركة"].speaker != ()


def test_unnamed_source_before_a_cue_spelled_with_waw():
    """مصادر محلية وعدت بأن …: وعد and وصف begin with و as a root letter, not a conjunction; the unnamed source
    before them is their subject as before any other verb (it used to go to the person quoted earlier)."""
    text = (
        "قال الوزير سامي داود إن الحكومة ستواصل الإصلاحات الاقتصادية هذا العام. "
        "غير أن مصادر طبية وصفت الوضع في المستشفيات بأنه خطير جدا. "
        "وكانت مصادر محلية وعدت بأن الطرق ستفتح قبل المساء."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY")})
    by_cue = {q.attrs.get("cue_lemma"): q for q in extract_quotes(art)}
    assert by_cue["قال"].speaker == ("e1",)
    for cue, who in (("وعد", "مصادر محلية"), ("وصف", "مصادر طبية")):
        assert by_cue[cue].speaker == () and who in by_cue[cue].attrs["description"]


def test_speaker_slot_proposes_no_time_nouns_documents_or_residents():
    """أعلنت الوزارة الأسبوع الماضي، ذكر المقال، قال السكان, حملة وصفت تعليقاته: none of them is a speaker
    entity (a time word, a document whose issuer speaks, an unnamed group, a noun with a pronoun)."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وكانت الهيئة أعلنت الأسبوع الماضي أن المعبر سيغلق مؤقتا للصيانة.\n"
        "وذكر المقال أن المشروع تأخر عامين عن موعده المحدد.\n"
        "وقال السكان إن المياه انقطعت عن الحي منذ ثلاثة أيام.\n"
        "وأطلق ذلك حملة وصفت تعليقاته بأنها غير لائقة على الإطلاق."
    )
    art = _article(text, {})
    quotes, ents = extract_quotes_and_speakers(art)
    assert len(quotes) >= 3
    named = {art.text[m.start : m.end] for e in ents for m in e.mentions}
    assert not named & {"الأسبوع الماضي", "الأسبوع", "المقال", "السكان", "تعليقاته"}


def test_slot_names_a_longer_name_than_the_entity_mention():
    """The entity stage marked only part of a name that the speaker slot spells out: an organisation noun phrase
    around the mention (جمعية الهلال الأحمر الوطنية where only الهلال الأحمر was marked) or name words next to a
    person's mention become a speaker entity of their own; a coordination (والهيئة الأهلية) or another entity in
    the phrase does not."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وقالت جمعية الهلال الأحمر الوطنية إن فرقها وصلت إلى القرى المتضررة.\n"
        "وقال حاتم الزيدي، إن المفاوضات ستستمر حتى نهاية الشهر.\n"
        "وقالت المفوضية والهيئة الأهلية إن المساعدات ستصل قريبا إلى المخيمات."
    )
    art = _article(text, {
        "r": ("الهلال الأحمر", "ORG", None), "z": ("الزيدي", "PER", None), "u": ("الهيئة الأهلية", "ORG", None),
    })  # fmt: skip
    quotes, ents = extract_quotes_and_speakers(art)
    by_id = {e.id: e for e in ents}
    spk = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in quotes}
    assert by_id[spk["فرقها"][0]].name == "جمعية الهلال الأحمر الوطنية"
    assert by_id[spk["المفاوضات"][0]].name == "حاتم الزيدي"
    assert not any("والهيئة" in e.name for e in ents)


def test_person_named_in_the_slot_before_the_body_the_entity_stage_found():
    """قال فلان الفلاني مدير الهيئة أن …: the person the entity stage missed speaks, not the body after him."""
    text = "وأوضح ماجد الحربي مدير هيئة الموانئ أن الحركة عادت إلى طبيعتها في كل الأرصفة."
    art = _article(text, {"h": ("هيئة الموانئ", "ORG", None)})
    from marsad.quotes.extract import extract_quotes_and_speakers

    quotes, ents = extract_quotes_and_speakers(art)
    (q,) = quotes
    assert [e.name for e in ents if e.id in q.speaker] == ["ماجد الحربي"]


def test_alana_an_takes_the_words_before_an_as_its_subject():
    """أعلنت السلطات الزراعية، السبت، عن …: the announcement is what follows عن, not the subject before it."""
    text = "أعلنت السلطات الزراعية، السبت، عن توقف تصدير القمح حتى نهاية الموسم الحالي."
    (q,) = extract_quotes(_article(text, {}))
    assert text[q.content.start : q.content.end].startswith("توقف تصدير القمح")


def test_document_issuer_and_a_time_word_slot():
    """ذكر بيان للهيئة أن …: the body named earlier with that head speaks; وكانت الهيئة أعلنت الأسبوع الماضي أن …:
    the time words are no speaker, the subject before the verb is."""
    text = (
        "عقدت هيئة الموانئ اجتماعا طارئا لمناقشة الزحام في الميناء الشمالي.\n"
        "وذكر بيان للهيئة أن الحركة عادت إلى طبيعتها في كل الأرصفة.\n"
        "وكانت هيئة الموانئ أعلنت الأسبوع الماضي أن الرسوم سترتفع بنسبة قليلة."
    )
    art = _article(text, {"h": ("هيئة الموانئ", "ORG", None)})
    qs = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert qs["الحركة"] == ("h",)
    assert qs["الرسوم"] == ("h",)


def test_title_and_its_body_refer_to_the_office_holder_named_elsewhere():
    """وأشار مدير هيئة الموانئ إلى …: the person the article introduced as مدير هيئة الموانئ فلان speaks, not the
    body in the title's genitive; a person after a complementiser (… إن الرئيس فلان) is not that holder."""
    text = (
        "وقال مدير هيئة الموانئ ماجد الحربي إن العمل مستمر في الأرصفة الجديدة.\n"
        "وأشار مدير هيئة الموانئ إلى أن الرسوم لن ترتفع هذا العام.\n"
        "قال رئيس هيئة الانتخابات، إن الرئيس سالم داود فاز بأغلبية الأصوات."
    )
    art = _article(text, {
        "h": ("هيئة الموانئ", "ORG", None), "m": ("ماجد الحربي", "PER", None),
        "e": ("هيئة الانتخابات", "ORG", None), "s": ("سالم داود", "PER", None),
    })  # fmt: skip
    qs = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert qs["العمل"] == ("m",)
    assert qs["الرسوم"] == ("m",)
    assert qs["الرئيس"] != ("s",)


def test_far_complementiser_inside_the_object_of_an_accusation():
    """اتهم الوزير فلان، في بيان، البلد بعدم … دون أن …: the object noun phrase is the content, not the words after
    the far أن."""
    text = (
        "واتهم وزير النقل سامي داود، في بيان صدر مساء الثلاثاء، الشركة المشغلة بعدم تطبيق الاتفاق الموقع "
        "في العام الماضي وبالسماح للشاحنات بالعبور دون أن تتوقف عند الجمارك."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    content = text[q.content.start : q.content.end]
    assert "بعدم تطبيق الاتفاق" in content
    assert q.speaker == ("e1",)


def test_bare_name_before_a_title_or_an_apposition_speaks():
    """وقالت نادية حجر مديرة الحملات بالمنظمة: two words and a title after them are a name (common words or not);
    وقال رائف وردة، أحد محامي فلان، إن: the name the comma sets off speaks, not the person in the apposition."""

    text = (
        "وقالت نادية حجر مديرة الحملات بمنظمة الرقابة الدولية إن الاعتقالات تعسفية.\n"
        "وقال رائف وردة، أحد محامي سامي داود، إن موكله بريء من كل التهم."
    )
    art = _article(text, {"o": ("منظمة الرقابة الدولية", "ORG", None), "d": ("سامي داود", "PER", None)})
    spk, _ = _speaker_names(art, first_word=True)
    assert spk["الاعتقالات"] == ["نادية حجر"]
    assert spk["موكله"] == ["رائف وردة"]


def test_a_demonym_plural_in_the_slot_is_a_people():
    """وقال الغزاويون إن …: a demonym plural speaks as a people (GPE, as the annotation types demonyms), not as an
    organisation."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = "وقال الغزاويون إن الحصار يجب أن ينتهي فورا."
    art = _article(text, {})
    quotes, ents = extract_quotes_and_speakers(art)
    assert [(e.type, e.name) for e in ents if e.id in quotes[0].speaker] == [("GPE", "الغزاويون")]


def test_office_holder_introduced_with_the_title_after_the_name():
    """الشيخ فلان، نائب حاكم الإمارة … later ورحب نائب حاكم الإمارة …، معربا عن …: the holder named before the
    title speaks for the participle, not the place in the title's genitive."""
    text = (
        "استقبل الشيخ حمدان راشد نائب حاكم الشارقة وفدا تجاريا في قصر الضيافة.\n"
        "ورحب نائب حاكم الشارقة بالوفد، معربا عن أمله في تعزيز التعاون بين الجانبين."
    )
    art = _article(text, {"p": ("حمدان راشد", "PER", "ARE"), "g": ("الشارقة", "GPE", "ARE")})
    qs = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert qs.get("أمله", qs.get("تعزيز")) == ("p",)


def test_short_quotation_after_an_addressee_is_content_not_a_name():
    """وقال الوزير فلان للصحافيين "سنراجع جميع الخيارات" …: a short quotation after whom he told is what he said."""
    text = 'وقال وزير المالية سامي داود للصحافيين "سنراجع جميع الخيارات" قبل إعلان الميزانية الجديدة.'
    art = _article(text, {"e1": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    assert text[q.content.start : q.content.end].strip('"').startswith("سنراجع جميع الخيارات")
    assert q.speaker == ("e1",)


def test_addressee_headed_by_an_organisation_noun_is_not_the_speaker():
    """وقالت لصحيفة "المساء": …: the newspaper is whom she told; the speaker is the one named before."""
    text = 'وتحدثت الناشطة هالة يونس عن الحملة. وقالت لصحيفة المساء إن الحملة ستستمر حتى تحقيق أهدافها.'
    art = _article(text, {"h": ("هالة يونس", "PER", None), "m": ("المساء", "ORG", None)})
    (q,) = extract_quotes(art)
    assert q.speaker == ("h",)


def test_bare_head_in_a_long_slot_refers_to_the_body_the_entity_stage_found():
    """… بحسب صحيفة نيو ديلي. وأضافت الصحيفة، مستندة إلى وثائق، أن …: the paper found before speaks; no new
    entity for الصحيفة."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وارتفعت الأسعار بشكل كبير خلال الشهر الماضي، بحسب صحيفة نيو ديلي.\n"
        "وأضافت الصحيفة، مستندة إلى وثائق حصلت عليها، أن الحكومة ستتدخل قريبا."
    )
    art = _article(text, {"p": ("نيو ديلي", "ORG", None)})
    quotes, ents = extract_quotes_and_speakers(art)
    spk = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in quotes}
    assert spk["الحكومة"] == ("p",)
    assert not ents


def test_an_unsure_ranker_keeps_the_carried_over_speaker_it_chose_before():
    """وأضاف أن …: where the rules carried the previous speaker over and the ranker is unsure, the speaker is the one
    the ranker gave the previous quote, not the rules' first reading."""
    import numpy as np

    from marsad.learn.linear import LinearModel
    from marsad.quotes.speakers import SpeakerModel

    text = "قال رئيس المنظمة نبيل حداد إن الاجتماع ناجح جدا. وأضاف أن الدول ستلتزم بالخطة كاملة."
    art = _article(text, {"o": ("المنظمة", "ORG", None), "n": ("نبيل حداد", "PER", None)})
    art = art.evolve(quotes=tuple(extract_quotes(art)))
    assert [q.speaker for q in art.quotes] == [("n",), ("n",)]  # the rules
    # sure only where an organisation stands in the speaker slot (the first quote), unsure elsewhere
    lin = LinearModel(("0", "1"), {"slot|ORG": 0}, np.array([[10.0]]), np.array([-5.0]))
    out = SpeakerModel(lin).assign(art)
    assert [q.speaker for q in out.quotes] == [("o",), ("o",)]


def test_a_bare_head_that_names_nothing_is_no_slot_entity():
    """وذكر مكتب أن …، وقالت الوزارة إن … where the article names its ministry elsewhere: words the entity stage
    says name nothing become no speaker entity; الشرطة alone, with no police named, is how the article names it."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وذكر مكتب أن الاجتماع سيعقد في موعده المحدد.\n"
        "وقالت الوزارة إن الطرق الرئيسية ستبقى مغلقة طوال الأسبوع.\n"
        "وكانت وزارة النقل قد أغلقت الطرق بعد الأمطار الغزيرة.\n"
        "وقالت الشرطة إن حركة السير عادت إلى طبيعتها في المساء."
    )
    art = _article(text, {"t": ("وزارة النقل", "ORG", None)})
    quotes, ents = extract_quotes_and_speakers(art)
    names = {e.name for e in ents}
    assert "مكتب" not in names and "الوزارة" not in names
    assert "الشرطة" in names
    spk = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in quotes}
    assert spk["حركة"] and spk["حركة"][0] in {e.id for e in ents if e.name == "الشرطة"}


def test_a_registry_body_is_not_extended_by_its_head_and_adjectives():
    """وقالت صحيفة لوموند الفرنسية إن …: when the entity stage knows the paper from the registry, the head and the
    nisba around its name describe it; the paper speaks, with no longer-named entity beside it. A body the entity
    stage found without the registry still gets the longer name the slot spells out."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وقالت صحيفة لوموند الفرنسية إن الحكومة تدرس خطة جديدة للنقل.\n"
        "وقالت جمعية الهلال الأحمر الوطنية إن فرقها وصلت إلى القرى المتضررة."
    )
    art = _article(text, {"m": ("لوموند", "ORG", "FRA"), "r": ("الهلال الأحمر", "ORG", None)})
    art = art.evolve(entities=tuple(
        replace(e, attrs={"source": ["registry"]}) if e.id == "m" else e for e in art.entities
    ))  # fmt: skip
    quotes, ents = extract_quotes_and_speakers(art)
    spk = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in quotes}
    assert spk["الحكومة"] == ("m",)
    assert [e.name for e in ents] == ["جمعية الهلال الأحمر الوطنية"]


def test_stops_inside_an_abbreviation_end_no_sentence():
    """قال فلان لإذاعة إم.بي.سي …، (د.ب.أ): the stops of a name spelled letter by letter end no sentence, so the
    slot and the content after them are read; a stop between two long words still ends one."""
    text = (
        'وقال الحداد لإذاعة إم.بي.سي صباحا: "نريد حلا سريعا للأزمة".\n'
        'وقال الحداد في تصريحات للوكالة (د.ب.أ) مساء: "إن المشروع إنجاز كبير للبلاد".\n'
        "وانتهى الاجتماع في المساء.وقال الحداد إن النتائج مرضية للجميع."
    )
    art = _article(text, {"p": ("الحداد", "PER", None)})
    got = {text[q.content.start : q.content.end]: q.speaker for q in extract_quotes(art)}
    assert got.get("نريد حلا سريعا للأزمة") == ("p",)
    assert got.get("إن المشروع إنجاز كبير للبلاد", got.get("المشروع إنجاز كبير للبلاد")) == ("p",)
    assert got.get("النتائج مرضية للجميع") == ("p",)


def test_shaddada_is_a_cue_only_with_its_preposition_or_a_complementiser():
    """شدد على / شدد الوزير على أن 'stressed' reports a statement; شددت الحكومة الرقابة 'tightened' and حراسة
    مشددة 'tight' do not."""
    text = (
        "ولاحقا شددت الحكومة الرقابة في المطارات كافة.\n"
        "ويقيم الوفد في فندق تحت حراسة مشددة من الجيش.\n"
        "وشدد سمير الحداد على أن الخطة ستنفذ في موعدها."
    )
    art = _article(text, {"p": ("سمير الحداد", "PER", None), "g": ("الحكومة", "ORG", None)})
    got = {text[q.content.start : q.content.end]: q.speaker for q in extract_quotes(art)}
    assert got == {"الخطة ستنفذ في موعدها": ("p",)}


def test_the_clause_before_hasbama_is_what_the_source_after_it_said():
    """…، حسبما قال فلان / وفقا لما ذكرت الوزارة: the clause before the attribution is the content, the words after
    the cue name the speaker; a clause a quote already holds (وقال فلان إن …، بحسب ما نقلت الوكالة) makes no
    second quote."""
    text = (
        "وأغلقت السلطات ثلاثة معابر حدودية مع الدولة المجاورة أمس، حسبما قال سمير الحداد.\n"
        "وارتفع عدد الزوار إلى مستوى قياسي هذا الصيف، وفقا لما قاله نبيل يونس.\n"
        "وقال نبيل يونس إن المفاوضات ستستأنف الأسبوع المقبل، بحسب ما نقلت الوكالة."
    )
    art = _article(text, {"p": ("سمير الحداد", "PER", None), "n": ("نبيل يونس", "PER", None),
                          "w": ("الوكالة", "ORG", None)})  # fmt: skip
    quotes = extract_quotes(art)
    got = {text[q.content.start : q.content.end]: q.speaker for q in quotes}
    assert got.get("أغلقت السلطات ثلاثة معابر حدودية مع الدولة المجاورة أمس") == ("p",)
    assert got.get("ارتفع عدد الزوار إلى مستوى قياسي هذا الصيف") == ("n",)  # قاله: the verb and the relative's pronoun
    said = [v for k, v in got.items() if k.startswith("المفاوضات ستستأنف")]
    assert said == [("n",)]
    assert len(quotes) == 3


def test_an_organisation_head_before_a_name_opens_the_subject_of_a_noun_phrase_cue():
    """واتهمت إذاعة الساحل الرسمية "النبأ" الحكومة بـ …: the station (its head, words and quoted name) is the
    subject and the content starts at the object; وذكرت قناة "…" of four words: the name, not a quotation."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        'واتهمت إذاعة الساحل الرسمية "النبأ" الحكومة بالوقوف وراء الهجوم على المدينة.\n'
        'وذكرت قناة "صوت الساحل الإخبارية الأولى" أن البلدين اتفقا على موعد اللقاء.'
    )
    art = _article(text, {"p": ("النبأ", "ORG", None), "g": ("الحكومة", "ORG", None)})
    quotes, ents = extract_quotes_and_speakers(art)
    got = {text[q.content.start : q.content.end].strip('" ').split()[0]: q.speaker for q in quotes}
    assert got.get("الحكومة") == ("p",)
    (net,) = got["البلدين"]
    assert next(e.name for e in ents if e.id == net) == "صوت الساحل الإخبارية الأولى"


def test_bil_qawl_after_any_verb_reports_the_subjects_words():
    """وسعت الحكومة إلى التهدئة بالقول إن …: 'by saying that', the clause's subject speaks."""
    text = "وسعت الحكومة إلى تهدئة المحتجين بالقول إن الأسعار ستنخفض إلى مستواها السابق قريبا."
    art = _article(text, {"g": ("الحكومة", "ORG", None)})
    got = {text[q.content.start : q.content.end]: q.speaker for q in extract_quotes(art)}
    assert got == {"الأسعار ستنخفض إلى مستواها السابق قريبا": ("g",)}


def test_a_definite_head_before_a_name_is_no_longer_name():
    """ويتهم التحالف البلد بـ …: a definite head (التحالف) governs no genitive, so the state named after it is the
    object, not part of a longer organisation name (تحالف البلد would be)."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = "ويتهم التحالف قطر بتمويل الجماعات المسلحة في الإقليم."
    art = _article(text, {"q": ("قطر", "GPE", "QAT")})
    _quotes, ents = extract_quotes_and_speakers(art)
    assert not any("قطر" in e.name for e in ents)


def test_ranker_sees_a_title_holder_against_a_place_the_rules_chose():
    """وتابع الوزير الليبي قائلا …, where the rules read the country: the person holding that title gets a feature
    saying so, and the country one saying a titled person exists (the ranker weighs both)."""
    from marsad.quotes.speakers import speaker_candidates

    text = (
        "التقى وزير الخارجية الليبي سامي داود نظيره في طرابلس.\n"
        "وتابع الوزير الليبي قائلا: إن الحوار مستمر مع الجميع."
    )
    art = _article(text, {"p": ("سامي داود", "PER", "LBY"), "g": ("طرابلس", "GPE", "LBY")})
    role = text.index("وزير الخارجية")
    ents = tuple(
        replace(e, roles=(Span(role, role + len("وزير الخارجية"), "role"),)) if e.id == "p" else e
        for e in art.entities
    )
    art = art.evolve(entities=ents)
    (q,) = extract_quotes(art)
    art = art.evolve(quotes=(replace(q, speaker=("g",)),))
    (cands,) = speaker_candidates(art)
    feats = {c.entity: c.feats for c in cands}
    assert "title_backref|rule_nonper" in feats["p"]
    assert "rule_nonper|title_held" in feats["g"]
    art = art.evolve(quotes=(replace(q, speaker=("p",)),))
    (cands,) = speaker_candidates(art)
    assert not any("rule_nonper|title_held" in c.feats or "title_backref|rule_nonper" in c.feats for c in cands)


def test_baiyanat_is_a_verb_whatever_the_distance_to_its_complementiser():
    """وبينت الشركة في بيان وزعته على الصحفيين أن …: بينت is a verb (بين alone is mostly 'between' and needs أن
    within six words)."""
    text = "وبينت شركة النور في بيان وزعته على الصحفيين أمس أن الأرباح ارتفعت بنسبة كبيرة."
    art = _article(text, {"c": ("شركة النور", "ORG", None)})
    got = {text[q.content.start : q.content.end]: q.speaker for q in extract_quotes(art)}
    assert got == {"الأرباح ارتفعت بنسبة كبيرة": ("c",)}


def test_an_addressee_after_the_lam_is_not_the_speaker_but_a_genitive_body_is():
    """Made-up sentences. قال مصدر … لوكالة كذا، قال أحد السكان لإذاعة كذا: the agency or radio is whom an unnamed
    source told (speaker []); المتحدث الرسمي لوزارة كذا، بيان صادر لوزارة كذا: the same لـ after a title or a document is a
    genitive, and the ministry speaks."""
    text = (
        "وقال مصدر أمني لوكالة الأنباء المحلية إن الهجوم وقع قرب الحدود الشرقية للبلاد.\n"
        "وقال أحد السكان لإذاعة النهار إن الدخان غطى الحي بالكامل بعد الانفجار.\n"
        "وقال المتحدث الرسمي لوزارة الصحة إن المستشفيات استقبلت عشرات الجرحى منذ الصباح.\n"
        "وذكر بيان صادر لوزارة الطاقة أن الطريق سيغلق ثلاثة أيام لإجراء الصيانة."
    )
    names = {
        "a": ("وكالة الأنباء المحلية", "ORG", None), "c": ("إذاعة النهار", "ORG", None),
        "h": ("وزارة الصحة", "ORG", None), "t": ("وزارة الطاقة", "ORG", None),
    }  # fmt: skip
    spoken = _spoken(_article(text, names))
    assert spoken["الهجوم وقع قرب الحدود الشرقية للبلاد"] == ()
    assert spoken["الدخان غطى الحي بالكامل بعد الانفجار"] == ()
    assert spoken["المستشفيات استقبلت عشرات الجرحى منذ الصباح"] == ("h",)
    assert spoken["الطريق سيغلق ثلاثة أيام لإجراء الصيانة"] == ("t",)


def test_a_name_closes_a_title_chain_after_a_definite_body_but_not_after_a_circumstance():
    """Made-up sentences. المتحدث باسم الشرطة فلان، سفير البلد لدى المنظمة فلان: a definite organisation head governs
    no genitive, so the name after it is the title holder's (also after an unnamed source's title, المتحدث); after a
    circumstance (بعد محادثات …) no word holds the title."""

    text = (
        "وقال المتحدث باسم الشرطة كارل يوهانسون إن التحقيق ما زال مستمرا في الحادث.\n"
        "وقال سفير البلد لدى المنظمة وليد سمعان في بيان إن القرار يهدد الاستقرار.\n"
        "وقال المسؤول في وزارة الطاقة أمس بعد لقاءات في العاصمة إن الأسعار ستنخفض قريبا."
    )
    art = _article(text, {})
    spk, names = _speaker_names(art, first_word=True)
    assert spk["التحقيق"] == ["كارل يوهانسون"]
    assert spk["القرار"] == ["وليد سمعان"]
    assert "لقاءات" not in names.values() and spk["الأسعار"] != ["لقاءات"]


def test_a_place_after_a_proclitic_extends_the_body_that_opens_the_slot():
    """Made-up sentence: الجمعية الخيرية بطنطا where only the city was marked (its word carries the proclitic ب): the
    body the slot opens with speaks, not the city."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = "وأعلنت الجمعية الخيرية بطنطا أن توزيع المساعدات يبدأ الأسبوع المقبل في القرى."
    art = _article(text, {"g": ("طنطا", "GPE", None)})
    (q,), ents = extract_quotes_and_speakers(art)
    names = {e.id: e.name for e in ents}
    assert [names.get(i, i) for i in q.speaker] == ["الجمعية الخيرية بطنطا"]


def test_a_name_written_with_hamza_and_lam_is_not_a_definite_word():
    """Made-up sentences: ألفريدو مانتيني normalises to a word that opens with ال, but the hamza of the original text
    says it is a name, not the article; his last name alone later is the same person."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = (
        "وقال ألفريدو مانتيني (40 عاما) من البرازيل إن الرحلة استغرقت أسبوعين في البحر.\n"
        "وأضاف مانتيني أن القارب كان يحمل أكثر من مئة شخص."
    )
    art = _article(text, {"b": ("البرازيل", "GPE", None)})
    quotes, ents = extract_quotes_and_speakers(art)
    names = {e.id: e.name for e in ents}
    assert [[names.get(i, i) for i in q.speaker] for q in quotes] == [["ألفريدو مانتيني"], ["ألفريدو مانتيني"]]


def test_the_ranker_keeps_the_rules_speaker_against_a_near_tie():
    """A ranker whose choice is hardly likelier than the rules' speaker (a margin below ``margin``) keeps the rules'."""
    from marsad.learn.linear import fit
    from marsad.quotes.speakers import SpeakerCandidate, SpeakerModel

    lin = fit([{"a": 1.0}, {"b": 1.0}] * 20 + [{"a": 1.0}], ["1", "0"] * 20 + ["0"], c=10.0)
    text = "قال سامي داود إن الوضع مستقر."
    art = _article(text, {"s": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    q = replace(q, speaker=("r",))
    cands = [SpeakerCandidate("x", {"a": 1.0}), SpeakerCandidate("r", {"a": 1.0})]
    assert SpeakerModel(lin, margin=0.06).decide(art, q, cands).speaker == ("r",)  # a tie: the rules' speaker
    cands = [SpeakerCandidate("x", {"a": 1.0}), SpeakerCandidate("r", {"b": 1.0})]
    assert SpeakerModel(lin, margin=0.06).decide(art, q, cands).speaker == ("x",)  # clearly likelier: the ranker's


def test_an_unnamed_source_in_a_body_the_entity_stage_found_speaks_for_it():
    """Made-up sentences: مصادر في الرابطة كذا، متحدث باسم الرابطة كذا: the guideline names the body the source speaks
    for; a source with no body after في stays unnamed."""
    text = (
        "وقالت مصادر في رابطة الصيادين المستقلة إن الموسم سيبدأ متأخرا هذا العام.\n"
        "وقال مصدر مطلع إن الاجتماع المقبل سيعقد في العاصمة."
    )
    spoken = _spoken(_article(text, {"r": ("رابطة الصيادين المستقلة", "ORG", None)}))
    assert spoken["الموسم سيبدأ متأخرا هذا العام"] == ("r",)
    assert spoken["الاجتماع المقبل سيعقد في العاصمة"] == ()


def test_a_bare_kingdom_is_the_kingdom_the_article_names_not_the_country_it_names_most():
    """Made-up article: a dateline and a minister of one federation, and a statement of a kingdom; المملكة is the
    kingdom even where the other country is named more often."""
    text = (
        "أبوظبي، الإمارات (وكالات) - رحب مسؤول إماراتي بالقرار، وأيدته السعودية أيضا.\n"
        "وأعلنت المملكة أن القرار يخدم الهدوء في المنطقة كلها."
    )
    art = _article(
        text, {"d": ("أبوظبي", "GPE", "ARE"), "u": ("الإمارات", "GPE", "ARE"), "s": ("السعودية", "GPE", "SAU")}
    )
    assert _spoken(art)["القرار يخدم الهدوء في المنطقة كلها"] == ("s",)


def test_a_body_named_in_quotation_marks_after_its_description_speaks():
    """Made-up sentences: وكالة الأنباء المحلية "النجمة": the name in quotation marks after the head's genitive and
    adjectives is the body (proposed by the slot when the entity stage found neither, preferred to the description
    when it found both); two bodies side by side with nothing between are subject and object."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = 'وقالت وكالة الأنباء المحلية "النجمة" إن الطائرات قصفت مواقع قرب الحدود الشمالية.'
    (q,), ents = extract_quotes_and_speakers(_article(text, {}))
    assert [e.name for e in ents if e.id in q.speaker] == ["النجمة"]
    names = {"d": ("وكالة الأنباء المحلية", "ORG", None), "n": ("النجمة", "ORG", None)}
    assert _spoken(_article(text, names))["الطائرات قصفت مواقع قرب الحدود الشمالية"] == ("n",)
    text = "وطالبت الرابطة العربية مجلس الأمناء بأن يعقد اجتماعا عاجلا هذا الأسبوع."
    names = {"r": ("الرابطة العربية", "ORG", None), "m": ("مجلس الأمناء", "ORG", None)}
    assert set(_spoken(_article(text, names)).values()) == {("r",)}


def test_wa_bayna_after_bayna_is_between_not_a_cue():
    """Made-up sentence: محادثات بينه وبين الوزير أن …: the second half of 'between', no reporting verb."""
    text = "وكتب سامي داود في مذكرات المحادثات بينه وبين الوزير أن هذا الأخير أراد تأجيل القرار."
    art = _article(text, {"s": ("سامي داود", "PER", None), "w": ("الوزير", "PER", None)})
    assert all(q.speaker != ("w",) for q in extract_quotes(art))
    assert not any(art.text[q.cue.start : q.cue.end] == "وبين" for q in extract_quotes(art) if q.cue is not None)


def test_a_place_right_after_the_opening_verb_is_the_subject_not_a_person_in_its_object():
    """Made-up sentence: من جانبها، رحبت الدولة بقرار فلان، وقالت في بيان …: the state after the verb is the subject
    the implied speaker of وقالت refers to; the person is inside the object."""
    text = "من جانبها، رحبت فنلندا بمبادرة سامي داود، وقالت في بيان إن المبادرة خطوة مهمة نحو السلام."
    art = _article(text, {"f": ("فنلندا", "GPE", "FIN"), "s": ("سامي داود", "PER", None)})
    assert _spoken(art)["المبادرة خطوة مهمة نحو السلام"] == ("f",)


def test_the_definite_source_with_a_nisba_stays_unnamed():
    """Made-up sentence: المصدر الحكومي الفنلندي refers back to an unnamed source; the nisba names no speaker."""
    text = "استدعت فنلندا سفيرها للتشاور.\nوأوضح المصدر الحكومي الفنلندي أن الحكومة لا تنوي تغيير موقفها في الوقت الحالي."
    art = _article(text, {"f": ("فنلندا", "GPE", "FIN")})
    assert _spoken(art)["الحكومة لا تنوي تغيير موقفها في الوقت الحالي"] == ()


def test_members_of_a_body_speak_for_the_body():
    """Made-up sentences: قادة الحزب كذا / أعضاء الرابطة كذا: the members speak for the body they belong to (the
    slot proposes the body); نواب alone is people described, no name of its own."""

    text = (
        "وأكد قادة الحزب الأخضر في المدينة أنهم سيطالبون بإغلاق المصنع القديم.\n"
        "وقال نواب إن الحكومة تأخرت في إعلان الخطة الجديدة."
    )
    spk, names = _speaker_names(_article(text, {}), first_word=True)
    assert spk["سيطالبون"] == ["الحزب الأخضر"]
    assert "نواب" not in names.values()


def test_a_person_opening_the_sentence_before_an_apposition_is_the_subject_of_the_verb():
    """Made-up sentence: فلانة، الباحثة في جامعة كذا، تقول إن …: the person who opens the sentence speaks (SVO with
    an apposition between subject and verb), not the speaker of the sentence before."""
    text = (
        "وقال سامي داود إن الأرقام مقلقة.\n"
        "ثانيا: هالة يونس الباحثة في علوم المناخ، تقول إن درجات الحرارة سترتفع أكثر في العقد المقبل."
    )
    art = _article(text, {"s": ("سامي داود", "PER", None), "h": ("هالة يونس", "PER", None)})
    assert _spoken(art)["درجات الحرارة سترتفع أكثر في العقد المقبل"] == ("h",)


def test_an_addressee_after_an_apposition_comma_is_no_name():
    """Made-up sentence: المسؤول … فلان الفلاني، لرويترز إن …: the agency the entity stage found after the addressee's
    لـ is whom he told; the slot proposes no person called لرويترز."""
    from marsad.quotes.extract import extract_quotes_and_speakers

    text = "وقال المسؤول المحلي البارز كارل يوهانسون، لرويترز إن الطريق سيفتح قبل نهاية الشهر."
    art = _article(text, {"r": ("رويترز", "ORG", None)})
    (q,), ents = extract_quotes_and_speakers(art)
    names = {e.id: e.name for e in ents}
    assert "لرويترز" not in names.values()
    assert q.speaker != ("r",)


def test_the_name_after_yudaa_speaks_whatever_the_slot_names_first():
    """Made-up sentence: وأضاف الشاهد ويدعى فلان …: the name after يدعى is the speaker's, even where the entity stage
    marked a word before it as a person."""
    text = "وأضاف الشاهد ويدعى كارل يوهانسون، 40 عاما: \"رأينا الدخان يتصاعد من كل مكان\"."
    art = _article(text, {"w": ("الشاهد", "PER", None), "k": ("كارل يوهانسون", "PER", None)})
    assert set(_spoken(art).values()) == {("k",)}


def test_a_title_holder_set_off_by_commas_speaks_not_the_person_in_the_title_genitive():
    """Made-up sentence: رئيس مؤسسة فلان للتجارة، فلان الآخر، للصحيفة إن …: the title's holder named in apposition
    speaks (a time word or whom he told may follow the name), not the person named inside the title's genitive."""
    text = "وقال رئيس مؤسسة سامي داود للتجارة، كارل يوهانسون، الأحد، للصحيفة إن العقد قانوني تماما."
    art = _article(text, {"s": ("سامي داود", "PER", None), "k": ("كارل يوهانسون", "PER", None)})
    assert _spoken(art)["العقد قانوني تماما"] == ("k",)


def test_a_negated_announcement_of_a_noun_is_no_statement():
    """Made-up sentence: لم تعلن الشرطة عن … / ولم يعلن عن هوية …: nothing was said; with a complementiser it is
    still a statement (لم يكشف عن … وقال إن …)."""
    text = "وأغلقت السلطات الطريق الرئيسي، ولم يعلن عن هوية السائق حتى مساء أمس."
    assert extract_quotes(_article(text, {})) == []


def test_a_declared_state_is_no_statement():
    """Made-up sentences: أعلنت الحكومة حالة … / أعلن الرئيس الحداد: an act, not words; أعلن أن … still speaks."""
    text = (
        "وأعلنت حالة التأهب القصوى في المدن الساحلية بعد العاصفة.\n"
        "وأعلن سامي داود أن الحكومة ستعوض المتضررين خلال أسابيع."
    )
    quotes = extract_quotes(_article(text, {"s": ("سامي داود", "PER", None)}))
    assert [q.speaker for q in quotes] == [("s",)]


def test_adaf_with_an_object_and_no_complementiser_is_no_statement():
    """Made-up sentences: أضاف اللاعب الهدف الثاني 'added the second goal' is no statement; وأضاف أن … and وأضاف: …
    are."""
    text = (
        "وأضاف المهاجم كارل يوهانسون الهدف الثاني بتسديدة قوية من خارج منطقة الجزاء في الدقيقة العشرين من الشوط "
        "الأول، قبل أن يرد الفريق المنافس بهدف.\n"
        "وأضاف يوهانسون أن الفريق لعب بثقة كبيرة طوال المباراة."
    )
    quotes = extract_quotes(_article(text, {"k": ("كارل يوهانسون", "PER", None)}))
    assert [text[q.content.start : q.content.end].split()[0] for q in quotes] == ["الفريق"]


def test_insisting_threatening_claiming_admitting_and_ruling_out_are_statements():
    """أصر على أن، توعد بأن، ادعى أن، اعترف بأن، استبعد أن، رجح أن report what someone said, as قال does."""
    text = (
        "وأصر المدير سامي داود على أن المصنع سيفتح أبوابه قريبا. "
        "وتوعد الوزير كريم ناصر بأن المخالفين سيدفعون الثمن. "
        "وادعت الممثلة ليلى حسن في رسالة أنها تلقت الأموال نقدا. "
        "واعترفت الشركة بأنها أخفت العيوب عن الزبائن. "
        "واستبعد رامي فؤاد أن تنتهي الأزمة هذا الشهر. "
        "ورجح الخبير هاني عادل أن الأسعار سترتفع مجددا."
    )
    art = _article(text, {
        "e1": ("سامي داود", "PER", None), "e2": ("كريم ناصر", "PER", None), "e3": ("ليلى حسن", "PER", None),
        "e4": ("الشركة", "ORG", None), "e5": ("رامي فؤاد", "PER", None), "e6": ("هاني عادل", "PER", None),
    })  # fmt: skip
    got = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert got == {"المصنع": ("e1",), "المخالفين": ("e2",), "تلقت": ("e3",), "أخفت": ("e4",), "تنتهي": ("e5",),
                   "الأسعار": ("e6",)}  # fmt: skip


def test_the_ranker_names_nobody_for_an_unnamed_source_but_may_for_a_title_the_rules_left_open():
    """مصدر مطلع، تقارير، عاملون في …، قالوا: the rules' unnamed source stands however likely the ranker finds a
    nearby name; a definite title the rules left without a speaker (رئيس الجمعية) is the ranker's to resolve."""
    from marsad.learn.linear import fit
    from marsad.quotes.speakers import SpeakerCandidate, SpeakerModel

    lin = fit([{"a": 1.0}, {"b": 1.0}] * 20, ["1", "0"] * 20, c=10.0)
    text = "قال سامي داود إن الوضع مستقر."
    art = _article(text, {"s": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    cands = [SpeakerCandidate("s", {"a": 1.0})]
    model = SpeakerModel(lin)
    for desc in ("مصدر مطلع", "تقارير صحفية", "عاملون في المصنع", "plural"):
        unnamed = replace(q, speaker=(), attrs={**dict(q.attrs), "description": desc})
        assert model.decide(art, unnamed, cands).speaker == (), desc
    titled = replace(q, speaker=(), attrs={**dict(q.attrs), "description": "رئيس الجمعية"})
    assert model.decide(art, titled, cands).speaker == ("s",)


def test_a_body_noun_phrase_ends_where_an_indefinite_word_follows_a_definite_one():
    """الرابطة عدم حضورها، النقابة أنباء …: an adjective agrees in definiteness with its noun, so an indefinite word
    after a definite one opens the verb's object; a genitive with a proclitic (للإحصاء) and a name after a title
    (الملك فلان) stay in the name."""
    from marsad.lang.ar.textlayer import tokens_of
    from marsad.quotes.slot import org_noun_phrase

    def np(text: str) -> str:
        art = _article(text, {})
        toks = tokens_of(art, 0, len(text))
        return text[toks[1].start : toks[org_noun_phrase(toks, 1, len(toks)) - 1].end]

    assert np("وأعلنت الرابطة عدم حضورها المعرض") == "الرابطة"
    assert np("ونفت النقابة المستقلة أنباء متداولة عن الإضراب") == "النقابة المستقلة"
    assert np("وقالت الهيئة العامة للإحصاء إن") == "الهيئة العامة للإحصاء"
    assert np("وقالت مؤسسة الملك سلمان إن") == "مؤسسة الملك سلمان"


def test_a_noun_phrase_content_starts_after_the_speakers_name_not_after_a_place_in_it():
    """أعلن فلان إطلاق حملة … في مدينة كذا … قائلا إن …: the complementiser is far, so the object noun phrase is the
    content; it starts after the person's name, not after the last place it names."""
    text = (
        "أعلن المدير سامي داود إطلاق حملة واسعة لتنظيف شوارع مدينة الميناء وحدائقها العامة خلال الصيف "
        "قائلا إن البلدية ستتحمل الكلفة كاملة."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", None), "p": ("الميناء", "GPE", None)})
    got = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert got.get("إطلاق") == ("e1",)


def test_a_present_cue_after_an_or_lan_is_no_statement_unless_it_tells_a_past_event():
    """أن تعلن، لن يرى: what someone may, should or will not say; قبل أن يقول فلان إن …: a past statement told in the
    present, which stays."""
    text = (
        "ويريد المواطنون أن تعلن الحكومة موعد الانتخابات بسرعة. "
        "وقبل أن يقول الوزير كريم ناصر إن الحل بات قريبا، غادر المعارضون القاعة."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", None), "e2": ("كريم ناصر", "PER", None)})
    got = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert got == {"الحل": ("e2",)}


def test_a_decimal_point_ends_no_sentence():
    """كشفت الهيئة أن 12.5 في المئة …: the word pattern splits a number at its stop, which ends no sentence."""
    text = "وكشفت الهيئة أن نحو 12.5 في المئة من الموظفين يعملون عن بعد منذ العام الماضي."
    art = _article(text, {"h": ("الهيئة", "ORG", None)})
    (q,) = extract_quotes(art)
    assert art.text[q.content.start : q.content.end] == "نحو 12.5 في المئة من الموظفين يعملون عن بعد منذ العام الماضي"


def test_the_name_ali_is_no_preposition_in_a_sentence_subject():
    """وجه علي فلان رسالة …، مشيرا إلى …: normalising spells the name علي as the preposition على; inside a mention it
    is a name, so the sentence's subject (who the implied speaker is) is read past it."""
    text = (
        "وقال سامي داود إن المدارس ستغلق غدا. "
        "ومن جانبه وجه علي حسن، رئيس البلدية، رسالة إلى الأهالي، مشيرا إلى أن الحياة ستعود سريعا."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", None), "e2": ("علي حسن", "PER", None)})
    got = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert got["الحياة"] == ("e2",)


def test_after_amma_the_name_set_off_by_commas_holds_the_title():
    """أما رئيس الهيئة، فلان، فدعا إلى …: the topic's title belongs to the name in apposition, who speaks (and goes on
    speaking in the وقال that follows)."""
    text = (
        "أما المندوب الخاص بالرابطة المستقلة، سامي داود، فدعا إلى الهدوء والتروي في الأيام المقبلة.\n"
        'وقال: "المرحلة صعبة على الجميع".'
    )
    art = _article(text, {"e1": ("سامي داود", "PER", None), "o": ("الرابطة المستقلة", "ORG", None)})
    got = {art.text[q.content.start : q.content.end].split()[0]: q.speaker for q in extract_quotes(art)}
    assert got == {"الهدوء": ("e1",), "المرحلة": ("e1",)}


def test_a_cue_after_a_comma_with_only_its_subject_attributes_the_clause_before():
    """…، تقول صحيفة كذا.: the attribution comes after what was said; وقال فلان إن … opens a statement of its own."""
    text = "الحكومة ستخفض الضرائب على المصانع الصغيرة العام المقبل، تقول صحيفة النهار المستقلة."
    art = _article(text, {"p": ("صحيفة النهار المستقلة", "ORG", None)})
    (q,) = extract_quotes(art)
    assert art.text[q.content.start : q.content.end] == "الحكومة ستخفض الضرائب على المصانع الصغيرة العام المقبل"
    assert q.speaker == ("p",)


def test_where_a_title_holder_serves_belongs_to_the_speaker_phrase():
    """أعلن السفير الفلاني لدى البلد، فلان، الاثنين، معارضة …: the noun-phrase content starts after the whole speaker
    phrase (لدى البلد and the name in apposition), and the name in apposition speaks."""
    text = "أعلن السفير الكندي لدى المنظمة، سامي داود، الاثنين، معارضة حكومته أي تأجيل جديد للمحادثات."
    art = _article(text, {
        "e1": ("سامي داود", "PER", None), "o": ("المنظمة", "ORG", None), "c": ("الكندي", "GPE", "CAN"),
    })  # fmt: skip
    (q,) = extract_quotes(art)
    assert art.text[q.content.start : q.content.end].startswith("معارضة حكومته")
    assert q.speaker == ("e1",)


def test_a_title_with_a_name_in_apposition_is_no_unnamed_source():
    """قال حاكم ولاية كذا، فلان، في مؤتمر صحفي إن …: an indefinite title whose genitive is a name not marked with ال,
    and a name set off by commas after it: the person speaks (no unnamed source)."""
    text = "قال حاكم ولاية تشينو راي، ناروكي تاكاهاشيمورا، في مؤتمر صحفي إن فرق الإنقاذ وصلت إلى المنطقة."
    spoken, names = _speaker_names(_article(text, {}))
    assert spoken["فرق الإنقاذ وصلت إلى المنطقة"] == ["ناروكي تاكاهاشيمورا"]


def test_tudhkar_closing_a_noun_phrase_is_no_cue():
    """لم تسجل الشرطة أي حوادث تذكر، بعد أن أعلن فلان أنه …: 'worth mentioning' reports nothing, and the statement
    after it keeps its own cue and speaker."""
    text = "ولم تسجل الشرطة أي حوادث تذكر، بعد أن أعلن سامي داود أنه سيؤجل تطبيق القرار الجديد."
    art = _article(text, {"e1": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    assert art.text[q.content.start : q.content.end].startswith("سيؤجل")
    assert q.speaker == ("e1",)


def test_who_is_quoted_on_the_tongue_of_speaks_not_the_channel():
    """بثت الإذاعة على لسان فلان قوله: "…": as with نقلت الإذاعة عن فلان قوله, the person quoted speaks."""
    text = 'وبثت الإذاعة الحكومية على لسان المتحدث باسم الرابطة، سامي داود، قوله: "الاجتماع المقبل سيحسم الأمر".'
    art = _article(text, {"e1": ("سامي داود", "PER", None), "a": ("الإذاعة الحكومية", "ORG", None)})
    (q,) = extract_quotes(art)
    assert q.speaker == ("e1",)


def test_our_correspondent_and_relatives_are_unnamed_sources():
    """أفاد مراسلنا بأن …، قال أقارب الضحية إن …: nobody named, not the previous speaker carried over."""
    text = (
        "وقال سامي داود إن المصنع سيغلق أبوابه.\n"
        "وأفاد مراسلنا بأن العمال تجمعوا أمام البوابة الرئيسية.\n"
        "وقال أقارب أحد العمال إن الرواتب لم تدفع منذ شهرين."
    )
    spoken = _spoken(_article(text, {"e1": ("سامي داود", "PER", None)}))
    assert spoken["العمال تجمعوا أمام البوابة الرئيسية"] == ()
    assert spoken["الرواتب لم تدفع منذ شهرين"] == ()


def test_a_cue_with_no_subject_after_an_unnamed_source_is_his_again():
    """وأفاد مصدر محلي أن …، وأوضح أن …، مؤكدا أن …: the unnamed source goes on speaking (nobody named), where the
    latest named speaker would otherwise be carried over; a cue with words of its own (وقال فلان إن …) is not."""
    text = (
        "وقال سامي داود إن المصنع سيغلق أبوابه.\n"
        "وأفاد مصدر محلي أن العمال تجمعوا أمام البوابة. وأوضح أن الشرطة وصلت بعد ساعة، مؤكدا أن أحدا لم يصب."
    )
    spoken = _spoken(_article(text, {"e1": ("سامي داود", "PER", None)}))
    assert spoken["العمال تجمعوا أمام البوابة"] == ()
    assert spoken["الشرطة وصلت بعد ساعة"] == ()
    assert spoken["أحدا لم يصب"] == ()
    assert spoken["المصنع سيغلق أبوابه"] == ("e1",)


def test_a_statement_published_by_a_site_speaks_for_the_site():
    """قالت الرسالة، التي نشرت على موقع "كذا"، إن …: the body or site named in the relative clause issued it."""
    text = (
        "وانتقد الباحث سامي داود زملاءه في محاضرة.\n"
        'وقالت الرسالة، التي نشرت على موقع "رابطة العلماء الأحرار"، إن المحاضرة مسيئة للباحثات.'
    )
    art = _article(text, {"e1": ("سامي داود", "PER", None), "o": ("رابطة العلماء الأحرار", "ORG", None)})
    spoken = _spoken(art)
    assert spoken["المحاضرة مسيئة للباحثات"] == ("o",)


def test_a_promise_is_a_statement():
    """ووعد فلان بأن …: the promise is reported speech; يعد (also 'is considered') is not among the forms."""
    text = "ووعد سامي داود بأن المستشفى الجديد سيفتح أبوابه قبل نهاية العام. ويعد المشروع الأول من نوعه."
    art = _article(text, {"e1": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    assert art.text[q.content.start : q.content.end].startswith("المستشفى الجديد")
    assert q.speaker == ("e1",)


def test_a_title_chain_up_to_the_holders_name_is_the_speaker_phrase_of_a_noun_phrase_content():
    """نوه وكيل الهيئة للشؤون الفنية الدكتور فلان، بالتزام …: the title's genitive chain runs to the holder's name, who
    speaks; the content starts after it."""
    text = "ونوه وكيل الهيئة للشؤون الفنية الدكتور سامي داود، بالتزام الهيئة بتطبيق الخطة الجديدة في موعدها."
    art = _article(text, {"e1": ("سامي داود", "PER", None), "h": ("الهيئة", "ORG", None)})
    (q,) = extract_quotes(art)
    assert q.speaker == ("e1",)
    assert art.text[q.content.start : q.content.end].startswith("بالتزام")


def test_the_one_name_before_an_object_first_verbs_complement_is_its_object():
    """ووصف X بأنها …، اتهم X بأنه …، حث X على: a single name right before the complement is the object (spoken about or
    to); the subject was named before. With a second name first (اتهم فلان X بـ), the first is the subject."""
    text = (
        "قال سامي داود إن الحوار مستمر مع الجميع.\n"
        "ووصف موسكو بأنها شريك صعب في هذه المرحلة.\n"
        "ووصف كريم ناصر موسكو بأنها شريك لا بد منه في المنطقة."
    )
    art = _article(
        text, {"p": ("سامي داود", "PER", None), "k": ("كريم ناصر", "PER", None), "g": ("موسكو", "GPE", "RUS")}
    )
    got = {art.text[q.content.start : q.content.end]: q.speaker for q in extract_quotes(art)}
    assert [s for c, s in got.items() if "شريك صعب" in c] == [("p",)]
    assert [s for c, s in got.items() if "شريك لا بد" in c] == [("k",)]


def test_the_grammatical_gender_of_a_reporting_verb():
    """قال / يقول / موكدا: masculine; قالت / تقول / موكده: feminine; plurals and duals: neither."""
    from marsad.quotes.speakers import cue_gender

    assert [cue_gender(w) for w in ("وقال", "قالت", "يقول", "تقول", "موكدا", "موكده", "قالوا", "تابع", "نفت")] == [
        "m", "f", "m", "f", "m", "f", "", "m", "f",
    ]  # fmt: skip


def test_a_definite_organisation_head_before_an_indefinite_word_is_the_whole_speaker_phrase():
    """أعلنت الهيئة تعليق مشاركة فلان …، أكدت الشركة احتجاز فلان …: a definite head takes no indefinite genitive, so the
    head alone (the body named before) speaks and the object noun phrase, with the person in it, is the content;
    before a preposition's word (اتهمت الهيئة بـ …) the head is left to the other rules."""
    text = (
        "أصدرت الهيئة الدولية للعلوم قرارها أمس.\n"
        "وأعلنت الهيئة تعليق مشاركة سامي داود في كل أعمالها المقبلة."
    )
    art = _article(text, {"p": ("سامي داود", "PER", None), "o": ("الهيئة الدولية للعلوم", "ORG", None)})
    (q,) = [q for q in extract_quotes(art) if "أعمالها" in art.text[q.content.start : q.content.end]]
    assert art.text[q.content.start : q.content.end].startswith("تعليق مشاركة")
    assert q.speaker == ("o",)


def test_the_ranker_sees_a_verb_of_the_other_gender_than_one_the_candidate_was_subject_of():
    """وقالت فلانة … then وقال إنه …: a candidate named the subject of a feminine verb earlier is flagged when a later
    masculine verb has no subject of its own (and the other way round)."""
    from marsad.quotes.speakers import speaker_candidates

    text = (
        "وقالت سلمى داود إن الحوار مستمر مع الجميع.\n"
        "ورد كريم ناصر على الاقتراح. وقال إن الحوار لم يبدأ بعد."
    )
    art = _article(text, {"s": ("سلمى داود", "PER", None), "k": ("كريم ناصر", "PER", None)})
    art = art.evolve(quotes=tuple(extract_quotes(art)))
    assert len(art.quotes) == 2
    first, second = speaker_candidates(art)
    assert not any("gender_clashes" in c.feats for c in first)
    feats = {c.entity: c.feats for c in second}
    assert "gender_clashes" in feats["s"] and "gender_clashes" not in feats["k"]


def test_a_longer_name_around_a_known_entity_is_that_entity():
    """Made-up sentences: the slot names a body the entity stage knows by a shorter name (مؤسسة كذا around كذا, a
    nisba after it); the speaker is that entity with one more mention, not a second entity for the same body. A
    proposal nobody speaks through is dropped, and one that coordinates two bodies stays itself."""
    from marsad.quotes.stage import settle_proposals

    text = (
        "وقالت مؤسسة النخيل الزراعية السودانية إن المحصول تضاعف هذا العام.\n"
        "وأضاف رئيس النخيل الزراعية أن الصادرات ستبدأ قريبا.\n"
        "وذكر مجلس النخيل الزراعية والواحات الخضراء أن الأسعار مستقرة."
    )
    art = _article(text, {"e1": ("النخيل الزراعية", "ORG", None), "e2": ("الواحات الخضراء", "ORG", None)})
    long_a = text.find("مؤسسة النخيل")
    long_b = text.find(" إن")
    council_a = text.find("مجلس النخيل")
    council_b = text.find(" أن الأسعار")
    s1 = Entity("s1", "ORG", text[long_a:long_b], (Span(long_a, long_b, "mention"),), attrs={"source": ["speaker-slot"]})
    s2 = Entity("s2", "ORG", "الهيئة", (Span(0, 4, "mention"),), attrs={"source": ["speaker-slot"]})
    s3 = Entity(
        "s3", "ORG", text[council_a:council_b], (Span(council_a, council_b, "mention"),),
        attrs={"source": ["speaker-slot"]},
    )  # fmt: skip
    quotes = extract_quotes(art)
    assert len(quotes) == 3
    quotes = [replace(quotes[0], speaker=("s1",)), replace(quotes[1], speaker=("e1",)), replace(quotes[2], speaker=("s3",))]
    art = art.evolve(entities=(*art.entities, s1, s2, s3), quotes=tuple(quotes))
    out = settle_proposals(art, [s1, s2, s3])
    assert [q.speaker for q in out.quotes] == [("e1",), ("e1",), ("s3",)]
    ids = [e.id for e in out.entities]
    assert "s1" not in ids and "s2" not in ids and "s3" in ids
    e1 = out.entity("e1")
    assert e1 is not None
    assert (long_a, long_b) in {(m.start, m.end) for m in e1.mentions}


def test_a_title_in_construct_with_a_definite_noun_is_no_unnamed_source():
    """قائد الكتيبة، مدير المستشفى: a title annexed to a definite noun is definite, the office holder the article
    names; an indefinite title or source (مسؤول حكومي، مصدر أمني) stays unnamed."""
    from marsad.quotes.speakers import _unnamed_description

    assert not _unnamed_description("قائد الكتيبة الثالثة")
    assert not _unnamed_description("مدير المستشفى")
    assert _unnamed_description("مسؤول حكومي")
    assert _unnamed_description("مصدر أمني رفيع")
    assert _unnamed_description("المصادر")


def test_an_unnamed_source_before_a_relative_is_the_verb_subject():
    """…، وفق المصادر التي ذكرت أن …: the relative's antecedent, an unnamed source, is the subject of the verb
    after it; not the body named earlier in the sentence."""
    text = "وتقدمت قوات الحرس الجمهوري نحو البلدة، وفق المصادر التي ذكرت أن المعارك توقفت مساء أمس."
    art = _article(text, {"o": ("قوات الحرس الجمهوري", "ORG", None)})
    (q,) = extract_quotes(art)
    assert q.speaker == ()
    assert art.text[q.content.start : q.content.end].startswith("المعارك توقفت")
    assert "المصادر" in str(q.attrs.get("description"))
    # a named body before the relative is no unnamed source: the rules look elsewhere
    text2 = "وتقدمت القوات نحو البلدة، وفق مصادر في هيئة الإغاثة التي ذكرت أن المعارك توقفت مساء أمس."
    art2 = _article(text2, {"h": ("هيئة الإغاثة", "ORG", None)})
    (q2,) = extract_quotes(art2)
    assert q2.attrs.get("description") != "مصادر في هيئة الإغاثة"


def test_a_patronymic_around_a_known_name_names_another_person():
    """سامر بن خليل around خليل: the son of the man named, another person (no merge); بن خليل alone, with no first
    name before it, is his family name (the same person)."""
    from marsad.quotes.speakers import proposal_hosts

    text = "وكان خليل قد زار المدينة. وقال سامر بن خليل إن الزيارة ناجحة. وقال بن خليل إن الطريق آمن."
    art = _article(text, {"k": ("خليل", "PER", None)})
    a1 = text.find("سامر بن خليل")
    a2 = text.rfind("بن خليل")
    son = Entity("s1", "PER", "سامر بن خليل", (Span(a1, a1 + len("سامر بن خليل"), "mention"),))
    same = Entity("s2", "PER", "بن خليل", (Span(a2, a2 + len("بن خليل"), "mention"),))
    art = art.evolve(entities=(*art.entities, son, same))
    assert proposal_hosts(art, [son, same]) == {"s2": "k"}


def test_a_cited_unnamed_source_speaks_again_after_its_sentence():
    """وذكرت مصادر … / وبحسب المصادر، فإن الشركة …: a later وأضافت أن with no subject of its own is the cited
    source again, not the body the cited sentence is about."""
    text = (
        "وذكرت مصادر محلية أن المياه غمرت عدة قرى في الوادي.\n"
        "وبحسب المصادر، فإن شركة الكهرباء الوطنية قطعت التيار عن المنطقة منذ الصباح.\n"
        "وأضافت أن فرق الإنقاذ لم تصل بعد إلى القرى المعزولة."
    )
    art = _article(text, {"c": ("شركة الكهرباء الوطنية", "ORG", None)})
    last = extract_quotes(art)[-1]
    assert art.text[last.content.start : last.content.end].startswith("فرق الإنقاذ")
    assert last.speaker == ()


def test_an_unnamed_subject_of_a_cue_that_reports_nothing_stays_the_latest_speaker():
    """ووصفت مصادر طبية الوضع بالصعب، لكنها نفت …: the first cue reports no statement here, yet its unnamed subject
    is whom the subjectless نفت refers back to, not the body named in an earlier quote."""
    text = (
        "وقالت إدارة المستشفى المركزي إن الأجنحة مكتظة بالمرضى منذ أيام.\n"
        "ووصفت مصادر طبية الوضع بالصعب، لكنها نفت وقوع وفيات جديدة خلال الليلة الماضية."
    )
    art = _article(text, {"h": ("إدارة المستشفى المركزي", "ORG", None)})
    quotes = extract_quotes(art)
    last = quotes[-1]
    assert art.text[last.content.start : last.content.end].startswith("وقوع وفيات")
    assert last.speaker == ()
    assert quotes[0].speaker == ("h",)


def test_content_ends_at_a_later_cue_that_opens_a_clause():
    # أعلن inside the content opens no clause of its own; the وأضاف after it does, even though it is not the next cue
    text = (
        "قال سامي داود إن الوزير أعلن أمس أن المصنع سيغلق أبوابه، وأضاف أن العمال سيحصلون على تعويضات كاملة."
    )
    art = _article(text, {"e1": ("سامي داود", "PER", "EGY")})
    got = {art.text[q.content.start : q.content.end] for q in extract_quotes(art)}
    assert "العمال سيحصلون على تعويضات كاملة" in got
    assert not any("وأضاف" in c for c in got)


def test_a_town_the_registry_knows_speaks_for_nobody():
    """A place below a state (a registry city or province) is neither the rules' speaker nor the ranker's choice;
    a capital stands for its state and a country speaks."""
    from marsad.learn.linear import fit
    from marsad.quotes.speakers import SpeakerCandidate, SpeakerModel

    lin = fit([{"a": 1.0}, {"b": 1.0}] * 20, ["1", "0"] * 20, c=10.0)
    text = "وقالت مدينة الواحة إن المياه عادت إلى الأحياء. وقالت العاصمة إن الحدود مفتوحة."
    art = _article(text, {"t": ("الواحة", "GPE", "XYZ"), "c": ("العاصمة", "GPE", "XYZ")})
    ents = {e.id: e for e in art.entities}
    art = art.evolve(entities=(replace(ents["t"], actor_id="city:oasis"), replace(ents["c"], actor_id="cap:XYZ")))
    q1, q2 = extract_quotes(art)
    model = SpeakerModel(lin)
    assert q1.speaker == ("t",)
    assert model.decide(art, q1, [SpeakerCandidate("t", {"a": 1.0})]).speaker == ()
    assert model.decide(art, replace(q1, speaker=()), [SpeakerCandidate("t", {"a": 1.0})]).speaker == ()
    assert model.decide(art, replace(q2, speaker=("c",)), [SpeakerCandidate("c", {"a": 1.0})]).speaker == ("c",)


def test_a_place_that_is_no_polity_speaks_for_nobody():
    """A LOC (a coast, a valley) the rules took for the speaker is no speaker: the quote is left to the ranker."""
    from marsad.learn.linear import fit
    from marsad.quotes.speakers import SpeakerModel

    lin = fit([{"a": 1.0}, {"b": 1.0}] * 20, ["1", "0"] * 20, c=10.0)
    text = "وقال الساحل الشرقي إن الأمواج عالية اليوم."
    art = _article(text, {"l": ("الساحل الشرقي", "LOC", None)})
    (q,) = extract_quotes(art)
    q = replace(q, speaker=("l",))
    assert SpeakerModel(lin).decide(art, q, []).speaker == ()


def test_decide_uses_the_no_speaker_set_it_is_given_and_computes_it_otherwise():
    """``SpeakerModel.decide`` takes the article's set of entities that speak for nobody from its caller (``assign``
    computes it once per article); without one it computes it from the article (a person speaks)."""
    from marsad.learn.linear import fit
    from marsad.quotes.speakers import SpeakerCandidate, SpeakerModel, _no_speakers

    lin = fit([{"a": 1.0}, {"b": 1.0}] * 20, ["1", "0"] * 20, c=10.0)
    art = _article("قال سامي داود إن الوضع مستقر.", {"s": ("سامي داود", "PER", None)})
    (q,) = extract_quotes(art)
    cands = [SpeakerCandidate("s", {"a": 1.0})]
    model = SpeakerModel(lin)
    assert _no_speakers(art) == set()
    assert model.decide(art, q, cands).speaker == ("s",)
    assert model.decide(art, q, cands, no_speakers=set()).speaker == ("s",)
    assert model.decide(art, q, cands, no_speakers={"s"}).speaker == ()
