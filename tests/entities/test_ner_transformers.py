"""The optional transformers backend, on a tiny randomly initialised BERT that the test builds itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.entities.ner import LABELS, load_tagger
from marsad.entities.ner.corpus import repair_bio

torch = pytest.importorskip("torch", reason="torch not installed (transformers backend is optional)")
transformers = pytest.importorskip("transformers", reason="transformers not installed (optional backend)")

# ANERcorp-style label names on purpose: the backend must fold PERS into PER.
HF_LABELS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def _build(tmp: Path, *, force: str | None = None) -> Path:
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    # Whole words and word pieces, so that some tokens split into several pieces.
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "قال", "بوتين", "في", "موسكو", "ال", "##رئيس", "##ر",
             "##وسي", "رو", ".", "،"]  # fmt: skip
    (tmp / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(
        vocab_file=str(tmp / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=False
    )
    tok.save_pretrained(str(tmp))
    cfg = BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=64, num_labels=len(HF_LABELS),
        id2label=dict(enumerate(HF_LABELS)), label2id={lab: i for i, lab in enumerate(HF_LABELS)},
    )  # fmt: skip
    torch.manual_seed(0)
    model = BertForTokenClassification(cfg)
    if force is not None:  # make the classifier answer one label whatever the input
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.fill_(-10.0)
            model.classifier.bias[HF_LABELS.index(force)] = 10.0
    model.save_pretrained(str(tmp))
    return tmp


def test_tiny_random_model_tags_every_token(tmp_path):
    tagger = load_tagger("transformers", _build(tmp_path))
    sents = [["قال", "الرئيس", "الروسي", "بوتين", "في", "موسكو", "."], ["كلمة_غير_معروفة"], [], ["،"] * 300]
    out = tagger.tag(sents)
    assert [len(x) for x in out] == [len(s) for s in sents]
    for labs in out:
        assert set(labs) <= set(LABELS)
        assert repair_bio(labs) == labs


def test_labels_are_mapped_to_ours(tmp_path):
    tagger = load_tagger("transformers", _build(tmp_path, force="B-PERS"))
    out = tagger.tag([["قال", "الرئيس", "الروسي", "بوتين"]])
    # One label per word even for words of several pieces; PERS folded into PER.
    assert out == [["B-PER", "B-PER", "B-PER", "B-PER"]]


def test_missing_model_folder_is_a_user_error(tmp_path):
    from marsad.errors import InputError

    with pytest.raises(InputError):
        load_tagger("transformers", tmp_path / "nope")
