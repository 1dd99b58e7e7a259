"""The neural NER backend: the numpy forward pass agrees with the torch network it was exported from, decoding is
always well-formed BIO, and (when shipped) the packaged model tags a sentence sensibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from marsad.entities.ner import DEFAULT_NEURAL_MODEL, LABELS, load_tagger
from marsad.entities.ner.corpus import Sentence
from marsad.entities.ner.features import Resources
from marsad.entities.ner.neural import NeuralTagger, viterbi
from marsad.errors import ConfigError, InputError
from marsad.lang.ar.tokenize import tokenize


def _toks(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def _well_formed(labels: list[str]) -> bool:
    prev = "O"
    for lab in labels:
        if lab not in LABELS:
            return False
        if lab.startswith("I-") and prev[2:] != lab[2:]:
            return False
        prev = lab
    return True


def test_viterbi_paths_are_valid_bio() -> None:
    rng = np.random.default_rng(0)
    logp = rng.normal(size=(20, 15, len(LABELS))).astype(np.float32)
    logp[:, :, [i for i, x in enumerate(LABELS) if x.startswith("I-")]] += 3.0  # tempt it with I- everywhere
    lengths = rng.integers(1, 16, size=20)
    for path, n in zip(viterbi(logp, lengths), lengths, strict=True):
        assert len(path) == n
        assert _well_formed([LABELS[j] for j in path])


def test_viterbi_takes_the_argmax_when_it_is_valid() -> None:
    labels = ["B-PER", "I-PER", "O", "B-LOC"]
    logp = np.full((1, 4, len(LABELS)), -5.0, dtype=np.float32)
    for i, lab in enumerate(labels):
        logp[0, i, LABELS.index(lab)] = 0.0
    assert [LABELS[j] for j in viterbi(logp, np.array([4]))[0]] == labels


SENTS = [
    Sentence(
        ("قال", "الرئيس", "فلاديمير", "بوتين", "في", "موسكو"), ("O", "O", "B-PER", "I-PER", "O", "B-LOC")
    ),
    Sentence(("وزار", "شكري", "القاهرة", "."), ("O", "B-PER", "B-LOC", "O")),
]


def test_numpy_forward_matches_torch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from marsad.entities.ner.neural import WordEncoder
    from marsad.entities.ner.neural_train import _batch, _model, build_vocab, export

    res = Resources(
        clusters={"موسكو": ["3", "10", "100"], "بوتين": ["5", "20", "200"]},
        gazetteer={"القاهرة": ["CAPITAL"], "شكري": ["PER"]},
    )
    rp = tmp_path / "res.json.gz"
    res.save(rp)
    vocab = build_vocab(SENTS + SENTS, res)
    torch.manual_seed(0)
    net = _model(vocab, torch)
    with torch.no_grad():  # larger weights so that a mismatch would show in the outputs
        for p in net.parameters():
            p.mul_(3.0)
    net.eval()
    out = tmp_path / "model"
    export(net, vocab, rp, out)
    tagger = NeuralTagger(out)
    sents = [list(s.tokens) for s in SENTS] + [["كلمة", "جديدة", "تماما", "بوتين"]]
    with torch.no_grad():
        expect = torch.log_softmax(net(_batch(WordEncoder(vocab, res), sents, torch)), -1).numpy()
    got = tagger.log_probs(sents)
    for i, s in enumerate(sents):
        assert got[i].shape == (len(s), len(LABELS))
        np.testing.assert_allclose(got[i], expect[i, : len(s)], atol=2e-2)  # weights are stored as float16
    for labs, s in zip(tagger.tag(sents + [[]]), sents + [[]], strict=True):
        assert len(labs) == len(s)
        assert _well_formed(labs)


def test_missing_model_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        NeuralTagger(tmp_path)
    with pytest.raises(ConfigError):
        load_tagger("lstm")


@pytest.mark.skipif(not (DEFAULT_NEURAL_MODEL / "weights.npz").is_file(), reason="no neural model shipped")
def test_shipped_model_tags_sensibly() -> None:
    tagger = load_tagger("neural")
    assert tagger.backend == "neural"
    sents = [
        _toks("وقال الرئيس الروسي فلاديمير بوتين في موسكو إن روسيا مستعدة للحوار مع الولايات المتحدة ."),
        _toks("واستقبل وزير الخارجية المصري سامح شكري نظيره الفرنسي في القاهرة أمس ."),
        [],
    ]
    out = tagger.tag(sents)
    for toks, labs in zip(sents, out, strict=True):
        assert len(toks) == len(labs)
        assert _well_formed(labs)
    first = dict(zip(sents[0], out[0], strict=True))
    assert first["بوتين"] in ("B-PER", "I-PER")
    assert first["موسكو"] == "B-LOC"
    second = dict(zip(sents[1], out[1], strict=True))
    assert second["القاهرة"] == "B-LOC"
    assert second["وزير"] == "O"


def test_fill_from_adds_only_entities_the_primary_missed() -> None:
    from marsad.entities.ner.neural import fill_from

    primary = ["B-PER", "I-PER", "O", "O", "O", "B-LOC"]
    other = ["B-ORG", "O", "O", "B-LOC", "I-LOC", "B-LOC"]
    # the ORG overlaps a primary entity (dropped); the LOC at 3-4 lies where primary has O (added)
    assert fill_from(primary, other) == ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "B-LOC"]


@pytest.mark.parametrize("mode", ["fill", "average"])
def test_crf_ensemble_modes(tmp_path: Path, mode: str) -> None:
    pytest.importorskip("torch")
    import json

    import torch

    from marsad.entities.ner import DEFAULT_CRF_MODEL
    from marsad.entities.ner.neural_train import _model, build_vocab, export

    res = Resources()
    rp = tmp_path / "res.json.gz"
    res.save(rp)
    vocab = build_vocab(SENTS, res)
    net = _model(vocab, torch)
    with torch.no_grad():  # a network that always says O: whatever is tagged comes from the CRF
        net.out.weight.zero_()
        net.out.bias.copy_(torch.tensor([10.0] + [0.0] * (len(LABELS) - 1)))
    net.eval()
    out = tmp_path / "model"
    export(net, vocab, rp, out)
    (out / "ensemble.json").write_text(json.dumps({"crf": str(DEFAULT_CRF_MODEL), "mode": mode, "weight": 0.0}))
    toks = _toks("وقال الرئيس الروسي فلاديمير بوتين في موسكو .")
    labs = NeuralTagger(out).tag([toks])[0]
    assert _well_formed(labs)
    assert dict(zip(toks, labs, strict=True))["موسكو"] == "B-LOC"


# --- pretrained vectors + CRF output layer (the shipped recipe) --------------------------------------------------


def _vector_vocab(tmp_path: Path, vec_words: list[str], rng: np.random.Generator):  # noqa: ANN202
    """Resources saved to tmp_path, a CRF-layer vocabulary over SENTS, and random 6-dim vectors for ``vec_words``
    (row 0 = no vector)."""
    from marsad.entities.ner.neural_train import build_vocab

    res = Resources(clusters={"موسكو": ["3", "10", "100"]}, gazetteer={"القاهرة": ["CAPITAL"]})
    rp = tmp_path / "res.json.gz"
    res.save(rp)
    vocab = build_vocab(SENTS, res)
    vocab["crf"] = True
    vocab["vec_words"] = vec_words
    vecs = np.concatenate([np.zeros((1, 6)), rng.normal(size=(len(vec_words), 6))]).astype(np.float32)
    return res, rp, vocab, vecs


def _crf_net(tmp_path: Path):  # noqa: ANN202
    torch = pytest.importorskip("torch")
    from marsad.entities.ner.neural_train import _model, export

    rng = np.random.default_rng(1)
    res, rp, vocab, vecs = _vector_vocab(tmp_path, ["موسكو", "روسيا", "بوتين"], rng)
    torch.manual_seed(0)
    net = _model(vocab, torch, vecs)
    with torch.no_grad():
        for p in net.parameters():
            if p.requires_grad:
                p.mul_(3.0)
        net.crf_trans.copy_(torch.from_numpy(rng.normal(size=(len(LABELS), len(LABELS))).astype(np.float32)))
        net.crf_start.copy_(torch.from_numpy(rng.normal(size=len(LABELS)).astype(np.float32)))
        net.crf_end.copy_(torch.from_numpy(rng.normal(size=len(LABELS)).astype(np.float32)))
    net.eval()
    out = tmp_path / "model"
    export(net, vocab, rp, out)
    return torch, net, vocab, res, out


def _paths(n: int):  # noqa: ANN202 - every BIO-valid label path of length n
    import itertools

    for p in itertools.product(range(len(LABELS)), repeat=n):
        if _well_formed([LABELS[j] for j in p]):
            yield p


def test_crf_layer_decoding_and_marginals_match_brute_force(tmp_path: Path) -> None:
    torch, net, vocab, res, out = _crf_net(tmp_path)
    from marsad.entities.ner.neural import WordEncoder
    from marsad.entities.ner.neural_train import _batch

    tagger = NeuralTagger(out, document=False)
    assert tagger.crf_layer
    sent = ["بوتين", "في", "موسكو"]
    with torch.no_grad():
        em_t = net(_batch(WordEncoder(vocab, res), [sent], torch))[0].numpy()
    em = tagger._scores([sent])[0]
    np.testing.assert_allclose(em, em_t, atol=5e-2)  # float16 / int8 storage
    w = tagger.w
    tr, st, en = w["crf_trans"], w["crf_start"], w["crf_end"]

    def path_score(p: tuple[int, ...]) -> float:
        s = st[p[0]] + em[0, p[0]] + en[p[-1]]
        for i in range(1, len(p)):
            s += tr[p[i - 1], p[i]] + em[i, p[i]]
        return float(s)

    paths = list(_paths(len(sent)))
    scores = np.array([path_score(p) for p in paths])
    best = paths[int(scores.argmax())]
    assert tagger.tag([sent])[0] == [LABELS[j] for j in best]
    # marginals: sum over valid paths of exp(score), normalised
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    expect = np.zeros((len(sent), len(LABELS)))
    for p, pr in zip(paths, probs, strict=True):
        for i, j in enumerate(p):
            expect[i, j] += pr
    got = np.exp(tagger.log_probs([sent])[0])
    np.testing.assert_allclose(got, expect, atol=1e-4)
    np.testing.assert_allclose(got.sum(1), 1.0, atol=1e-4)


def test_crf_loss_is_the_negative_log_likelihood(tmp_path: Path) -> None:
    torch, net, vocab, res, out = _crf_net(tmp_path)
    from marsad.entities.ner.neural import WordEncoder
    from marsad.entities.ner.neural_train import _batch

    sents = [["بوتين", "في", "موسكو"], ["روسيا", "."]]
    gold = [["B-PER", "O", "B-LOC"], ["B-LOC", "O"]]
    b = _batch(WordEncoder(vocab, res), sents, torch)
    y = torch.full(b["w"].shape, -100, dtype=torch.long)
    for i, g in enumerate(gold):
        y[i, : len(g)] = torch.tensor([LABELS.index(x) for x in g])
    with torch.no_grad():
        em = net(b)
        loss = float(net.crf_nll(em, y, (y >= 0).float()))
    tr = net.crf_trans.detach().numpy()
    st = net.crf_start.detach().numpy()
    en = net.crf_end.detach().numpy()
    nll = []
    for i, (s, g) in enumerate(zip(sents, gold, strict=True)):
        e = em[i, : len(s)].numpy()

        def sc(p: tuple[int, ...], e: np.ndarray = e) -> float:
            v = st[p[0]] + e[0, p[0]] + en[p[-1]]
            return float(v + sum(tr[p[k - 1], p[k]] + e[k, p[k]] for k in range(1, len(p))))

        all_scores = np.array([sc(p) for p in _paths(len(s))])
        logz = all_scores.max() + np.log(np.exp(all_scores - all_scores.max()).sum())
        nll.append(logz - sc(tuple(LABELS.index(x) for x in g)))
    assert loss == pytest.approx(float(np.mean(nll)), abs=1e-3)


def test_vectors_round_trip_through_the_model_file(tmp_path: Path) -> None:
    _torch, net, vocab, _res, out = _crf_net(tmp_path)
    tagger = NeuralTagger(out)
    assert tagger.enc.vec_words == {"موسكو": 1, "روسيا": 2, "بوتين": 3}
    assert "vec_words" not in (out / "vocab.json").read_text(encoding="utf-8")
    want = net.emb_vec.weight.detach().numpy()
    np.testing.assert_allclose(tagger.w["emb_vec"], want, atol=np.abs(want).max() / 100)
    # a clitic-attached form finds the vector of its stem
    assert tagger.enc.encode("وموسكو")[8] == 1
    assert tagger.enc.encode("كلمة")[8] == 0


def test_train_vectors_then_load_the_most_frequent(tmp_path: Path) -> None:
    pytest.importorskip("gensim")
    from marsad.entities.ner.neural_train import load_vectors, train_vectors

    lines = ["زار الوزير موسكو أمس", "التقى الرئيس نظيره في موسكو", "عاد الوزير إلى القاهرة"] * 40
    (tmp_path / "corpus.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = train_vectors(tmp_path / "no-data", tmp_path, log=lambda _m: None)  # corpus exists: data not read
    words, mat = load_vectors(path, 3)
    assert len(words) == 3 and mat.shape == (3, 100)
    assert set(words[:2]) == {"موسكو", "الوزير"}  # the two most frequent words (80 each, the rest 40) come first
    with pytest.raises(InputError):
        load_vectors(tmp_path / "missing.kv", 3)


@pytest.mark.parametrize("proj", [0, 4])
def test_language_model_features_numpy_matches_torch(tmp_path: Path, proj: int) -> None:
    """With BiLM states among its inputs, the numpy tagger computes what the torch network computes."""
    torch = pytest.importorskip("torch")
    from marsad.entities.ner.lm_train import build_bilm
    from marsad.entities.ner.neural import WordEncoder
    from marsad.entities.ner.neural_train import _batch, _model, export

    rng = np.random.default_rng(2)
    res, rp, vocab, vecs = _vector_vocab(tmp_path, ["موسكو", "روسيا", "بوتين", "وزير"], rng)
    torch.manual_seed(0)
    lm = build_bilm(torch, vecs, hidden=5)
    with torch.no_grad():
        lm.unk.copy_(torch.from_numpy(rng.normal(size=6).astype(np.float32)))
    vocab["lm"] = {"hidden": 5, "proj": proj}
    net = _model(vocab, torch, vecs, lm)
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(3.0)
    net.eval()
    out = tmp_path / "model"
    export(net, vocab, rp, out)
    tagger = NeuralTagger(out)
    assert tagger.lm_hidden == 5
    sents = [list(s.tokens) for s in SENTS] + [["كلمة", "موسكو", "وبوتين"], ["روسيا"]]
    with torch.no_grad():
        expect = net(_batch(WordEncoder(vocab, res), sents, torch)).numpy()
    got = tagger._scores(sents)
    for i, s in enumerate(sents):
        np.testing.assert_allclose(got[i], expect[i, : len(s)], atol=5e-2)  # float16/int8 storage
    # the backward LM reads the whole sentence: changing the last word changes the first word's scores
    a, b = tagger._scores([["موسكو", "روسيا", "بوتين"], ["موسكو", "روسيا", "وزير"]])
    assert not np.allclose(a[0], b[0])


def test_language_model_trains_on_a_corpus_and_loads_frozen(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from marsad.entities.ner.lm_train import corpus_ids, load_lm, train_lm

    lines = ["زار الوزير موسكو أمس", "التقى الرئيس نظيره في موسكو", "عاد الوزير إلى القاهرة وموسكو"] * 30
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words = ["موسكو", "الوزير", "القاهرة"]
    ids, starts = corpus_ids(corpus, words)
    assert list(ids[:4]) == [0, 2, 1, 0]  # no vector for زار / أمس
    assert ids[13] == 1  # وموسكو finds the vector of its stem
    assert list(starts[:3]) == [0, 4, 9]
    vecs = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    messages: list[str] = []
    path = train_lm(corpus, words, vecs, tmp_path / "lm.pt", cycles=((600, 1e-2, 1),), hidden=6,
                    batch_size=8, log=messages.append)
    assert path.is_file() and "language model saved" in messages[-1]
    mat = np.concatenate([np.zeros((1, 8)), vecs]).astype(np.float32)
    lm = load_lm(torch, path, mat)
    assert lm.hidden == 6 and not any(p.requires_grad for p in lm.parameters())
    hf, hb = lm.states(torch.tensor([[2, 1, 0]]), torch.tensor([3]))
    assert hf.shape == hb.shape == (1, 3, 6)


def test_language_model_errors_are_clean(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from marsad.entities.ner.lm_train import build_bilm, load_lm

    mat = np.zeros((4, 6), dtype=np.float32)
    with pytest.raises(InputError, match="not found"):
        load_lm(torch, tmp_path / "missing.pt", mat)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="not a marsad language model"):
        load_lm(torch, tmp_path / "junk.pt", mat)
    torch.save(build_bilm(torch, np.zeros((9, 6), dtype=np.float32), hidden=3).state_dict(), tmp_path / "other.pt")
    with pytest.raises(InputError, match="trained over 8 word vectors, not these 3"):
        load_lm(torch, tmp_path / "other.pt", mat)
