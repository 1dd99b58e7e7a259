"""Stance between actors: who is cooperative or hostile towards whom, from the events.

Each event contributes its Goldstein-style intensity (−10 hostile … +10 cooperative) from source to target; negated
events and bare intentions count less (a denied attack is no attack; a hope is weaker than an act). A symmetric
event (a phone call) counts both ways. Actors are keyed by ``actor_id`` when the entity layer linked one, else by the
country, else by the entity name, so that stance aggregates across articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from marsad.data import Article, Event

_MODALITY_WEIGHT = {None: 1.0, "intend": 0.6, "hope": 0.5, "threaten": 0.8, "demand": 0.8}


@dataclass(frozen=True, slots=True)
class Stance:
    source: str
    target: str
    score: float  # mean weighted intensity, −10 … +10
    events: int
    cooperative: int  # events with quad class 1/2
    conflictual: int  # events with quad class 3/4

    @property
    def label(self) -> str:
        return "positive" if self.score > 0.5 else "negative" if self.score < -0.5 else "neutral"

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "score": round(self.score, 3), "events": self.events,
                "cooperative": self.cooperative, "conflictual": self.conflictual, "label": self.label}  # fmt: skip


def actor_key(article: Article, entity_id: str, *, level: str = "country") -> str:
    """Key of an actor for aggregation: ``level="country"`` folds people and bodies into their country (GDELT's
    dyad view: Wang Yi → CHN); ``level="actor"`` keeps the actor (registry id, else name)."""
    ent = article.entity(entity_id)
    if ent is None:
        return entity_id
    if level == "country" and ent.country:
        return ent.country
    return ent.actor_id or ent.name


def _weight(ev: Event) -> float:
    if ev.negated:
        return 0.0
    return _MODALITY_WEIGHT.get(ev.modality, 0.7)


def stance(articles: Iterable[Article], *, level: str = "country") -> list[Stance]:
    """Aggregate actor → actor stance over articles (one article works too)."""
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0, 0])
    for art in articles:
        for ev in art.events:
            w = _weight(ev)
            if w == 0.0 or ev.goldstein is None:
                continue
            pairs = [(s, t) for s in ev.source for t in ev.target]
            if ev.symmetric:
                pairs += [(t, s) for s, t in pairs]
            seen = set()
            for s, t in pairs:
                ks, kt = actor_key(art, s, level=level), actor_key(art, t, level=level)
                if ks == kt or (ks, kt) in seen:
                    continue
                seen.add((ks, kt))
                a = acc[(ks, kt)]
                a[0] += ev.goldstein * w
                a[1] += w
                a[2] += 1
                a[3] += ev.quad_class in (1, 2)
                a[4] += ev.quad_class in (3, 4)
    out = [
        Stance(s, t, v[0] / v[1] if v[1] else 0.0, int(v[2]), int(v[3]), int(v[4]))
        for (s, t), v in acc.items()
    ]
    return sorted(out, key=lambda x: (-x.events, x.source, x.target))


def article_stance(article: Article, *, level: str = "country") -> list[Stance]:
    return stance([article], level=level)
