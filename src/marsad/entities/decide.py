"""The entity decision: rules propose entities, a small learned model keeps or drops each one.

The entity stage's rules (registry matches, NER spans, name patterns) propose candidate entities, including the
unlinked names that the hand-written filter :func:`marsad.entities.common._keep_unlinked` would drop (a single
word tagged MISC, a one-mention single-word person: ``attrs["rule_drop"]``). Each candidate is described by what
proposed it and how it is written (:func:`entity_features`): its type, whether the registry knows it, the rules that
found its mentions, how many mentions and surfaces it has, its length, a definite article or clitic, where in the
article it first appears, the words in and around it and their word-vector clusters (those the CRF tagger reads),
whether its words are common nouns. An L2 logistic regression (:mod:`marsad.learn.linear`) gives the probability
that it is an entity the gold annotation counts; a candidate below the threshold is dropped.

The model is trained by ``marsad train entities`` on ``../shared/gold/train`` (labels: the scorer's typed match of
an entity's mentions against the gold entities; a candidate matching only optional gold entities teaches nothing),
with its threshold and C chosen by 5-fold cross-validation by document. See ``data/decide/README.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.data import Article, Entity
from marsad.learn.linear import LinearModel, fit, group_folds

MODEL_FILE = "data/decide/entity_model.npz"
KEEP = "keep"
DROP = "drop"
DEFAULT_C = 0.1
DEFAULT_THRESHOLD = 0.45
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
# thresholds whose cross-validated F1 is this close to the best one are a tie (0.0005 is about one entity of the
# 2,837 on train): the middle one of them is chosen, the choice that moves least when the folds' noise moves the peak
TIE_F1 = 0.0005

_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")


def _bucket(n: int, cuts: Sequence[int]) -> str:
    for c in cuts:
        if n <= c:
            return str(c)
    return f"{cuts[-1]}+"


@dataclass
class Context:
    """What the features read besides the entity: the article's tokenised units and the stage's word lists."""

    text: str
    units: Sequence[Any]  # marsad.entities.common._Unit
    is_common: Callable[[str], bool] = lambda w: False
    cluster: Callable[[str], str | None] = lambda w: None
    nisba: Mapping[str, str] = field(default_factory=dict)
    head_kind: Callable[[str], str | None] = lambda w: None


class _Locator:
    """Character span -> (unit, first token, end token) by binary search (an 80k-word article has thousands of
    units and mentions: a scan per mention would be quadratic)."""

    def __init__(self, units: Sequence[Any]) -> None:
        self.units = units
        self.order = sorted(range(len(units)), key=lambda i: units[i].start)
        self.starts = [units[i].start for i in self.order]
        self.tok_starts: dict[int, list[int]] = {}
        self.tok_ends: dict[int, list[int]] = {}

    def __call__(self, start: int, end: int) -> tuple[int, int, int]:
        """(unit index, first token, last token + 1) of a character span; (-1, 0, 0) when no unit holds it."""
        k = bisect_right(self.starts, start) - 1
        if k < 0:
            return -1, 0, 0
        ui = self.order[k]
        u = self.units[ui]
        if not start < u.end:
            return -1, 0, 0
        if ui not in self.tok_ends:
            self.tok_starts[ui] = [t.start for t in u.tokens]
            self.tok_ends[ui] = [t.end for t in u.tokens]
        t0 = bisect_right(self.tok_ends[ui], start)
        t1 = max(bisect_left(self.tok_starts[ui], end, lo=t0), t0 + 1)
        return ui, t0, min(t1, max(len(u.tokens), t0 + 1))


def entity_features(ctx: Context, entities: Sequence[Entity]) -> list[dict[str, float]]:
    """One feature set per entity (string features, value 1 unless said)."""
    locate = _Locator(ctx.units)
    n_ents = len(entities)
    by_type = Counter(e.type for e in entities)
    out: list[dict[str, float]] = []
    for e in entities:
        t = e.type
        f: dict[str, float] = {f"t={t}": 1.0}
        linked = bool(e.actor_id) and not str(e.actor_id).startswith("~")
        f[f"linked={int(linked)}|t={t}"] = 1.0
        if e.sector:
            f[f"sector={e.sector}|t={t}"] = 1.0
        attrs = e.attrs or {}
        if attrs.get("rule_drop"):
            f[f"rule_drop|t={t}"] = 1.0
        if attrs.get("metonym"):
            f["metonym"] = 1.0
        f[f"country={'yes' if e.country else 'no'}|t={t}"] = 1.0
        if attrs.get("country_from"):
            f[f"country_from={attrs['country_from']}|t={t}"] = 1.0
        srcs = sorted({str(m.attrs.get("source", "")) for m in e.mentions})
        for s in srcs:
            f[f"src={s}|t={t}"] = 1.0
            f[f"src={s}"] = 1.0
        f[f"srcs={'+'.join(srcs)}|t={t}"] = 1.0
        surfaces = [ctx.text[m.start : m.end] for m in e.mentions]
        f[f"nm={_bucket(len(e.mentions), (1, 2, 3, 5))}|t={t}"] = 1.0
        f[f"ns={_bucket(len(set(surfaces)), (1, 2, 3))}"] = 1.0
        f[f"share={_bucket(by_type[t], (1, 3, 6, 10))}|t={t}"] = 1.0
        f[f"nents={_bucket(n_ents, (5, 10, 20, 40))}"] = 1.0
        longest = max(surfaces, key=len) if surfaces else ""
        words = longest.split()
        f[f"len={_bucket(len(words), (1, 2, 3, 4))}|t={t}"] = 1.0
        if _LATIN.search(longest):
            f["latin"] = 1.0
        if _DIGIT.search(longest):
            f["digit"] = 1.0
        locs = [locate(m.start, m.end) for m in e.mentions]
        locs = [x for x in locs if x[0] >= 0]
        if not locs:
            out.append(f)
            continue
        first = min(x[0] for x in locs)
        in_title = any(ctx.units[x[0]].kind == "title" for x in locs)
        f[f"title={int(in_title)}|t={t}"] = 1.0
        f[f"first={_bucket(first, (0, 1, 3, 8))}|t={t}"] = 1.0
        # the longest mention's words, and the words around every mention
        ui, t0, t1 = max(locs, key=lambda x: x[2] - x[1])
        u = ctx.units[ui]
        norms = u.norms[t0:t1]
        if norms:
            w0, wl = norms[0], norms[-1]
            f[f"w0={w0}|t={t}"] = 1.0
            f[f"wl={wl}|t={t}"] = 1.0
            if w0.startswith("ال"):
                f[f"def0|t={t}"] = 1.0
            elif w0[:1] in "وفبلك" and w0[1:3] != "ال" and len(w0) > 3:
                f[f"clitic0|t={t}"] = 1.0
            if h0 := ctx.head_kind(w0):
                f[f"head0={h0}|t={t}"] = 1.0
            if w0.endswith("ه"):
                f[f"fem0|t={t}"] = 1.0
            common = sum(1 for w in norms if ctx.is_common(w))
            if common:
                f[f"common={'all' if common == len(norms) else 'some'}|t={t}"] = 1.0
            if wl in ctx.nisba:
                f[f"nisba_end|t={t}"] = 1.0
            for pos, k in (("0", t0), ("l", t1 - 1)):
                c = ctx.cluster(u.tokens[k].text)
                if c:
                    f[f"c{pos}={c}|t={t}"] = 1.0
        for ui, a, b in locs:
            u = ctx.units[ui]
            prev = u.norms[a - 1] if a > 0 else "<s>"
            nxt = u.norms[b] if b < len(u.norms) else "</s>"
            f[f"prev={prev}|t={t}"] = 1.0
            if a > 0 and (h := ctx.head_kind(prev)):
                f[f"prev_head={h}|t={t}"] = 1.0
            f[f"next={nxt}|t={t}"] = 1.0
            if prev in ("#", "_") or nxt == "_":
                f["hashtag"] = 1.0
            if nxt in ctx.nisba:
                f[f"next_nisba|t={t}"] = 1.0
        out.append(f)
    return out


@dataclass
class EntityModel:
    """The keep/drop model and its threshold (probability of :data:`KEEP`)."""

    model: LinearModel
    threshold: float = DEFAULT_THRESHOLD

    def probabilities(self, feats: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
        return self.model.proba_many(feats) if feats else []

    def keep_probabilities(self, feats: Sequence[Mapping[str, float]]) -> list[float]:
        if not feats:
            return []
        # the KEEP column of the probability matrix: the numbers of probabilities(), without a dict per entity
        return self.model.proba_matrix(feats)[:, self.model.classes.index(KEEP)].tolist()

    def save(self, path: str | Path) -> None:
        self.model.meta["threshold"] = self.threshold
        self.model.save(path)

    @classmethod
    def load(cls, path: str | Path) -> EntityModel:
        lin = LinearModel.load(path)
        return cls(lin, float(lin.meta.get("threshold", DEFAULT_THRESHOLD)))


def shipped_model() -> EntityModel | None:
    ref = resources.files("marsad.entities").joinpath(MODEL_FILE)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as p:
        return EntityModel.load(p)


# -- labels and training ---------------------------------------------------------------------------------------------
def coarse(typ: str) -> str:
    """The scorer's type classes: GPE and LOC are one (places)."""
    from marsad.gold.score import COARSE

    return COARSE.get(typ.upper(), "MISC")


