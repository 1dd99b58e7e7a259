"""The hook's in-place feature path equals a straightforward reference computation, bit for bit.

The word 3-gram shingles, the MinHash signature, the LSH band keys and the stem counts are computed in place in a few
numpy buffers (and the stem counts in per-thread tables); here each is recomputed from its definition with Python
integers and dicts, one value at a time, on texts written for this test and on random inputs. A key or a hash that
differed in one bit would change which stored articles are candidates, so they must be equal, not close.
"""

from __future__ import annotations

import random
import zlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.data import Article
from marsad.dedup import minhash
from marsad.dedup.hook import TOP_TERMS, features
from marsad.dedup.text import (
    _stem_counts,
    mix64,
    round5,
    sample32,
    shingle_hashes,
    term_vector,
    term_weights_reference,
    text_features,
    top_terms,
    words,
)

from .synth import VOCAB

M64 = (1 << 64) - 1
P = 0x100000001B3

# Written for this test: ordinary news sentences, a list of figures, repeated words, clitics, harakat and tatweel,
# Latin words, a very short text and one long enough to take the chunked signature path.
TEXTS = [
    "قالت الشركة في بيان اليوم إن أرباحها ارتفعت خلال الربع الثالث من العام مقارنة بالفترة نفسها من العام الماضي",
    "وأضاف المتحدث أن الاجتماع سيعقد الأسبوع المقبل في العاصمة لبحث الخطة الجديدة للنقل والطرق والمياه",
    "ارتفع المؤشر 120 نقطة إلى 7450 نقطة وبلغت قيمة التداول 3200 مليون ريال في جلسة الأحد 12 من الشهر",
    "المطر المطر المطر يتواصل في المدينة والمدن المجاورة والمدينة القديمة تغلق الطرق والمدارس والمدارس",
    "اَلْكِتَابُ الـجـديـد في المعرض وبالمعرض وللمعرض والمعرضِ الدولي للكتاب يفتح أبوابه للزوار",
    "The minister said the talks in Geneva will resume next week وقال الوزير إن المحادثات ستستأنف",
    "خبر قصير",
    "",
    " ".join(f"كلمة{i % 97} عدد {i} وقت" for i in range(1500)),
]


def _mix64_int(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def shingles_reference(ws: list[str], n: int = 3) -> list[int]:
    """Sorted unique mix64(((h0 * P + h1) * P + h2) mod 2^64) over the word n-grams, h the CRC32 of each word."""
    h = [zlib.crc32(w.encode("utf-8")) for w in ws]
    n = min(n, len(h))
    out = set()
    for i in range(len(h) - n + 1):
        acc = h[i]
        for j in range(1, n):
            acc = (acc * P + h[i + j]) & M64
        out.add(_mix64_int(acc))
    return sorted(out)


SEEDS = [int(s) for s in minhash._SEEDS]
SALT = [int(s) for s in minhash._BAND_SALT]


def signature_reference(sh: list[int]) -> list[int]:
    if not sh:
        return [M64] * minhash.NUM_PERM
    return [min(_mix64_int(s ^ seed) for s in sh) for seed in SEEDS]


def band_keys_numpy_reference(sig: np.ndarray) -> list[int]:
    """minhash.band_keys as its plain numpy expression: acc = mix64(acc ^ row r) per band, from the band salt."""
    rows = sig.reshape(minhash.BANDS, minhash.ROWS)
    acc = minhash._BAND_SALT.copy()
    for r in range(minhash.ROWS):
        acc = mix64(acc ^ rows[:, r])
    return acc.view(np.int64).tolist()


def band_keys_reference(sig: list[int]) -> list[int]:
    out = []
    for b in range(minhash.BANDS):
        acc = SALT[b]
        for r in range(minhash.ROWS):
            acc = _mix64_int(acc ^ sig[b * minhash.ROWS + r])
        out.append(acc - (1 << 64) if acc >= 1 << 63 else acc)
    return out


def stem_counts_reference(sid: list[int]) -> tuple[list[int], list[int]]:
    counts: dict[int, int] = {}
    for s in sid:
        counts[s] = counts.get(s, 0) + 1
    return list(counts), list(counts.values())


def _check_text(text: str) -> None:
    ws = words(text)
    tf = text_features(text)
    assert tf.n_words == len(ws)
    want = shingles_reference(ws) if ws else []
    assert tf.shingles.dtype == np.uint64 and tf.shingles.tolist() == want
    assert shingle_hashes(ws).tolist() == want
    sig = minhash.signature(tf.shingles)
    assert sig.tolist() == signature_reference(want)
    assert minhash.band_keys(sig) == band_keys_reference(sig.tolist()) == band_keys_numpy_reference(sig)
    ref = term_weights_reference(ws)
    assert list(tf.terms.items()) == list(ref.items())  # same terms, first-word order, same floats
    keys, vals = term_vector(ref)
    assert tf.tvec[0].tobytes() == keys.tobytes() and tf.tvec[1].tobytes() == vals.tobytes()
    assert tf.top(TOP_TERMS) == top_terms(ref, TOP_TERMS)
    assert tf.numbers == frozenset(w for w in ws if w.isdigit() and len(w) >= 2)
    assert sample32(tf.shingles).tolist() == sorted({s >> 32 for s in want})


def test_written_texts_equal_the_reference():
    for text in TEXTS:
        _check_text(text)


def test_hook_features_equal_the_reference():
    for i, text in enumerate(TEXTS):
        f = features(Article.new(text, id=f"t{i}", source="x", published="2020-03-04"))
        ws = words(text)
        if len(ws) < 8:  # too short to index
            assert f.band_keys == [] and f.top == []
            continue
        want = shingles_reference(ws)
        assert f.band_keys == band_keys_reference(signature_reference(want))
        assert f.shingles.tolist() == sorted({s >> 32 for s in want})


def test_synthetic_texts_equal_the_reference():
    rng = random.Random(5)
    for _ in range(40):
        _check_text(" ".join(rng.choice(VOCAB[:300]) for _ in range(rng.randint(0, 400))))


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300))
@settings(max_examples=100, deadline=None)
def test_signature_equals_reference(values):
    sh = np.unique(np.array(values, dtype=np.uint64))
    sig = minhash.signature(sh)
    assert sig.tolist() == signature_reference(sh.tolist())
    assert minhash.band_keys(sig) == band_keys_reference(sig.tolist())


