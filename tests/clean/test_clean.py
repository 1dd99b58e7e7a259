import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.clean import CleanStage
from marsad.clean.lines import split_lines
from marsad.data import Article, Rejection

SEED_TITLE = "الصين وروسيا تؤكدان أهمية الحفاظ على المصالح المشتركة"
CLEAN = CleanStage()

PARA = (
    "أكد وزير الخارجية أهمية دعم القواعد الأساسية للعلاقات الدولية، وحماية القانون الدولي، والحفاظ على "
    "المصالح المشتركة للدولتين، مع حماية الاستقرار والتعاون الدوليين في المنطقة."
)


def clean(text: str, **meta) -> Article:
    out = CLEAN(Article.new(text, **meta))
    assert isinstance(out, Article), out
    return out


def texts(a: Article, layer: str) -> list[str]:
    return [a.text[s.start : s.end] for s in a.layer(layer)]


# -- the seed page (acceptance of issue 2) ----------------------------------------------------------------
def test_seed_page(seed_text):
    a = clean(seed_text)
    assert a.title == SEED_TITLE
    assert texts(a, "title") == [SEED_TITLE]
    assert a.published == "2020-12-23"
    assert a.published_time == "00:00"
    assert a.meta["counters"] == [4, 0, 0]
    assert texts(a, "boilerplate") == [
        "• 12/23/2020",
        "• 00:00",
        "• 4",
        "• 0",
        "• 0",
        "news-picture",
        "مشاركة :",
    ]
    kinds = [s.attrs["kind"] for s in a.layer("boilerplate")]
    assert kinds == ["date", "time", "counter", "counter", "counter", "image", "share"]
    assert len(a.layer("body")) == 1
    assert a.body.startswith("أكد وزيرا خارجية الصين وروسيا") and a.body.endswith("والتعاون الدوليين.")


def test_given_metadata_wins_but_title_line_stays_out_of_body(seed_text):
    a = clean(seed_text, title=SEED_TITLE + " (معدل)", published="2020-12-24")
    assert a.title == SEED_TITLE + " (معدل)" and a.published == "2020-12-24"
    b = clean(seed_text, title=SEED_TITLE)
    assert texts(b, "title") == [SEED_TITLE]
    assert SEED_TITLE not in b.body


# -- gold pages (scraped page text dumps) --------------------------------------------------------------------
def _tokens(s: str) -> list[str]:
    return s.split()


def _f1(pred: str, gold: str) -> float:
    from collections import Counter

    p, g = Counter(_tokens(pred)), Counter(_tokens(gold))
    ov = sum((p & g).values())
    if not ov:
        return 0.0
    prec, rec = ov / sum(p.values()), ov / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def _gold_pages(shared: Path) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((shared / "gold" / "dev").glob("page-*.json"))
    ]


def test_gold_pages_title_date_and_body(shared):
    pages = _gold_pages(shared)
    assert pages
    for g in pages:
        a = clean(g["text"])
        assert a.title == g["title"], g["id"]
        assert a.published == g["published"], g["id"]
        skip = set(g["boilerplate"]) | {g["title"]}
        gold_body = "\n".join(
            ln.strip() for ln in g["text"].splitlines() if ln.strip() and ln.strip() not in skip
        )
        assert _f1(a.body, gold_body) >= 0.9, g["id"]


def test_published_date_never_comes_from_widgets_related_or_body():
    widget = ["حالة الطقس", "الخميس 12 / 04 / 2020", "34°C", "الرئيسية", "سياسة", "اقتصاد", "رياضة"]
    related = ["الأكثر قراءة", "عنوان خبر آخر عن موضوع مختلف تماما في المنطقة", "الاحد 26 / 04 / 2020"]
    body = "وقال الوزير في 3 مارس 2020 إن المحادثات، التي استمرت ساعات، كانت مثمرة وبناءة للغاية بين البلدين."
    text = "\n\n".join([*widget, "عنوان الخبر عن المحادثات الثنائية", "كتب محمد علي", body, PARA, *related])
    a = clean(text)
    assert a.title == "عنوان الخبر عن المحادثات الثنائية"
    assert a.published is None
    with_strip = text.replace("كتب محمد علي", "كتب محمد علي\n\nالثلاثاء ١ / ١٢ / ٢٠٢٠\n\n٠٢:٠٠")
    b = clean(with_strip)
    assert (b.published, b.published_time) == ("2020-12-01", "02:00")