def entity_labels(gold: Mapping[str, Any], article: Article) -> list[str | None]:
    """Per entity: KEEP when it matches a required gold entity of its type (the scorer's typed match), DROP when it
    matches none, None when it matches only optional ones (the scorer neither rewards nor punishes it)."""
    from marsad.gold.score import entity_links

    gents = gold.get("entities") or []
    optional = {g["id"] for g in gents if g.get("optional")}
    links = entity_links(gents, [e.to_dict(article.text) for e in article.entities], typed=True)
    out: list[str | None] = []
    for e in article.entities:
        hit = links.get(e.id, set())
        out.append(KEEP if hit - optional else (None if hit else DROP))
    return out


@dataclass
class Prepared:
    """One gold article's candidates: features, labels and the gold entities each one matches (for scoring)."""

    id: str
    feats: list[dict[str, float]]
    labels: list[str | None]
    links: list[set[str]]  # required or optional gold ids each candidate matches, typed
    required: set[str]
    optional: set[str]
    rule_drop: list[bool]


def prepare(gold: Mapping[str, Any], article: Article, ctx: Context) -> Prepared:
    """An article the entity stage ran over with ``propose`` on (every candidate, none decided yet)."""
    from marsad.gold.score import entity_links

    ents = list(article.entities)
    gents = gold.get("entities") or []
    links = entity_links(gents, [e.to_dict(article.text) for e in ents], typed=True)
    return Prepared(
        str(gold["id"]), entity_features(ctx, ents), entity_labels(gold, article),
        [links.get(e.id, set()) for e in ents],
        {g["id"] for g in gents if not g.get("optional")}, {g["id"] for g in gents if g.get("optional")},
        [bool((e.attrs or {}).get("rule_drop")) for e in ents],
    )  # fmt: skip


