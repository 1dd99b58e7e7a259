"""Annotation round trip: export marsad's analysis, change a label as an annotator would, import it, and the change
is in the training data the NER trainer reads (``marsad train ner --gold-dir``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad import annotate
from marsad.cli import main
from marsad.data import Article, Entity, Event, Quote, Span

TEXT = (
    "أجرى وزير الخارجية الصيني وانغ يي اتصالا هاتفيا مع نظيره الروسي سيرغي لافروف.\n"
    'وقال وانغ إن "العلاقات بين الصين وروسيا قوية" وأكد أن البلدين سيواصلان التعاون.'
)


def _article() -> Article:
    a = Article.new(TEXT, source="seed", title="اتصال", published="2020-12-23")
    w0 = TEXT.index("وانغ يي")
    l0 = TEXT.index("سيرغي لافروف")
    w1 = TEXT.index("وانغ إن")
    wang = Entity("e1", "PER", "Wang Yi", (Span(w0, w0 + 7), Span(w1, w1 + 4)), actor_id="per:wang-yi",
                  country="CHN", sector="GOV")  # fmt: skip
    lav = Entity("e2", "PER", "Sergey Lavrov", (Span(l0, l0 + 12),), actor_id="per:lavrov", country="RUS")
    q0 = TEXT.index("العلاقات")
    q = Quote("q1", "direct", Span(q0, q0 + 30), ("e1",), cue=Span(q0 - 8, q0 - 5))
    ev = Event("v1", "CONSULT", Span(0, 40), ("e1",), ("e2",), mode="phone", date="2020-12-23", symmetric=True)
    return a.evolve(body=TEXT, entities=(wang, lav), quotes=(q,), events=(ev,))


def _store(tmp_path: Path) -> Path:
    from marsad.store import Store

    db = tmp_path / "a.db"
    with Store(db, hooks=[]) as st:
        st.add([_article()])
    return db


def test_label_studio_round_trip_changes_training_data(tmp_path: Path) -> None:
    from marsad.entities.ner.gold import gold_sentences, read_gold

    db = _store(tmp_path)
    tasks_file = tmp_path / "tasks.json"
    r = CliRunner().invoke(main, ["annotate", "export", "--db", str(db), "-o", str(tasks_file)])
    assert r.exit_code == 0, r.output
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    before = annotate.from_label_studio(tasks[0])
    assert {e["type"] for e in before["entities"]} == {"PER"}
    assert before["events"][0]["type"] == "CONSULT" and before["events"][0]["source"] == ["e1"]
    assert before["quotes"][0]["speaker"] == ["e1"] and before["quotes"][0]["kind"] == "direct"
    assert before["quotes"][0]["cue"] == TEXT[TEXT.index("العلاقات") - 8 : TEXT.index("العلاقات") - 5]

    # the annotator: Lavrov's mention becomes an ORG (a deliberate, checkable change), the event becomes an ACCUSE;
    # Label Studio exports the corrected regions under "annotations"
    result = json.loads(json.dumps(tasks[0]["predictions"][0]["result"]))
    for reg in result:
        if reg.get("from_name") == "entity" and reg["value"]["text"] == "سيرغي لافروف":
            reg["value"]["labels"] = ["ORG"]
        if reg.get("from_name") == "event" and reg.get("type") == "labels":
            reg["value"]["labels"] = ["ACCUSE"]
        if reg.get("from_name") == "event_mode":
            reg["value"]["choices"] = ["disapprove"]
    tasks[0]["annotations"] = [{"result": result}]
    corrected = tmp_path / "corrected.json"
    corrected.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")

    gold = tmp_path / "gold"
    r = CliRunner().invoke(main, ["annotate", "import", str(corrected), "--out", str(gold)])
    assert r.exit_code == 0, r.output
    docs = read_gold(gold)
    assert len(docs) == 1
    lav = next(e for e in docs[0]["entities"] if "سيرغي لافروف" in e["mentions"])
    assert lav["type"] == "ORG"
    assert docs[0]["events"][0]["type"] == "ACCUSE" and docs[0]["events"][0]["mode"] == "disapprove"
    assert docs[0]["events"][0]["target"] == [lav["id"]]
    sents = gold_sentences(docs)
    tagged = {(tok, lab) for s in sents for tok, lab in zip(s.tokens, s.labels, strict=True)}
    assert ("سيرغي", "B-ORG") in tagged and ("لافروف", "I-ORG") in tagged
    assert ("سيرغي", "B-PER") not in tagged


def test_conll_round_trip(tmp_path: Path) -> None:
    from marsad.entities.ner.corpus import read_conll

    text = annotate.to_conll(_article())
    assert "وانغ B-PER" in text and "يي I-PER" in text and "لافروف I-PER" in text
    changed = text.replace("سيرغي B-PER", "سيرغي B-ORG").replace("لافروف I-PER", "لافروف I-ORG")
    path = tmp_path / "x.conll"
    path.write_text(changed, encoding="utf-8")
    sents = read_conll(path)  # the reader marsad train ner uses for ANERcorp-style files
    assert ("سيرغي", "B-ORG") in {(t, lab) for s in sents for t, lab in zip(s.tokens, s.labels, strict=True)}
    docs = annotate.from_conll(changed)
    assert docs[0]["id"] == _article().id
    assert {(e["type"], e["name"]) for e in docs[0]["entities"]} >= {("ORG", "سيرغي لافروف"), ("PER", "وانغ يي")}
    for e in docs[0]["entities"]:
        for s, t in e["offsets"]:
            assert docs[0]["text"][s:t] == e["name"]


def test_bad_annotation_files_are_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("word B-FOO\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["annotate", "import", str(bad), "--format", "conll", "--out", str(tmp_path / "g")])
    assert r.exit_code != 0
    with pytest.raises(Exception, match="E_ANNOTATION"):
        annotate.read_label_studio("{not json")


def test_config_names_every_label() -> None:
    from marsad.events import plover

    cfg = annotate.label_studio_config()
    assert all(f'value="{c}"' in cfg for c in plover.CATEGORIES)
    assert 'value="aerial"' in cfg and 'value="speaker"' in cfg
