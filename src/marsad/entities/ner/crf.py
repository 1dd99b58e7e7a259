"""CRF tagger (python-crfsuite) over :mod:`marsad.entities.ner.features`."""

from __future__ import annotations

import struct
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pycrfsuite

from marsad.entities.ner.consistency import propagate
from marsad.entities.ner.corpus import repair_bio
from marsad.entities.ner.features import Featurizer, Resources
from marsad.errors import InputError

MODEL_FILE = "ner.crfsuite"
RESOURCES_FILE = "resources.json.gz"


class CRFTagger:
    """Tags tokenised sentences with BIO labels. Safe to share between threads: crfsuite taggers are not, so each
    thread opens its own (a cheap mmap of the model file).

    The sentences of one :meth:`tag` call are read as one document: with ``document=True`` (the default) names tagged
    in one sentence are propagated to their untagged repeats in the others (:mod:`.consistency`). Pass an article's
    sentences together; pass sentences one call each to get purely sentence-level tagging.
    """

    backend = "crf"

    def __init__(self, model_dir: Path | str, *, document: bool = True) -> None:
        self.document = document
        self.model_dir = Path(model_dir)
        self.model_path = self.model_dir / MODEL_FILE
        if not self.model_path.is_file():
            raise InputError(f"no CRF NER model at {self.model_path}")
        res_path = self.model_dir / RESOURCES_FILE
        self.resources = Resources.load(res_path) if res_path.is_file() else Resources()
        self.featurizer = Featurizer(self.resources)
        self._local = threading.local()
        self.labels = tuple(self._tagger().labels())
        try:
            self._fast: _FastViterbi | None = _FastViterbi(self.model_path, self.featurizer)
        except (ValueError, struct.error, UnicodeDecodeError):  # a model file this reader does not know: crfsuite
            self._fast = None
        if self._fast is not None and tuple(self._fast.labels) != self.labels:
            self._fast = None

    def _tagger(self) -> pycrfsuite.Tagger:
        t = getattr(self._local, "tagger", None)
        if t is None:
            t = pycrfsuite.Tagger()
            t.open(str(self.model_path))
            self._local.tagger = t
        return t

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        fast = self._fast.tag(sentences) if self._fast is not None else None
        if fast is not None:
            out = [repair_bio(labs) for labs in fast]
        else:
            tagger = self._tagger()
            feat = self.featurizer.sentence
            out = []
            for toks in sentences:
                if not toks:
                    out.append([])
                    continue
                out.append(repair_bio(tagger.tag(feat(toks))))
        if self.document and len(out) > 1:
            out = [repair_bio(x) for x in propagate(sentences, out)]
        return out

    def marginals(self, tokens: Sequence[str]) -> list[dict[str, float]]:
        """Per-token label marginals (for confidence scores and ensembling)."""
        tagger = self._tagger()
        tagger.set(self.featurizer.sentence(tokens))
        return [{lab: tagger.marginal(lab, i) for lab in self.labels} for i in range(len(tokens))]

    def sequence_probability(self, tokens: Sequence[str], labels: Sequence[str]) -> float:
        tagger = self._tagger()
        tagger.set(self.featurizer.sentence(tokens))
        return float(tagger.probability(list(labels)))