def entity_prf(docs: Sequence[Prepared], keep: Mapping[str, Sequence[bool]]) -> dict[str, float]:
    """Entity P/R/F1 of the kept candidates, counted as ``../shared/eval/score.py`` counts them (a candidate that
    matches only optional gold entities is not counted; a required gold entity is found once any kept candidate
    matches it)."""
    tp_p = n_pred = tp_r = n_gold = 0
    for d in docs:
        found: set[str] = set()
        for k, hit in zip(keep[d.id], d.links, strict=True):
            if not k:
                continue
            found |= hit
            n_pred += not (hit and hit <= d.optional)
            tp_p += bool(hit - d.optional)
        tp_r += len(d.required & found)
        n_gold += len(d.required)
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def rules_keep(docs: Sequence[Prepared]) -> dict[str, list[bool]]:
    """What the hand-written filter alone keeps (the stage without a model)."""
    return {d.id: [not x for x in d.rule_drop] for d in docs}


def fit_model(docs: Sequence[Prepared], *, c: float = DEFAULT_C, threshold: float = DEFAULT_THRESHOLD,
              **meta: Any) -> EntityModel:  # fmt: skip
    X = [f for d in docs for f, lab in zip(d.feats, d.labels, strict=True) if lab is not None]
    y = [lab for d in docs for lab in d.labels if lab is not None]
    info = {"documents": len(docs), "candidates": len(X), "kept": sum(lab == KEEP for lab in y), "c": c, **meta}
    return EntityModel(fit(X, y, c=c, meta=info), threshold)


