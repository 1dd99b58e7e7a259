"""Event candidates and their features: rules propose, the learned model decides (:mod:`marsad.events.model`).

A candidate is an ordered pair of actors in one sentence — entity mentions, country adjectives (الأمريكية → the
United States) and, inside reported speech, the quote's speaker — with the features a decision needs: the words of
the sentence and between the two actors, their order and distance, the prepositions that introduce each
(على، ضد، مع، بين، لـ), actor type/sector/country, the quote frame, the cue lexicon's hits and where they stand
relative to the pair, and what the hand-written clause rules (:mod:`marsad.events.extract`) proposed for it.
Candidates are built the same way for training (labels from the gold's evidence and actors) and for tagging.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from marsad.data import Article, Event, Quote
from marsad.events import plover
from marsad.events.extract import (
    _NEG,
    Actor,
    _candidates,
    _entries_for,
    _match_rest,
    extract_events,
    quote_index,
    sentence_units,
)
from marsad.events.lexicon import CueEntry, load_cues
from marsad.intervals import IntervalIndex
from marsad.lang.ar.clusters import word_clusters
from marsad.lang.ar.textlayer import Tok
from marsad.lang.ar.vectors import word_vectors
from marsad.quotes.extract import MentionIndex

_DENSE_SCALE = 3.0  # weight of the dense (word-vector) features against the 0/1 sparse ones (chosen by train CV)
_WINDOW = 3  # words on each side of the pair read by meaning
_MAX_ACTORS = 10  # actors per sentence considered for pairs (long lists of places add noise, not events)
_PREP_WORDS = {"علي", "ضد", "مع", "بين", "الي", "من", "عن", "لدي", "في", "بحق", "تجاه", "حول"}
_SPEECH = {"قال", "اكد", "اعلن", "اضاف", "اشار", "اوضح", "شدد", "اعتبر", "نفي", "حذر", "دعا", "طالب", "اتهم"}


@dataclass(frozen=True)
class CueHit:
    k: int  # first token
    end: int  # token after the match
    entry: CueEntry
    negated: bool
    start: int = 0  # character offsets of the cue words
    stop: int = 0


@dataclass
class Candidate:
    """An ordered actor pair in one sentence and the features the model reads."""

    sent: tuple[int, int]  # character span of the sentence
    source: tuple[str, ...]
    target: tuple[str, ...]
    src_span: tuple[int, int]
    tgt_span: tuple[int, int]
    feats: dict[str, float] = field(default_factory=dict)  # the pair's own features
    base: dict[str, float] = field(default_factory=dict)  # the sentence's features, one dict shared by its pairs
    rules: tuple[str, ...] = ()  # names of the rules that proposed this pair (with a type)
    rule_events: tuple[Event, ...] = ()
    cues: tuple[CueHit, ...] = ()
    quote: Quote | None = None

    dense: np.ndarray | None = None  # the words around the pair by meaning (semantic_vector, prefix "w")
    base_dense: np.ndarray | None = None  # the sentence's, shared by its pairs (prefix "s")
    # the sentence's contextual word states (marsad.lang.ar.context; one array shared by its pairs) and the word of
    # the source and of the target in it (-1: the actor is not named in the sentence, e.g. a quote's speaker);
    # only with build_candidates(context=True)
    context: tuple[np.ndarray, int, int] | None = None

    @property
    def all_feats(self) -> dict[str, float]:
        """Every feature by name, as the model is trained on them (the dense ones included)."""
        out = {**self.base, **self.feats}
        for prefix, vec in (("s", self.base_dense), ("w", self.dense)):
            if vec is not None:
                out.update(zip(dense_names(prefix), vec.tolist(), strict=True))
        return out


@lru_cache(maxsize=100_000)
def clusters_of(norm: str) -> Sequence[str]:
    table = word_clusters()
    for form in (norm, *reversed(_candidates(norm))):
        c = table.get(form)
        if c:
            return c
    return ()


@lru_cache(maxsize=100_000)
def stem(norm: str) -> str:
    """A light stem for features: the most stripped clitic reading (وبالعقوبات → عقوبات)."""
    cands = _candidates(norm)
    return cands[-1] if cands else norm


def cue_hits(toks: Sequence[Tok], lo: int, hi: int) -> list[CueHit]:
    out: list[CueHit] = []
    for k in range(lo, hi):
        for entry in _entries_for(toks[k].norm):
            end_k = _match_rest(toks, k, entry, hi)
            if end_k is None:
                continue
            neg = any(t.norm in _NEG or t.norm.startswith(("نفي", "ينفي", "نفت")) for t in toks[max(lo, k - 3) : k])
            out.append(CueHit(k, end_k, entry, neg, toks[k].start, toks[end_k - 1].end))
    return out


@lru_cache(maxsize=1)
def _prototypes() -> tuple[tuple[str, ...], tuple[np.ndarray, ...]]:
    """Unit vectors of the cue lexicon's head words, by category: the lexicon widened by meaning. A word the
    lexicon never listed (a verb of condemnation it lacks) still lands near the category whose cues it is used like.
    """
    vecs = word_vectors()
    by_type: dict[str, list[np.ndarray]] = {}
    for entry in load_cues():
        i = vecs.row((entry.words[0],))
        if i is not None and entry.scope != "s":
            by_type.setdefault(plover.current(entry.type) or entry.type, []).append(vecs.unit(i))
    types = tuple(sorted(by_type))
    return types, tuple(np.stack(by_type[t]) for t in types)


@lru_cache(maxsize=200_000)
def _word_row(norm: str) -> int | None:
    return word_vectors().row((norm, *reversed(_candidates(norm))))


@lru_cache(maxsize=1)
def _stacked_prototypes() -> tuple[np.ndarray, np.ndarray]:
    """All categories' cue vectors in one matrix, and where each category's rows start (for one product per word)."""
    blocks = _prototypes()[1]
    starts = np.cumsum([0] + [len(b) for b in blocks[:-1]])
    return np.concatenate(blocks), starts.astype(np.intp)


@lru_cache(maxsize=200_000)
def _cue_similarity(row: int) -> np.ndarray:
    """Per category: the word's cosine to the closest cue head word of that category."""
    mat, starts = _stacked_prototypes()
    return np.maximum.reduceat(mat @ word_vectors().unit(row), starts).astype(np.float32)


