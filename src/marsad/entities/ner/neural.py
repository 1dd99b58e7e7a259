"""Neural NER backend: char-CNN + word/cluster/gazetteer embeddings + frozen word2vec vectors (+ the states of a
frozen word-level BiLM, :mod:`.lm_train`, when the model has one) → BiLSTM → emissions,
decoded by a BIO-constrained Viterbi with the learnt transitions of a CRF output layer (models without that layer:
softmax, constrained Viterbi). Trained with torch (:mod:`.neural_train`); run time is numpy only.

The forward pass is written by hand in numpy (rather than shipping torch or onnxruntime as a run-time dependency)
because the network is tiny and one trick makes it fast: everything below the LSTM depends on the word alone, so the
LSTM input projection of each distinct word (both directions) is computed once and cached. Per sentence what remains
is the recurrent part, batched over sentences.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from marsad.entities.ner.consistency import propagate
from marsad.entities.ner.corpus import LABELS, repair_bio
from marsad.entities.ner.features import Resources, _shape
from marsad.errors import InputError
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

WEIGHTS_FILE = "weights.npz"
VOCAB_FILE = "vocab.json"
RESOURCES_FILE = "resources.json.gz"
ENSEMBLE_FILE = "ensemble.json"
MAX_CHARS = 20
UNK = 1  # index 0 is padding in every vocabulary


def vector_id(index: dict[str, int], n: str, stem: str, bare: str) -> int:
    """Row of a word's pretrained vector (0: none): the normalised word, else its clitic-stripped stem, else the
    stem without ال. Shared by the tagger and the language-model trainer, which must agree on it."""
    return index.get(n) or index.get(stem) or index.get(bare) or 0


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """The vector matrix the network reads: each row scaled to unit length, under an all-zero row 0 (no vector)."""
    m = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-8)
    return np.concatenate([np.zeros((1, m.shape[1]), dtype=np.float32), m]).astype(np.float32)


class WordEncoder:
    """Maps a token to the integer inputs of the network (same code for training and tagging)."""

    def __init__(self, vocab: dict, resources: Resources) -> None:
        self.words: dict[str, int] = {w: i for i, w in enumerate(vocab["words"])}
        self.bares: dict[str, int] = {w: i for i, w in enumerate(vocab["bares"])}
        self.chars: dict[str, int] = {c: i for i, c in enumerate(vocab["chars"])}
        self.pres: dict[str, int] = {p: i for i, p in enumerate(vocab["pres"])}
        self.shapes: dict[str, int] = {s: i for i, s in enumerate(vocab["shapes"])}
        self.gaz_classes: list[str] = vocab["gaz"]
        self.n_clusters: list[int] = vocab["n_clusters"]
        self._gi = {g: i for i, g in enumerate(self.gaz_classes)}
        # Pretrained word2vec rows (row 0 = unknown word, all zeros); absent in models trained without them.
        self.vec_words: dict[str, int] = {w: i + 1 for i, w in enumerate(vocab.get("vec_words", ()))}
        self.res = resources
        self.encode = functools.lru_cache(maxsize=200_000)(self._encode)

    @staticmethod
    def forms(tok: str) -> tuple[str, str, str, str]:
        n = normalize(tok)
        pre, stem = strip_clitics(n)
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 3 else stem
        return n, pre, stem, bare

    def _cl(self, *forms: str) -> list[int]:
        for f in forms:
            c = self.res.clusters.get(f)
            if c:
                return [int(x) + 2 for x in c]
        return [UNK] * len(self.n_clusters)

    def _encode(
        self, tok: str
    ) -> tuple[int, int, int, int, tuple[int, ...], tuple[int, ...], tuple[float, ...], tuple[int, ...], int]:
        n, pre, stem, bare = self.forms(tok)
        vec = vector_id(self.vec_words, n, stem, bare)
        cl = self._cl(n, stem, bare)
        scl = self._cl(bare, stem)
        g = [0.0] * len(self.gaz_classes)
        for f in (n, stem, bare):
            for c in self.res.gazetteer.get(f, ()):
                i = self._gi.get(c)
                if i is not None:
                    g[i] = 1.0
        chars = tuple(self.chars.get(c, UNK) for c in n[:MAX_CHARS]) or (UNK,)
        return (
            self.words.get(n, UNK),
            self.bares.get(bare, UNK),
            self.pres.get(pre, UNK),
            self.shapes.get(_shape(tok), UNK),
            tuple(cl),
            tuple(scl),
            tuple(g),
            chars,
            vec,
        )


def lstm_steps(xg: np.ndarray, lengths: np.ndarray, whh_t: np.ndarray) -> np.ndarray:
    """One LSTM direction over ``xg`` (B, T, 4H) whose rows are sorted by descending ``lengths``: at step i only
    the first k rows (the sentences still running) are computed, so padding costs nothing. Gate rows are
    pre-scaled (:func:`_fold_gate_scale`) so that one tanh per step serves all four gates (fewer numpy calls;
    the recurrent matmul is most of the time, so the gain is small)."""
    b, t, _ = xg.shape
    hd = whh_t.shape[0]
    h = np.zeros((b, hd), dtype=np.float32)
    c = np.zeros((b, hd), dtype=np.float32)
    out = np.zeros((b, t, hd), dtype=np.float32)
    k = b
    for i in range(t):
        while k > 0 and lengths[k - 1] <= i:
            k -= 1
        g = xg[:k, i] + h[:k] @ whh_t
        np.tanh(g, out=g)  # sigmoid(x) = (tanh(x/2) + 1) / 2; the halving is folded into the weights
        ck = 0.5 * ((g[:, hd : 2 * hd] + 1.0) * c[:k] + (g[:, :hd] + 1.0) * g[:, 2 * hd : 3 * hd])
        hk = 0.5 * (g[:, 3 * hd :] + 1.0) * np.tanh(ck)
        c[:k] = ck
        h[:k] = hk
        out[:k, i] = hk
    return out


def _allowed() -> np.ndarray:
    """allowed[i, j]: label j may follow label i (I-X only after B-X / I-X)."""
    n = len(LABELS)
    a = np.ones((n, n), dtype=bool)
    for j, lj in enumerate(LABELS):
        if lj.startswith("I-"):
            for i, li in enumerate(LABELS):
                a[i, j] = li[2:] == lj[2:]
    return a


_ALLOWED = _allowed()
_START_OK = np.array([not x.startswith("I-") for x in LABELS])


def viterbi(
    logp: np.ndarray,
    lengths: np.ndarray,
    trans: np.ndarray | None = None,
    start: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> list[list[int]]:
    """Best BIO-valid label path per sentence from per-token scores ``logp`` (B, T, L), plus learnt transition /
    start / end scores when the model has a CRF output layer."""
    b, t, nl = logp.shape
    tr = np.where(_ALLOWED, 0.0 if trans is None else trans, -1e9)
    st = np.where(_START_OK, 0.0 if start is None else start, -1e9)
    score = logp[:, 0] + st
    back = np.zeros((b, t, nl), dtype=np.int64)
    for i in range(1, t):
        cand = score[:, :, None] + tr[None]  # (B, from, to)
        best = cand.argmax(1)
        new = np.take_along_axis(cand, best[:, None, :], 1)[:, 0] + logp[:, i]
        live = (i < lengths)[:, None]
        score = np.where(live, new, score)
        back[:, i] = best
    if end is not None:
        score = score + end
    out: list[list[int]] = []
    for k in range(b):
        n = int(lengths[k])
        j = int(score[k].argmax())
        path = [j]
        for i in range(n - 1, 0, -1):
            j = int(back[k, i, j])
            path.append(j)
        out.append(path[::-1])
    return out


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.exp(x - m).sum(axis=axis))


def crf_marginals(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Log marginal probability of each label at each token of one sentence (forward-backward, log space)."""
    tr = np.where(_ALLOWED, trans, -1e4)
    n = em.shape[0]
    alpha = np.zeros_like(em)
    beta = np.zeros_like(em)
    alpha[0] = np.where(_START_OK, start, -1e4) + em[0]
    for i in range(1, n):
        alpha[i] = _logsumexp(alpha[i - 1][:, None] + tr, 0) + em[i]
    beta[n - 1] = end
    for i in range(n - 2, -1, -1):
        beta[i] = _logsumexp(tr + (em[i + 1] + beta[i + 1])[None, :], 1)
    logz = _logsumexp(alpha[n - 1] + end, 0)
    return alpha + beta - logz


