from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.data import Article, Span
from marsad.lang.ar.dates import find_dates, infer_numeric_order, parse_date, parse_iso_or_none
from marsad.lang.ar.dates_stage import build_stage

REF = date(2020, 12, 23)  # a Wednesday


def _one(text: str, ref: date | None = REF) -> tuple[str, str | None, str, str]:
    spans = find_dates(text, ref=ref)
    assert len(spans) == 1, [(text[s.start : s.end], s.attrs) for s in spans]
    s = spans[0]
    return text[s.start : s.end], s.attrs["date"], s.attrs["kind"], s.attrs["granularity"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12/23/2020", "2020-12-23"),  # can only be month-first
        ("23/12/2020", "2020-12-23"),
        ("الثلاثاء ١ / ١٢ / ٢٠٢٠", "2020-12-01"),  # Eastern digits, ambiguous → day-first
        ("17.03.2020", "2020-03-17"),
        ("2020-12-01", "2020-12-01"),
        ("17 مارس/ آذار 2020", "2020-03-17"),
        ("الأحد، 04 آب/اغسطس 2013", "2013-08-04"),
        ("في 5 كانون الثاني 2021", "2021-01-05"),
        ("8 فيفري 2019", "2019-02-08"),
        ("3 جويلية 2019", "2019-07-03"),
        ("11 يونيه 2015", "2015-06-11"),
        ("ديسمبر 25, 2020", "2020-12-25"),
        ("November 9, 2020", "2020-11-09"),
        ("تم نشره الجمعة 24 نيسان / أبريل 2020", "2020-04-24"),
    ],
)
def test_absolute_dates(text, expected):
    spans = [s for s in find_dates(text) if s.attrs["kind"] == "absolute"]
    assert spans and spans[0].attrs["date"] == expected
    assert spans[0].attrs["granularity"] == "day"


def test_month_and_year_granularity():
    assert _one("في مارس 2020 ")[1:] == ("2020-03-01", "absolute", "month")
    assert _one("في كانون الأول/ديسمبر 2019")[1:] == ("2019-12-01", "absolute", "month")


def test_day_month_without_year_takes_the_reference_year():
    assert _one("يوم 11 مارس/ آذار")[1] == "2020-03-11"
    assert find_dates("يوم 11 مارس", ref=None)[0].attrs["date"] is None


def test_bare_month_name_is_not_a_date():
    # "مارس" is also the verb "practised"
    assert find_dates("مارس الضغط على الحكومة", ref=REF) == []


def test_hijri_dates_are_converted():
    text = "برلين 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"
    spans = find_dates(text)
    kinds = [(s.attrs["kind"], s.attrs["date"]) for s in spans]
    assert kinds == [("hijri", "2015-08-10"), ("absolute", "2015-08-10")]
    assert text[spans[0].start : spans[0].end] == "25 شوال 1436 هـ"
    assert _one("11 شوال 1441هـ")[1:3] == ("2020-06-03", "hijri")


@pytest.mark.parametrize(
    "text,expected,kind",
    [
        ("وفقا للوزارة اليوم الأربعاء - إنه", "2020-12-23", "relative"),
        ("شيعت إيران أمس الإثنين جثمان", "2020-12-22", "relative"),
        ("وصل بالأمس", "2020-12-22", "relative"),
        ("قال أمس الأول", "2020-12-21", "relative"),
        ("يزور غداً الخميس", "2020-12-24", "relative"),
        ("بعد غد", "2020-12-25", "relative"),
        ("الأسبوع الماضي", "2020-12-16", "relative"),
        ("الشهر الماضي", "2020-11-01", "relative"),
        ("العام القادم", "2021-01-01", "relative"),
        ("يوم الجمعة", "2020-12-18", "weekday"),
        ("الأحد المقبل", "2020-12-27", "weekday"),
        ("الأربعاء الماضي", "2020-12-16", "weekday"),
    ],
)
def test_relative_references_resolve_against_the_publication_date(text, expected, kind):
    _, d, k, _ = _one(text)
    assert (d, k) == (expected, kind)


def test_relative_without_reference_is_unresolved():
    s = find_dates("قال اليوم", ref=None)
    assert s and s[0].attrs["date"] is None and s[0].attrs["kind"] == "relative"


def test_newspaper_name_is_not_today():
    assert find_dates("قال لصحيفة اليوم السابع", ref=REF) == []


def test_numeric_order_inferred_from_the_page():
    assert infer_numeric_order("12/23/2020 ... 05/06/2020") == "mdy"
    assert infer_numeric_order("23/12/2020 ... 05/06/2020") == "dmy"
    assert infer_numeric_order("05/06/2020") == "dmy"
    page = "12/23/2020\n05/06/2020"
    assert [s.attrs["date"] for s in find_dates(page)] == ["2020-12-23", "2020-05-06"]


def test_offsets_respect_start_end():
    text = "مقدمة. وقال أمس إن الاجتماع عقد في 3 مارس 2020."
    start = text.index("وقال")
    spans = find_dates(text, start, len(text), ref=REF)
    assert [text[s.start : s.end] for s in spans] == ["أمس", "3 مارس 2020"]


def test_parse_helpers():
    assert parse_iso_or_none("2020-12-23T10:00") == "2020-12-23"
    assert parse_iso_or_none("23-12-2020") is None
    assert parse_date("الإثنين، 24 أغسطس 2020 09:56 ص") == "2020-08-24"


def test_dates_stage_layer_over_body():
    text = "عنوان\n\nقال الوزير اليوم الأربعاء إن المحادثات جرت أمس."
    b = text.index("قال")
    a = Article.new(text, published="2020-12-23").with_layers(body=[Span(b, len(text), "body")], sentences=[])
    st_ = build_stage()
    assert st_.name == "dates" and st_.requires == frozenset({"sentences"}) and "dates" in st_.provides
    out = st_(a)
    got = [(text[s.start : s.end], s.attrs["date"]) for s in out.layer("dates")]
    assert got == [("اليوم الأربعاء", "2020-12-23"), ("أمس", "2020-12-22")]


# Pieces rather than characters, so that generated text often contains (broken) date expressions.
MIXED = st.lists(
    st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة٠١٢٣٤٥٦٧٨٩0123456789/.-: ،\n")
        + [
            "مارس",
            "آذار",
            "كانون الأول",
            "شوال",
            "هـ",
            "اليوم",
            "أمس",
            "الأربعاء",
            "الماضي",
            "2020",
            "1441",
            "م",
            " ",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MIXED, st.one_of(st.none(), st.just(REF), st.dates()))
def test_spans_always_slice_the_input(text, ref):
    spans = find_dates(text, ref=ref)
    last = 0
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= last  # sorted, no overlap
        last = s.end
        assert s.attrs["kind"] in {"absolute", "relative", "hijri", "weekday"}
        d = s.attrs["date"]
        assert d is None or parse_iso_or_none(d) == d
