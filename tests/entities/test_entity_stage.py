"""The ``entities`` stage in the pipeline: records, offsets, fallbacks and the seed article acceptance check."""

from __future__ import annotations

import json
import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.data import Article
from marsad.entities import matching as matching_mod
from marsad.entities import stage as stage_mod
from marsad.entities.registry import load_registry
from marsad.entities.stage import EntityStage, build_stage
from marsad.errors import MarsadError
from marsad.lang.ar.sentences import split_sentences
from marsad.stages import default_pipeline

PAGE = """الرئيسية | أخبار | اتصل بنا
مصر والسعودية تبحثان التعاون
استقبل الرئيس المصري عبد الفتاح السيسي في القاهرة وزير الخارجية السعودي فيصل بن فرحان، وبحث الجانبان العلاقات بين البلدين.
وقال السيسي إن مصر تدعم المملكة العربية السعودية. من جانبه، أكد بن فرحان أن الرياض حريصة على التنسيق مع القاهرة.
شارك الخبر: فيسبوك تويتر واشنطن
"""


def analyse(text: str, **kw) -> Article:
    art = Article.new(text).with_layers(sentences=split_sentences(text))
    out = build_stage(**kw)(art)
    assert isinstance(out, Article)
    return out


def test_stage_contract():
    st_ = build_stage(use_ner=False)
    assert st_.name == "entities"
    assert st_.requires == {"sentences"}
    assert {"entities", "coref"} <= st_.provides


def test_pipeline_entities_are_canonical_and_in_the_body():
    art = default_pipeline(upto="entities").process(Article.new(PAGE))
    assert isinstance(art, Article)
    names = {e.name: e for e in art.entities}
    assert {"Abdel Fattah el-Sisi", "Egypt", "Saudi Arabia", "Faisal bin Farhan Al Saud"} <= set(names)
    sisi = names["Abdel Fattah el-Sisi"]
    assert (sisi.type, sisi.country, sisi.sector, sisi.actor_id) == (
        "PER",
        "EGY",
        "GOV",
        "per:abdel-fattah-el-sisi",
    )
    assert names["Egypt"].type == "GPE" and names["Egypt"].country == "EGY"
    layer = {(s.start, s.end, s.attrs["entity"]) for s in art.layer("mentions")}
    assert layer == {(m.start, m.end, e.id) for e in art.entities for m in e.mentions}
    allowed = [(s.start, s.end) for s in art.layer("body") + art.layer("title")]
    boiler = [(s.start, s.end) for s in art.layer("boilerplate")]
    ids = set()
    for e in art.entities:
        assert re.fullmatch(r"e\d+", e.id) and e.id not in ids
        ids.add(e.id)
        assert e.type in {"PER", "ORG", "GPE", "LOC", "MISC"}
        assert e.actor_id and (e.actor_id.startswith("~") or e.actor_id in load_registry().actors
                               or e.actor_id.startswith(("ministry:", "inst:")))  # fmt: skip
        for m in e.mentions:
            assert any(a <= m.start and m.end <= b for a, b in allowed)
            assert not any(a <= m.start < b for a, b in boiler)
            assert art.text[m.start : m.end].strip() == art.text[m.start : m.end] != ""


def test_locative_capital_is_a_place_metonymic_capital_is_the_country():
    art = analyse("وصل الوزير إلى موسكو أمس لحضور المؤتمر.")
    by_id = {e.actor_id: e for e in art.entities}
    assert "cap:RUS" in by_id and by_id["cap:RUS"].country == "RUS" and "RUS" not in by_id
    art = analyse("وقالت موسكو إنها سترد على القرار.")
    by_id = {e.actor_id: e for e in art.entities}
    assert "RUS" in by_id and by_id["RUS"].attrs.get("metonym") is True and "cap:RUS" not in by_id


def test_one_surface_one_entity_for_a_capital():
    # the same word as a place and as the government: one entity (the government), not two
    art = analyse("عقد الاجتماع في لندن. وقالت لندن إنها سترد.")
    holders = [e.actor_id for e in art.entities for m in e.mentions if art.text[m.start : m.end] == "لندن"]
    assert holders and set(holders) == {"GBR"}


def test_clitics_excluded_from_mentions():
    text = "ودعت الولايات المتحدة وبريطانيا وفرنسا إلى الحوار مع روسيا وللصين دور."
    art = analyse(text, use_ner=False)
    surfaces = {art.text[m.start : m.end] for e in art.entities for m in e.mentions}
    assert {"الولايات المتحدة", "بريطانيا", "فرنسا", "روسيا"} <= surfaces
    countries = {e.country for e in art.entities}
    assert {"USA", "GBR", "FRA", "RUS", "CHN"} <= countries


def test_ner_missing_falls_back_to_registry_with_one_warning(monkeypatch, caplog):
    import marsad.entities.ner as ner

    def broken(**kw):
        raise MarsadError("no model")

    monkeypatch.setattr(ner, "load_tagger", broken)
    monkeypatch.setattr(stage_mod, "_warned", False)
    caplog.set_level(logging.WARNING, logger="marsad.entities.stage")
    for _ in range(2):
        st_ = EntityStage()
        art = st_(
            Article.new("قال لافروف إن روسيا ترفض.").with_layers(
                sentences=split_sentences("قال لافروف إن روسيا ترفض.")
            )
        )
        assert {e.name for e in art.entities} == {"Sergey Lavrov", "Russia"}
    assert sum("NER model unavailable" in r.message for r in caplog.records) == 1


def test_named_transformers_model_that_is_missing_fails_at_build(tmp_path):
    with pytest.raises(MarsadError):
        build_stage(ner_backend="transformers", ner_model=str(tmp_path / "nothing-here"))