def _cue_similarities(units: np.ndarray) -> np.ndarray:
    """:func:`_cue_similarity` of many rows given their unit vectors: the same matrix-vector product per row (a
    matrix-matrix product would add up in another order), one segmented maximum for the block."""
    mat, starts = _stacked_prototypes()
    return np.maximum.reduceat(np.stack([mat @ u for u in units]), starts, axis=1).astype(np.float32)


@lru_cache(maxsize=4)
def dense_names(prefix: str) -> tuple[str, ...]:
    """The feature names of :func:`semantic_vector`'s entries: the vector's dimensions, then one per category."""
    dims = tuple(f"{prefix}v{d}" for d in range(word_vectors().dim))
    return dims + tuple(f"{prefix}sim:{t}" for t in _prototypes()[0])


def semantic_vector(norms: Sequence[str]) -> np.ndarray | None:
    """Dense features of a stretch of words (None when no word has a vector): their mean word vector and, per
    category, how close the closest word comes to one of its cue words (above a floor of 0.3, where neighbours stop
    being related). Scaled so that they weigh like a few sparse features in the L2-regularised model. They stay a
    vector (scored by one matrix product, :meth:`EventModel.probabilities_many`); their names are
    :func:`dense_names`."""
    return SentenceVectors(norms).window(0, len(norms))


