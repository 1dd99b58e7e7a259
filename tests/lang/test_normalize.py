from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.lang.ar import normalize, normalize_with_map, strip_clitics, tokenize

ARABIC = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة") + ["\u064e", "\u064f", "\u0650", "\u0651",
                             "\u0652", "\u064b", "\u0640", "\u0670", "\u200c", "\u200f", "ﻻ", "ﷲ", "٣", "۴", " ",
                             "،", "؟", ".", "a", "Z", "1", "\u0654", "\n"]),
    max_size=200,
)


def test_folds_the_usual_variants():
    assert normalize("أَمْرِيكَا") == "امريكا"
    assert normalize("إيران") == normalize("ايران")
    assert normalize("مدرسة") == "مدرسه"
    assert normalize("على") == "علي"
    assert normalize("الـــصين") == "الصين"
    assert normalize("٢٠٢٠") == "2020"
    assert normalize("۱۴۰۲") == "1402"
    assert normalize("ﻻ") == "لا"  # presentation-form ligature via NFKC


def test_offset_map_points_back_to_original():
    text = "قالَ الـوزيرُ: أمريكا"
    n = normalize_with_map(text)
    i = n.text.index("امريكا")
    s, e = n.to_original(i, i + len("امريكا"))
    assert text[s:e] == "أمريكا"


@settings(max_examples=300, deadline=None)
@given(ARABIC)
def test_normalize_is_idempotent(s):
    assert normalize(normalize(s)) == normalize(s)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_normalize_any_unicode_is_idempotent_and_mapped(s):
    n = normalize_with_map(s)
    assert n.text == normalize(s)
    assert normalize(n.text) == n.text
    assert len(n.offsets) == len(n.text) + 1
    assert all(0 <= o <= len(s) for o in n.offsets)
    assert list(n.offsets) == sorted(n.offsets)


@settings(max_examples=200, deadline=None)
@given(ARABIC)
def test_tokens_slice_the_text(s):
    for t in tokenize(s):
        assert s[t.start : t.end] == t.text
        assert t.text.strip() == t.text and t.text


def test_clitics():
    assert strip_clitics(normalize("والصين")) == ("و", "الصين")
    assert strip_clitics(normalize("بالصين")) == ("ب", "الصين")
    assert strip_clitics(normalize("للصين")) == ("ل", "الصين")
    assert strip_clitics(normalize("وروسيا")) == ("و", "روسيا")
    assert strip_clitics("من") == ("", "من")
