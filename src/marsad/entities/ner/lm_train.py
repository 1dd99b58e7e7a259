"""A small bidirectional word-level language model on the unlabelled news, for the neural NER backend.

Half the names in ANERcorp's test split never occur in its training split; what tells the tagger that an unseen word
is a name is mostly its context ("قال …", "في العاصمة …"), and 125k labelled tokens teach little context. Two LSTMs
(one reading left to right, one right to left) trained to predict the next / previous word of 19.5M tokens of news
learn it from the unlabelled text; their states are frozen inputs of the NER BiLSTM (TagLM, Peters et al. 2017).

Cheap enough for two CPU cores (about 13k tokens/s of training, 30 minutes a pass): the input is the frozen word2vec
vector of each word (the same rows the tagger reads), and the output is a sampled softmax over those same unit
vectors (1,024 shared negatives drawn from unigram^0.75, with the usual log-Q correction) instead of a full softmax
over 150k words, which ran at 5k tokens/s. Written here rather than taken from a library because no maintained CPU
package trains ELMo/TagLM-style models from word2vec inputs; it is 150 lines of torch.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from marsad.errors import require

Log = Callable[[str], None]

LM_FILE = "bilm256.pt"
LM_HIDDEN = 256
SEQ_LEN = 48  # training pieces: up to 48 tokens from the start of a paragraph (states start at zero, as in tagging)
NEGATIVES = 1024
# The shipped LM: one cosine cycle over 22.6M tokens (a little over one pass) from lr 2e-3. A second cycle (19M more
# tokens from 1e-3) gave the tagger nothing on dev (81.02 either way; see models/README.md).
CYCLES: tuple[tuple[int, float, int], ...] = ((22_600_000, 2e-3, 1),)


def build_bilm(torch: Any, mat: np.ndarray, hidden: int = LM_HIDDEN) -> Any:  # noqa: ANN401 - torch is lazy
    """The model: frozen vector rows ``mat`` (row 0 = unknown word) → one forward and one backward LSTM."""
    nn = torch.nn

    class BiLM(nn.Module):  # type: ignore[name-defined]  # torch is imported lazily (training extra)
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding.from_pretrained(torch.from_numpy(mat), freeze=True)
            self.unk = nn.Parameter(torch.zeros(mat.shape[1]))  # learnt input for words without a vector
            self.f = nn.LSTM(mat.shape[1], hidden, batch_first=True)
            self.b = nn.LSTM(mat.shape[1], hidden, batch_first=True)
            self.pf = nn.Linear(hidden, mat.shape[1])
            self.pb = nn.Linear(hidden, mat.shape[1])
            self.drop = nn.Dropout(0.1)
            self.scale = nn.Parameter(torch.tensor(10.0))
            self.hidden = hidden

        def embed(self, x: Any) -> Any:  # noqa: ANN401
            return self.emb(x) + (x == 0).float()[..., None] * self.unk

        def states(self, x: Any, lens: Any) -> tuple[Any, Any]:  # noqa: ANN401
            """``x`` (B, T) vector ids, padded at the end → forward and backward states (B, T, H), each aligned to
            its token (the backward state of token t has read tokens n-1 … t)."""
            e = self.embed(x)
            hf, _ = self.f(e)
            bsz, t = x.shape
            rev = (lens[:, None] - 1 - torch.arange(t)[None]).clamp(min=0)
            hbr, _ = self.b(e.gather(1, rev[..., None].expand_as(e)))
            hb = hbr.gather(1, rev[..., None].expand(bsz, t, self.hidden))
            return hf, hb

    return BiLM()


def corpus_ids(corpus_file: Path, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (vector row + 1, 0 = no vector) of the normalised corpus and the start of each paragraph. The
    lookup is the tagger's (:class:`~marsad.entities.ner.neural.WordEncoder`): the word, else its clitic-stripped
    stem, else the stem without ال."""
    from marsad.entities.ner.neural import WordEncoder, vector_id

    idx = {w: i + 1 for i, w in enumerate(words)}
    cache: dict[str, int] = {}

    def look(tok: str) -> int:
        r = cache.get(tok)
        if r is None:
            n, _pre, stem, bare = WordEncoder.forms(tok)
            r = cache[tok] = vector_id(idx, n, stem, bare)
        return r

    ids: list[int] = []
    starts: list[int] = []
    with corpus_file.open(encoding="utf-8") as fh:  # one paragraph per line (embeddings.write_corpus)
        for line in fh:
            starts.append(len(ids))
            ids.extend(look(t) for t in line.split())
    return np.array(ids, dtype=np.int64), np.array(starts, dtype=np.int64)