# -- rejections ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,code",
    [("", "E_EMPTY"), ("  \n\t\n", "E_EMPTY"), ("Hello world, no Arabic here at all.", "E_NOT_ARABIC")],
)
def test_rejects_empty_and_non_arabic(text, code):
    out = CLEAN(Article.new(text, source="x.txt"))
    assert isinstance(out, Rejection) and out.stage == "clean" and out.code == code and out.reason


def test_short_text_is_all_body():
    a = clean("قال الرئيس إن المحادثات مثمرة")
    assert a.body == "قال الرئيس إن المحادثات مثمرة"


def test_subheading_between_paragraphs_is_body_and_share_widget_is_not():
    text = "\n".join(
        [
            "عنوان الخبر الرئيسي عن المحادثات",
            "12/05/2021",
            PARA,
            "محادثات جديدة",
            PARA,
            "مشاركة",
            "فيسبوك",
            "تويتر",
        ]
    )
    a = clean(text)
    assert a.title == "عنوان الخبر الرئيسي عن المحادثات"
    assert a.published == "2021-05-12"
    assert texts(a, "body") == [PARA, "محادثات جديدة", PARA]
    assert [s.attrs["kind"] for s in a.layer("boilerplate")] == ["date", "share", "share", "share"]


def test_related_list_after_the_article_is_not_body():
    related = [f"عنوان خبر آخر رقم {i} عن موضوع مختلف تماما في المنطقة" for i in range(8)]
    text = "\n\n".join(["عنوان الخبر", "الأحد، 04 آب/اغسطس 2013", PARA, PARA, "اقرأ أيضا", *related])
    a = clean(text)
    assert texts(a, "body") == [PARA, PARA]
    assert a.published == "2013-08-04"


# -- properties ---------------------------------------------------------------------------------------------
LINES = st.sampled_from(
    [
        PARA,
        PARA[:60],
        "مشاركة :",
        "• 12/23/2020",
        "• 00:00",
        "• 4",
        "news-picture",
        "الرئيسية",
        "اقرأ أيضا",
        "عنوان خبر قصير عن السياسة",
        "جميع الحقوق محفوظة © 2020",
        "REUTERS",
        "  ",
        "",
        "|",
        "\ufeff",
        "كتب محمد علي",
        "الإثنين، 24 أغسطس 2020 09:56 ص",
        "Share on facebook",
        "قبل 12 دقيقة",
        "34°C",
        "انتكاسة جديدة",
        "إذا كان التعليق يحتوي على شتائم أو تهديدات موجهة للمستخدمين الآخرين.",
        'وقال: "نعم".',
        "abc def",
    ]
)
PAGES = st.lists(LINES, min_size=1, max_size=40).flatmap(
    lambda ls: st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\r", "\u2028"]).map(lambda sep: sep.join(ls))
)


@settings(max_examples=150, deadline=None)
@given(PAGES)
def test_every_line_lands_in_exactly_one_layer_and_spans_slice(text):
    out = CLEAN(Article.new(text))
    if isinstance(out, Rejection):
        assert out.code in {"E_EMPTY", "E_NOT_ARABIC"}
        return
    layers = {k: out.layer(k) for k in ("title", "boilerplate", "body")}
    assert len(layers["title"]) <= 1
    seen: dict[int, str] = {}
    for name, spans in layers.items():
        for s in spans:
            assert 0 <= s.start < s.end <= len(text)
            assert text[s.start : s.end] == text[s.start : s.end].strip() or not text[s.start : s.end].strip()
            assert s.start not in seen, (name, seen.get(s.start))
            seen[s.start] = name
    lines = split_lines(text)
    assert {ln.start for ln in lines} == set(seen)  # every non-empty line is in exactly one layer
    for ln in text.splitlines():
        if ln.strip():
            assert any(ln.strip() == text[s : s + len(ln.strip())] for s in seen)
    assert out.body == "\n\n".join(text[s.start : s.end] for s in layers["body"])
    back = Article.from_json(out.to_json())
    assert back == out