def read_crfsuite_model(path: Path) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray]:
    """The weights of a crfsuite CRF1d model file: labels (by id), attribute name → row, state weights
    (attributes × labels) and transition weights (labels × labels), as the doubles the file holds.

    pycrfsuite's ``Tagger.info()`` prints the weights with six decimals, so the file is read directly. Its layout
    (crfsuite's ``crf1d_model.c``): a 48-byte header of little-endian uint32 offsets, two CQDB string tables
    (labels, attributes; each record ``uint32 id, uint32 size, bytes + NUL``, found through the table's backward
    array) and a FEAT chunk of 20-byte features ``uint32 type (0 state, 1 transition), src, dst, float64 weight``."""
    buf = path.read_bytes()
    magic, _size, mtype, _ver, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs = struct.unpack_from(
        "<4sI4sIIIIIII", buf, 0
    )
    if magic != b"lCRF" or mtype != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")

    def strings(off: int) -> dict[str, int]:
        chunk, _csize, _flag, _order, bwd_size, bwd_off = struct.unpack_from("<4sIIIII", buf, off)
        if chunk != b"CQDB":
            raise ValueError(f"{path}: no string table at {off}")
        out: dict[str, int] = {}
        for rec in np.frombuffer(buf, "<u4", bwd_size, off + bwd_off).tolist():
            if rec:
                ident, size = struct.unpack_from("<II", buf, off + rec)
                out[buf[off + rec + 8 : off + rec + 7 + size].decode("utf-8")] = ident
        return out

    label_ids, attrs = strings(off_labels), strings(off_attrs)
    chunk, _csize, num = struct.unpack_from("<4sII", buf, off_feat)
    if chunk != b"FEAT" or len(label_ids) != n_labels or len(attrs) != n_attrs:
        raise ValueError(f"{path}: unexpected model layout")
    feats = np.frombuffer(buf, np.dtype([("t", "<u4"), ("s", "<u4"), ("d", "<u4"), ("w", "<f8")]), num, off_feat + 12)
    state = np.zeros((n_attrs, n_labels))
    trans = np.zeros((n_labels, n_labels))
    is_state, is_trans = feats["t"] == 0, feats["t"] == 1
    state[feats["s"][is_state], feats["d"][is_state]] = feats["w"][is_state]
    trans[feats["s"][is_trans], feats["d"][is_trans]] = feats["w"][is_trans]
    labels = [""] * n_labels
    for name, i in label_ids.items():
        labels[i] = name
    return labels, attrs, state, trans


def _known(name: str) -> str:
    """The attribute name crfsuite looks up: it reads the feature as a C string, so up to a NUL."""
    return name.split("\x00", 1)[0] if "\x00" in name else name


