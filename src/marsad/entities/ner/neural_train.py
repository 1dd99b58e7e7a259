"""Training the neural NER backend with torch (CPU), then exporting the weights to numpy for :mod:`.neural`."""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsad.entities.ner.corpus import LABELS, Sentence, repair_bio
from marsad.entities.ner.features import Resources, _shape
from marsad.entities.ner.neural import (
    _ALLOWED,
    _START_OK,
    RESOURCES_FILE,
    VOCAB_FILE,
    WEIGHTS_FILE,
    NeuralTagger,
    WordEncoder,
    unit_rows,
)
from marsad.errors import require

Log = Callable[[str], None]

DIMS = {
    "word": 64,
    "bare": 48,
    "pre": 8,
    "shape": 8,
    "cl": (16, 24, 32),
    "char": 24,
    "char_out": 48,
    "hidden": 200,
}


def build_vocab(sents: Sequence[Sentence], resources: Resources) -> dict:
    words: Counter[str] = Counter()
    bares: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    pres: Counter[str] = Counter()
    shapes: Counter[str] = Counter()
    for s in sents:
        for t in s.tokens:
            n, pre, _stem, bare = WordEncoder.forms(t)
            words[n] += 1
            bares[bare] += 1
            chars.update(n)
            pres[pre] += 1
            shapes[_shape(t)] += 1
    gaz = sorted({c for v in resources.gazetteer.values() for c in v})
    n_cl = [0, 0, 0]
    for v in resources.clusters.values():
        for k, c in enumerate(v[:3]):
            n_cl[k] = max(n_cl[k], int(c) + 1)

    def keep(c: Counter[str], m: int) -> list[str]:
        return ["<pad>", "<unk>"] + sorted(w for w, k in c.items() if k >= m)

    return {
        "labels": list(LABELS),
        "words": keep(words, 2),
        "bares": keep(bares, 2),
        "chars": keep(chars, 2),
        "pres": keep(pres, 1),
        "shapes": keep(shapes, 1),
        "gaz": gaz,
        "n_clusters": n_cl,
    }