class _DenseRows:
    """Every vector row seen so far, its unit vector and cue similarities (:func:`_cue_similarity`) in two
    matrices: a sentence's are then gathered with one index instead of stacked from per-word arrays (the same
    float32 values). Rows are only ever added (under a lock), so an index read before a matrix grows stays valid."""

    def __init__(self) -> None:
        self.slot: dict[int, int] = {}
        self.units = np.zeros((0, 0), np.float32)
        self.sims = np.zeros((0, 0), np.float32)
        self.lock = threading.Lock()

    def rows(self, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        slot = self.slot
        new = [r for r in dict.fromkeys(rows) if r not in slot]
        if new:
            units = word_vectors().units(new)
            sims = _cue_similarities(units)
            with self.lock:
                n = len(slot)
                if n + len(new) > len(self.units):
                    cap = max(1024, 2 * (n + len(new)))
                    grown_u = np.zeros((cap, units.shape[1]), np.float32)
                    grown_s = np.zeros((cap, sims.shape[1]), np.float32)
                    if n:
                        grown_u[:n], grown_s[:n] = self.units[:n], self.sims[:n]
                    self.units, self.sims = grown_u, grown_s
                for r, u, c in zip(new, units, sims, strict=True):
                    if r not in slot:
                        self.units[len(slot)], self.sims[len(slot)] = u, c
                        slot[r] = len(slot)
        idx = [slot[r] for r in rows]
        return self.units[idx], self.sims[idx]


_DENSE = _DenseRows()


class SentenceVectors:
    """A sentence's word vectors and cue similarities, looked up once: the sentence's own dense features and every
    pair's window (:func:`semantic_vector` of a stretch of it) are slices of the same two matrices, not new lookups
    per pair. Row for row the same sums as :func:`semantic_vector` on the stretch, so the same numbers."""

    __slots__ = ("pos", "sims", "units", "_windows")

    def __init__(self, norms: Sequence[str]) -> None:
        found = [(i, r) for i, r in enumerate(map(_word_row, norms)) if r is not None]
        self.pos = [i for i, _ in found]  # the words that have a vector, in order
        self.units: np.ndarray | None = None
        self.sims: np.ndarray | None = None
        # a pair and its reverse read the same window: computed once (more actors per sentence, more such pairs)
        self._windows: dict[tuple[int, int], np.ndarray | None] = {}
        if found:
            self.units, self.sims = _DENSE.rows([r for _, r in found])

    def window(self, lo: int, hi: int) -> np.ndarray | None:
        """:func:`semantic_vector` of words ``[lo, hi)`` of the sentence (the same array for the same window: read
        only)."""
        key = (lo, hi)
        if key in self._windows:
            return self._windows[key]
        out = self._windows[key] = self._window(lo, hi)
        return out

    def _window(self, lo: int, hi: int) -> np.ndarray | None:
        a, b = bisect_left(self.pos, lo), bisect_left(self.pos, hi)
        if a >= b or self.units is None or self.sims is None:
            return None
        mean = np.add.reduce(self.units[a:b]) * (_DENSE_SCALE / (b - a))
        sims = np.maximum.reduce(self.sims[a:b])
        sims = np.where(sims > 0.3, _DENSE_SCALE * 2 * (sims - 0.3), 0.0)
        return np.concatenate([mean, sims]).astype(np.float32)


def build_candidates(
    article: Article, *, index: MentionIndex | None = None, context: bool = False
) -> list[Candidate]:
    """The article's candidate pairs with their features; with ``context`` also the contextual word states of
    the sentences that have pairs (:attr:`Candidate.context`, read by an event model trained with them), when the
    language model is installed."""
    ix = index or MentionIndex.of(article)
    ents = {e.id: e for e in article.entities}
    quotes = quote_index(article)
    units = list(sentence_units(article, ix))  # the rules read the same sentences: their actors found once
    rule_events = extract_events(article, index=ix, units=units)
    rule_ix = IntervalIndex(rule_events, lambda e: e.evidence.start, lambda e: e.evidence.end)
    out: list[Candidate] = []
    with_context: list[tuple[Sequence[Tok], int, int, list[Candidate]]] = []
    for n, unit in enumerate(units):
        toks, s0, s1 = unit.toks, unit.s0, unit.s1
        a, b = toks[s0].start, toks[s1].end
        sent_actors = unit.actors[:_MAX_ACTORS]
        q = _quote_over(quotes, a, b)
        hits = cue_hits(toks, s0, s1 + 1)
        # rule events that start in the sentence or run over its start (by position, not a scan of all of them)
        rules_here = rule_ix.starting_in_or_containing(a, b)
        pairs = _pairs(article, toks, s0, s1, sent_actors, q, hits, rules_here, ents)
        if pairs:
            _salience(pairs, ents, n)
            if context:
                with_context.append((toks, s0, s1, pairs))
        out.extend(pairs)
    if with_context:
        _add_context(with_context)
    return out


def _add_context(units: list[tuple[Sequence[Tok], int, int, list[Candidate]]]) -> None:
    """The contextual states of the sentences that have pairs, one batched pass per article."""
    from marsad.lang.ar.context import context_lm

    lm = context_lm()
    if lm is None:
        return
    states = lm.states([[t.norm for t in toks[s0 : s1 + 1]] for toks, s0, s1, _ in units])
    for (toks, s0, s1, pairs), h in zip(units, states, strict=True):
        starts = [t.start for t in toks[s0 : s1 + 1]]
        a, b = toks[s0].start, toks[s1].end
        for c in pairs:
            ks = _tok_index(starts, c.src_span[0]) if a <= c.src_span[0] < b else -1
            kt = _tok_index(starts, c.tgt_span[0]) if a <= c.tgt_span[0] < b else -1
            c.context = (h, ks, kt)


def _salience(pairs: Sequence[Candidate], ents: dict, n_sentence: int) -> None:
    """Where the sentence stands (the title and lead state the main events) and how central each actor is to the
    article (how often it is named, whether it was named before): events are between the actors a story is about."""
    actors = {c.source for c in pairs} | {c.target for c in pairs}
    sentence = (f"sentidx:{_bucket(n_sentence)}", f"nactors:{_bucket(len(actors))}")
    of_actor: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}  # (role, ids) -> names: once per actor
    for c in pairs:
        f = c.feats
        for name in sentence:
            f[name] = 1.0
        for role, ids in (("s", c.source), ("t", c.target)):
            names = of_actor.get((role, ids))
            if names is None:
                e = ents.get(ids[0])
                names = (f"{role}sal:{_bucket(len(e.mentions) if e else 0)}",)
                if e is not None and e.mentions and e.mentions[0].start < c.sent[0]:
                    names += (f"{role}seen_before",)
                of_actor[(role, ids)] = names
            for name in names:
                f[name] = 1.0


