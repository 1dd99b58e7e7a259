"""The ``geo`` stage: places resolved to GeoNames, events located. Runs after ``events`` and only reads what the
earlier stages wrote (entities' mentions, names and countries; events' evidence, source and target).

- every GPE/LOC entity with a place gets ``entity.attrs["geo"]`` = :meth:`Place.to_attrs` (geonameid, name,
  name_ar, feature class/code, country ISO3/FIPS, ADM1, lat/lon);
- every event gets ``event.attrs["location"]`` = the same keys + ``entity`` (the place entity's id, or None),
  ``how`` and ``evidence`` ([start, end] in ``text``), chosen in this order:

  1. ``sentence``: a place the event's clause (its evidence span) gives with في / ب (في مدينة حلب، بدمشق), the first
     one; when the evidence is a bare cue word, the nearest such place in its sentence. A place that is also an
     actor of the event counts after في only (ب + actor is its object: اتصل بروسيا);
  2. ``dateline``: the city the report is filed from (دمشق - ...);
  3. ``actor-country``: the country of the event's first source (else target) actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from marsad.data import Article, Entity, Event, Span
from marsad.geo.gazetteer import Gazetteer, Place, ar_key, load_gazetteer
from marsad.geo.resolve import Context, Resolver, heads_before
from marsad.intervals import IntervalIndex
from marsad.lang.ar.normalize import normalize

_PREP_BEFORE = re.compile(
    r"(?:^|\s)(?:في|فى|وفي|داخل|قرب|بالقرب من)\s+(?:(?:مدينة|محافظة|منطقة|بلدة|قرية|ولاية|إقليم|العاصمة)\s+)?$"
)


@dataclass
class GeoStage:
    name: str = "geo"
    requires: frozenset[str] = frozenset({"entities"})
    provides: frozenset[str] = frozenset({"geo"})
    _gaz: Gazetteer | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "requires": self.requires, "provides": self.provides, "_gaz": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = load_gazetteer()
        return self._gaz

    def warm(self) -> None:
        self.gaz.warm()

    def __call__(self, article: Article) -> Article:
        gaz = self.gaz
        resolver = Resolver(gaz)
        body = article.layer("body")
        ctx = Context.from_entities(
            article.text, article.entities, gaz, body_start=body[0].start if body else None
        )
        places: dict[str, Place] = {}
        entities: list[Entity] = []
        for ent in article.entities:
            if ent.type in ("GPE", "LOC") and ent.mentions:
                place = self._resolve(article, ent, resolver, ctx)
                if place is not None:
                    places[ent.id] = place
                    attrs = {**ent.attrs, "geo": place.to_attrs()}
                    sub = self._mention_places(article, ent, place, resolver, ctx) if place.is_country else []
                    if sub:
                        attrs["geo_mentions"] = sub
                    ent = replace(ent, attrs=attrs)
            entities.append(ent)
        ents_by_id = {e.id: e for e in entities}
        # by position: each event looks at the sentences and place mentions around it, not at all of them
        sents = IntervalIndex(article.layer("sentences"), _start, _end)
        mentions = IntervalIndex(
            [(eid, m) for eid in places for m in ents_by_id[eid].mentions], lambda x: x[1].start, lambda x: x[1].end
        )
        events = tuple(
            replace(ev, attrs={**ev.attrs, "location": loc})
            if (loc := self._locate(article, ev, places, ents_by_id, ctx, sents=sents, mentions=mentions))
            else ev
            for ev in article.events
        )  # fmt: skip
        return replace(article, entities=tuple(entities), events=events)

    def _resolve(self, article: Article, ent: Entity, resolver: Resolver, ctx: Context) -> Place | None:
        surfaces = [article.text[m.start : m.end] for m in ent.mentions]
        prev_words = [
            w for m in ent.mentions for w in heads_before(article.text[max(0, m.start - 120) : m.start].rsplit("\n", 1)[-1])
        ]
        name = ent.name if ent.name and ent.name.isascii() else None
        # an actor-registry country entity is that country (its id is its ISO3)
        if ent.is_country:
            c = resolver.gaz.country(ent.country)
            if c is not None:
                return c
        res = resolver.resolve(
            surfaces, ctx, country=ent.country, name=name, prev_words=prev_words, text=article.text
        )
        return res.place if res else None

    def _mention_places(
        self, article: Article, ent: Entity, place: Place, resolver: Resolver, ctx: Context
    ) -> list[dict[str, Any]]:
        """Mentions of a country entity that name a place inside it (its capital used for its government:
        لندن in an entity for the United Kingdom): ``[{"start", "end", **place attrs}]``."""
        out = []
        cache: dict[str, Place | None] = {}
        for m in ent.mentions:
            surface = article.text[m.start : m.end]
            if surface not in cache:
                res = resolver.resolve([surface], ctx, country=place.country_iso3)
                p = res.place if res is not None else None
                cache[surface] = (
                    p if p is not None and p.country_iso3 == place.country_iso3 and not p.is_country else None
                )
            p = cache[surface]
            if p is not None:
                out.append({"start": m.start, "end": m.end, **p.to_attrs()})
        return out

    def _locate(
        self,
        article: Article,
        ev: Event,
        places: dict[str, Place],
        ents: dict[str, Entity],
        ctx: Context,
        *,
        sents: IntervalIndex[Span] | None = None,
        mentions: IntervalIndex[tuple[str, Span]] | None = None,
    ) -> dict[str, Any] | None:
        actors = set(ev.source) | set(ev.target)
        if sents is None:
            sents = IntervalIndex(article.layer("sentences"), _start, _end)
        if mentions is None:
            mentions = IntervalIndex(
                [(eid, m) for eid in places for m in ents[eid].mentions], lambda x: x[1].start, lambda x: x[1].end
            )
        around = sents.overlapping(ev.evidence.start, ev.evidence.end)
        lo = min([s.start for s in around] + [ev.evidence.start])
        hi = max([s.end for s in around] + [ev.evidence.end])
        # a place inside the event's evidence (the clause that states it), the first one; around it in the same
        # sentence only when the evidence is a bare cue (اتهم، محادثات), which says nothing of the clause's extent
        short_cue = len(article.text[ev.evidence.start : ev.evidence.end].split()) <= 3
        best: tuple[int, str, Span] | None = None
        # the place mentions that can count lie in [lo, hi] (in the order of places, then of their mentions)
        for eid, m in mentions.within(lo, hi) if short_cue else mentions.within(ev.evidence.start, ev.evidence.end):
            place = places[eid]
            inside = ev.evidence.start <= m.start and m.end <= ev.evidence.end
            if not (inside or (short_cue and lo <= m.start and m.end <= hi)):
                continue
            left = article.text[max(0, m.start - 40) : m.start]
            surface = normalize(article.text[m.start : m.end])
            after_fi = bool(_PREP_BEFORE.search(left))
            # ب as a clitic: outside the mention span (ب|دمشق) or inside it (بدمشق) when the rest is the name and
            # the whole is not (بريطانيا is a name, not ب + ريطانيا)
            bi = left.endswith("ب") or (surface[:1] == "ب" and _is_clitic_b(surface, place))
            if after_fi or (bi and eid not in actors):
                rank = m.start if inside else 10**9 + min(abs(m.start - ev.evidence.start),
                                                          abs(m.start - ev.evidence.end))  # fmt: skip
                if best is None or rank < best[0]:
                    best = (rank, eid, m)
        if best is not None:
            _, eid, m = best
            place = places[eid]
            # the mention itself may name a more specific place than its entity (في القاهرة inside an entity
            # for Egypt's government): resolve the surface alone, keep it when it lies in the same country
            res = Resolver(self.gaz).resolve([article.text[m.start : m.end]], ctx, country=place.country_iso3)
            if res is not None and res.place.country_iso3 == place.country_iso3 and place.is_country:
                place = res.place
            return {**place.to_attrs(), "entity": eid, "how": "sentence", "evidence": [m.start, m.end]}
        if ctx.dateline is not None and ctx.dateline_span is not None:
            s, e = ctx.dateline_span
            dl_eid = next((i for i, p in places.items() if p.key == ctx.dateline.key), None)
            return {**ctx.dateline.to_attrs(), "entity": dl_eid, "how": "dateline", "evidence": [s, e]}
        for aid in (*ev.source, *ev.target):
            a = ents.get(aid)
            country = self.gaz.country(a.country) if a is not None else None
            if country is not None:
                c_eid = next((i for i, p in places.items() if p.key == country.key), None)
                return {**country.to_attrs(), "entity": c_eid, "how": "actor-country",
                        "evidence": [ev.evidence.start, ev.evidence.end]}  # fmt: skip
        return None


def _start(s: Span) -> int:
    return s.start


def _end(s: Span) -> int:
    return s.end


def _is_clitic_b(surface: str, place: Place) -> bool:
    keys = {ar_key(n) for n in place.ar_names}
    return ar_key(surface[1:]) in keys and ar_key(surface) not in keys


def build_stage(**options: Any) -> GeoStage:
    """The stage with its place index loaded now, when the pipeline is built: not inside the first document's time
    limit (a first-ever build of the index takes seconds). Executor workers load it again in ``warm``."""
    st = GeoStage()
    st.warm()
    return st
