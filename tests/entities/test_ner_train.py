"""Training path, document propagation and the eval command, on tiny hand-made data (fast)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from marsad.entities.ner.consistency import propagate
from marsad.entities.ner.corpus import Sentence, split_dev
from marsad.entities.ner.crf import CRFTagger
from marsad.entities.ner.features import Featurizer, Resources
from marsad.entities.ner.train import train_crf

TRAIN = [
    ("قال الرئيس بوتين في موسكو", "O O B-PER O B-LOC"),
    ("زار بوتين باريس أمس", "O B-PER B-LOC O"),
    ("وقال لافروف في موسكو", "O B-PER O B-LOC"),
    ("التقى لافروف نظيره في باريس", "O B-PER O O B-LOC"),
    ("أعلنت الأمم المتحدة اليوم", "O B-ORG I-ORG O"),
] * 4


def _sents() -> list[Sentence]:
    return [Sentence(tuple(t.split()), tuple(lab.split())) for t, lab in TRAIN]


def test_train_crf_learns_toy_data(tmp_path):
    res = Resources(
        clusters={"موسكو": ["1", "2", "3"], "باريس": ["1", "2", "4"]}, gazetteer={"بوتين": ["PER"]}
    )
    train_crf(_sents(), res, tmp_path, max_iterations=50, log=lambda m: None)
    tagger = CRFTagger(tmp_path, document=False)
    assert tagger.tag([["زار", "لافروف", "موسكو"]]) == [["O", "B-PER", "B-LOC"]]
    assert tagger.resources.gazetteer == {"بوتين": ["PER"]}  # resources travel with the model


def test_features_use_stem_and_clusters():
    feat = Featurizer(Resources(clusters={"موسكو": ["7", "8", "9"]}))
    f = feat.sentence(["بموسكو", "اليوم"])
    assert "s=موسكو" in f[0] and "p=ب" in f[0]
    assert "sc0=7" in f[0]  # the stem's cluster when the clitic form is unknown
    assert "+1w=اليوم" in f[0] and "-1w=بموسكو" in f[1]
    assert "BOS" in f[0] and "EOS" in f[1]


def test_propagate_repeats_and_surname():
    sents = [["وقال", "سيرغي", "لافروف", "في", "موسكو"], ["وأضاف", "لافروف", "أن", "بموسكو"], ["في", "موسكو"]]
    labels = [["O", "B-PER", "I-PER", "O", "B-LOC"], ["O", "O", "O", "O"], ["O", "B-LOC"]]
    out = propagate(sents, labels)
    assert out[1] == ["O", "O", "O", "B-LOC"]  # clitic form بموسكو; the bare surname only with surnames=True
    assert out[0] == labels[0] and out[2] == labels[2]  # existing tags untouched
    assert propagate(sents, labels, surnames=True)[1] == ["O", "B-PER", "O", "B-LOC"]


def test_split_dev_is_contiguous_tail():
    sents = _sents()
    train, dev = split_dev(sents, fraction=0.25)
    assert train + dev == sents and len(dev) == 5


def test_eval_command_on_a_file(tmp_path):
    from marsad.cli.app import main

    p = tmp_path / "gold.txt"
    p.write_text("وقال O\nالرئيس O\nفلاديمير B-PERS\nبوتين I-PERS\n\nفي O\nموسكو B-LOC\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(p), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["scores"]["micro"]["support"] == 2
    assert 0.0 <= d["scores"]["micro"]["f1"] <= 100.0
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(tmp_path / "missing.txt")])
    assert r.exit_code != 0 and "not found" in r.output