def _quote_over(quotes: IntervalIndex[Quote], a: int, b: int) -> Quote | None:
    """The quote sharing most characters with ``[a, b)`` (the first by content start on a tie)."""
    best = None
    for q in quotes.overlapping(a, b):
        ov = min(b, q.content.end) - max(a, q.content.start)
        if ov > 0 and (best is None or ov > min(b, best.content.end) - max(a, best.content.start)):
            best = q
    return best


def _pairs(
    article: Article, toks: Sequence[Tok], s0: int, s1: int, acts: list[Actor], q: Quote | None,
    hits: list[CueHit], rules: list[Event], ents: dict,
) -> list[Candidate]:  # fmt: skip
    sent = (toks[s0].start, toks[s1].end)
    slots: list[tuple[tuple[str, ...], tuple[int, int], str]] = []  # ids, span, kind
    seen: set[tuple[str, ...]] = set()
    for x in acts:
        if x.ids in seen:
            continue
        seen.add(x.ids)
        slots.append((x.ids, (x.start, x.end), x.type))
    speaker_ids: tuple[str, ...] = tuple(q.speaker) if q is not None and q.speaker else ()
    if speaker_ids and speaker_ids not in seen:
        sp = q.speaker_span if q is not None and q.speaker_span is not None else None
        span = (sp.start, sp.end) if sp is not None else (sent[0], sent[0])
        kind = ents[speaker_ids[0]].type if speaker_ids[0] in ents else "PER"
        slots.append((speaker_ids, span, kind))
    # rule proposals whose actors are not in this sentence (a speaker named earlier, "the two sides"): keep them
    for ev in rules:
        for ids in (ev.source, ev.target):
            if ids and ids not in seen and all(i in ents for i in ids):
                seen.add(ids)
                e0 = ents[ids[0]]
                m = min(e0.mentions, key=lambda m: abs(m.start - ev.evidence.start)) if e0.mentions else None
                slots.append((ids, (m.start, m.end) if m else (sent[0], sent[0]), e0.type))
    if len(slots) < 2:
        return []  # no pair: the sentence's features are not needed
    tok_starts = [t.start for t in toks]
    base: dict[str, float] = {}
    for t in toks[s0 : s1 + 1]:
        for name in _word_names(t.norm):
            base[name] = 1.0
    for h in hits:
        base[f"cue:{h.entry.type}"] = 1.0
        base[f"cuew:{h.entry.words[0]}"] = 1.0
    if q is not None:
        base[f"quote:{q.kind}"] = 1.0
    sv = SentenceVectors([t.norm for t in toks[s0 : s1 + 1]])
    base_dense = sv.window(0, s1 + 1 - s0)
    # what depends on one actor only (its entity, token, place in the sentence, the words before it), once per
    # actor rather than once per pair it is in: the same values, so the same names in the same order
    acts_of = [_slot_facts(ids, span, kind, toks, tok_starts, s0, s1, ents) for ids, span, kind in slots]
    rule_sets = [(ev, set(ev.source), set(ev.target)) for ev in rules]
    cues = tuple(hits)
    out: list[Candidate] = []
    for i, (sids, sspan, _) in enumerate(slots):
        sa = acts_of[i]
        for j, (tids, tspan, _) in enumerate(slots):
            ta = acts_of[j]
            if i == j or not sa.idset.isdisjoint(ta.idset):
                continue
            c = Candidate(sent, sids, tids, sspan, tspan, quote=q, cues=cues, base=base, base_dense=base_dense)
            f: dict[str, float] = {}
            c.dense = _pair_features(f, article, toks, s0, s1, sa, ta, q, hits, sv)
            # The clause rules' verdicts as features: train CV is the same without them (0.315 against 0.312), dev
            # higher with them (0.505 against 0.491); the seed's Lavrov-accuses-the-US event needs them (p 0.068
            # without, threshold 0.09). See events/data/README.md.
            names: list[str] = []
            evs: list[Event] = []
            for ev, evs_src, evs_tgt in rule_sets:
                if evs_src & sa.idset and evs_tgt & ta.idset:
                    f[f"rule:{ev.type}"] = 1.0
                    names.append(f"rule:{ev.type}")
                    evs.append(ev)
                elif evs_src & ta.idset and evs_tgt & sa.idset:
                    f[f"rule_rev:{ev.type}"] = 1.0
                else:
                    f[f"rule_other:{ev.type}"] = 1.0
            c.feats = f
            c.rules = tuple(names) or ("pair",)
            c.rule_events = tuple(evs)
            out.append(c)
    return out