def _model(vocab: dict, torch, vectors: np.ndarray | None = None, lm=None):  # noqa: ANN001, ANN202 - torch is lazy
    """The network. ``lm``: a trained, frozen BiLM (:mod:`.lm_train`) whose states join the BiLSTM's input
    (``vocab["lm"]`` then says its size and the width of the projection in front of the BiLSTM)."""
    nn = torch.nn
    d: dict[str, Any] = dict(DIMS)

    class Net(nn.Module):  # type: ignore[name-defined]  # torch is imported lazily (training extra)
        def __init__(self) -> None:
            super().__init__()
            self.emb_word = nn.Embedding(len(vocab["words"]), d["word"], padding_idx=0)
            self.emb_bare = nn.Embedding(len(vocab["bares"]), d["bare"], padding_idx=0)
            self.emb_pre = nn.Embedding(len(vocab["pres"]), d["pre"], padding_idx=0)
            self.emb_shape = nn.Embedding(len(vocab["shapes"]), d["shape"], padding_idx=0)
            self.emb_cl = nn.ModuleList(
                nn.Embedding(n + 2, dim, padding_idx=0)
                for n, dim in zip(vocab["n_clusters"], d["cl"], strict=True)
            )
            self.emb_char = nn.Embedding(len(vocab["chars"]), d["char"], padding_idx=0)
            self.char_conv = nn.Conv1d(d["char"], d["char_out"], 3, padding=1)
            # Pretrained word2vec vectors stay frozen: they are what the net knows about words ANERcorp never
            # shows, and fine-tuning them on 125k tokens would pull the seen words away from the unseen ones.
            self.emb_vec = (
                nn.Embedding.from_pretrained(torch.from_numpy(vectors), freeze=True)
                if vectors is not None
                else None
            )
            n_vec = vectors.shape[1] if vectors is not None else 0
            n_in = n_vec + (
                d["word"]
                + d["bare"]
                + d["pre"]
                + d["shape"]
                + 2 * sum(d["cl"])
                + len(vocab["gaz"])
                + d["char_out"]
            )
            self.drop = nn.Dropout(0.5)
            self.lm = lm
            self.lm_proj = None
            if lm is not None:
                # The LM's 2×256 states go through a narrow linear map before the BiLSTM: the per-token cost of
                # the LM features at tagging time is then 512×64 + 64×1600 multiplications, not 512×1600.
                n_lm = 2 * vocab["lm"]["hidden"]
                width = int(vocab["lm"].get("proj") or 0)
                if width:
                    self.lm_proj = nn.Linear(n_lm, width)
                n_in += width or n_lm
            self.lstm = nn.LSTM(n_in, d["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * d["hidden"], len(vocab["labels"]))
            n_lab = len(vocab["labels"])
            self.use_crf = bool(vocab.get("crf"))
            if self.use_crf:
                # Linear-chain CRF output layer: learnt label transitions; BIO-invalid ones are masked out.
                self.crf_trans = nn.Parameter(torch.zeros(n_lab, n_lab))
                self.crf_start = nn.Parameter(torch.zeros(n_lab))
                self.crf_end = nn.Parameter(torch.zeros(n_lab))
                self.register_buffer("allowed", torch.from_numpy(_ALLOWED.astype(np.float32)))
                self.register_buffer("start_ok", torch.from_numpy(_START_OK.astype(np.float32)))

        def crf_nll(self, em: torch.Tensor, y: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            """Mean negative log-likelihood of the gold paths ``y`` (B, T) under emissions ``em`` (B, T, L)."""
            big = -1e4
            trans = self.crf_trans + (1 - self.allowed) * big
            start = self.crf_start + (1 - self.start_ok) * big
            bsz, t, _ = em.shape
            yc = y.clamp(min=0)
            # gold path score
            gold = start[yc[:, 0]] + em[:, 0].gather(1, yc[:, :1]).squeeze(1)
            for i in range(1, t):
                m = mask[:, i]
                step = trans[yc[:, i - 1], yc[:, i]] + em[:, i].gather(1, yc[:, i : i + 1]).squeeze(1)
                gold = gold + step * m
            last = yc.gather(1, (mask.sum(1).long() - 1)[:, None]).squeeze(1)
            gold = gold + self.crf_end[last]
            # partition function
            alpha = start[None] + em[:, 0]
            for i in range(1, t):
                nxt = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + em[:, i]
                m = mask[:, i : i + 1]
                alpha = nxt * m + alpha * (1 - m)
            logz = torch.logsumexp(alpha + self.crf_end[None], dim=1)
            return (logz - gold).mean()

        def forward(self, b: dict) -> torch.Tensor:
            parts = [
                self.emb_word(b["w"]),
                self.emb_bare(b["b"]),
                self.emb_pre(b["p"]),
                self.emb_shape(b["s"]),
            ]
            parts += [e(b["cl"][..., k]) for k, e in enumerate(self.emb_cl)]
            parts += [e(b["scl"][..., k]) for k, e in enumerate(self.emb_cl)]
            parts.append(b["g"])
            bsz, t, nc = b["c"].shape
            ce = self.emb_char(b["c"].view(bsz * t, nc)).transpose(1, 2)
            ch = torch.relu(self.char_conv(ce))
            ch = ch.masked_fill((b["c"].view(bsz * t, nc) == 0)[:, None, :], 0.0).max(dim=2).values
            parts.append(ch.view(bsz, t, -1))
            if self.emb_vec is not None:
                parts.append(self.emb_vec(b["v"]))
            x = self.drop(torch.cat(parts, dim=-1))
            if self.lm is not None:
                lmf = b.get("lm")
                if lmf is None:
                    with torch.no_grad():
                        lmf = torch.cat(self.lm.states(b["v"], b["len"]), dim=-1)
                lmf = self.drop(lmf)
                x = torch.cat([x, self.lm_proj(lmf) if self.lm_proj is not None else lmf], dim=-1)
            packed = nn.utils.rnn.pack_padded_sequence(x, b["len"], batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
            return self.out(self.drop(h))

    return Net()


def _batch(enc: WordEncoder, sents: Sequence[Sequence[str]], torch, word_drop: float = 0.0) -> dict:  # noqa: ANN001
    bsz = len(sents)
    t = max(len(s) for s in sents)
    codes = [[enc.encode(x) for x in s] for s in sents]
    nc = max(len(c[7]) for cs in codes for c in cs)
    w = np.zeros((bsz, t), dtype=np.int64)
    b = np.zeros((bsz, t), dtype=np.int64)
    p = np.zeros((bsz, t), dtype=np.int64)
    s = np.zeros((bsz, t), dtype=np.int64)
    cl = np.zeros((bsz, t, 3), dtype=np.int64)
    scl = np.zeros((bsz, t, 3), dtype=np.int64)
    g = np.zeros((bsz, t, len(enc.gaz_classes)), dtype=np.float32)
    c = np.zeros((bsz, t, nc), dtype=np.int64)
    v = np.zeros((bsz, t), dtype=np.int64)
    for i, cs in enumerate(codes):
        for j, x in enumerate(cs):
            w[i, j], b[i, j], p[i, j], s[i, j] = x[0], x[1], x[2], x[3]
            if word_drop and random.random() < word_drop:
                w[i, j] = 1  # word dropout: teach the net to lean on clusters/chars for unseen words
            if word_drop and random.random() < word_drop:
                b[i, j] = 1
            cl[i, j] = x[4]
            scl[i, j] = x[5]
            g[i, j] = x[6]
            c[i, j, : len(x[7])] = x[7]
            v[i, j] = x[8]
    tt = torch.from_numpy
    return {
        "w": tt(w),
        "b": tt(b),
        "p": tt(p),
        "s": tt(s),
        "cl": tt(cl),
        "scl": tt(scl),
        "g": tt(g),
        "c": tt(c),
        "v": tt(v),
        "len": torch.tensor([len(x) for x in sents]),
    }


def quantize_rows(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and their float16 scales (row = q * scale)."""
    scale = np.abs(m).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    return np.round(m / scale).astype(np.int8), scale.astype(np.float16)


def export(net, vocab: dict, resources_path: Path, out_dir: Path) -> None:  # noqa: ANN001
    out_dir.mkdir(parents=True, exist_ok=True)
    sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
    w = {
        "emb_word": sd["emb_word.weight"],
        "emb_bare": sd["emb_bare.weight"],
        "emb_pre": sd["emb_pre.weight"],
        "emb_shape": sd["emb_shape.weight"],
        "emb_char": sd["emb_char.weight"],
        "char_conv_w": sd["char_conv.weight"],
        "char_conv_b": sd["char_conv.bias"],
        "lstm_wih_f": sd["lstm.weight_ih_l0"],
        "lstm_whh_f": sd["lstm.weight_hh_l0"],
        "lstm_b_f": sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
        "lstm_wih_b": sd["lstm.weight_ih_l0_reverse"],
        "lstm_whh_b": sd["lstm.weight_hh_l0_reverse"],
        "lstm_b_b": sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
        "out_w": sd["out.weight"],
        "out_b": sd["out.bias"],
    }
    if vocab.get("lm"):
        # The BiLSTM's input columns for the LM features come last; they are kept apart because, unlike the
        # word-level columns, they cannot be folded into the per-word cache.
        n_lm = sd["lm_proj.weight"].shape[0] if "lm_proj.weight" in sd else 2 * vocab["lm"]["hidden"]
        for suffix, key in (("f", "lstm.weight_ih_l0"), ("b", "lstm.weight_ih_l0_reverse")):
            w[f"lstm_wih_{suffix}"] = sd[key][:, :-n_lm]
            w[f"lstm_wih_lm_{suffix}"] = sd[key][:, -n_lm:]
        for suffix, name in (("f", "f"), ("b", "b")):
            w[f"lm_wih_{suffix}"] = sd[f"lm.{name}.weight_ih_l0"]
            w[f"lm_whh_{suffix}"] = sd[f"lm.{name}.weight_hh_l0"]
            w[f"lm_b_{suffix}"] = sd[f"lm.{name}.bias_ih_l0"] + sd[f"lm.{name}.bias_hh_l0"]
        w["lm_unk"] = sd["lm.unk"]
        if "lm_proj.weight" in sd:
            w["lm_proj_w"] = sd["lm_proj.weight"]
            w["lm_proj_b"] = sd["lm_proj.bias"]
    for k in range(3):
        w[f"emb_cl{k}"] = sd[f"emb_cl.{k}.weight"]
    if "emb_vec.weight" in sd:
        w["emb_vec"] = sd["emb_vec.weight"]
    for name in ("crf_trans", "crf_start", "crf_end"):
        if name in sd:
            w[name] = sd[name]
    # float16 halves the file; the forward pass upcasts to float32 on load. The pretrained vectors (most of the
    # size) are stored as int8 with one scale per row: a quarter of float32, rounding error at most 0.4% of the
    # row's largest component.
    arrays = {k: v.astype(np.float16) for k, v in w.items() if k != "emb_vec"}
    if "emb_vec" in w:
        arrays["emb_vec_q"], arrays["emb_vec_scale"] = quantize_rows(w["emb_vec"])
    vocab = dict(vocab)
    if vocab.get("vec_words"):
        # The vectors' words, newline-joined UTF-8, compress far better inside the npz than in the JSON vocab.
        arrays["vec_words"] = np.frombuffer("\n".join(vocab.pop("vec_words")).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(out_dir / WEIGHTS_FILE, **arrays)
    (out_dir / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    if resources_path.resolve() != (out_dir / RESOURCES_FILE).resolve():
        shutil.copyfile(resources_path, out_dir / RESOURCES_FILE)


def train_neural(
    sents: Sequence[Sentence],
    resources_path: Path,
    out_dir: Path,
    *,
    dev: Sequence[Sentence] = (),
    epochs: int = 12,
    batch_size: int = 32,
    max_len: int = 60,
    lr: float = 2e-3,
    word_drop: float = 0.15,
    seed: int = 13,
    threads: int = 2,
    vectors: tuple[list[str], np.ndarray] | None = None,
    crf: bool = False,
    cosine: bool = False,
    patience: int = 3,
    lm_path: Path | None = None,
    lm_proj: int = 64,
    log: Log = print,
) -> Path:
    """Train the BiLSTM. With ``cosine`` the learning rate decays to zero and the last epoch is kept (dev, if
    given, is only reported); otherwise ``dev`` picks the best epoch (early stopping after ``patience`` epochs).

    ``vectors``: pretrained (words, matrix) — normalised words and their word2vec rows, fed to the net frozen.
    ``lm_path``: a BiLM trained over the same vectors (:func:`.lm_train.train_lm`); its states, projected to
    ``lm_proj`` dimensions, join the BiLSTM's input."""
    torch = require("torch", feature="training the neural NER backend", extra="train")
    from marsad.entities.ner.scoring import score

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    resources = Resources.load(resources_path)
    vocab = build_vocab(sents, resources)
    vocab["crf"] = crf
    mat = None
    if vectors is not None:
        words, m = vectors
        vocab["vec_words"] = list(words)
        mat = unit_rows(m.astype(np.float32))
    enc = WordEncoder(vocab, resources)
    lm = None
    if lm_path is not None:
        from marsad.entities.ner.lm_train import load_lm

        if mat is None:
            raise ValueError("a language model needs the word vectors it was trained on")
        lm = load_lm(torch, lm_path, mat)
        vocab["lm"] = {"hidden": lm.hidden, "proj": lm_proj}
    net = _model(vocab, torch, mat, lm)
    lm_cache: dict[tuple[str, ...], Any] = {}

    def lm_states(batch: list[list[str]], b: dict) -> Any:  # noqa: ANN401
        """The frozen LM's states for a batch, computed once per training piece (the LM never changes)."""
        assert lm is not None
        todo = [i for i, t in enumerate(batch) if tuple(t) not in lm_cache]
        if todo:
            with torch.no_grad():
                hf, hb = lm.states(b["v"][todo], b["len"][todo])
            for row, i in enumerate(todo):
                n = len(batch[i])
                lm_cache[tuple(batch[i])] = torch.cat([hf[row, :n], hb[row, :n]], dim=-1)
        out = torch.zeros(len(batch), b["v"].shape[1], 2 * lm.hidden)
        for i, t in enumerate(batch):
            out[i, : len(t)] = lm_cache[tuple(t)]
        return out

    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=lr)
    label_id = {lab: i for i, lab in enumerate(vocab["labels"])}
    # Long sentences (up to 530 tokens in ANERcorp) are cut into pieces for training: the LSTM's sequential steps
    # dominate CPU time, and a 60-token window holds all the context a name needs.
    data = [
        Sentence(s.tokens[i : i + max_len], tuple(repair_bio(s.labels[i : i + max_len])))
        for s in sents
        for i in range(0, len(s.tokens), max_len)
        if s.tokens
    ]
    best, best_epoch, bad = -1.0, -1, 0
    import contextlib

    from marsad.cli.options import progress

    # batches per epoch, as the loop below cuts them (chunks of 20 batches, the last ones shorter)
    n_batches = sum(-(-min(batch_size * 20, len(data) - i) // batch_size)
                    for i in range(0, len(data), batch_size * 20))
    bar = contextlib.ExitStack()
    advance = bar.enter_context(progress("train ner (neural batches)", epochs * n_batches, unit="batches"))
    for ep in range(epochs):
        t0 = time.time()
        if cosine:
            # Cosine decay to zero over the run: the last epoch is a settled model, so a full-data run (no dev
            # split to pick an epoch) can simply keep it.
            for grp in opt.param_groups:
                grp["lr"] = lr * 0.5 * (1 + math.cos(math.pi * ep / epochs))
        net.train()
        random.shuffle(data)
        # Batches of similar length (sorted within chunks) keep padding low.
        chunks = [
            sorted(data[i : i + batch_size * 20], key=lambda s: len(s.tokens))
            for i in range(0, len(data), batch_size * 20)
        ]
        batches = [c[i : i + batch_size] for c in chunks for i in range(0, len(c), batch_size)]
        random.shuffle(batches)
        total = 0.0
        for bt in batches:
            b = _batch(enc, [s.tokens for s in bt], torch, word_drop)
            if lm is not None:
                b["lm"] = lm_states([list(s.tokens) for s in bt], b)
            y = torch.full(b["w"].shape, -100, dtype=torch.long)
            for i, s in enumerate(bt):
                y[i, : len(s.labels)] = torch.tensor([label_id[x] for x in s.labels])
            logits = net(b)
            if net.use_crf:
                loss = net.crf_nll(logits, y, (y >= 0).float())
            else:
                loss = torch.nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100
                )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += loss.item()
            advance()
        msg = f"epoch {ep + 1}: loss {total / len(batches):.4f} ({time.time() - t0:.0f}s)"
        if dev:
            net.eval()
            export(net, vocab, resources_path, out_dir)
            tagger = NeuralTagger(out_dir)
            toks = [s.tokens for s in dev]
            pred: list[list[str]] = []
            for i in range(0, len(toks), 20):
                pred += tagger.tag(toks[i : i + 20])
            f1: dict[str, Any] = score([s.labels for s in dev], pred).as_dict()
            f = float(f1["micro"]["f1"]) if "micro" in f1 else float(f1.get("f1", 0))
            msg += f", dev F1 {f:.2f}"
            if f > best and not cosine:
                best, best_epoch, bad = f, ep, 0
                torch.save(net.state_dict(), out_dir / "best.pt")
            else:
                bad += 1
        log(msg)
        if dev and not cosine and bad >= patience:
            break
    bar.close()
    if dev and best_epoch >= 0:
        net.load_state_dict(torch.load(out_dir / "best.pt"))
        (out_dir / "best.pt").unlink()
        log(f"best epoch {best_epoch + 1}, dev F1 {best:.2f}")
    net.eval()
    export(net, vocab, resources_path, out_dir)
    return out_dir


def build_neural(
    *,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    work_dir: Path | None = None,
    resources: Path | None = None,
    dev: bool = False,
    epochs: int = 16,
    vectors: Path | None = None,
    max_vectors: int = 150_000,
    seed: int = 13,
    lm: bool = True,
    lm_file: Path | None = None,
    lm_proj: int = 64,
    log: Log = print,
) -> Path:
    """The recipe behind ``marsad train ner --backend neural`` (the shipped model): ANERcorp train (minus the dev
    split with ``--dev``, which is then scored after every epoch), the CRF model's clusters + gazetteer +
    auto-gazetteer as extra inputs, frozen word2vec vectors trained on the unlabelled news (cached in
    ``work_dir``; trained on first use), the states of a BiLM trained on the same news over those vectors
    (``lm``; cached in ``work_dir`` as well, about 30 minutes on two cores), a BiLSTM with a CRF output layer, cosine
    learning-rate decay over ``epochs``, last epoch kept."""
    from marsad.entities.ner import DEFAULT_CRF_MODEL, DEFAULT_NEURAL_MODEL
    from marsad.entities.ner.corpus import anercorp_path, read_conll, shared_data_dir, split_dev
    from marsad.entities.ner.crf import RESOURCES_FILE as CRF_RESOURCES

    sents = read_conll(anercorp_path("train", data_dir))
    dev_sents: list[Sentence] = []
    if dev:
        sents, dev_sents = split_dev(sents)
    out = out_dir or DEFAULT_NEURAL_MODEL
    res = resources or DEFAULT_CRF_MODEL / CRF_RESOURCES
    log(
        f"ANERcorp train: {len(sents)} sentences"
        + (f", dev: {len(dev_sents)}" if dev else "")
        + f"; resources {res}"
    )
    work = work_dir or Path.home() / ".cache" / "marsad" / "ner"
    if vectors is None:
        vectors = work / VECTORS_FILE
        if not vectors.is_file():
            train_vectors(data_dir or shared_data_dir(), work, log=log)
    vecs = load_vectors(vectors, max_vectors)
    log(f"word vectors: {len(vecs[0]):,} words from {vectors}")
    lm_path = None
    if lm:
        from marsad.entities.ner.lm_train import LM_FILE, train_lm

        lm_path = lm_file or work / LM_FILE
        if lm_file is None and not lm_path.is_file():  # a given --lm-file must exist (load_lm says so)
            corpus = work / "corpus.txt"
            if not corpus.is_file():
                from marsad.entities.ner.embeddings import write_corpus

                write_corpus(data_dir or shared_data_dir(), corpus, log=log)
            train_lm(corpus, vecs[0], vecs[1], lm_path, log=log)
        log(f"language model: {lm_path}")
    return train_neural(
        sents, res, out, dev=dev_sents, epochs=epochs, vectors=vecs, crf=True, cosine=True, seed=seed,
        lm_path=lm_path, lm_proj=lm_proj, log=log,
    )


VECTORS_FILE = "w2v100.kv"


def train_vectors(data_dir: Path, work_dir: Path, *, log: Log = print) -> Path:
    """word2vec (100 dimensions, words seen ≥ 3 times, up to 400k words) on the unlabelled news corpus, saved as
    gensim KeyedVectors in ``work_dir`` (the corpus file is shared with the CRF's cluster training)."""
    from marsad.entities.ner.embeddings import train_word2vec, write_corpus

    work_dir.mkdir(parents=True, exist_ok=True)
    corpus = work_dir / "corpus.txt"
    if not corpus.is_file():
        write_corpus(data_dir, corpus, log=log)
    wv = train_word2vec(corpus, min_count=3, max_vocab=400_000, log=log)
    out = work_dir / VECTORS_FILE
    wv.save(str(out))
    log(f"word vectors saved to {out}")
    return out


def load_vectors(path: Path, limit: int) -> tuple[list[str], np.ndarray]:
    """The ``limit`` most frequent words of a gensim KeyedVectors file (word2vec orders its vocabulary by count)."""
    gensim_models = require("gensim.models", feature="reading word vectors", extra="train")
    if not Path(path).is_file():
        from marsad.errors import InputError

        raise InputError(f"word vectors not found: {path}")
    kv = gensim_models.KeyedVectors.load(str(path))
    words = list(kv.index_to_key[:limit])
    return words, np.asarray(kv.vectors[: len(words)], dtype=np.float32)
