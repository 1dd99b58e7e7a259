"""The dedup hook's fast text path equals its plain definitions, value for value and bit for bit.

``text_features`` (one vocabulary lookup per word, numpy for the rest), the vectorised term weights, ``round5``,
``top_terms``, the in-place MinHash signature and the credit pre-check must give what the per-token definitions
give: a link is decided at a threshold, so a weight off in the last bit could change which articles are linked.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.dedup import minhash
from marsad.dedup.text import (
    containment,
    cosine_vectors,
    cosines_upper,
    mix64,
    norm_text,
    pack_vector,
    round5,
    sample32,
    shingle_hashes,
    term_vector,
    term_weights,
    term_weights_reference,
    text_features,
    top_terms,
    words,
)
from marsad.dedup.wire import _CREDIT_RE, _FORM_TO_AGENCY, AGENCIES, _credit_match, credited_agency

# Arabic letters with and without hamza, harakat, tatweel, digits of three scripts, Latin, a ligature, clitics
WORD = st.text(
    alphabet=st.sampled_from(list("ابتةثجحىيأإآؤئءوفلكسًٌَُّـ٠١٢3۴abcXYZ\ufefb")), min_size=1, max_size=9
)
TEXT = st.lists(WORD, max_size=120).map(" ".join)


def _same_features(text: str) -> None:
    ws = words(text)
    tf = text_features(text)
    assert tf.n_words == len(ws)
    if ws:
        assert np.array_equal(tf.shingles, shingle_hashes(ws))
    ref = term_weights_reference(ws)
    assert list(tf.terms.items()) == list(ref.items())  # same terms, same order, same floats
    keys, vals = term_vector(ref)
    assert np.array_equal(tf.tvec[0], keys) and tf.tvec[1].tobytes() == vals.tobytes()
    assert tf.numbers == frozenset(w for w in set(ws) if w.isdigit() and len(w) >= 2)
    for k in (1, 3, 16, 40):  # the top terms read from the arrays, as top_terms reads them from the dict
        assert tf.top(k) == top_terms(ref, k)
    if ws:
        want32 = np.unique((tf.shingles >> np.uint64(32)).astype(np.uint32))
        assert sample32(tf.shingles).tobytes() == want32.tobytes()


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_text_features_equal_the_definitions(text):
    _same_features(text)


@given(st.lists(WORD, max_size=200), st.integers(min_value=2, max_value=4))
@settings(max_examples=200, deadline=None)
def test_term_weights_equal_the_loop(ws, min_len):
    got = term_weights(ws, min_len=min_len)
    assert list(got.items()) == list(term_weights_reference(ws, min_len=min_len).items())


@given(st.dictionaries(st.text(alphabet="abcdefgh", min_size=1, max_size=3),
                       st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5]) | st.floats(0, 1), max_size=60),
       st.integers(min_value=1, max_value=20))  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_top_terms_equal_nsmallest(weights, k):
    want = [t for t, _ in heapq.nsmallest(k, weights.items(), key=lambda kv: (-kv[1], kv[0]))]
    assert top_terms(weights, k) == want


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=200), st.booleans())
@settings(max_examples=300, deadline=None)
def test_sample32_equals_unique(xs, in_order):
    a = np.array(sorted(xs) if in_order else xs, dtype=np.uint64)
    want = np.unique((a >> np.uint64(32)).astype(np.uint32))
    got = sample32(a)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_round5_rounds_as_python():
    rng = np.random.default_rng(0)
    x = np.concatenate([
        rng.random(100_000),
        rng.random(100_000) ** 6,
        (np.floor(rng.random(100_000) * 1e5) + 0.5) / 1e5,  # on (or next to) a half
        np.array([0.0, 1.0, 0.5, 5e-6, 1.5e-5, 0.123455, 0.999995, 4.9999999e-6]),
    ])  # fmt: skip
    want = np.array([round(v, 5) for v in x.tolist()])
    assert round5(x).tobytes() == want.tobytes()


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=300))
@settings(max_examples=100, deadline=None)
def test_signature_equals_mix64_formula(values):
    sh = np.unique(np.array(values, dtype=np.uint64))
    want = mix64(sh[:, None] ^ minhash._SEEDS[None, :]).min(axis=0)
    assert np.array_equal(minhash.signature(sh), want)


@given(st.text(alphabet=st.sampled_from(list("واسمنأف ب()/-\n«»الرياض ")), max_size=80))
@settings(max_examples=300, deadline=None)
def test_credit_precheck_changes_nothing(text):
    zone = norm_text(text)
    m = _CREDIT_RE.search(zone)
    if m:
        want = _FORM_TO_AGENCY.get(
            re.sub(r"\s+", "", m.group("b") or m.group("d") or m.group("s") or m.group("e") or "")
        )
    else:
        want = next((a for a in AGENCIES if any(f in zone for f in a.long_forms)), None)
    assert credited_agency(text) == want


@given(st.text(alphabet=st.sampled_from(list("واسمنأف ب()[]/-–\n«»الرياض 1٢\t")), max_size=120))
@settings(max_examples=500, deadline=None)
def test_credit_match_is_search(text):
    zone = norm_text(text)
    want, got = _CREDIT_RE.search(zone), _credit_match(zone)
    assert (want is None) == (got is None)
    if want is not None and got is not None:
        assert (got.span(), got.groupdict()) == (want.span(), want.groupdict())


def _news(limit: int) -> list[str]:
    base = Path(os.environ.get("MARSAD_SHARED") or Path(__file__).resolve().parents[3] / "shared") / "data"
    zips = sorted((base / "saudinewsnet").glob("*.zip"))
    if not zips:
        pytest.skip("SaudiNewsNet not found under MARSAD_SHARED/data (set MARSAD_SHARED=/path/to/shared)")
    out: list[str] = []
    with zipfile.ZipFile(zips[0]) as z:
        for name in z.namelist():
            if name.endswith(".json"):
                out += [d["content"] for d in json.loads(z.read(name).decode("utf-8")) if d.get("content")]
            if len(out) >= limit:
                break
    return out[:limit]


def test_text_features_on_real_news():
    for text in _news(300):
        _same_features(text)


def test_credit_match_is_search_on_real_news():
    for text in _news(1000):
        for zone in (norm_text(text[:600] + "\n" + text[-300:]), norm_text(text[:2000])):
            want, got = _CREDIT_RE.search(zone), _credit_match(zone)
            assert (got.span(), got.groupdict()) == (want.span(), want.groupdict()) if want else got is None


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=300),
       st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=300), st.booleans())  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_containment_equals_intersect1d(xs, ys, overlap):
    a = np.unique(np.array(xs, dtype=np.uint32))
    b = np.unique(np.array(ys + (xs[: len(xs) // 2] if overlap else []), dtype=np.uint32))
    inter = len(np.intersect1d(a, b, assume_unique=True))
    want = (
        (inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))) if len(a) and len(b) else (0.0, 0.0)
    )
    assert containment(a, b) == want


@given(st.dictionaries(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(0, 1), max_size=80),
       st.dictionaries(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(0, 1), max_size=80))  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_cosine_vectors_equal_intersect1d(da, db):
    db = {**db, **dict(list(da.items())[: len(da) // 2])}  # share some keys

    def vec(d):
        k = np.array(sorted(d), dtype=np.int64)
        return k, np.array([d[x] for x in k.tolist()], dtype=np.float64)

    a, b = vec(da), vec(db)
    if len(a[0]) and len(b[0]):
        _, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
        want = math.fsum((a[1][ia] * b[1][ib]).tolist())
    else:
        want = 0.0
    assert cosine_vectors(a, b) == want == cosine_vectors(b, a)


_WEIGHTS = st.dictionaries(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(0, 1), max_size=200
)


@given(_WEIGHTS, st.lists(_WEIGHTS, max_size=12), st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None)
def test_cosines_upper_bounds_the_exact_cosine(dq, dbs, seed):
    """The candidates' prefilter never drops a pair whose exact cosine reaches a threshold: each batched value is
    at least :func:`cosine_vectors` and within its margin (2e-9) above it, for any mix of shared keys."""
    rng = np.random.default_rng(seed)

    def vec(d):
        k = np.array(sorted(d), dtype=np.int64)
        w = np.array([d[x] for x in k.tolist()], dtype=np.float64)
        n = math.sqrt(math.fsum((w * w).tolist())) or 1.0
        return k, w / n

    q = vec(dq)
    vecs = []
    for db in dbs:
        shared = [k for k in dq if rng.random() < 0.5]
        vecs.append(vec({**db, **{k: float(rng.random()) for k in shared}}))
    got = cosines_upper(q, [pack_vector(v) for v in vecs])
    assert len(got) == len(vecs)
    for g, v in zip(got.tolist(), vecs, strict=True):
        exact = cosine_vectors(q, v)
        assert exact <= g <= exact + 2e-9 or (exact == 0.0 and g == 0.0)


@pytest.mark.parametrize("case", ["random", "same_low_bits", "same_every_window", "many_keys", "zero_key"])
def test_weights_in_table_equals_binary_search(case):
    """The direct-mapped table of :func:`text._weights_in` gives what a binary search of the sorted keys gives, also
    when keys share slots (it falls back to another 16-bit window, then to the search) and for key 0 (an empty
    slot's key); the table is left empty for the next call."""
    from marsad.dedup import text

    rng = np.random.default_rng(7)
    n = 2000 if case == "many_keys" else 200
    qk = rng.integers(-(2**63), 2**63 - 1, n, dtype=np.int64)
    if case == "same_low_bits":  # every key in one slot of the first window
        qk = qk & ~np.int64(0xFFFF)
    elif case == "same_every_window":  # pairs of keys equal in three of the four windows: no window separates all
        pairs = [qk[w] ^ (np.int64(1) << np.int64((16 * w + 16) % 64)) for w in range(4)]
        qk = np.concatenate([qk, np.array(pairs, dtype=np.int64)])
    elif case == "zero_key":
        qk[0] = 0
    qk = np.unique(qk)
    qw = rng.random(len(qk))
    k = np.concatenate([rng.choice(qk, 300), rng.integers(-(2**63), 2**63 - 1, 300, dtype=np.int64), [0, 1, -1]])
    idx = np.minimum(np.searchsorted(qk, k), len(qk) - 1)
    want = np.where(qk[idx] == k, qw[idx], 0.0)
    assert np.array_equal(text._weights_in(qk, qw, k), want)
    tk, tw = text._SCRATCH.tables
    assert not tk.any() and not tw.any()
