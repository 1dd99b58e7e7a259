"""Projecting gold entity mentions onto article text (BIO training sentences) and the folds of the CV by document.

Texts here are written for the tests (never taken from the gold files)."""

from __future__ import annotations

import json

import pytest

from marsad.data import Article
from marsad.entities.ner.gold import folds, gold_sentences, project_units, read_gold
from marsad.entities.stage import article_units
from marsad.errors import InputError
from marsad.stages import default_pipeline


def _units(text: str):
    art = default_pipeline(upto="text-layer", time_limit=None).process(Article.new(text))
    return article_units(art)


def _tagged(sents) -> list[tuple[str, str]]:
    return [(t, lab) for s in sents for t, lab in zip(s.tokens, s.labels, strict=True) if lab != "O"]


def test_every_occurrence_with_clitics_longest_first():
    text = (
        "وصل وزير الخارجية إلى لندن اليوم في زيارة رسمية.\n"
        "وأعلنت وزارة الخارجية البريطانية أن المحادثات في لندن كانت مثمرة، وقالت الحكومة ولندن ترحب بالاتفاق.\n"
        "وسافر الوفد لاحقا للندن مرة أخرى بعد محادثات مع الأمم المتحدة."
    )
    ents = [
        {"id": "E1", "type": "GPE", "mentions": ["لندن"]},
        {"id": "E2", "type": "ORG", "mentions": ["وزارة الخارجية البريطانية"]},
        {"id": "E3", "type": "ORG", "mentions": ["الأمم المتحدة"]},
    ]
    got = _tagged(project_units(_units(text), ents))
    assert got.count(("لندن", "B-LOC")) == 2  # GPE → the tagger's LOC, every occurrence
    assert ("ولندن", "B-LOC") in got  # a leading clitic stays on the token, as in ANERcorp
    assert ("للندن", "B-LOC") in got
    assert ("وزارة", "B-ORG") in got and ("البريطانية", "I-ORG") in got
    assert ("الأمم", "B-ORG") in got and ("المتحدة", "I-ORG") in got
    # وزير الخارجية is not a mention: الخارجية alone stays O
    assert not any(t == "الخارجية" and lab != "I-ORG" for t, lab in got)


def test_word_boundaries_and_longest_match():
    text = "التقى سعيد بن أحمد بالوفد في مدينة الصينية القديمة. وقال سعيد إن الصين شريك مهم."
    ents = [
        {"id": "E1", "type": "PER", "mentions": ["سعيد بن أحمد", "سعيد"]},
        {"id": "E2", "type": "GPE", "mentions": ["الصين"]},
    ]
    sents = project_units(_units(text), ents)
    got = _tagged(sents)
    assert got[:3] == [("سعيد", "B-PER"), ("بن", "I-PER"), ("أحمد", "I-PER")]
    assert ("سعيد", "B-PER") in got[3:]
    assert ("الصينية", "B-LOC") not in got  # الصين is not a word boundary inside الصينية
    assert ("الصين", "B-LOC") in got


def test_hashtags_drop_their_joiners():
    text = "تظاهر الآلاف في محافظة #تعز_الجديدة مساء أمس وسط هتافات."
    ents = [{"id": "E1", "type": "GPE", "mentions": ["#تعز_الجديدة", "تعز_الجديدة"]}]
    sents = project_units(_units(text), ents)
    assert all("#" not in s.tokens and "_" not in s.tokens for s in sents)
    assert _tagged(sents) == [("تعز", "B-LOC"), ("الجديدة", "I-LOC")]


def test_gold_folder_to_sentences_and_folds(tmp_path):
    for i in range(6):
        doc = {"id": f"d{i}", "text": f"زار الرئيس مدينة حلب يوم {i} من الشهر.", "entities": [
            {"id": "E1", "type": "GPE", "mentions": ["حلب"]}]}
        (tmp_path / f"d{i}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    docs = read_gold(tmp_path)
    sents = gold_sentences(docs)
    assert len(sents) == 6 and all(("حلب", "B-LOC") in _tagged([s]) for s in sents)
    fs = folds(docs, 3)
    assert sorted(i for f in fs for i in f) == list(range(6))  # each document in exactly one fold
    assert all(len(f) == 2 for f in fs)
    with pytest.raises(InputError):
        folds(docs, 7)


def test_bad_gold_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_gold(tmp_path / "nope")
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a gold"):
        read_gold(tmp_path)


def test_train_ner_gold_dir_errors_are_one_line(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    res = CliRunner().invoke(main, ["train", "ner", "--gold-dir", str(tmp_path / "nope"), "--out", str(tmp_path / "m")])
    assert res.exit_code != 0 and "gold folder not found" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["train", "ner", "--gold-dir", str(tmp_path), "--dev"])
    assert res.exit_code != 0 and "--dev" in res.output