# The feature names a word gives, built once per word (and order or role) rather than per sentence or pair: the
# same strings in the same order, so the same feature dictionaries; and a string built once keeps its hash.
@lru_cache(maxsize=100_000)
def _word_names(norm: str) -> tuple[str, ...]:
    """A sentence word's own features: its stem and its two finer clusters (none for a stem under two letters)."""
    w = stem(norm)
    if len(w) < 2:
        return ()
    return (f"w:{w}", *(f"{lvl}:{cid}" for lvl, cid in zip(("c256", "c1024"), clusters_of(norm)[1:], strict=False)))


@lru_cache(maxsize=100_000)
def _between_names(norm: str, order: str) -> tuple[str, ...]:
    """A word between the two actors: its stem, alone and with the pair's order, and its cluster with the order."""
    w = stem(norm)
    return (f"bw:{w}", f"bw:{w}|{order}", *(f"bc:{cid}|{order}" for cid in clusters_of(norm)[1:2]))


@lru_cache(maxsize=100_000)
def _prev_names(role: str, prev: str) -> tuple[str, ...]:
    """The word before an actor: its stem, its cluster, and the preposition it is."""
    out = [f"{role}prev:{stem(prev)}", *(f"{role}prevc:{cid}" for cid in clusters_of(prev)[1:2])]
    if prev in _PREP_WORDS:
        out.append(f"{role}prep:{prev}")
    return tuple(out)


