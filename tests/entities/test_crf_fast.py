"""The CRF tagger's numpy path (:class:`marsad.entities.ner.crf._FastViterbi`) gives crfsuite's labels: the weights
it reads from the model file are crfsuite's, and on real and odd sentences its Viterbi paths are crfsuite's, sentence
for sentence."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
from itertools import islice
from pathlib import Path

import pytest

from marsad.entities.ner import load_tagger
from marsad.entities.ner.crf import read_crfsuite_model
from marsad.lang.ar.tokenize import tokenize


@pytest.fixture(scope="module")
def crf():
    t = load_tagger("crf")
    assert t._fast is not None, "the shipped CRF model should be readable by the numpy path"
    return t


def _crfsuite(tagger, sentences):
    """crfsuite's own Viterbi labels (before BIO repair), the reference."""
    ct = tagger._tagger()
    return [ct.tag(tagger.featurizer.sentence(s)) if s else [] for s in sentences]


def test_weights_are_crfsuites(crf):
    labels, attrs, state, trans = read_crfsuite_model(crf.model_path)
    info = crf._tagger().info()
    assert labels == list(crf.labels)
    assert attrs == {k: int(v) for k, v in info.attributes.items()}
    lab = {name: i for i, name in enumerate(labels)}
    # the dump prints six decimals: the doubles read from the file round to what it prints
    assert len(info.state_features) == int((state != 0).sum())
    for (a, label), w in info.state_features.items():
        assert abs(state[attrs[a], lab[label]] - w) <= 5e-7
    for (a, b), w in info.transitions.items():
        assert abs(trans[lab[a], lab[b]] - w) <= 5e-7


def test_odd_sentences_same_labels(crf):
    words = ["بوتين", "فلاديمير", "وقال", "موسكو", "في", "،", ".", "2019", "Reuters", "قالت", "a\x00b", "الأمم",
             "المتحدة", "#سيرغي_سكريبال", "؟", "لافروف", "ولافروف", "واشنطن", "x" * 40, "ـ", "🙂", "U.S."]
    rng = random.Random(7)
    docs = [[[]], [["بوتين"]], [["."]], [[], ["موسكو"], []]]
    for _ in range(60):
        docs.append([[rng.choice(words) for _ in range(rng.choice([0, 1, 2, 3, 5, 9, 30, 120]))]
                     for _ in range(rng.randint(1, 12))])
    for doc in docs:
        assert crf._fast.tag(doc) == _crfsuite(crf, doc)


def test_new_words_beyond_the_cache_same_labels(crf, monkeypatch):
    from marsad.entities.ner.crf import _FastViterbi

    fast = _FastViterbi(crf.model_path, crf.featurizer)
    monkeypatch.setattr(fast, "MAX_WORDS", 3)
    doc = [["وقال", "الرئيس", "الروسي", "فلاديمير", "بوتين", "في", "موسكو"], ["وزير", "الخارجية", "سامح", "شكري"]]
    assert fast.tag(doc) == _crfsuite(crf, doc)
    assert fast.tag(doc) == _crfsuite(crf, doc)  # the words kept and those not kept, again
    assert fast._used == 3


def test_lone_surrogate_left_to_crfsuite(crf):
    assert crf._fast.tag([["بوتين", "\ud800"]]) is None  # the caller asks crfsuite, which refuses it as before
    with pytest.raises(SystemError):
        crf.tag([["بوتين", "\ud800"]])


def _shared() -> Path | None:
    for c in (os.environ.get("MARSAD_SHARED"), Path(__file__).resolve().parents[2].parent / "shared"):
        if c and (Path(c) / "data/unlabelled/ant-all-2018.jsonl.gz").is_file():
            return Path(c)
    return None


def test_real_articles_same_labels(crf):
    """600 ANT articles (their sentences, tokenised), each one document: the same labels as crfsuite's."""
    shared = _shared()
    if shared is None:
        pytest.skip("needs ../shared/data/unlabelled/ant-all-2018.jsonl.gz (set MARSAD_SHARED)")
    n_sent = 0
    with gzip.open(shared / "data/unlabelled/ant-all-2018.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in islice(fh, 2000, 2600):
            text = json.loads(line).get("text") or ""
            doc = [[t.text for t in tokenize(s)] for s in re.split(r"(?<=[.!؟?])\s+|\n+", text)]
            assert crf._fast.tag(doc) == _crfsuite(crf, doc)
            n_sent += len(doc)
    assert n_sent > 5000
