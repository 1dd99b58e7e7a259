"""The record blob (smaller zlib window and memory level) holds the same JSON as zlib's default level-1 stream."""

from __future__ import annotations

import zlib

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.data import Article
from marsad.store.core import _NOT_IN_RECORD, pack_record, unpack_record

TEXT = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى ًّ.،\n0123456789abcXYZ")),
               min_size=1, max_size=3000)


@given(TEXT, st.one_of(st.none(), TEXT), st.sampled_from(["ant", "BBC", ""]))
@settings(max_examples=200, deadline=None)
def test_record_is_the_same_json(text, title, source):
    a = Article.new(text, title=title, source=source, published="2018-03-04")
    d = a.to_dict()
    for k in _NOT_IN_RECORD:
        d.pop(k, None)
    want = orjson.dumps(d, default=str, option=orjson.OPT_NON_STR_KEYS)
    blob = pack_record(a)
    assert zlib.decompress(blob) == want == zlib.decompress(zlib.compress(want, 1))
    assert unpack_record(blob) == orjson.loads(want)