@lru_cache(maxsize=100_000)
def _first_names(role: str, first: str) -> tuple[str, ...]:
    """An actor introduced by a clitic (لروسيا، بواشنطن): `first` is the token whose proclitic the mention leaves out."""
    return (f"{role}clitic:{first[:1]}",) if first[:1] in ("و", "ب", "ل", "ف") else ()


@lru_cache(maxsize=100_000)
def _prev2_name(role: str, norm: str) -> str:
    return f"{role}prev2:{stem(norm)}"


@lru_cache(maxsize=4096)
def _kind_names(skind: str, tkind: str, ssector: str | None, tsector: str | None) -> tuple[str, ...]:
    """The two actors' types and sectors."""
    return f"ts:{skind}", f"tt:{tkind}", f"tst:{skind}|{tkind}", f"ss:{ssector}", f"st:{tsector}"


@lru_cache(maxsize=4096)
def _dist_names(gap: int, order: str) -> tuple[str, str]:
    return f"dist:{_bucket(gap)}", f"dist:{_bucket(gap)}|{order}"


@lru_cache(maxsize=4096)
def _cue_names(typ: str, rel: str, order: str, scope: str, near: str) -> tuple[str, ...]:
    """A cue hit relative to the pair: where it stands, in which scope, how near."""
    return f"cuepos:{typ}|{rel}", f"cuepos:{typ}|{rel}|{order}", f"cuescope:{scope}|{rel}", f"cuenear:{typ}|{near}"


def _bucket(n: int) -> str:
    for lim in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= lim:
            return str(lim)
    return "far"


def _tok_index(tok_starts: list[int], off: int) -> int:
    return max(0, bisect_right(tok_starts, off) - 1)


@dataclass(slots=True)
class _SlotFacts:
    """What the pair features read of one actor slot: the same values :func:`_pair_features` computed per pair."""

    ids: tuple[str, ...]
    span: tuple[int, int]
    kind: str
    idset: set[str]
    sector: str | None
    country: str | None
    multi: bool
    inside: bool  # the actor's mention is in the sentence
    k: int  # its token
    role_names: dict[str, tuple[str, ...]]  # role ("s"/"t") -> the names of the words before/at the actor


def _slot_facts(
    ids: tuple[str, ...], span: tuple[int, int], kind: str, toks: Sequence[Tok], tok_starts: list[int], s0: int,
    s1: int, ents: dict,
) -> _SlotFacts:  # fmt: skip
    e = ents.get(ids[0])
    k = _tok_index(tok_starts, span[0])
    roles: dict[str, tuple[str, ...]] = {}
    for role in ("s", "t"):
        names: list[str] = []
        if k > 0 and toks[k].start >= toks[s0].start:
            names += _prev_names(role, toks[k - 1].norm if k - 1 >= s0 else "<s>")
            if span[0] > toks[k].start:  # the mention leaves a proclitic out: لروسيا، بواشنطن (not لافروف، بوتين)
                names += _first_names(role, toks[k].norm)
            if k - 2 >= s0:
                names.append(_prev2_name(role, toks[k - 2].norm))
        if k == s0 or (k - 1 >= s0 and toks[k - 1].norm in ("و", "ف")):
            names.append(f"{role}initial")
        roles[role] = tuple(names)
    return _SlotFacts(
        ids, span, kind, set(ids), e.sector if e else None, e.country if e else None, len(ids) > 1,
        toks[s0].start <= span[0] < toks[s1].end + 1, k, roles,
    )  # fmt: skip


