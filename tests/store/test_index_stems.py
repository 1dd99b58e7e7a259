"""The stems column read from the words that open with a proclitic letter equals the stems of every word."""

from __future__ import annotations

import gzip
import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics
from marsad.store import index as I


def stems_of_every_word(title: str | None, body: str) -> str:
    t, b = normalize(title or ""), normalize(body)
    return I._stems(I._WORD.findall(t) + I._WORD.findall(b))


# proclitic letters and the article, other Arabic letters, hamza forms, harakat, digits, Latin, underscore, dashes
WORDISH = st.text(alphabet=st.sampled_from(list("وفبلكالصينمرتأإىة١2xY_-ًّ ")), max_size=200)


@given(st.one_of(st.none(), WORDISH), WORDISH)
@settings(max_examples=500, deadline=None)
def test_stems_column_equals_every_word(title, body):
    assert I.index_fields(title, body)[2] == stems_of_every_word(title, body)


@given(st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغقمنهويءوفبلك")), min_size=1, max_size=10))
@settings(max_examples=500, deadline=None)
def test_only_proclitic_letters_open_a_stripped_word(word):
    pre, stem = strip_clitics(word)
    if stem != word:
        assert word[0] in I.CLITIC_LETTERS


def test_stems_column_on_news():
    path = Path(os.environ.get("MARSAD_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    path = path / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not path.exists():
        pytest.skip("ANT corpus not found under MARSAD_SHARED/data/unlabelled (set MARSAD_SHARED=/path/to/shared)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 1000):
            d = json.loads(line)
            title, body = d.get("title"), d.get("text") or ""
            assert I.index_fields(title, body)[2] == stems_of_every_word(title, body)
