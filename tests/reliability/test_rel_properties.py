"""Property-based tests (hypothesis) on the Arabic text layer, the decoder, every reader and the pipeline.

Strategies mix Arabic letters, harakat, tatweel, Arabic punctuation, bidi controls and RTL marks, zero-width
joiners, emoji, NUL bytes, Latin, and characters from every Unicode category (lone surrogates included)."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.lang.ar.normalize import normalize, normalize_with_map
from marsad.lang.ar.sentences import split_sentences
from marsad.lang.ar.tokenize import tokenize
from marsad.readers import READERS, read_paths
from marsad.readers.base import decode_bytes

ARABIC = [chr(c) for c in range(0x0621, 0x064B)] + ["ى", "ة", "ء", "آ", "ٱ", "پ", "ک", "ی"]
HARAKAT = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
SPECIAL = [
    "\u0640",  # tatweel
    "،", "؛", "؟", "٪", "٫", "\u066c",  # Arabic punctuation
    "\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2069",
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad",  # zero-width, BOM, soft hyphen
    "😀", "🇸🇦", "👨\u200d👩\u200d👧", "\ufdfa", "\ufefb", "ﷲ",  # emoji, ZWJ sequences, ligatures
    "\x00", "\r\n", "\n\n", "\t", " ", ".", "!", "«", "»", '"',
]  # fmt: skip
DIGITS = [chr(c) for c in range(0x0660, 0x066A)] + [chr(c) for c in range(0x06F0, 0x06FA)] + list("0123456789")

arabic_mix = st.lists(
    st.one_of(
        st.sampled_from(ARABIC), st.sampled_from(HARAKAT), st.sampled_from(SPECIAL), st.sampled_from(DIGITS),
        st.characters(codec="utf-8"), st.characters(categories=["Cs", "Co", "Cn", "Cf", "Cc", "Zl", "Zp", "Mn"]),
        st.text(alphabet="abcdefghij XYZ", max_size=8),
    ),
    max_size=300,
).map("".join)
any_text = st.one_of(arabic_mix, st.text(max_size=200))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the Arabic text layer ------------------------------------------------------------------------------------
@FAST
@given(any_text)
def test_normalize_is_idempotent(s):
    n = normalize(s)
    assert normalize(n) == n


@FAST
@given(any_text)
def test_normalize_map_points_back_into_the_original(s):
    nm = normalize_with_map(s)
    assert nm.text == normalize(s)
    assert len(nm.offsets) == len(nm.text) + 1 and nm.offsets[-1] == len(s)
    assert list(nm.offsets) == sorted(nm.offsets)
    for i in range(len(nm.text)):
        a, b = nm.to_original(i, i + 1)
        assert 0 <= a < b <= len(s)


@FAST
@given(any_text)
def test_tokens_and_sentences_slice_the_text(s):
    for t in tokenize(s):
        assert 0 <= t.start < t.end <= len(s)
    prev = 0
    for sp in split_sentences(s):
        assert prev <= sp.start < sp.end <= len(s)
        prev = sp.end


# -- decoding -------------------------------------------------------------------------------------------------
@FAST
@given(st.binary(max_size=3000))
def test_decode_bytes_decodes_or_refuses(data):
    try:
        d = decode_bytes(data)
    except InputError as e:
        assert e.code in {"E_EMPTY", "E_BINARY"}
        return
    assert isinstance(d.text, str)
    d.text.encode("utf-8")  # valid Unicode, no lone surrogates


@FAST
@given(arabic_mix.filter(lambda s: s.strip()), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]))
def test_decode_round_trips_encodable_text(s, enc):
    s = s.replace("\x00", "").lstrip("\ufeff")  # a leading U+FEFF cannot be told from a BOM
    try:
        data = s.encode(enc)
    except UnicodeEncodeError:
        return
    if not s.strip() or (enc == "cp1256" and not any(c in ARABIC for c in s)):
        return  # a single-byte page without Arabic letters is genuinely ambiguous
    try:
        d = decode_bytes(data)
    except InputError:
        return  # control-heavy text may be refused as binary; that is a rejection, not a crash
    if enc != "cp1256":
        assert d.text == s


# -- every reader ---------------------------------------------------------------------------------------------
SUFFIX = {"text": ".txt", "jsonl": ".jsonl", "html": ".html", "warc": ".warc", "feed": ".rss", "ant": ".txt",
          "saudinewsnet": ".zip"}


def _read_all(data: bytes, fmt: str) -> list[Article | Rejection]:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"in{SUFFIX.get(fmt, '.txt')}"
        p.write_bytes(data)
        out = list(read_paths([str(p)], fmt=fmt))
    assert out, "a file must yield at least one article or rejection"
    for it in out:
        assert isinstance(it, Article | Rejection)
        if isinstance(it, Rejection):
            assert it.stage and it.code and it.reason
        else:
            assert isinstance(it.text, str) and it.text.strip()
            it.text.encode("utf-8")
    return out


@pytest.mark.parametrize("fmt", sorted(READERS))
@SLOW
@given(data=st.one_of(st.binary(max_size=2000), arabic_mix.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_every_reader_returns_articles_or_rejections(fmt, data):
    _read_all(data, fmt)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(["text", "title", "id", "x"]), kids,
                                                              max_size=4),
    max_leaves=12,
)


@SLOW
@given(st.lists(st.one_of(json_values, st.fixed_dictionaries({"text": any_text, "title": json_values})), max_size=6))
def test_jsonl_records_each_become_one_output(recs):
    lines = [json.dumps(r, ensure_ascii=bool(i % 2)) for i, r in enumerate(recs)]
    out = _read_all(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), "jsonl")
    assert len(out) == max(1, len(recs))


@SLOW
@given(st.lists(st.dictionaries(st.sampled_from(["content", "title", "url", "date_extracted", "source"]),
                                st.one_of(any_text, st.none()), max_size=5), max_size=4))
def test_saudinewsnet_zip_records_each_become_one_output(recs):
    out = _read_all(_snn_zip(recs), "saudinewsnet")
    assert len(out) == max(1, len(recs))


def _snn_zip(recs) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("2015-08-10.json", json.dumps(recs, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return buf.getvalue()


def test_saudinewsnet_non_string_title_rejects_only_that_record():
    recs = [{"content": "نص الخبر " * 20, "title": 1}, {"content": "نص آخر " * 20, "title": "عنوان"}]
    out = _read_all(_snn_zip(recs), "saudinewsnet")
    assert len(out) == 2 and isinstance(out[1], Article)


tag = st.sampled_from(["div", "p", "span", "b", "table", "tr", "td", "script", "style", "article", "h1", "br"])


@SLOW
@given(st.lists(st.one_of(tag.map(lambda t: f"<{t}>"), tag.map(lambda t: f"</{t}>"), arabic_mix,
                          st.sampled_from(["<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#x202e;", "<meta charset=x>"])),
                max_size=60))
def test_html_tag_soup(parts):
    _read_all(("<html><body>" + "".join(parts)).encode("utf-8", "surrogatepass"), "html")


# -- the whole pipeline ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pipe():
    from marsad.stages import default_pipeline

    return default_pipeline(time_limit=20)


def _check_spans(a: Article) -> None:
    n = len(a.text)
    for spans in a.layers.values():
        for s in spans:
            assert 0 <= s.start <= s.end <= n
    for e in a.entities:
        for m in (*e.mentions, *e.roles):
            assert 0 <= m.start < m.end <= n
    for q in a.quotes:
        assert 0 <= q.content.start <= q.content.end <= n
    for ev in a.events:
        assert 0 <= ev.evidence.start <= ev.evidence.end <= n


@SLOW
@given(arabic_mix)
def test_pipeline_gives_an_article_or_a_rejection(pipe, s):
    out = pipe.process(Article.new(s, source="prop"))
    if isinstance(out, Rejection):
        assert out.code != "E_INTERNAL", out.reason  # a stage bug, not a refusal
        assert out.raw == s
        return
    _check_spans(out)
    back = Article.from_json(out.to_json())
    assert back.to_dict() == out.to_dict()


SENT = "قال وزير الخارجية المصري في القاهرة إن بلاده ترفض التدخل في شؤون ليبيا، وأضاف أن الحل سياسي. "


@SLOW
@given(st.lists(st.one_of(st.just(SENT), st.sampled_from(SPECIAL), st.sampled_from(HARAKAT)), min_size=5, max_size=60))
def test_pipeline_on_real_sentences_with_noise(pipe, parts):
    s = "".join(parts)
    out = pipe.process(Article.new(s, source="prop"))
    if isinstance(out, Rejection):
        assert out.code != "E_INTERNAL", out.reason
        return
    _check_spans(out)


def test_lone_surrogate_is_not_an_internal_error(pipe):
    out = pipe.process(Article.new(SENT * 3 + "\ud800", source="prop"))
    assert not (isinstance(out, Rejection) and out.code == "E_INTERNAL")