class _FastViterbi:
    """crfsuite's tagging (``crf1dt_state_score`` + ``crf1dc_viterbi``) in numpy, for a whole document at once.

    Written by hand because what costs in crfsuite is not its Viterbi but its input: every token's ~40 feature
    strings are built, copied into C++ and looked up in the model's string table (9 µs a token). Here the features a
    word gives itself and its neighbours (:meth:`Featurizer._word_features`) are summed into label-score vectors
    once per distinct word; a sentence's state scores are then sums of rows of a matrix (plus the word-pair
    features, looked up per pair), and the Viterbi recursion runs over all the sentences of a document together,
    one numpy step per position. Same features, same weights (read from the model file as doubles), same
    recursion and tie-breaking (the first best label wins, like crfsuite's strict ``<``), so the same labels; only
    the order in which a token's feature weights are added differs, at the last bit of a double (the tests compare
    both taggers sentence for sentence)."""

    MAX_WORDS = 100_000  # words whose vectors are kept (5 × labels doubles each); later new words are not kept

    def __init__(self, model_path: Path, featurizer: Featurizer) -> None:
        self.labels, self.attrs, self.state, self.trans = read_crfsuite_model(model_path)
        self.featurizer = featurizer
        n = len(self.labels)
        self._zero = np.zeros(n)
        self._edge = {k: self._row(k) for k in ("BOS", "BOS2", "EOS", "EOS2")}
        # the model's context features by prefix, the prefix cut off: a word's names are looked up as they are in
        # each table instead of being copied with "-1", "+1", "-2", "+2" in front (most of them the model never saw)
        self._by_prefix = {
            pre: {name[2:]: a for name, a in self.attrs.items() if name.startswith(pre)} for pre in ("-1", "+1", "-2", "+2")
        }
        # every first word a word-pair feature ("bg-=first|second") can have: a pair whose first word is not one of
        # them names no feature the model knows, so the pair's names are not built (most pairs)
        self._pair_firsts = {
            name[4:j]
            for name in self.attrs
            if name.startswith(("bg-=", "bg+="))
            for j in range(4, len(name))
            if name[j] == "|"
        }
        self._index: dict[str, tuple[int, str]] = {}  # word -> (row in _vecs, bare form)
        self._vecs = np.zeros((4096, 5, n))
        self._used = 0
        self._lock = threading.Lock()

    def _row(self, name: str) -> np.ndarray:
        a = self.attrs.get(_known(name))
        return self.state[a] if a is not None else self._zero

    def _words(self, words: Sequence[str]) -> tuple[np.ndarray, list[str]] | None:
        """New words' five score vectors each (their own features; as the word before, after, two before, two after
        a token) and bare forms; None when one of them cannot go to crfsuite (a lone surrogate). The words of a
        document are summed together: one gather and one segmented sum, not numpy calls per word."""
        by = self._by_prefix
        # the five groups of _word_features in its order: own names, then near ("-1", "+1") and far ("-2", "+2")
        tables = ((self.attrs.get, 0), (by["-1"].get, 1), (by["+1"].get, 1), (by["-2"].get, 2), (by["+2"].get, 2))
        ids: list[int] = []
        starts: list[int] = []
        bares: list[str] = []
        for tok in words:
            try:
                tok.encode("utf-8")
            except UnicodeEncodeError:
                return None
            *parts, bare = self.featurizer.word_parts(tok)
            bares.append(bare)
            nul = "\x00" in tok  # every feature name holds the word or forms of it: only then can one hold a NUL
            for get, g in tables:
                names = parts[g]
                starts.append(len(ids))
                ids += [a for a in map(get, map(_known, names) if nul else names) if a is not None]
        out = np.zeros((5 * len(words), len(self.labels)))
        first = np.asarray(starts)
        filled = np.flatnonzero(first < np.append(first[1:], len(ids)))
        if len(filled):
            out[filled] = np.add.reduceat(self.state[ids], first[filled], axis=0)
        return out.reshape(len(words), 5, len(self.labels)), bares

    def _lookup(self, words: Sequence[str]) -> tuple[list[int], list[str], dict[int, np.ndarray]] | None:
        index = self._index
        new = [w for w in dict.fromkeys(words) if w not in index]
        unkept: dict[str, tuple[np.ndarray, str]] = {}  # new words a full cache does not keep
        if new:
            made = self._words(new)
            if made is None:
                return None
            with self._lock:
                for w, v, bare in zip(new, made[0], made[1], strict=True):
                    if w in index:
                        continue
                    if self._used >= self.MAX_WORDS:
                        unkept[w] = (v, bare)
                        continue
                    if self._used == len(self._vecs):
                        grown = np.zeros((2 * len(self._vecs), *self._vecs.shape[1:]))
                        grown[: self._used] = self._vecs[: self._used]
                        self._vecs = grown
                    self._vecs[self._used] = v
                    index[w] = (self._used, bare)
                    self._used += 1
        rows: list[int] = []
        bares: list[str] = []
        spare: dict[int, np.ndarray] = {}  # position -> vectors of an unkept word
        for k, w in enumerate(words):
            hit = index.get(w)
            if hit is None:
                v, bare = unkept[w]
                spare[k] = v
                hit = (0, bare)
            rows.append(hit[0])
            bares.append(hit[1])
        return rows, bares, spare

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]] | None:
        """The Viterbi labels of each sentence (crfsuite's, before repair); None when a word cannot be tagged
        here (the caller then asks crfsuite, which says why)."""
        order = sorted((k for k, s in enumerate(sentences) if s), key=lambda k: -len(sentences[k]))
        if not order:
            return [[] for _ in sentences]
        lens = [len(sentences[k]) for k in order]
        found = self._lookup([w for k in order for w in sentences[k]])
        if found is None:
            return None
        rows, bares, spare = found
        vecs = self._vecs[rows]  # (tokens, 5, labels); read after the look-up, so every row is in it
        for k, v in spare.items():
            vecs[k] = v
        pos = np.concatenate([np.arange(n) for n in lens])
        last = np.repeat(np.asarray(lens) - 1, lens)
        # a token's features in crfsuite's order: its own, the word before (+ the pair, + two before or BOS2, or
        # BOS), the word after (+ the pair, + two after or EOS2, or EOS)
        sc = vecs[:, 0].copy()
        i = np.flatnonzero(pos >= 1)
        sc[i] += vecs[i - 1, 1]
        pairs_before, pairs_after = self._pairs(lens, bares)
        for k, a in pairs_before:
            sc[k] += self.state[a]
        i = np.flatnonzero(pos >= 2)
        sc[i] += vecs[i - 2, 3]
        sc[pos == 1] += self._edge["BOS2"]
        sc[pos == 0] += self._edge["BOS"]
        i = np.flatnonzero(pos < last)
        sc[i] += vecs[i + 1, 2]
        for k, a in pairs_after:
            sc[k] += self.state[a]
        i = np.flatnonzero(pos < last - 1)
        sc[i] += vecs[i + 2, 4]
        sc[pos == last - 1] += self._edge["EOS2"]
        sc[pos == last] += self._edge["EOS"]
        paths = self._viterbi(sc, lens)
        labels = self.labels
        out: list[list[str]] = [[] for _ in sentences]
        for r, k in enumerate(order):
            out[k] = [labels[x] for x in paths[r, : lens[r]].tolist()]
        return out

    def _pairs(self, lens: list[int], bares: list[str]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The word-pair features that the model knows: ``bg-`` on the second word, ``bg+`` on the first."""
        attrs, firsts = self.attrs, self._pair_firsts
        before: list[tuple[int, int]] = []
        after: list[tuple[int, int]] = []
        o = 0
        for n in lens:
            for k in range(o + 1, o + n):
                if bares[k - 1] not in firsts and "\x00" not in bares[k - 1]:
                    continue
                pair = bares[k - 1] + "|" + bares[k]
                a = attrs.get(_known("bg-=" + pair))
                if a is not None:
                    before.append((k, a))
                a = attrs.get(_known("bg+=" + pair))
                if a is not None:
                    after.append((k - 1, a))
            o += n
        return before, after

    def _viterbi(self, scores: np.ndarray, lens: list[int]) -> np.ndarray:
        """Best label ids of sentences sorted longest first (``scores``: their tokens' state scores, one after the
        other). At each position only the sentences that reach it take a step; ties go to the lowest label id, as in
        crfsuite (``max_score < score``), and so does the final choice."""
        n_sent, width, n_lab = len(lens), lens[0], len(self.labels)
        state = np.zeros((n_sent, width, n_lab))
        state[np.repeat(np.arange(n_sent), lens), np.concatenate([np.arange(n) for n in lens])] = scores
        reach = np.searchsorted(-np.asarray(lens), -np.arange(width + 1), side="left")  # sentences longer than t
        alpha = state[:, 0].copy()
        back = np.zeros((n_sent, width, n_lab), dtype=np.intp)
        trans = self.trans
        for t in range(1, width):
            k = reach[t]
            step = alpha[:k, :, None] + trans  # [s, from, to]
            back[:k, t] = step.argmax(axis=1)
            alpha[:k] = step.max(axis=1) + state[:k, t]
        final = alpha.argmax(axis=1)
        paths = np.zeros((n_sent, width), dtype=np.intp)
        lab = np.zeros(n_sent, dtype=np.intp)
        rows = np.arange(n_sent)
        for t in range(width - 1, -1, -1):
            k0, k1 = reach[t + 1], reach[t]
            if k0:
                lab[:k0] = back[rows[:k0], t + 1, lab[:k0]]
            lab[k0:k1] = final[k0:k1]
            paths[:k1, t] = lab[:k1]
        return paths
