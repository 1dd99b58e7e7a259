"""Training data for the event model from gold articles, and training (cross-validation lives in marsad.gold.learn).

Labels come from the gold's ``evidence`` (the substring stating each event) and its actors: a candidate pair in a
sentence that overlaps an event's evidence, whose actors link to that event's source and target (the scorer's
entity links), is labelled with the event's type; every other candidate is ``NONE``. Optional gold events are
labelled like required ones (they are real events; the scorer neither rewards nor punishes them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.data import Article
from marsad.events.candidates import Candidate
from marsad.events.model import EVENT, NONE, ContextProjection, EventModel
from marsad.gold.score import entity_links, plover
from marsad.learn.linear import fit

PLAIN_THRESHOLD = 0.09
CONTEXT_THRESHOLD = 0.13


@dataclass
class PreparedDoc:
    id: str
    gold: dict[str, Any]
    article: Article  # processed up to quotes (entities, quotes, dates)
    candidates: list[Candidate] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def evidence_spans(text: str, evidence: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if not evidence:
        return out
    i = text.find(evidence)
    while i >= 0:
        out.append((i, i + len(evidence)))
        i = text.find(evidence, i + 1)
    return out


def label_candidates(gold: Mapping[str, Any], article: Article, cands: Sequence[Candidate]) -> list[str]:
    sys_ents = [e.to_dict(article.text) for e in article.entities]
    links = entity_links(gold.get("entities") or [], sys_ents, typed=False)
    events = []
    for g in gold.get("events") or []:
        if not g.get("source") or not g.get("target"):
            continue  # an act with an unnamed party cannot be a pair of named actors
        spans = evidence_spans(str(gold["text"]), str(g.get("evidence") or ""))
        events.append((g, spans))
    labels = []
    for c in cands:
        src = set().union(*(links.get(i, set()) for i in c.source))
        tgt = set().union(*(links.get(i, set()) for i in c.target))
        lab = NONE
        for g, spans in events:
            if spans and not any(a < c.sent[1] and c.sent[0] < b for a, b in spans):
                continue
            direct = src & set(g["source"]) and tgt & set(g["target"])
            flipped = g.get("symmetric") and src & set(g["target"]) and tgt & set(g["source"])
            if direct or flipped:
                lab = plover(g["type"])
                if not g.get("optional"):
                    break
        labels.append(lab)
    return labels


def train(
    docs: Sequence[PreparedDoc], *, c_detect: float = 0.1, c_type: float = 0.3, threshold: float | None = None,
    hurdle: bool = False, context: bool = False, context_dim: int = 64, **meta: Any,
) -> EventModel:  # fmt: skip
    """One multinomial model over the categories and NONE (C = ``c_detect``), or with ``hurdle`` a detector and a
    typer (see :class:`EventModel`). C and the threshold were chosen by 5-fold CV on the train gold. With
    ``context`` (and candidates built with their contextual states) the model also reads the states of the source,
    the target and the sentence, cut to ``context_dim`` principal components of the training sentences' states."""
    cands = [cand for d in docs for cand in d.candidates]
    X = [cand.all_feats for cand in cands]
    proj = None
    if context and any(c.context is not None for c in cands):
        sentences = {id(c.context[0]): c.context[0] for c in cands if c.context is not None}
        proj = ContextProjection.fit(list(sentences.values()), dim=context_dim)
        names = proj.names()
        for x, row in zip(X, proj.matrix(cands).tolist(), strict=True):
            x.update(zip(names, row, strict=True))
    if threshold is None:
        # each recipe's threshold from the cross-validated sweep (`marsad eval gold --cv 5`): the contextual
        # states make the model surer of its events, and its best threshold higher
        threshold = CONTEXT_THRESHOLD if proj is not None else PLAIN_THRESHOLD
    y = [lab for d in docs for lab in d.labels]
    info = {"documents": len(docs), "candidates": len(X), "positives": sum(lab != NONE for lab in y), **meta}
    if not hurdle:
        return EventModel(fit(X, y, c=c_detect, meta=info), None, threshold=threshold, context=proj)
    detector = fit(X, [EVENT if lab != NONE else NONE for lab in y], c=c_detect, meta=info)
    pos = [(x, lab) for x, lab in zip(X, y, strict=True) if lab != NONE]
    typer = fit([x for x, _ in pos], [lab for _, lab in pos], c=c_type, meta=info)
    return EventModel(detector, typer, threshold=threshold, context=proj)
