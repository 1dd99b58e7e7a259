"""The learned event decision: which candidate pairs state which PLOVER event (16 categories + NONE).

Applying it needs numpy only (:class:`marsad.learn.linear.LinearModel`); ``marsad train events`` builds it from the
gold articles. Each event keeps the rules that proposed its pair (``attrs["rules"]``), the features that weighed
most (``attrs["why"]``) and the model's probability as ``confidence``; the per-article decision gathers the
sentences stating each (type, source, target) by noisy-or, and the event keeps the most probable one as evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from marsad.data import Article, Event, Span, content_hash
from marsad.events import plover
from marsad.events.candidates import Candidate, dense_names
from marsad.events.extract import _date_for, date_index
from marsad.events.lexicon import SYMMETRIC_TYPES
from marsad.intervals import IntervalIndex
from marsad.learn.linear import LinearModel, platt

NONE = "NONE"
EVENT = "EVENT"
DETECTOR_FILE = "data/event_detector.npz"
TYPER_FILE = "data/event_typer.npz"
CONTEXT_FILE = "data/event_context.npz"
_CONTEXT_SCALE = 3.0  # as the word-vector features: whitened components weigh like a few 0/1 features


@dataclass
class ContextProjection:
    """Contextual word states (512 numbers, :mod:`marsad.lang.ar.context`) cut to their first principal
    components, whitened, fitted on the training sentences' states (no labels): a pair reads the source's state,
    the target's and the sentence's mean, ``3 × dim`` features (``ls*``, ``lt*``, ``lm*``)."""

    mean: np.ndarray  # (512,)
    components: np.ndarray  # (512, dim): principal axes, each divided by its standard deviation

    @property
    def dim(self) -> int:
        return int(self.components.shape[1])

    def names(self) -> tuple[str, ...]:
        return context_names(self.dim)

    @classmethod
    def fit(cls, states: Sequence[np.ndarray], dim: int = 64, every: int = 5) -> ContextProjection:
        """Principal components of the words' states (every ``every``-th word: the axes, not the words, matter)."""
        a = np.concatenate([h for h in states if len(h)]).astype(np.float64)
        mean = a.mean(axis=0)
        # a small training set keeps every word (a sample must hold more words than components)
        sample = (a[::every] if len(a) >= every * 4 * dim else a) - mean
        _, sv, vt = np.linalg.svd(sample, full_matrices=False)
        dim = min(dim, len(sv))
        std = np.maximum(sv[:dim] / np.sqrt(len(sample)), 1e-6)  # a flat direction is not blown up
        return cls(mean.astype(np.float32), (vt[:dim].T / std).astype(np.float32))

    def matrix(self, cands: Sequence[Candidate]) -> np.ndarray:
        """(len(cands), 3 × dim) features: source, target, sentence mean (zeros where a candidate has no states or
        an actor is not named in the sentence)."""
        d = self.dim
        out = np.zeros((len(cands), 3 * d), np.float32)
        projected: dict[int, np.ndarray] = {}  # a sentence's states are shared by its pairs: projected once
        for i, c in enumerate(cands):
            if c.context is None:
                continue
            h, ks, kt = c.context
            p = projected.get(id(h))
            if p is None:
                p = projected[id(h)] = ((h - self.mean) @ self.components) / _CONTEXT_SCALE
            if ks >= 0:
                out[i, :d] = p[ks]
            if kt >= 0:
                out[i, d : 2 * d] = p[kt]
            out[i, 2 * d :] = p.mean(axis=0)
        return out


@lru_cache(maxsize=4)
def context_names(dim: int) -> tuple[str, ...]:
    return tuple(f"{role}{k}" for role in ("ls", "lt", "lm") for k in range(dim))


