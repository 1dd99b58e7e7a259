"""Learning marsad's decisions from gold articles, and measuring them honestly.

* :func:`analyse` runs the pipeline up to the attribution rules (no learned speakers, no events) over gold inputs.
* :func:`analyse_out_of_fold` does the same with every article's entities kept or dropped by an entity keep/drop
  model trained without its fold (:func:`entity_fold_models`): what ``eval gold --cv`` scores and what the speaker
  ranker and the event model learn from, so that no article's own entity labels reach the entities it is scored on
  or the entities a model learns from (on new text the shipped entity model has not seen the article either).
* :func:`train_speakers` / :func:`train_events` fit the speaker ranker and the event model on all given articles.
  The event model learns from articles whose speakers come from a speaker ranker that never saw them (out-of-fold),
  the same kind of speakers it meets when tagging new text (stacking).
* :func:`cross_validate` gives every article the decisions of models trained without it (K folds by document,
  the same folds for entities, speakers and events), so the scores it produces are the figure of record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.data import Article, Rejection
from marsad.events.candidates import build_candidates
from marsad.events.learn import PreparedDoc, label_candidates
from marsad.events.learn import train as fit_events
from marsad.events.model import NONE, EventModel
from marsad.gold.data import GoldDoc
from marsad.learn.linear import calibration, fit, fit_platt, group_folds, platt
from marsad.quotes.speakers import DEFAULT_C, SpeakerModel, quote_labels, speaker_candidates

Progress = Callable[[str], None]


def _quiet(_msg: str) -> None:
    return None


@dataclass
class Analysed:
    gold: dict[str, Any]
    article: Article


def analyse(
    docs: Sequence[GoldDoc], *, progress: Progress = _quiet, advance: Callable[[], None] | None = None,
    entity_models: Mapping[str, Any] | None = None, **options: Any,
) -> list[Analysed]:  # fmt: skip
    """Gold inputs through the pipeline up to quotes, speakers from the rules only (what the models learn from).
    ``advance`` is called once per article (a progress bar). ``entity_models`` (document id -> entity keep/drop
    model) decides each article's entities with its own model (one pipeline, the model swapped per article);
    without it the ``entity_model`` option (default: the shipped model) decides every article."""
    from marsad.stages import default_pipeline

    # No per-document time limit: a measurement must not depend on how loaded the machine is (a gold article
    # rejected E_TIMEOUT under load scored as empty output and moved the figures).
    pipe = default_pipeline(upto="quotes", speaker_model=False, time_limit=None, **options).warm()
    stage = next((st for st in pipe.stages if st.name == "entities"), None)
    out = []
    for i, d in enumerate(docs, 1):
        if entity_models is not None and stage is not None:
            stage.entity_model = entity_models[d.id]  # type: ignore[attr-defined]
        res = pipe.process(d.input_article())
        if isinstance(res, Rejection):
            progress(f"skipped {d.id}: {res.reason}")
            continue
        out.append(Analysed(d.raw, res))
        if advance is not None:
            advance()
        elif i % 50 == 0:
            progress(f"analysed {i}/{len(docs)} articles")
    return out


@dataclass
class EntityFolds:
    """Entity keep/drop models trained without one fold each (folds by document)."""

    folds: list[set[str]]
    models: list[Any]  # per fold: an EntityModel, or False (the rules alone) where the package ships no model
    trained_on: list[frozenset[str]]  # per fold: the ids of the articles its model learned from

    def by_doc(self) -> dict[str, Any]:
        """Document id -> the model of its fold (trained without it)."""
        return {i: m for held, m in zip(self.folds, self.models, strict=True) for i in held}


def entity_fold_models(
    docs: Sequence[GoldDoc], folds: Sequence[set[str]], *, progress: Progress = _quiet,
    advance: Callable[[], None] | None = None, **options: Any,
) -> EntityFolds:  # fmt: skip
    """One entity keep/drop model per fold, trained on the other folds' articles only, with the shipped model's C
    and threshold (``marsad train entities`` chose them by the same K-fold CV). Costs one pass of the pipeline up to
    the entity stage (every candidate proposed) and K small fits. Where the package ships no entity model, the
    stage's rules alone decide in every fold, as they do on new text (also in a fold whose other articles hold a
    single class of candidates: a few articles with nothing to drop)."""
    from marsad.entities import decide

    shipped = decide.shipped_model()
    if shipped is None:
        return EntityFolds(list(folds), [False] * len(folds), [frozenset()] * len(folds))
    c = float(shipped.model.meta.get("c", decide.DEFAULT_C))
    prepared = decide.analyse(docs, progress=progress, advance=advance, **options)
    models: list[Any] = []
    trained: list[frozenset[str]] = []
    for n, held in enumerate(folds, 1):
        train = [p for p in prepared if p.id not in held]
        if len({lab for p in train for lab in p.labels if lab is not None}) < 2:
            # a handful of articles can hold no candidate to drop (or none to keep): nothing to learn, the rules
            # decide this fold
            progress(f"entities: fold {n} has a single class of candidates; its articles get the rules alone")
            models.append(False)
            trained.append(frozenset())
            continue
        models.append(decide.fit_model(train, c=c, threshold=shipped.threshold))
        trained.append(frozenset(p.id for p in train))
    return EntityFolds(list(folds), models, trained)


def analyse_out_of_fold(
    docs: Sequence[GoldDoc], *, k: int = 5, folds: Sequence[set[str]] | None = None, progress: Progress = _quiet,
    advance: Callable[[], None] | None = None, advance_entities: Callable[[], None] | None = None,
    seed: int = 0, **options: Any,
) -> tuple[list[Analysed], list[set[str]]]:  # fmt: skip
    """:func:`analyse` with every article's entities decided by an entity model trained without its fold (K folds
    by document, dealt by ``seed`` as :func:`group_folds` does, or ``folds``); returns the analysed articles and
    the folds, to be handed on to :func:`cross_validate` / :func:`train_events` so that entities, speakers and
    events share them."""
    folds = list(folds) if folds is not None else group_folds([d.id for d in docs], k, seed=seed)
    ents = entity_fold_models(docs, folds, progress=progress, advance=advance_entities, **options)
    items = analyse(docs, progress=progress, advance=advance, entity_models=ents.by_doc(), **options)
    return items, folds


def train_speakers(items: Sequence[Analysed], *, c: float = DEFAULT_C) -> SpeakerModel:
    X: list[dict[str, float]] = []
    y: list[str] = []
    for it in items:
        cands = speaker_candidates(it.article)
        for qc, ql in zip(cands, quote_labels(it.gold, it.article, cands), strict=True):
            if ql is None or not any(ql):
                continue  # a quote with no gold match, or whose speaker marsad never found, teaches no ranking
            for cand, lab in zip(qc, ql, strict=True):
                X.append(cand.feats)
                y.append(str(lab))
    lin = fit(X, y, c=c, meta={"documents": len(items), "candidates": len(X)})
    return SpeakerModel(lin)


def _prepared(items: Sequence[Analysed], articles: Mapping[str, Article], *, context: bool = False) -> list[PreparedDoc]:
    out = []
    for it in items:
        art = articles[str(it.gold["id"])]
        cands = build_candidates(art, context=context)  # the contextual states only for a model that reads them
        out.append(PreparedDoc(str(it.gold["id"]), it.gold, art, cands, label_candidates(it.gold, art, cands)))
    return out


def _oof_speakers(items: Sequence[Analysed], folds: Sequence[set[str]]) -> dict[str, Article]:
    """Each article's speakers from a ranker trained without its fold, and its proposed speaker entities settled
    as the quotes stage settles them (:func:`marsad.quotes.stage.settle_proposals`)."""
    from marsad.quotes.slot import SOURCE
    from marsad.quotes.stage import settle_proposals

    out: dict[str, Article] = {}
    for held in folds:
        model = train_speakers([it for it in items if str(it.gold["id"]) not in held])
        for it in items:
            if str(it.gold["id"]) in held:
                art = model.assign(it.article)
                proposed = [e for e in art.entities if SOURCE in (e.attrs.get("source") or ())]
                out[str(it.gold["id"])] = settle_proposals(art, proposed) if proposed else art
    return out


def train_events(
    items: Sequence[Analysed], *, k: int = 5, folds: Sequence[set[str]] | None = None, progress: Progress = _quiet,
    **options: Any,
) -> EventModel:  # fmt: skip
    """The event model on all articles; its confidence is Platt-scaled on out-of-fold probabilities (K folds, or
    ``folds``: those of :func:`analyse_out_of_fold`)."""
    folds = _folds(items, k, folds)
    k = len(folds)
    progress("speakers out-of-fold")
    prepared = _prepared(items, _oof_speakers(items, folds), context=bool(options.get("context")))
    probs: list[float] = []
    right: list[bool] = []
    for n, held in enumerate(folds, 1):
        progress(f"calibration fold {n}/{k}")
        model = fit_events([p for p in prepared if p.id not in held], **options)
        for p in prepared:
            if p.id in held:
                _collect(model, p, probs, right)
    progress("final model")
    final = fit_events(prepared, **options)
    final.calibration = fit_platt(probs, right)
    return final


def _collect(model: EventModel, p: PreparedDoc, probs: list[float], right: list[bool]) -> None:
    for lab, by_type in zip(p.labels, model.probabilities_many(p.candidates), strict=True):
        typ, pv = max(by_type.items(), key=lambda x: x[1])
        probs.append(pv)
        right.append(lab != NONE and lab == typ)


@dataclass
class CVResult:
    outputs: dict[str, dict[str, Any]]  # doc id -> system record (out-of-fold speakers and events)
    calibration: list[dict[str, float]] = field(default_factory=list)  # raw event probabilities
    calibrated: list[dict[str, float]] = field(default_factory=list)  # after Platt scaling fitted on other folds
    sweep: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # threshold -> events P/R/F1
    # confidence floor -> events P/R/F1 of the events kept (Platt-scaled as the shipped model scales them)
    cuts: list[tuple[float, dict[str, Any]]] = field(default_factory=list)


def _folds(items: Sequence[Analysed], k: int, folds: Sequence[set[str]] | None) -> list[set[str]]:
    """The given folds restricted to the analysed articles (one rejected by the pipeline is in none), else K new
    folds by document."""
    ids = {str(it.gold["id"]) for it in items}
    if folds is None:
        return group_folds(sorted(ids), k)
    return [set(f) & ids for f in folds]


def cross_validate(
    items: Sequence[Analysed], *, k: int = 5, folds: Sequence[set[str]] | None = None,
    thresholds: Sequence[float] = (), cuts: Sequence[float] = (), progress: Progress = _quiet, **options: Any,
) -> CVResult:  # fmt: skip
    """Out-of-fold speakers and events for every article (K folds by document, or ``folds``: pass those of
    :func:`analyse_out_of_fold` so that an article's entity, speaker and event models all left out the same fold).
    ``thresholds``: the events scored again at each decision threshold; ``cuts``: the events kept at each floor on
    their confidence, Platt-scaled on the other folds' candidates (what ``min_confidence`` of the API and exports
    buys)."""
    from marsad.gold.score import Scorer

    folds = _folds(items, k, folds)
    k = len(folds)
    progress(f"speakers: {k} folds")
    arts = _oof_speakers(items, folds)
    prepared = _prepared(items, arts, context=bool(options.get("context")))
    outputs: dict[str, dict[str, Any]] = {}
    probs: list[float] = []
    right: list[bool] = []
    fold_of: list[int] = []
    per_doc: dict[str, tuple[EventModel, PreparedDoc]] = {}
    doc_fold: dict[str, int] = {}
    for n, held in enumerate(folds, 1):
        progress(f"events: fold {n}/{k}")
        model = fit_events([p for p in prepared if p.id not in held], **options)
        for p in prepared:
            if p.id not in held:
                continue
            per_doc[p.id] = (model, p)
            doc_fold[p.id] = n
            events = model.decide(p.article, p.candidates)
            outputs[p.id] = p.article.evolve(events=tuple(events)).to_dict()
            before = len(probs)
            _collect(model, p, probs, right)
            fold_of.extend([n] * (len(probs) - before))
    result = CVResult(outputs, calibration(probs, right, bins=10))
    scaled: list[float] = [0.0] * len(probs)
    ab_of: dict[int, tuple[float, float]] = {}
    for n in range(1, k + 1):  # Platt scaling fitted on the other folds' probabilities, applied to this fold's
        others = [i for i, f in enumerate(fold_of) if f != n]
        ab = ab_of[n] = fit_platt([probs[i] for i in others], [right[i] for i in others])
        for i, f in enumerate(fold_of):
            if f == n:
                scaled[i] = platt(probs[i], ab)
    result.calibrated = calibration(scaled, right, bins=10)
    for thr in thresholds:
        sc = Scorer()
        for it in items:
            model, p = per_doc[str(it.gold["id"])]
            saved = model.threshold
            model.threshold = thr
            rec = p.article.evolve(events=tuple(model.decide(p.article, p.candidates))).to_dict()
            model.threshold = saved
            sc.add(it.gold, rec)
        s = sc.summary()
        result.sweep.append((thr, {"events": s["events"], "events_dyad": s["events_dyad"]}))
    for cut in cuts:
        # a fold model's confidence is its raw probability (it has no scaling of its own): scaled here as the
        # shipped model's is, by a Platt fit on out-of-fold candidates, those of the other folds
        sc = Scorer()
        for it in items:
            pid = str(it.gold["id"])
            rec = dict(outputs[pid])
            ab = ab_of[doc_fold[pid]]
            rec["events"] = [e for e in rec.get("events") or ()
                             if e.get("confidence") is not None and platt(e["confidence"], ab) >= cut]
            sc.add(it.gold, rec)
        s = sc.summary()
        result.cuts.append((cut, {"events": s["events"], "events_dyad": s["events_dyad"]}))
    return result
