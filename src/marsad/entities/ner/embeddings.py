"""Word clusters from unlabelled Arabic news: word2vec (gensim) on normalised text, then k-means at several
granularities. Cluster ids are the CRF's view of "words used alike", which carries names, places and titles the
labelled corpus never saw.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from marsad.lang.ar.normalize import normalize

Log = Callable[[str], None]

# Same token classes as marsad.lang.ar.tokenize, applied to already-normalised text.
_TOK_RE = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+|\S")


def iter_texts(data_dir: Path, *, max_docs: int | None = None) -> Iterator[str]:
    """Article texts (title + body) from the unlabelled corpora: ANT 2018 (JSONL.gz) and SaudiNewsNet daily zips."""
    n = 0
    unl = data_dir / "unlabelled"
    ant = unl / "ant-all-2018.jsonl.gz"
    if ant.is_file():
        with gzip.open(ant, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                yield (d.get("title") or "") + "\n" + (d.get("text") or "")
                n += 1
                if max_docs and n >= max_docs:
                    return
    for z in sorted(unl.glob("snn-*.zip")) + sorted((data_dir / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if not name.endswith(".json"):
                    continue
                with zf.open(name) as fh:
                    arts = json.load(io.TextIOWrapper(fh, encoding="utf-8"))
                for a in arts:
                    yield (a.get("title") or "") + "\n" + (a.get("content") or "")
                    n += 1
                    if max_docs and n >= max_docs:
                        return


def write_corpus(data_dir: Path, out: Path, *, max_docs: int | None = None, log: Log = print) -> int:
    """One normalised, tokenised line per paragraph (gensim's LineSentence format). Returns the word count."""
    t0 = time.time()
    words = 0
    with out.open("w", encoding="utf-8") as fh:
        for text in iter_texts(data_dir, max_docs=max_docs):
            for para in normalize(text).split("\n"):
                toks = _TOK_RE.findall(para)
                if len(toks) > 2:
                    fh.write(" ".join(toks) + "\n")
                    words += len(toks)
    log(f"unlabelled corpus: {words:,} tokens in {time.time() - t0:.0f}s")
    return words


def train_word2vec(
    corpus_file: Path,
    *,
    dim: int = 100,
    epochs: int = 5,
    min_count: int = 5,
    max_vocab: int = 150_000,
    workers: int = 2,
    seed: int = 13,
    log: Log = print,
):  # noqa: ANN201 - gensim KeyedVectors (gensim is imported lazily: training extra)
    """Skip-gram word2vec (window 5, 5 negatives) on a LineSentence corpus file; returns the KeyedVectors."""
    from marsad.errors import require

    gensim_models = require("gensim.models", feature="training word vectors", extra="train")
    t0 = time.time()
    w2v = gensim_models.Word2Vec(
        corpus_file=str(corpus_file),
        vector_size=dim,
        window=5,
        min_count=min_count,
        sg=1,
        negative=5,
        sample=1e-4,
        epochs=epochs,
        workers=workers,
        seed=seed,
        max_final_vocab=max_vocab,
    )
    log(f"word2vec: {len(w2v.wv):,} words, {time.time() - t0:.0f}s")
    return w2v.wv


def train_clusters(
    corpus_file: Path,
    *,
    ks: tuple[int, ...] = (64, 256, 1024),
    dim: int = 100,
    epochs: int = 5,
    min_count: int = 5,
    max_vocab: int = 150_000,
    workers: int = 2,
    seed: int = 13,
    save_vectors: Path | None = None,
    log: Log = print,
) -> dict[str, list[str]]:
    """word → [cluster id at each k]. Clusters of unit-normalised word2vec vectors (MiniBatch k-means)."""
    from marsad.errors import require

    cluster = require("sklearn.cluster", feature="training the NER word clusters", extra="train")
    wv = train_word2vec(
        corpus_file, dim=dim, epochs=epochs, min_count=min_count, max_vocab=max_vocab, workers=workers, seed=seed,
        log=log,
    )
    if save_vectors is not None:
        wv.save(str(save_vectors))
    words = list(wv.index_to_key)
    vecs = wv.vectors.astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-8
    ids: list[np.ndarray] = []
    for k in ks:
        t0 = time.time()
        km = cluster.MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=1, max_iter=50)
        ids.append(km.fit_predict(vecs))
        log(f"k-means k={k}: {time.time() - t0:.0f}s")
    return {w: [str(int(a[i])) for a in ids] for i, w in enumerate(words)}