@dataclass
class EventModel:
    """The probability that a pair states an event of each category. Two layouts:

    * one multinomial model over the 16 categories and NONE (``typer`` is None; trained on every candidate): the
      shipped layout, because the categories then compete with NONE directly (train 5-fold CV events F1 0.300 vs
      0.286 for the hurdle, same candidates), and it scores each candidate once;
    * a hurdle: ``detector`` (EVENT/NONE, every candidate) times ``typer`` (the categories, positive candidates).

    ``threshold`` was chosen by cross-validation."""

    detector: LinearModel
    typer: LinearModel | None = None
    threshold: float = 0.15
    calibration: tuple[float, float] = (1.0, 0.0)  # Platt scaling of the event probability (fitted out-of-fold)
    per_sentence: int = 3  # pairs kept per sentence and category (0: all above the threshold)
    combine: str = "noisy_or"  # how an article's candidates of one event add up: "noisy_or" or "max" (best one)
    context: ContextProjection | None = None  # set when the model reads contextual word states

    @property
    def uses_context(self) -> bool:
        """Whether candidates need :attr:`Candidate.context` (``build_candidates(context=True)``)."""
        return self.context is not None

    def probabilities(self, c: Candidate) -> dict[str, float]:
        return self.probabilities_many([c])[0]

    def probabilities_many(self, cands: Sequence[Candidate]) -> list[dict[str, float]]:
        if not cands:
            return []
        if self.typer is None:
            classes, probs = self._probability_matrix(cands)
            keep = [k for k, t in enumerate(classes) if t != NONE]
            return [dict(zip([classes[k] for k in keep], row, strict=True)) for row in probs[:, keep].tolist()]
        p_ev = self.detector.proba_many([c.feats for c in cands], extra=self._extra(self.detector, cands))
        p_ty = self.typer.proba_many([c.feats for c in cands], extra=self._extra(self.typer, cands))
        return [{t: pe.get(EVENT, 0.0) * p for t, p in types.items()} for pe, types in zip(p_ev, p_ty, strict=True)]

    def _probability_matrix(self, cands: Sequence[Candidate]) -> tuple[tuple[str, ...], np.ndarray]:
        """The one-model layout's class probabilities as a (candidates, classes) matrix, NONE included: the same
        numbers as :meth:`probabilities_many` without a dictionary per candidate (a document has thousands)."""
        return self.detector.classes, self.detector.proba_matrix(
            [c.feats for c in cands], extra=self._extra(self.detector, cands)
        )

    def _extra(self, m: LinearModel, cands: Sequence[Candidate]) -> np.ndarray:
        """Scores of what candidates share or hold as vectors, computed apart from their own sparse features."""
        # a sentence's own features are scored once for all its pairs (most features are the sentence's words)
        slot: dict[int, int] = {}
        bases: list[dict[str, float]] = []
        for c in cands:
            if id(c.base) not in slot:
                slot[id(c.base)] = len(bases)
                bases.append(c.base)
        which = [slot[id(c.base)] for c in cands]
        # the word-vector features are dense: one matrix product for all candidates, not a dictionary per row
        s_names, w_names = dense_names("s"), dense_names("w")
        zeros_s, zeros_w = np.zeros(len(s_names), np.float32), np.zeros(len(w_names), np.float32)
        s_dense = np.stack([c.base_dense if c.base_dense is not None else zeros_s for c in cands])
        w_dense = np.stack([c.dense if c.dense is not None else zeros_w for c in cands])
        out = (
            m.score_matrix(bases, intercept=False)[which]
            + s_dense @ m.weights_of(s_names)
            + w_dense @ m.weights_of(w_names)
        )
        if self.context is not None:
            out += self.context.matrix(cands) @ m.weights_of(self.context.names())
        return out

    def decide(self, article: Article, cands: Sequence[Candidate]) -> list[Event]:
        """The article's events: every (category, source, target) whose candidates, taken together, pass the
        threshold. The events are scored by article, as the gold codes them: an event stated in the title and again
        in the body gathers the evidence of both sentences (noisy-or of their probabilities), and a pair is read
        for every category, not only its most likely one (a call that is also an accusation)."""
        dates = date_index(article)  # by position: each event looks up the dates just before it, not all of them
        by_sentence: dict[tuple, list[tuple[float, Candidate]]] = {}
        floor = self.threshold / 4  # probabilities below this cannot matter (and keep the work small)
        for c, ranked in zip(cands, self._ranked(cands, floor), strict=True):
            for typ, p in ranked:
                by_sentence.setdefault((c.sent, typ), []).append((p, c))
        found: dict[tuple, list] = {}  # key -> [best probability, its candidate, type, product of (1 - p)]
        for (_sent, typ), scored in by_sentence.items():
            # a sentence states few events of one category: its most likely pairs, not every permutation of the
            # actors it names (a shelling in one country, reported from a second, condemned by a third)
            scored.sort(key=lambda x: -x[0])
            for p, c in scored[: self.per_sentence] if self.per_sentence else scored:
                key: tuple = (typ, c.source, c.target)
                if typ in SYMMETRIC_TYPES:
                    key = (typ, *sorted((c.source, c.target)))
                slot = found.setdefault(key, [0.0, c, typ, 1.0])
                if p > slot[0]:
                    slot[0], slot[1] = p, c
                slot[3] *= 1.0 - p
        events = []
        for best, c, typ, none in found.values():
            score = 1.0 - none if self.combine == "noisy_or" else best
            if score >= self.threshold:
                events.append(self._event(article, c, typ, score, dates))
        return sorted(events, key=lambda e: (e.evidence.start, e.type))

    def _ranked(self, cands: Sequence[Candidate], floor: float) -> list[list[tuple[str, float]]]:
        """Per candidate, the (category, probability) pairs :meth:`decide` reads, most probable first (ties in
        class order): with noisy-or those at or above ``floor``, else the best one if it is. The one-model layout
        selects them on the probability matrix: of a document's candidates × 16 categories only a few percent pass
        the floor, and only those become Python pairs."""
        if self.typer is not None or not cands:
            out = []
            for probs in self.probabilities_many(cands):
                ranked = sorted(probs.items(), key=lambda x: -x[1])
                out.append([(t, p) for t, p in (ranked if self.combine == "noisy_or" else ranked[:1]) if p >= floor])
            return out
        classes, pm = self._probability_matrix(cands)
        keep = np.asarray([t != NONE for t in classes])
        if self.combine == "noisy_or":
            passed = (pm >= floor) & keep
        else:  # the best category of each candidate (the first on a tie), if it passes
            masked = np.where(keep, pm, -np.inf)
            passed = np.zeros(pm.shape, dtype=np.bool_)
            best = masked.argmax(axis=1)
            passed[np.arange(len(cands)), best] = masked[np.arange(len(cands)), best] >= floor
        out = [[] for _ in cands]
        for k, j in zip(*np.nonzero(passed), strict=True):
            out[k].append((classes[j], float(pm[k, j])))
        for ranked in out:
            if len(ranked) > 1:
                ranked.sort(key=lambda x: -x[1])
        return out

    def _event(
        self, article: Article, c: Candidate, typ: str, p: float, dates: Sequence[Span] | IntervalIndex[Span]
    ) -> Event:
        hit = next((h for h in c.cues if plover.current(h.entry.type) == typ), None)
        rule = next((e for e in c.rule_events if plover.current(e.type) == typ), None)
        folded = plover.fold(typ, rule.mode if rule else (hit.entry.mode if hit else None))
        negated = rule.negated if rule else bool(hit and hit.negated)
        modality = rule.modality if rule else None
        if modality is None and hit and hit.entry.modality not in ("fact", "fut"):
            modality = hit.entry.modality
        contexts = list(folded.contexts)
        cue_words = article.text[hit.start : hit.stop] if hit is not None else ""  # the decided type's cue, if any
        ev_span = Span(c.sent[0], c.sent[1], "event", {"cue": cue_words})
        eid = content_hash(article.id, typ, ",".join(c.source), ",".join(c.target), str(c.sent[0]), length=12)
        # the reasons a reader can follow: named features, not the dimensions of a word vector (sv12, wv40)
        feats = {**c.base, **c.feats}
        if self.typer is None:
            why = self.detector.top_features(feats, typ, k=5)
        else:
            why = self.detector.top_features(feats, EVENT, k=3) + self.typer.top_features(feats, typ, k=3)
        return Event(
            id=eid, type=typ, evidence=ev_span, source=c.source, target=c.target, mode=folded.mode,
            date=_date_for(article, c.sent[0], dates), negated=negated, modality=modality,
            symmetric=typ in SYMMETRIC_TYPES, location=rule.location if rule else None,
            confidence=round(platt(p, self.calibration), 3),
            cameo=folded.cameo, quad_class=plover.quad(typ), goldstein=plover.goldstein(folded.cameo),
            attrs={"rules": list(c.rules), "why": [f for f, _ in why], "quote": c.quote.id if c.quote else None,
                   **({"contexts": contexts} if contexts else {})},
        )  # fmt: skip

    def save(self, folder: str | Path) -> None:
        """Write ``event_detector.npz`` and ``event_typer.npz`` into ``folder`` (the package's ``events/data``)."""
        self.detector.meta["threshold"] = self.threshold
        self.detector.meta["calibration"] = list(self.calibration)
        self.detector.meta["per_sentence"] = self.per_sentence
        self.detector.meta["combine"] = self.combine
        self.detector.meta["context_dim"] = self.context.dim if self.context is not None else 0
        self.detector.save(Path(folder) / Path(DETECTOR_FILE).name)
        context_path = Path(folder) / Path(CONTEXT_FILE).name
        if self.context is not None:
            np.savez_compressed(context_path, mean=self.context.mean, components=self.context.components)
        elif context_path.exists():
            context_path.unlink()  # a stale projection must not be read back with a model that never used it
        typer_path = Path(folder) / Path(TYPER_FILE).name
        if self.typer is not None:
            self.typer.save(typer_path)
        elif typer_path.exists():
            typer_path.unlink()  # a hurdle's typer left beside a one-model detector would be read back with it

    @classmethod
    def load(cls, folder: str | Path) -> EventModel:
        det = LinearModel.load(Path(folder) / Path(DETECTOR_FILE).name)
        typer_path = Path(folder) / Path(TYPER_FILE).name
        typ = LinearModel.load(typer_path) if EVENT in det.classes and typer_path.exists() else None
        cal = det.meta.get("calibration") or (1.0, 0.0)
        context = None
        context_path = Path(folder) / Path(CONTEXT_FILE).name
        if det.meta.get("context_dim") and context_path.exists():
            with np.load(context_path) as z:
                context = ContextProjection(z["mean"].astype(np.float32), z["components"].astype(np.float32))
        return cls(
            det, typ, threshold=float(det.meta.get("threshold", 0.1)), calibration=(float(cal[0]), float(cal[1])),
            per_sentence=int(det.meta.get("per_sentence", 3)), combine=str(det.meta.get("combine", "max")),
            context=context,
        )  # fmt: skip


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The model that ships with the package, or None when it has not been trained yet."""
    ref = resources.files("marsad.events").joinpath(DETECTOR_FILE)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as p:
        return EventModel.load(Path(p).parent)