def train_lm(
    corpus_file: Path,
    words: list[str],
    vectors: np.ndarray,
    out: Path,
    *,
    cycles: tuple[tuple[int, float, int], ...] = CYCLES,
    hidden: int = LM_HIDDEN,
    batch_size: int = 128,
    threads: int = 2,
    log: Log = print,
) -> Path:
    """Train the BiLM on ``corpus_file`` and save its state dict to ``out``. ``cycles``: (tokens, peak learning
    rate, shuffle seed) per cosine cycle (5% warm-up)."""
    torch = require("torch", feature="training the NER language model", extra="train")
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    from marsad.entities.ner.neural import unit_rows

    mat = unit_rows(vectors)
    ids, starts = corpus_ids(corpus_file, words)
    ends = np.append(starts[1:], len(ids))
    pieces = np.array(
        [(a, min(e, a + SEQ_LEN) - a) for s, e in zip(starts, ends, strict=True) for a in range(s, e, SEQ_LEN)
         if min(e, a + SEQ_LEN) - a >= 3],
        dtype=np.int64,
    ).reshape(-1, 2)
    log(f"language model: {len(ids):,} tokens, {len(pieces):,} pieces, {(ids == 0).mean():.1%} without a vector")
    counts = np.bincount(ids, minlength=len(mat)).astype(np.float64)
    counts[0] = 0
    q = counts**0.75
    q /= q.sum()
    qt = torch.from_numpy(q)
    logq = torch.from_numpy(np.log(q * NEGATIVES + 1e-30)).float()
    net = build_bilm(torch, mat, hidden)
    out_rows = net.emb.weight  # the frozen unit vectors double as output embeddings
    bias = torch.nn.Parameter(torch.zeros(len(mat)))  # output word bias: training only, not saved
    params = [p for p in net.parameters() if p.requires_grad] + [bias]
    ids_t = torch.from_numpy(ids)

    def sampled_softmax(h: Any, proj: Any, y: Any, mask: Any) -> Any:  # noqa: ANN401
        o = proj(net.drop(h)).reshape(-1, mat.shape[1])[mask.reshape(-1)]
        y = y.reshape(-1)[mask.reshape(-1)]
        neg = torch.multinomial(qt, NEGATIVES, replacement=True)
        pos = net.scale * (o * out_rows[y]).sum(1) + bias[y] - logq[y]
        ng = net.scale * (o @ out_rows[neg].T) + bias[neg][None] - logq[neg][None]
        ng = ng.masked_fill(neg[None] == y[:, None], -1e4)  # a negative that is the target is no negative
        logits = torch.cat([pos[:, None], ng], 1)
        return torch.nn.functional.cross_entropy(logits, torch.zeros(len(y), dtype=torch.long))

    for c, (budget, peak, seed) in enumerate(cycles):
        t0 = time.time()
        with torch.no_grad():
            bias.zero_()  # each cycle starts the output bias and the optimiser afresh (as the shipped LM was made)
        opt = torch.optim.Adam(params, lr=peak)
        rng = np.random.default_rng(seed)
        seen, step, total = 0, 0, 0.0
        while seen < budget:
            perm = rng.permutation(len(pieces))
            for bi in range(0, len(perm) - batch_size + 1, batch_size):
                frac = seen / budget
                if frac >= 1:
                    break
                lr = peak * frac / 0.05 + 1e-5 if frac < 0.05 else peak * 0.5 * (1 + math.cos(math.pi * frac))
                for g in opt.param_groups:
                    g["lr"] = lr
                sel = pieces[perm[bi : bi + batch_size]]
                lens = torch.from_numpy(sel[:, 1])
                x = torch.zeros(len(sel), int(lens.max()), dtype=torch.long)
                for k, (a, n) in enumerate(sel):
                    x[k, :n] = ids_t[a : a + n]
                hf, hb = net.states(x, lens)
                pos = torch.arange(x.shape[1])[None]
                yf = torch.zeros_like(x)
                yf[:, :-1] = x[:, 1:]
                yb = torch.zeros_like(x)
                yb[:, 1:] = x[:, :-1]
                mf = (pos < lens[:, None] - 1) & (yf > 0)
                mb = (pos >= 1) & (pos < lens[:, None]) & (yb > 0)
                loss = sampled_softmax(hf, net.pf, yf, mf) + sampled_softmax(hb, net.pb, yb, mb)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
                step += 1
                seen += int(lens.sum())
                total += loss.item()
                if step % 500 == 0:
                    rate = seen / (time.time() - t0)
                    log(f"LM cycle {c + 1}: {seen / 1e6:.1f}M tokens, loss {total / 500:.3f}, {rate:,.0f} tokens/s")
                    total = 0.0
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), out)
    log(f"language model saved to {out}")
    return out


def load_lm(torch: Any, path: Path, mat: np.ndarray) -> Any:  # noqa: ANN401
    """The trained BiLM (eval mode, parameters frozen) over the tagger's vector rows ``mat``."""
    from marsad.errors import InputError

    if not Path(path).is_file():
        raise InputError(f"language model not found: {path}")
    try:
        state = torch.load(path)  # weights only: a tampered file cannot run code
        hidden = int(state["f.weight_hh_l0"].shape[1])
        n_rows = int(state["emb.weight"].shape[0])
    except Exception as e:  # noqa: BLE001 - torch raises many kinds (unpickling, zip, key) for a file that is not one
        raise InputError(f"not a marsad language model: {path} ({type(e).__name__})") from None
    if (n_rows, int(state["emb.weight"].shape[1])) != mat.shape:
        raise InputError(
            f"language model {path} was trained over {n_rows - 1:,} word vectors, not these {mat.shape[0] - 1:,}: "
            "train it again over the same vectors (marsad train ner --backend neural without --lm-file trains one)"
        )
    net = build_bilm(torch, mat, hidden)
    net.load_state_dict(state)
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net