def fill_from(primary: Sequence[str], other: Sequence[str]) -> list[str]:
    """``primary`` plus the entities of ``other`` that fall entirely where ``primary`` found nothing (an ensemble:
    the neural tagger leads, the CRF adds what it alone saw)."""
    from marsad.entities.ner.scoring import chunks

    out = list(primary)
    for typ, a, b in chunks(other):
        if all(x == "O" for x in primary[a:b]):
            out[a:b] = ["B-" + typ] + ["I-" + typ] * (b - a - 1)
    return out


def _fold_gate_scale(w: dict[str, np.ndarray], prefix: str, parts: tuple[str, ...]) -> None:
    """Halve the input, forget and output gate rows (torch order i, f, g, o) of LSTM ``prefix``'s weights in place,
    so that one tanh over all four gates gives tanh(x) for g and tanh(x/2) = 2·sigmoid(x) − 1 for the others."""
    for suffix in ("f", "b"):
        for part in parts:
            key = f"{prefix}_{part}_{suffix}"
            if key not in w:
                continue
            hd = w[key].shape[0] // 4
            scale = np.full(4 * hd, 0.5, dtype=np.float32)
            scale[2 * hd : 3 * hd] = 1.0
            w[key] = w[key] * (scale[:, None] if w[key].ndim == 2 else scale)


