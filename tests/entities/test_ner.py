"""The shipped NER models (neural, the default, and CRF): load, tag sensibly, and always return well-formed BIO."""

from __future__ import annotations

import threading

import pytest

from marsad.entities.ner import DEFAULT_BACKEND, LABELS, load_tagger
from marsad.entities.ner.corpus import repair_bio
from marsad.errors import ConfigError, InputError
from marsad.lang.ar.tokenize import tokenize


def _toks(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


SENTS = [
    "وقال الرئيس الروسي فلاديمير بوتين في موسكو إن روسيا مستعدة للحوار مع الولايات المتحدة .",
    "واستقبل وزير الخارجية المصري سامح شكري نظيره الفرنسي في القاهرة أمس .",
    "أعلنت منظمة الصحة العالمية أن عدد الإصابات ارتفع إلى 2500 حالة في 12 دولة .",
    "",
    "، ؟ ( ) 2019",
    "Reuters قالت وكالة رويترز",
]


@pytest.fixture(scope="module", params=["neural", "crf"])
def tagger(request):
    return load_tagger(request.param)


def _entities(toks: list[str], labs: list[str]) -> list[tuple[str, str]]:
    out, cur, typ = [], [], ""
    for t, lab in [*zip(toks, labs, strict=True), ("", "O")]:
        if lab.startswith("I-") and cur and lab[2:] == typ:
            cur.append(t)
            continue
        if cur:
            out.append((" ".join(cur), typ))
        cur, typ = ([t], lab[2:]) if lab != "O" else ([], "")
    return out


def test_tags_person_and_places(tagger):
    toks = _toks(SENTS[0])
    ents = _entities(toks, tagger.tag([toks])[0])
    assert ("فلاديمير بوتين", "PER") in ents
    assert ("موسكو", "LOC") in ents
    assert ("روسيا", "LOC") in ents


def test_tags_foreign_minister_sentence(tagger):
    toks = _toks(SENTS[1])
    ents = _entities(toks, tagger.tag([toks])[0])
    assert ("سامح شكري", "PER") in ents
    assert ("القاهرة", "LOC") in ents


def test_output_is_well_formed_bio(tagger):
    sents = [_toks(s) for s in SENTS]
    out = tagger.tag(sents)
    assert [len(x) for x in out] == [len(s) for s in sents]
    for labs in out:
        assert set(labs) <= set(LABELS)
        assert repair_bio(labs) == labs  # no I-X that does not continue an X


def test_cached_and_thread_safe(tagger):
    assert load_tagger(tagger.backend) is tagger
    assert load_tagger() is load_tagger(DEFAULT_BACKEND)
    sents = [_toks(s) for s in SENTS] * 20
    expected = tagger.tag(sents)
    results: list[list[list[str]]] = []

    def run() -> None:
        results.append(tagger.tag(sents))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == expected for r in results)


def test_bad_backend_and_missing_model(tmp_path):
    with pytest.raises(ConfigError):
        load_tagger("spacy")
    with pytest.raises(ConfigError):
        load_tagger("transformers")
    with pytest.raises(InputError):
        load_tagger("crf", tmp_path)