_ALPHABET = st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ") + [" ", " ", "،", ".", "\n", "ً", "ـ", "a", "1"]
)
_WORDS = st.sampled_from(["روسيا", "لافروف", "وانغ", "يي", "نظيره", "الروسي", "من", "جانبه", "البلدين", "وزير",
                          "الخارجية", "في", "لندن", "بن", "آل", "سعود", "وزارة", "الصحة", "المصرية", "#", "_", '"'])  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_WORDS, st.text(_ALPHABET, min_size=1, max_size=6)), max_size=40))
def test_spans_always_slice_the_text(parts):
    text = " ".join(parts)
    art = analyse(text, use_ner=False)
    for e in art.entities:
        for m in e.mentions + e.roles:
            assert 0 <= m.start < m.end <= len(text)
    for s in art.layer("coref"):
        assert 0 <= s.start < s.end <= len(text)
        assert set(s.attrs["entity"]) <= {e.id for e in art.entities}


def test_seed_every_required_entity_with_its_country(shared):
    """Acceptance: on the seed article every required gold entity is found (same coarse type, a mention string in
    common, as ../shared/eval/score.py matches them) with the right country."""
    gold = json.loads((shared / "gold" / "dev" / "seed.json").read_text(encoding="utf-8"))
    art = default_pipeline(upto="entities").process(Article.new(gold["text"]))
    assert isinstance(art, Article)
    coarse = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "MISC": "MISC"}
    sys_ents = [
        (coarse[e.type], {_norm(art.text[m.start : m.end]) for m in e.mentions}, e.country)
        for e in art.entities
    ]
    for g in gold["entities"]:
        if g.get("optional"):
            continue
        keys = {_norm(m) for m in g["mentions"]}
        hits = [c for t, ms, c in sys_ents if t == coarse[g["type"]] and ms & keys]
        assert hits, g["name"]
        assert g["country"] in hits, (g["name"], hits)


def _norm(s: str) -> str:
    from marsad.lang.ar.normalize import normalize

    s = normalize(s).strip("\"'«» ")
    return re.sub(r"^(?:لل|[وفبلك])(?=\S{2,})", "", s)


def test_stage_pickles_for_executors():
    import pickle

    st_ = build_stage()
    text = "قال لافروف إن روسيا ترفض."
    art = Article.new(text).with_layers(sentences=split_sentences(text))
    before = st_(art)
    clone = pickle.loads(pickle.dumps(st_))
    after = clone(art)
    assert isinstance(before, Article) and isinstance(after, Article)
    assert [e.to_dict(text) for e in after.entities] == [e.to_dict(text) for e in before.entities]


def test_concurrent_first_calls_all_get_the_tagger(monkeypatch):
    # Ray actors run batches in several threads of one process: every thread's first document must be tagged,
    # not only the thread that happened to start the (slow) model load.
    import threading
    import time

    import marsad.entities.ner as ner
    import marsad.entities.ner.crf as crf_mod

    loads = []

    class SlowTagger:
        def __init__(self, path):
            loads.append(path)
            time.sleep(0.3)

    monkeypatch.setattr(ner, "_cache", {})  # the real loader, with a slow model and a fresh cache
    monkeypatch.setattr(crf_mod, "CRFTagger", SlowTagger)
    st_ = EntityStage()
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(st_.tagger())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and isinstance(got[0], SlowTagger) and all(g is got[0] for g in got) and len(loads) == 1


def test_a_load_interrupted_by_the_time_limit_is_tried_again(monkeypatch):
    # DocumentTimeout (a BaseException) landing inside the first load must not switch NER off for the process.
    import marsad.entities.ner as ner
    from marsad.pipeline import DocumentTimeout

    calls = []

    def flaky(**kw):
        calls.append(1)
        if len(calls) == 1:
            raise DocumentTimeout()
        return "tagger"

    monkeypatch.setattr(ner, "load_tagger", flaky)
    st_ = EntityStage()
    with pytest.raises(DocumentTimeout):
        st_.tagger()
    assert st_.tagger() == "tagger" and len(calls) == 2


def test_warm_pipeline_has_its_tagger_loaded(monkeypatch):
    import marsad.entities.ner as ner
    from marsad.quotes import slot

    monkeypatch.setattr(ner, "load_tagger", lambda **kw: "tagger")
    try:
        pipe = default_pipeline().warm()
        (ent,) = [s for s in pipe.stages if s.name == "entities"]
        assert ent._ner_tried and ent._tagger == "tagger"
    finally:
        slot._name_evidence.cache_clear()  # the quotes stage warmed its table from the stand-in tagger


def test_registry_start_table_is_bounded(monkeypatch):
    # a long-running process meets ever more distinct words: the per-word table of registry starts is started
    # again past its bound instead of growing with the corpus, and the entities found stay the same
    st_ = build_stage(use_ner=False)
    first = "زار الوزير الأردني عمان أمس وبحث مع نظيره التونسي ملفات التعاون الزراعي والمائي."
    second = "وقال رئيس الوزراء الكندي إن بلاده تدعم الحوار بين الجانبين في جنيف."

    def run(text):
        art = Article.new(text).with_layers(sentences=split_sentences(text))
        return [(e.name, e.type) for e in st_(art).entities]

    unbounded = [run(first), run(second)]
    monkeypatch.setattr(matching_mod, "_STARTS_MAX", 3)
    st_._starts = (None, {})
    assert [run(first), run(second)] == unbounded
    seen = set(st_._starts[1])
    assert seen and len(seen) <= len(second.split()) + 3  # the second call started the table again
    assert "زراعي" not in seen and "الزراعي" not in seen  # words only the first text has are gone