def out_of_fold(docs: Sequence[Prepared], *, k: int = 5, c: float = DEFAULT_C) -> dict[str, list[float]]:
    """Every document's keep probabilities from a model trained on the other folds (folds by document)."""
    folds = group_folds([d.id for d in docs], k)
    out: dict[str, list[float]] = {}
    for held in folds:
        model = fit_model([d for d in docs if d.id not in held], c=c)
        for d in docs:
            if d.id in held:
                out[d.id] = model.keep_probabilities(d.feats)
    return out


@dataclass
class CVReport:
    c: float
    threshold: float
    rules: dict[str, float]  # the hand-written filter alone
    model: dict[str, float]  # out-of-fold decisions at the chosen threshold
    sweep: list[tuple[float, dict[str, float]]]


def cross_validate(docs: Sequence[Prepared], *, k: int = 5, c: float = DEFAULT_C,
                   thresholds: Sequence[float] = THRESHOLDS) -> CVReport:  # fmt: skip
    """K-fold CV by document; the threshold with the best out-of-fold entity F1 is the one to ship (of the
    thresholds tied with it within :data:`TIE_F1`, the middle one: the upper middle of an even number)."""
    probs = out_of_fold(docs, k=k, c=c)
    sweep = [(th, entity_prf(docs, {i: [p >= th for p in ps] for i, ps in probs.items()})) for th in thresholds]
    top = max(r["f1"] for _, r in sweep)
    tied = sorted((x for x in sweep if x[1]["f1"] >= top - TIE_F1), key=lambda x: x[0])
    best = tied[len(tied) // 2]
    return CVReport(c, best[0], entity_prf(docs, rules_keep(docs)), best[1], sweep)


def analyse(docs: Sequence[Any], *, progress: Callable[[str], None] = lambda _m: None,
            advance: Callable[[], None] | None = None, **options: Any) -> list[Prepared]:  # fmt: skip
    """Gold articles (:class:`marsad.gold.data.GoldDoc`) through the pipeline up to the entity stage, with every
    candidate proposed and none decided, described and labelled."""
    from marsad.data import Rejection
    from marsad.entities.common import article_units
    from marsad.stages import default_pipeline

    # no time limit: what is learned must not depend on the machine's load
    pipe = default_pipeline(upto="entities", time_limit=None, entity_model=False, entity_proposals=True,
                            **options).warm()  # fmt: skip
    stage = next(st for st in pipe.stages if st.name == "entities")
    out = []
    for d in docs:
        res = pipe.process(d.input_article())
        if isinstance(res, Rejection):
            progress(f"skipped {d.id}: {res.reason}")
        else:
            ctx = stage.decision_context(res.text, article_units(res))  # type: ignore[attr-defined]
            out.append(prepare(d.raw, res, ctx))
        if advance is not None:
            advance()
    return out


def train(docs: Sequence[Prepared], *, k: int = 5, c: float = DEFAULT_C,
          thresholds: Sequence[float] = THRESHOLDS, threshold: float | None = None) -> tuple[EntityModel, CVReport]:  # fmt: skip
    """Cross-validate (K folds by document) to choose the threshold, then fit the model on every article. A
    ``threshold`` given overrides the choice (a decision taken on other data, such as a dev set); the report then
    gives the out-of-fold figures at that threshold, and its sweep stays the whole one."""
    if threshold is not None and threshold not in thresholds:
        thresholds = tuple(sorted({*thresholds, threshold}))
    report = cross_validate(docs, k=k, c=c, thresholds=thresholds)
    if threshold is not None:
        report = replace(report, threshold=threshold, model=dict(report.sweep)[threshold])
    model = fit_model(docs, c=c, threshold=report.threshold, cv_folds=k, cv_rules=report.rules,
                      cv_model=report.model)  # fmt: skip
    return model, report
