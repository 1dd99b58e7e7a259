"""The conlleval-semantics scorer and the corpus label mapping, on hand-made cases."""

from __future__ import annotations

import pytest

from marsad.entities.ner.corpus import map_label, read_conll, repair_bio
from marsad.entities.ner.scoring import chunks, score


def test_chunks_basic_and_adjacent():
    assert chunks(["B-PER", "I-PER", "O", "B-LOC"]) == [("PER", 0, 2), ("LOC", 3, 4)]
    # Two adjacent entities of the same type are two entities when the second starts with B.
    assert chunks(["B-PER", "B-PER", "I-PER"]) == [("PER", 0, 1), ("PER", 1, 3)]


def test_chunks_conlleval_edge_cases():
    # I- after O starts an entity (conlleval), I- of another type closes the previous one and starts a new one.
    assert chunks(["O", "I-ORG", "I-ORG"]) == [("ORG", 1, 3)]
    assert chunks(["B-PER", "I-LOC"]) == [("PER", 0, 1), ("LOC", 1, 2)]
    assert chunks(["I-PER"]) == [("PER", 0, 1)]
    assert chunks(["O", "O"]) == []
    # An entity that runs to the end of the sentence is closed there.
    assert chunks(["O", "B-MISC", "I-MISC"]) == [("MISC", 1, 3)]


def test_score_exact_match_only():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    s = score(gold, pred)
    # PER boundary wrong: one false positive and one false negative; LOC and ORG right.
    assert s.tp == {"LOC": 1, "ORG": 1}
    p, r, f = s.prf()
    assert p == pytest.approx(2 / 3) and r == pytest.approx(2 / 3) and f == pytest.approx(2 / 3)
    assert s.prf("PER") == (0.0, 0.0, 0.0)
    assert s.prf("LOC") == (1.0, 1.0, 1.0)


def test_score_type_error_counts_twice():
    s = score([["B-PER", "I-PER"]], [["B-ORG", "I-ORG"]])
    assert s.n_gold == {"PER": 1} and s.n_pred == {"ORG": 1} and sum(s.tp.values()) == 0
    assert s.as_dict()["micro"]["f1"] == 0.0


def test_score_agrees_with_seqeval_conlleval_mode():
    seqeval = pytest.importorskip("seqeval.metrics", reason="seqeval not installed (optional cross-check)")
    gold = [["O", "I-PER", "I-PER", "B-LOC", "I-ORG", "O"], ["B-MISC", "I-MISC", "B-MISC", "O", "I-LOC"]]
    pred = [["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "O"], ["B-MISC", "I-MISC", "I-MISC", "O", "B-LOC"]]
    f = score(gold, pred).prf()[2]
    assert f == pytest.approx(seqeval.f1_score(gold, pred))


def test_score_rejects_length_mismatch():
    with pytest.raises(ValueError):
        score([["O", "O"]], [["O"]])


def test_map_label():
    assert map_label("B-PERS") == "B-PER"
    assert map_label("I-MIS2") == "I-MISC"
    assert map_label("B-MISS1") == "B-MISC"
    assert map_label("B-MIS-1") == "B-MISC"
    assert map_label("B-MIS1`") == "B-MISC"
    assert map_label("IO") == "O"
    assert map_label("ENGLISH") == "O"
    assert map_label("I-GPE") == "I-LOC"


def test_repair_bio():
    assert repair_bio(["O", "I-PER", "I-PER", "I-LOC"]) == ["O", "B-PER", "I-PER", "B-LOC"]
    assert repair_bio(["B-ORG", "I-ORG"]) == ["B-ORG", "I-ORG"]


def test_read_conll(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("قال O\nبوتين B-PERS\n\nفي O\nباريس B-LOC\nخطأ في السطر\n\n", encoding="utf-8")
    sents = read_conll(p)
    assert [s.tokens for s in sents] == [("قال", "بوتين"), ("في", "باريس")]
    assert sents[0].labels == ("O", "B-PER")