def _pair_features(
    f: dict[str, float], article: Article, toks: Sequence[Tok], s0: int, s1: int, sa: _SlotFacts, ta: _SlotFacts,
    q: Quote | None, hits: list[CueHit], sv: SentenceVectors,
) -> np.ndarray | None:  # fmt: skip
    text = article.text
    sspan, tspan = sa.span, ta.span
    for name in _kind_names(sa.kind, ta.kind, sa.sector, ta.sector):
        f[name] = 1.0
    sc, tc = sa.country, ta.country
    f["same_country" if sc and sc == tc else ("no_country" if not sc or not tc else "diff_country")] = 1.0
    if sa.multi:
        f["src_multi"] = 1.0
    if ta.multi:
        f["tgt_multi"] = 1.0
    s_in, t_in = sa.inside, ta.inside
    f[f"in:{int(s_in)}{int(t_in)}"] = 1.0
    ks = sa.k
    kt = ta.k
    order = "st" if sspan[0] < tspan[0] else "ts"
    f[f"order:{order}"] = 1.0
    if s_in and t_in:
        lo, hi = (ks, kt) if ks < kt else (kt, ks)
        gap = hi - lo
        for name in _dist_names(gap, order):
            f[name] = 1.0
        if gap <= 15:
            for t in toks[lo + 1 : hi]:
                for name in _between_names(t.norm, order):
                    f[name] = 1.0
        # the actors between the pair (the next actor after the source is the usual object)
        between = text[min(sspan[1], tspan[1]) : max(sspan[0], tspan[0])]
        if "،" in between or "," in between:
            f["comma_between"] = 1.0
        if " و" in f" {between.strip()}"[:3]:
            f["conj_between"] = 1.0
    for name in sa.role_names["s"]:
        f[name] = 1.0
    for name in ta.role_names["t"]:
        f[name] = 1.0
    # cue hits relative to the pair
    for h in hits:
        typ = h.entry.type
        ck = h.k
        rel = _relation(ck, ks, kt) if s_in and t_in else ("only_s" if s_in else "only_t" if t_in else "none")
        for name in _cue_names(typ, rel, order, h.entry.scope, _bucket(min(abs(ck - ks), abs(ck - kt)))):
            f[name] = 1.0
        if h.negated:
            f[f"cueneg:{typ}"] = 1.0
    if q is not None:
        sp = set(q.speaker)
        if sa.idset & sp:
            f["src_is_speaker"] = 1.0
            f[f"src_is_speaker|{q.kind}"] = 1.0
        if ta.idset & sp:
            f["tgt_is_speaker"] = 1.0
        c0, c1 = q.content.start, q.content.end
        f[f"src_in_content:{int(c0 <= sspan[0] < c1)}"] = 1.0
        f[f"tgt_in_content:{int(c0 <= tspan[0] < c1)}"] = 1.0
        if q.attrs.get("cue_lemma"):
            f[f"qcue:{q.attrs.get('cue_lemma')}"] = 1.0
    else:
        f["narrative"] = 1.0
    # the words around the pair, by meaning: from a few words before the first actor to a few after the second
    ks_in = ks if s_in else kt
    kt_in = kt if t_in else ks
    lo, hi = max(s0, min(ks_in, kt_in) - _WINDOW), min(s1, max(ks_in, kt_in) + _WINDOW)
    return sv.window(lo - s0, hi + 1 - s0)


def _relation(ck: int, ks: int, kt: int) -> str:
    lo, hi = min(ks, kt), max(ks, kt)
    where = "before" if ck < lo else "after" if ck > hi else "between"
    near = "s" if abs(ck - ks) <= abs(ck - kt) else "t"
    return f"{where}_{near}"