def test_furniture_free_text_keeps_poems_and_lists_in_the_body():
    text = "\n".join(["كان عليّ أن أتوقف عن الوجوم", "لقلوب من معي", "***", "سيكون عليهم العودة لها يوماً ما"])
    a = clean(text)
    assert texts(a, "body") == [
        "كان عليّ أن أتوقف عن الوجوم",
        "لقلوب من معي",
        "سيكون عليهم العودة لها يوماً ما",
    ]
    assert [s.attrs["kind"] for s in a.layer("boilerplate")] == ["symbol"]


def test_wire_story_dateline_is_body_and_end_marks_are_not():
    text = "\n".join(["برلين 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس", PARA, "// انتهى //", "15:28 ت م"])
    a = clean(text, title="عام / خبر", published="2015-08-10")
    assert texts(a, "body")[0].startswith("برلين 25 شوال")
    assert [s.attrs["kind"] for s in a.layer("boilerplate")] == ["end", "time"]


def test_plain_headline_then_paragraphs():
    a = clean("عنوان الخبر عن المحادثات\n\n" + PARA + "\n\n" + PARA)
    assert a.title == "عنوان الخبر عن المحادثات"
    assert texts(a, "body") == [PARA, PARA]


def test_counters_named_when_the_page_labels_them():
    page = ["عنوان الخبر عن المحادثات الثنائية", "مشاهدات: 120", "تعليقات: 4", "12/05/2021", PARA, PARA]
    a = clean("\n".join(page))
    assert a.meta["counters"] == {"مشاهدات": 120, "تعليقات": 4}
    assert a.published == "2021-05-12"
    b = clean("\n".join([page[0], "(423)", *page[3:]]))
    assert b.meta["counters"] == [423]


# -- other stories and outlet furniture inside a corpus article (made-up text) ----------------------------------
ART = [
    "دبي (وكالة) -- قال وزير المالية في مؤتمر صحفي، الثلاثاء، إن الحكومة ستخفض الضرائب على الشركات الصغيرة.",
    "وأضاف الوزير أن الخطة تشمل دعم المصانع المحلية، وتسهيل القروض للشباب، وتحديث قوانين الاستثمار.",
    "ويذكر أن البرلمان كان قد ناقش مشروع القانون في جلسته الماضية دون أن يصوت عليه.",
]
TEASERS = [
    "أعلنت وزارة الصحة، الأربعاء، افتتاح مستشفى جديد في العاصمة بسعة ثلاثمئة سرير لخدمة سكان الأحياء الجنوبية.",
    "قال سامي الخطيب، رئيس اتحاد الكرة المحلي، إن المنتخب سيخوض مباراتين وديتين قبل انطلاق البطولة القارية المقبلة",
    "كشفت دراسة حديثة أجرتها جامعة أوروبية، الخميس، أن استهلاك القهوة باعتدال قد يقلل خطر الإصابة ببعض أمراض القلب.",
    "تراجعت أسعار النفط في التعاملات الآسيوية، الجمعة، مع تزايد المخاوف من تباطؤ الطلب العالمي على الخام في الربع المقبل.",
]


def test_teasers_of_other_stories_after_the_article_are_related_not_body():
    a = clean("\n".join([*ART, *TEASERS]))
    assert texts(a, "body") == ART
    assert texts(a, "boilerplate") == TEASERS
    assert {s.attrs["kind"] for s in a.layer("boilerplate")} == {"related"}


def test_a_roundup_of_leads_after_its_dateline_lead_is_the_article():
    # every line after the lead reads as a lead: the article is a roundup of the day's stories, not a box after it
    lead = "دبي (وكالة) -- تراجع مؤشر البورصة المحلية، الأحد، بنسبة ثلاثة في المئة مع بدء جلسات التداول في السوق."
    a = clean("\n".join([lead, *TEASERS]))
    assert texts(a, "body") == [lead, *TEASERS]
    assert not texts(a, "boilerplate")


def test_a_dated_lead_that_opens_with_waw_inside_the_teasers_is_one_of_them():
    waw = (
        "وجّه النائب العام، سالم العتيبي، الأحد، بفتح تحقيق سريع حول أسباب الحريق الذي اندلع في مستودع للأدوية."
    )
    teasers = [TEASERS[0], waw, *TEASERS[1:]]
    a = clean("\n".join([*ART, *teasers]))
    assert texts(a, "body") == ART
    assert texts(a, "boilerplate") == teasers


