"""The translate-table normaliser against its definition (each character folded on its own, joined), and the fast
offset map against a character-by-character map."""

import gzip
import json
import os
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.dedup.text import norm_text
from marsad.lang.ar.normalize import normalize, normalize_reference, normalize_with_map

ARABIC = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةکی") + ["\u064e", "\u0651", "\u0640",
                             "\u0670", "\u200c", "\u200f", "\ufeff", "\u00ad", "ﻻ", "ﷲ", "ﷺ", "٣", "۴", " ", "،",
                             "a", "Z", "1", "\u0654", "\n", "\u06d6"]),
    max_size=200,
)  # fmt: skip


def reference_map(text: str) -> tuple[str, tuple[int, ...]]:
    """The offset map built one character at a time (what normalize_with_map did before its fast path)."""
    out, offs = [], []
    for i, c in enumerate(text):
        f = normalize_reference(c)
        out.append(f)
        offs.extend([i] * len(f))
    offs.append(len(text))
    return "".join(out), tuple(offs)


SAMPLES = [
    "",
    "plain ascii, 2026",
    "قالَ الـــوزيرُ إنّ أمريكا",  # harakat and tatweel dropped
    "ﷲ أكبر ﻻ",  # presentation forms that expand to several letters
    "إيران\u200cوالصين\u200f؟",  # zero-width non-joiner, bidi mark
    "٢٠٢٠ و۱۴۰۲",  # Arabic-Indic and Persian digits
    "کتاب ی ۀ",  # Persian letters folded to Arabic
    "\u00adسoft\u00ad",  # soft hyphen
]


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_normaliser_equals_reference_on_samples(text):
    assert normalize(text) == normalize_reference(text)
    n = normalize_with_map(text)
    assert (n.text, n.offsets) == reference_map(text)
    assert norm_text(text) == normalize_reference(text)  # dedup uses the same implementation


@settings(max_examples=300, deadline=None)
@given(ARABIC)
def test_fast_normaliser_equals_reference_arabic(s):
    assert normalize(s) == normalize_reference(s)
    n = normalize_with_map(s)
    assert (n.text, n.offsets) == reference_map(s)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fast_normaliser_equals_reference_any_unicode(s):
    assert normalize(s) == normalize_reference(s)
    n = normalize_with_map(s)
    assert (n.text, n.offsets) == reference_map(s)


def test_fast_normaliser_equals_reference_on_real_articles():
    shared = Path(os.environ.get("MARSAD_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    path = shared / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not path.exists():
        pytest.skip(f"needs {path} (set MARSAD_SHARED to the shared data folder)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("text") or "" for line in islice(fh, 300)]
    for text in texts:
        assert normalize(text) == normalize_reference(text)
        n = normalize_with_map(text)
        assert (n.text, n.offsets) == reference_map(text)
