"""Text features (fast normalisation, shingles, MinHash) and wire-credit recognition."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.dedup import minhash
from marsad.dedup.text import containment, cosine, norm_text, sample32, shingle_hashes, term_weights, words
from marsad.dedup.wire import agency_of_source, credited_agency
from marsad.lang.ar.normalize import normalize

ARABISH = st.text(
    alphabet=st.sampled_from(list("ابتةثجحىيأإآؤئءًٌٍَُِّْـ،؟؛ ٠١٢٣abcXYZ123 \n\u200f\ufefb\ufe8e")), max_size=200
)


@given(ARABISH)
@settings(max_examples=200, deadline=None)
def test_translate_table_equals_normalize(s):
    assert norm_text(s) == normalize(s)


def test_shingles_stable_and_order_sensitive():
    ws = words("أعلنت وزارة الداخلية في بيان عن القبض على خلية إرهابية")
    a, b = shingle_hashes(ws), shingle_hashes(list(ws))
    assert np.array_equal(a, b) and len(a) == len(ws) - 2
    assert not np.array_equal(a, shingle_hashes(list(reversed(ws))))


def test_folds_make_spelling_variants_meet():
    assert words("إعلان الأمير") == words("اعلان الامير")
    assert words("مدرسة") == words("مدرسه")


def test_containment_and_jaccard():
    a = sample32(shingle_hashes([f"w{i}" for i in range(100)]))
    b = sample32(shingle_hashes([f"w{i}" for i in range(50)]))
    j, c = containment(a, b)
    assert c == 1.0 and 0.45 < j < 0.55
    assert containment(a, np.zeros(0, dtype=np.uint32)) == (0.0, 0.0)


def test_minhash_estimates_jaccard():
    a = shingle_hashes([f"w{i}" for i in range(300)])
    b = shingle_hashes([f"w{i}" for i in range(100, 400)])  # Jaccard 198/402 ≈ 0.49
    est = minhash.jaccard_estimate(minhash.signature(a), minhash.signature(b))
    assert abs(est - 198 / 402) < 0.15
    assert minhash.band_keys(minhash.signature(a)) == minhash.band_keys(minhash.signature(a.copy()))
    assert (
        len(set(minhash.band_keys(minhash.signature(a))) & set(minhash.band_keys(minhash.signature(a)))) == 32
    )


def test_cosine_symmetric_to_the_bit():
    x = term_weights(words("الملك سلمان يستقبل وزير الخارجية القطري في قصر السلام بجدة"))
    y = term_weights(words("وزير الخارجية القطري يلتقي الملك سلمان في جدة ويبحث العلاقات"))
    assert cosine(x, y) == cosine(y, x) > 0.3
    assert abs(cosine(x, x) - 1.0) < 1e-3


def test_credits():
    cases = {
        "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس\nاستقبل": "SPA",
        "جدة - واس: استقبل صاحب السمو": "SPA",
        "الدوحة (قنا) - أكد": "QNA",
        "أبوظبي في 10 أغسطس / وام / أعلنت": "WAM",
        "دمشق (سانا) - قالت": "SANA",
        "عمان (بترا) - افتتح": "PETRA",
        "بكين 10 أغسطس (شينخوا) أعلنت": "XINHUA",
        "باريس (أ ف ب) - قال": "AFP",
        "ذكرت وكالة الأنباء السعودية أن": "SPA",
        "لا شيء هنا عن أي وكالة": None,
        "قال واسع الاطلاع إن": None,  # "واس" inside a word is no credit
    }
    for text, code in cases.items():
        got = credited_agency(text)
        assert (got.code if got else None) == code, text


def test_agency_own_feed():
    assert agency_of_source("was").code == "SPA"
    assert agency_of_source("", "https://www.spa.gov.sa/123").code == "SPA"
    assert agency_of_source("okaz", "https://www.okaz.com.sa/x") is None