def test_closing_paragraphs_that_are_not_dated_leads_or_are_a_list_stay_body():
    undated = [
        t.replace("، الأربعاء،", "").replace("، الخميس،", "").replace("، الجمعة،", "") for t in TEASERS
    ]
    undated = [t if t.endswith(".") else t + "." for t in undated]
    undated = [t.replace("سامي الخطيب، رئيس اتحاد الكرة المحلي،", "رئيس الاتحاد") for t in undated]
    a = clean("\n".join([*ART, *undated]))
    assert texts(a, "body") == [
        *ART,
        *undated,
    ]  # no weekday, no cut-off line: the article's own closing lines
    items = ["- " + t for t in TEASERS]
    b = clean("\n".join([*ART, *items]))
    assert texts(b, "body") == [*ART, *items]  # a bulleted list
    intro = clean("\n".join([*ART[:2], "وفيما يلي أبرز ما جاء في بيانات الوزارات هذا الأسبوع:", *TEASERS]))
    assert len(texts(intro, "body")) == 3 + len(TEASERS)  # lines a colon announces


def test_read_also_teaser_lines_and_headlines_under_a_marker_are_set_apart():
    teaser = "للمزيد: الحكومة تقر موازنة العام المقبل بعجز أقل من المتوقع"
    heads = ["الحكومة تقر موازنة العام المقبل بعجز أقل", "البرلمان يرفض تعديل قانون الانتخابات المحلية"]
    a = clean("\n".join([ART[0], teaser, ART[1], "اقرأ أيضاً:", *heads, ART[2]]))
    assert texts(a, "body") == ART  # the article goes on after each insert
    kinds = {a.text[s.start : s.end]: s.attrs["kind"] for s in a.layer("boilerplate")}
    assert kinds[teaser] == "teaser" and kinds["اقرأ أيضاً:"] == "related"
    assert [kinds[h] for h in heads] == ["related", "related"]
    # an ordinary sentence that starts like a marker is text
    b = clean(
        "\n".join([ART[0], "للمزيد من التفاصيل، قال الوزير إن الخطة ستعلن كاملة الأسبوع المقبل.", ART[1]])
    )
    assert len(texts(b, "body")) == 3


def test_reprint_credit_disclaimer_and_app_promotion_are_boilerplate():
    furniture = [
        "* نقلا عن «الصباح» الأردنية",
        "** جميع المقالات المنشورة تمثل رأي كتابها فقط.",
        "يمكنكم تلقي إشعارات بأهم الأخبار بعد تحميل تطبيق الموقع على هواتفكم.",
        "الإذاعة/ أ ف ب",
    ]
    a = clean("\n".join([*ART, *furniture]))
    assert texts(a, "body") == ART
    assert [s.attrs["kind"] for s in a.layer("boilerplate")] == ["credit", "credit", "promo", "credit"]
    # the same words inside reported speech stay text
    said = "وأقر الباحثون بأن نتائج الدراسة لا تعكس بالضرورة حال جميع المرضى، نقلا عن بيان الجامعة."
    assert texts(clean("\n".join([*ART, said])), "body") == [*ART, said]


def test_headlines_inserted_between_paragraphs_are_related_but_verse_and_subheadings_stay():
    heads = [
        "الحكومة تعلن خطة جديدة لدعم المزارعين في الجنوب",
        "ارتفاع أسعار الخبز يثير غضب السكان في العاصمة",
    ]
    a = clean("\n".join([ART[0], ART[1], *heads, ART[2]]))
    assert texts(a, "body") == ART
    assert [s.attrs["kind"] for s in a.layer("boilerplate")] == ["related", "related"]
    verse = [
        "سرنا على درب الوفاء بعزمنا نبني الديار ونرفع الأعلاما",
        "ونصون عهد الأولين بحبنا ونعيد للوطن الحبيب سلاما",
    ]
    b = clean("\n".join([ART[0], ART[1], *verse, ART[2]]))
    assert texts(b, "body") == [
        ART[0],
        ART[1],
        *verse,
        ART[2],
    ]  # the lines rhyme: a poem quoted in the article
    sub = clean("\n".join([ART[0], "الحكومة تعلن خطة جديدة لدعم المزارعين في الجنوب", ART[1]]))
    assert len(texts(sub, "body")) == 3  # one line between paragraphs is a subheading