class NeuralTagger:
    """BiLSTM tagger in numpy. Thread-safe: the word cache is guarded by a lock, the rest is pure functions.

    As with the CRF backend, the sentences of one :meth:`tag` call are read as one document (names propagate to
    their untagged repeats) unless ``document=False``.
    """

    backend = "neural"

    def __init__(self, model_dir: Path | str, *, document: bool = True, batch_size: int = 64) -> None:
        self.model_dir = Path(model_dir)
        wpath = self.model_dir / WEIGHTS_FILE
        if not wpath.is_file():
            raise InputError(f"no neural NER model at {wpath}")
        self.document = document
        self.batch_size = batch_size
        with np.load(wpath) as z:
            vec_words = bytes(z["vec_words"]).decode("utf-8").split("\n") if "vec_words" in z.files else None
            self.w = {k: z[k].astype(np.float32) for k in z.files if k != "vec_words"}
        if "emb_vec_q" in self.w:  # int8 rows × per-row scale (see neural_train.quantize_rows)
            self.w["emb_vec"] = self.w.pop("emb_vec_q") * self.w.pop("emb_vec_scale")
        vocab = json.loads((self.model_dir / VOCAB_FILE).read_text(encoding="utf-8"))
        if vec_words is not None:
            vocab["vec_words"] = vec_words
        self.labels: list[str] = vocab["labels"]
        res_path = self.model_dir / RESOURCES_FILE
        self.enc = WordEncoder(vocab, Resources.load(res_path) if res_path.is_file() else Resources())
        self.hidden = self.w["lstm_whh_f"].shape[1]
        self.crf_layer = "crf_trans" in self.w
        # Optional contextual features from a word-level BiLM trained on unlabelled news (lm_train.py).
        self.lm_hidden = self.w["lm_whh_f"].shape[1] if "lm_whh_f" in self.w else 0
        _fold_gate_scale(self.w, "lstm", ("wih", "whh", "b", "wih_lm"))
        self._whh_t = (self.w["lstm_whh_f"].T.copy(), self.w["lstm_whh_b"].T.copy())
        if self.lm_hidden:
            _fold_gate_scale(self.w, "lm", ("wih", "whh", "b"))
            self._lm_whh_t = (self.w["lm_whh_f"].T.copy(), self.w["lm_whh_b"].T.copy())
            self._lm_in_t = (self.w["lstm_wih_lm_f"].T.copy(), self.w["lstm_wih_lm_b"].T.copy())
        # Optional ensemble: {"crf": "<CRF model folder, relative to this one>"} in ensemble.json makes the CRF
        # add the entities it finds where the network found none (see fill_from; chosen on dev).
        self.crf = None
        self.ensemble_mode = "fill"
        self.neural_weight = 1.0
        ens = self.model_dir / ENSEMBLE_FILE
        if ens.is_file():
            from marsad.entities.ner.crf import CRFTagger

            spec = json.loads(ens.read_text(encoding="utf-8"))
            self.crf = CRFTagger((self.model_dir / spec["crf"]).resolve(), document=False)
            self.ensemble_mode = spec.get("mode", "fill")
            self.neural_weight = float(spec.get("weight", 0.5))
        self._proj: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    # --- word level (cached) -------------------------------------------------------------------------------------
    def _word_inputs(self, toks: Sequence[str]) -> np.ndarray:
        """(N, 8H) LSTM input projections (forward gates | backward gates) for distinct words ``toks``."""
        w = self.w
        codes = [self.enc.encode(t) for t in toks]
        wid = np.array([c[0] for c in codes])
        bid = np.array([c[1] for c in codes])
        pid = np.array([c[2] for c in codes])
        sid = np.array([c[3] for c in codes])
        cl = np.array([c[4] for c in codes])
        scl = np.array([c[5] for c in codes])
        gaz = np.array([c[6] for c in codes], dtype=np.float32).reshape(len(codes), -1)
        parts = [w["emb_word"][wid], w["emb_bare"][bid], w["emb_pre"][pid], w["emb_shape"][sid]]
        for k in range(cl.shape[1]):
            parts.append(w[f"emb_cl{k}"][cl[:, k]])
        for k in range(scl.shape[1]):
            parts.append(w[f"emb_cl{k}"][scl[:, k]])
        parts.append(gaz)
        parts.append(self._char_cnn([c[7] for c in codes]))
        if "emb_vec" in w:
            parts.append(w["emb_vec"][np.array([c[8] for c in codes])])
        x = np.concatenate(parts, axis=1)
        f = x @ w["lstm_wih_f"].T + w["lstm_b_f"]
        b = x @ w["lstm_wih_b"].T + w["lstm_b_b"]
        if not self.lm_hidden:
            return np.concatenate([f, b], axis=1)
        vid = np.array([c[8] for c in codes])
        e = w["emb_vec"][vid] + (vid == 0)[:, None] * w["lm_unk"]
        lf = e @ w["lm_wih_f"].T + w["lm_b_f"]
        lb = e @ w["lm_wih_b"].T + w["lm_b_b"]
        return np.concatenate([f, b, lf, lb], axis=1)

    def _char_cnn(self, chars: list[tuple[int, ...]]) -> np.ndarray:
        w = self.w
        n = len(chars)
        length = max(len(c) for c in chars)
        ids = np.zeros((n, length + 2), dtype=np.int64)  # one pad each side: conv width 3, padding 1
        for i, c in enumerate(chars):
            ids[i, 1 : 1 + len(c)] = c
        e = w["emb_char"][ids]  # (n, L+2, d)
        win = np.concatenate([e[:, :-2], e[:, 1:-1], e[:, 2:]], axis=2)  # (n, L, 3d)
        conv = w["char_conv_w"]  # torch layout (out, in, k) → (k*in, out) matching the window order
        wk = conv.transpose(2, 1, 0).reshape(-1, conv.shape[0])
        h = np.maximum(win @ wk + w["char_conv_b"], 0.0)
        lens = np.array([len(c) for c in chars])
        mask = np.arange(length)[None, :] < lens[:, None]
        h = np.where(mask[:, :, None], h, 0.0)  # ReLU outputs are >= 0, so 0 is a neutral pad for max
        return h.max(axis=1)

    def _inputs(self, toks: set[str]) -> None:
        new = [t for t in toks if t not in self._proj]
        if new:
            proj = self._word_inputs(new)
            with self._lock:
                if len(self._proj) > 300_000:
                    self._proj.clear()
                for t, row in zip(new, proj, strict=True):
                    self._proj[t] = row

    # --- sentence level ------------------------------------------------------------------------------------------
    _lstm = staticmethod(lstm_steps)

    def log_probs(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per-token label log-probabilities, one (n_tokens, n_labels) array per sentence (in :attr:`labels` order);
        with a CRF output layer, the log marginals."""
        scores = self._scores(sentences)
        if not self.crf_layer:
            return scores
        w = self.w
        return [
            crf_marginals(e, w["crf_trans"], w["crf_start"], w["crf_end"]) if len(e) else e for e in scores
        ]

    def _scores(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        out: list[np.ndarray] = [np.zeros((0, len(self.labels)), dtype=np.float32)] * len(sentences)
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for s in range(0, len(order), self.batch_size):
            idx = order[s : s + self.batch_size]
            batch = [sentences[i] for i in idx]
            self._inputs({t for toks in batch for t in toks})
            for i, lp in zip(idx, self._forward(batch), strict=True):
                out[i] = lp
        return out

    def _forward(self, batch: list[Sequence[str]]) -> list[np.ndarray]:
        order = sorted(range(len(batch)), key=lambda k: -len(batch[k]))  # _lstm wants longest first
        res_sorted = self._forward_sorted([batch[k] for k in order])
        res: list[np.ndarray] = [res_sorted[0]] * len(batch)
        for pos, k in enumerate(order):
            res[k] = res_sorted[pos]
        return res

    def _forward_sorted(self, batch: list[Sequence[str]]) -> list[np.ndarray]:
        w = self.w
        g4 = 4 * self.hidden
        l4 = 4 * self.lm_hidden
        lengths = np.array([len(s) for s in batch])
        t = int(lengths.max())
        xf = np.zeros((len(batch), t, g4), dtype=np.float32)
        xb = np.zeros((len(batch), t, g4), dtype=np.float32)
        if l4:
            lxf = np.zeros((len(batch), t, l4), dtype=np.float32)
            lxb = np.zeros((len(batch), t, l4), dtype=np.float32)
        proj = self._proj
        for k, toks in enumerate(batch):
            rows = np.stack([proj[x] for x in toks])
            xf[k, : len(toks)] = rows[:, :g4]
            # backward direction = forward LSTM over the reversed sentence
            xb[k, : len(toks)] = rows[::-1, g4 : 2 * g4]
            if l4:
                lxf[k, : len(toks)] = rows[:, 2 * g4 : 2 * g4 + l4]
                lxb[k, : len(toks)] = rows[::-1, 2 * g4 + l4 :]
        if l4:
            # The LM's states (backward ones re-aligned to their tokens), projected, add their share of the
            # BiLSTM's input gates.
            lhf = self._lstm(lxf, lengths, self._lm_whh_t[0])
            lhb = self._lstm(lxb, lengths, self._lm_whh_t[1])
            for k, n in enumerate(lengths):
                feats = np.concatenate([lhf[k, :n], lhb[k, :n][::-1]], axis=1)
                if "lm_proj_w" in w:
                    feats = feats @ w["lm_proj_w"].T + w["lm_proj_b"]
                xf[k, :n] += feats @ self._lm_in_t[0]
                xb[k, :n] += (feats @ self._lm_in_t[1])[::-1]
        hf = self._lstm(xf, lengths, self._whh_t[0])
        hb = self._lstm(xb, lengths, self._whh_t[1])
        res: list[np.ndarray] = []
        for k, n in enumerate(lengths):
            h = np.concatenate([hf[k, :n], hb[k, :n][::-1]], axis=1)
            z = h @ w["out_w"].T + w["out_b"]
            if self.crf_layer:
                res.append(z)  # emission scores; the CRF layer turns them into paths / marginals
                continue
            z = z - z.max(axis=1, keepdims=True)
            res.append(z - np.log(np.exp(z).sum(axis=1, keepdims=True)))
        return res

    def _averaged(self, sentences: Sequence[Sequence[str]], lps: list[np.ndarray]) -> list[np.ndarray]:
        """Log of w * network probabilities + (1 - w) * CRF marginals, per token."""
        assert self.crf is not None
        w = self.neural_weight
        out: list[np.ndarray] = []
        for toks, lp in zip(sentences, lps, strict=True):
            if not toks:
                out.append(lp)
                continue
            m = self.crf.marginals(toks)
            cm = np.array([[mi.get(lab, 0.0) for lab in self.labels] for mi in m], dtype=np.float32)
            out.append(np.log(w * np.exp(lp) + (1.0 - w) * cm + 1e-9))
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        averaging = self.crf is not None and self.ensemble_mode == "average"
        # With a CRF layer and no averaging, decode the emission scores with the learnt transitions.
        use_trans = self.crf_layer and not averaging
        lps = self._scores(sentences) if use_trans else self.log_probs(sentences)
        if averaging:
            lps = self._averaged(sentences, lps)
        out: list[list[str]] = [[] for _ in sentences]
        # Viterbi in batches of similar length: the loop runs over the longest sentence of each batch.
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for s in range(0, len(order), self.batch_size):
            idx = order[s : s + self.batch_size]
            lengths = np.array([len(sentences[i]) for i in idx])
            pad = np.full((len(idx), int(lengths.max()), len(self.labels)), 0.0, dtype=np.float32)
            for k, i in enumerate(idx):
                pad[k, : lengths[k]] = lps[i]
            paths = (
                viterbi(pad, lengths, self.w["crf_trans"], self.w["crf_start"], self.w["crf_end"])
                if use_trans
                else viterbi(pad, lengths)
            )
            for i, path in zip(idx, paths, strict=True):
                out[i] = [self.labels[j] for j in path]
        if self.crf is not None and self.ensemble_mode == "fill":
            out = [fill_from(a, b) for a, b in zip(out, self.crf.tag(sentences), strict=True)]
        if self.document and len(out) > 1:
            out = [repair_bio(x) for x in propagate(sentences, out)]
        return out