def test_signature_of_several_chunks():
    sh = np.unique(np.random.default_rng(1).integers(0, 2**64 - 1, size=3000, dtype=np.uint64))
    assert len(sh) > 2 * minhash._CHUNK
    assert np.array_equal(minhash.signature(sh), mix64(sh[:, None] ^ minhash._SEEDS[None, :]).min(axis=0))
    assert minhash.signature(sh[:1500]).tolist() == signature_reference(sh[:1500].tolist())


@given(
    st.lists(st.integers(min_value=0, max_value=5000), max_size=400), st.integers(min_value=0, max_value=3)
)
@settings(max_examples=200, deadline=None)
def test_stem_counts_equal_a_dict(sid, extra):
    a = np.array(sid, dtype=np.int64)
    want = stem_counts_reference(sid)
    for _ in range(extra + 1):  # again: the tables were set back after each call
        uniq, counts = _stem_counts(a, 5001)
        assert (uniq.tolist(), counts.tolist()) == want


def test_stem_counts_longer_than_the_position_table():
    rng = random.Random(3)
    sid = [rng.randrange(900) for _ in range(70_000)]
    uniq, counts = _stem_counts(np.array(sid, dtype=np.int64), 900)
    assert (uniq.tolist(), counts.tolist()) == stem_counts_reference(sid)


def test_round5_near_halves():
    k = np.arange(0, 100_001, 7, dtype=np.float64)
    x = np.concatenate([(k + 0.5) / 1e5, np.nextafter((k + 0.5) / 1e5, 0), np.nextafter((k + 0.5) / 1e5, 1)])
    x = x[x <= 1.0]
    assert round5(x).tolist() == [round(v, 5) for v in x.tolist()]


def _vec(rng, keys):
    w = rng.random(len(keys))
    w = w / np.sqrt((w * w).sum())
    return np.sort(np.array(keys, dtype=np.int64)), np.round(w, 5)


def test_close_cosines_are_the_exact_cosines():
    """The exact cosines summed from the bound's products equal cosine_vectors, bit for bit; also with a vector whose
    keys repeat (two terms of one CRC-32: left to cosine_vectors) and an empty one."""
    from marsad.dedup.text import close_cosines, cosine_vectors, cosines_upper, pack_vector

    rng = np.random.default_rng(4)
    pool = rng.integers(-(2**63), 2**63 - 1, 600, dtype=np.int64)
    for trial in range(60):
        q = _vec(rng, rng.choice(pool, 150, replace=False))
        vecs = [_vec(rng, rng.choice(pool, int(rng.integers(0, 250)), replace=False)) for _ in range(20)]
        if trial % 3 == 0:  # a stored vector with a repeated key
            k, w = vecs[0]
            if len(k) > 2:
                k = k.copy()
                k[1] = k[0]
                vecs[0] = (k, w)
        if trial % 5 == 0:  # the article's own vector with a repeated key
            k, w = q
            q = (np.sort(np.concatenate([k[:1], k])), np.concatenate([w[:1], w]))
        blobs = [pack_vector(v) for v in vecs]
        bound = cosines_upper(q, blobs)
        got = close_cosines(q, blobs, 0.05)
        assert [i for i, _ in got] == [i for i, b in enumerate(bound.tolist()) if b >= 0.05]
        for i, cos in got:
            assert cos == cosine_vectors(q, vecs[i])
