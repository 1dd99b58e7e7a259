"""Long texts are normalised as arrays of code points: the same string as ``str.translate`` with the fold table and
as the per-character definition, whatever the text holds (dropped marks, NUL, characters that fold to several,
characters beyond the BMP, lone surrogates: the last three go through str.translate)."""

from __future__ import annotations

import gzip
import json
import os
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.lang.ar.normalize import (
    _ARRAY_MIN,
    _FOLD_TABLE,
    _normalize_array,
    normalize,
    normalize_reference,
    normalize_with_map,
)

CHARS = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةکی٣۴،؟ aZ1\n")
    + ["\u064e", "\u0651", "\u0640", "\u0670", "\u200c", "\u200f", "\ufeff", "\u00ad", "\x00", "ﻻ", "ﷲ", "ﷺ", "…",
       "½", "㎏", "\ufb50", "\ufe8e", "\U0001d400", "\U0001f600", "\u0654", "\u06d6"]
)  # fmt: skip
LONG = st.lists(CHARS, min_size=_ARRAY_MIN, max_size=3 * _ARRAY_MIN).map("".join)


@given(LONG)
@settings(max_examples=300, deadline=None)
def test_long_texts_equal_the_definition(text):
    assert normalize(text) == normalize_reference(text) == text.translate(_FOLD_TABLE)
    assert normalize_with_map(text).text == normalize_reference(text)


@given(st.lists(st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة \n") + ["\u064e", "\u0640", "\x00"]),
                min_size=_ARRAY_MIN, max_size=2 * _ARRAY_MIN).map("".join))  # fmt: skip
@settings(max_examples=200, deadline=None)
def test_array_path_taken_and_equal(text):
    got = _normalize_array(text)
    assert got is not None  # BMP only, nothing that expands: the array path answers
    assert got == text.translate(_FOLD_TABLE)


def test_translate_kept_where_arrays_do_not_apply():
    base = "قالَ الوزيرُ " * 30
    for odd in ("\ud800", "\U0001f600", "ﻻ", "…"):
        text = base + odd + base
        assert _normalize_array(text) is None
        assert normalize(text) == text.translate(_FOLD_TABLE)


def test_real_articles():
    base = Path(os.environ.get("MARSAD_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    path = base / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} not found (set MARSAD_SHARED=/path/to/shared)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("text") or "" for line in islice(fh, 0, 6000, 20)]
    long = [t for t in texts if len(t) >= _ARRAY_MIN]
    assert len(long) > 100
    for t in long:
        assert normalize(t) == normalize_reference(t)
