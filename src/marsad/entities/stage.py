"""The ``entities`` stage: NER + actor registry → canonical entities, roles and a coreference layer.

Per article (title and body sentences only, never boilerplate):

1. tokens (:func:`marsad.lang.ar.tokenize.tokenize`) and NER tags (``marsad.entities.ner``; when the model is
   missing the stage runs on the registry alone and warns once);
2. registry matches: longest alias match over normalised tokens, with a leading clitic (و ف ب ل ك، لل) tried off;
3. NER spans and registry matches are merged (the registry gives identity, type, country and sector; NER finds
   names the registry does not know); capitals are government metonyms of their country unless used as a place
   (في لندن);
4. mentions cluster by actor id, or by a transliteration-aware key (:func:`marsad.entities.registry.name_key`) for
   new names, and a bare surname joins the full name seen earlier;
5. role phrases next to person names (:mod:`marsad.entities.roles`) give the role spans, country and sector;
6. coreference spans (layer ``coref``): surnames, titles (نظيره الروسي), groups (الجانبان، البلدين),
   من جانبه-style pronouns and descriptors (الحركة after حركة …, الأخير); a title only links to a person whose
   office is compatible.

Precision guards for person names: reporting verbs and common nouns (a corpus-derived list in the registry,
``Registry.common``) are trimmed off or reject the span (أوضحت ماي، سلاح كيماوي); a name ends before ل + an
organisation (فلان لسكاي نيوز); tanween never sits in a name; nobiliary particles and زاده never end one.
Recall: a known given name + an unknown surname after a title, verb, preposition, kinship noun or hashtag, or
before a reporting verb, is a person even where NER missed it (بيتر ماورر). Places: عمان is Amman or Oman by the
article's evidence; السعودية/سورية are the country where they cannot be adjectives; a capital used as its
government anywhere in the article is that government everywhere in it (one surface, one entity).

Rooms (each a mixin of :class:`EntityStage` or plain functions): this module holds the stage and its flow (the
tagger, the entity model, the order of the passes, pickling); :mod:`.matching` the registry matches;
:mod:`.ner_spans` the tagger's spans, their repair and their merge with the registry matches; :mod:`.patterns` the
names found by their structure (ministries, institutions, groups, places after a head or hashtag, facilities, name
shapes); :mod:`.passes` the passes over the merged mentions, per sentence and per article (datelines, ambiguous
places, surnames, sons in a nasab chain, bodies named after a town); :mod:`.resolve` the clustering of mentions and
the entities of the clusters, with their country; :mod:`.coref` the coreference layer; :mod:`.decide` the learned
keep/drop model; :mod:`.common` the units, mention records, word lists and helpers they all use.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from marsad.data import Article, Entity, Span
from marsad.entities import coref as coref_mod
from marsad.entities.common import _PARTICLES as _PARTICLES  # noqa: F401
from marsad.entities.common import (
    _all_given,
    _dedupe,
    _head_kind,
    _is_common,
    _Mention,
    _place_gazetteer,
    _Unit,
    _warned,
    article_units,
    roles_for,
)
from marsad.entities.common import _first_names as _first_names  # noqa: F401
from marsad.entities.common import _role_run as _role_run  # noqa: F401
from marsad.entities.lexicon import outlet_of
from marsad.entities.matching import RegistryMatching
from marsad.entities.ner import DEFAULT_BACKEND
from marsad.entities.ner_spans import NerSpans
from marsad.entities.ner_spans import _coordinated as _coordinated  # noqa: F401
from marsad.entities.ner_spans import _join_split_names as _join_split_names  # noqa: F401
from marsad.entities.passes import MentionPasses, _named_after_place
from marsad.entities.passes import _group_short_names as _group_short_names  # noqa: F401
from marsad.entities.patterns import NamePatterns
from marsad.entities.registry import Registry, load_registry
from marsad.entities.resolve import EntityResolution
from marsad.gcpause import cyclic_gc_paused

# (the ``x as x`` imports are re-exports: the tests import those names from this module, as before the rooms)

log = logging.getLogger(__name__)


@dataclass
class EntityStage(RegistryMatching, NerSpans, NamePatterns, MentionPasses, EntityResolution):
    """Stage ``entities``: requires sentences; provides ``entities`` and the layers ``coref``, ``roles`` and
    ``mentions`` (every mention span, labelled with its entity type, ``attrs={"entity": id}``, for highlighting)."""

    ner_backend: str = DEFAULT_BACKEND
    ner_model: str | None = None
    use_ner: bool = True
    name: str = "entities"
    requires: frozenset[str] = frozenset({"sentences"})
    provides: frozenset[str] = frozenset({"entities", "coref", "roles", "mentions"})
    registry: Registry = field(default_factory=load_registry)
    entity_model: Any = True  # True: the shipped keep/drop model; False: the rules alone; or an EntityModel
    propose: bool = False  # keep the candidates the rules would drop, marked attrs["rule_drop"] (for training)
    _tagger: Any = None
    _ner_tried: bool = False
    _model: Any = None
    _model_tried: bool = False
    # word -> whether a registry name or a country's nisba name can start at it (see _registry_matches), for the
    # registry it was computed with; at most _STARTS_MAX words
    _starts: tuple[Any, dict[str, bool]] = (None, {})

    # Executors ship stages to worker processes: send the options, not the loaded tagger and registry.
    def __getstate__(self) -> dict[str, Any]:
        return {"ner_backend": self.ner_backend, "ner_model": self.ner_model, "use_ner": self.use_ner,
                "entity_model": self.entity_model, "propose": self.propose}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    # -- NER ---------------------------------------------------------------------------------------------------
    def warm(self) -> None:
        """Load the tagger and the place index now (see :meth:`marsad.pipeline.Pipeline.warm`): the index takes
        seconds to build on a cold cache, which the first document's time limit must not pay."""
        self.tagger()
        self.decider()
        _place_gazetteer()

    def tagger(self) -> Any:
        if not self.use_ner:
            return None
        if self._ner_tried:
            return self._tagger
        # Marked tried only once the load has ended. Marking it first let a second thread (Ray actors run batches
        # concurrently) see "tried, no tagger" and tag nothing, and a DocumentTimeout (BaseException) raised in
        # the middle of the load switched NER off for good. Concurrent first calls need no lock here:
        # load_tagger loads each model once under its own lock and hands every caller the same tagger.
        try:
            from marsad.entities.ner import load_tagger

            self._tagger = load_tagger(backend=self.ner_backend, model=self.ner_model)
        except Exception as e:  # noqa: BLE001 — a missing/broken shipped model must not stop the pipeline
            if self.ner_backend != DEFAULT_BACKEND or self.ner_model:
                raise
            global _warned
            if not _warned:
                log.warning("NER model unavailable (%s); entities come from the actor registry only", e)
                _warned = True
            self._tagger = None
        self._ner_tried = True
        return self._tagger

    # -- the stage -----------------------------------------------------------------------------------------------
    def __call__(self, article: Article) -> Article:
        with cyclic_gc_paused():  # as in the quotes and events stages: full passes over a long article cost its square
            return self._call(article)

    def _call(self, article: Article) -> Article:
        text = article.text
        units = self._units(article)
        tags = self._ner(units)
        mentions: list[_Mention] = []
        seen: set[str] = set()  # countries of the mentions of the earlier units
        first_body = next((k for k, u in enumerate(units) if u.kind != "title"), -1)
        for ui, unit in enumerate(units):
            reg = self._registry_matches(ui, unit)
            ner = self._ner_spans(ui, unit, tags[ui]) if tags else []
            # the pattern rules read this unit's mentions (and the countries seen before it), not the whole
            # article's list: a scan of every mention per sentence made the stage quadratic (issue 20)
            here = self._merge(unit, reg, ner)
            self._quoted_outlets(unit, here)
            self._group_short_forms(unit, here, units)
            self._company_persons(unit, here)
            self._national_branches(ui, unit, here)
            here.extend(self._ministries(ui, unit, here))
            here.extend(self._institutions(ui, unit, here))
            here.extend(self._named_groups(ui, unit, here))
            here.extend(self._gazetteer_places(ui, unit, here, seen_before=seen))
            here.extend(self._locative_places(ui, unit, here, seen_before=seen))
            here.extend(self._word_countries(ui, unit, here))
            here.extend(self._conjoined_places(ui, unit, here, seen_before=seen))
            here.extend(self._public_bodies(ui, unit, here))
            here.extend(self._hashtag_names(ui, unit, here))
            here.extend(self._quoted_names(ui, unit, here))
            here.extend(self._headed_orgs(ui, unit, here))
            here.extend(self._mined_orgs(ui, unit, here))
            here.extend(self._facilities(ui, unit, here))
            here.extend(self._country_bodies(ui, unit, here))
            here.extend(self._name_shapes(ui, unit, here))
            # candidates only the entity model may keep, where no other rule found a name
            here.extend(self._headed_orgs(ui, unit, here, weak=True))
            here.extend(self._headed_adjective_bodies(ui, unit, here))
            here.extend(self._headed_unknown_names(ui, unit, here))
            self._royal_names(ui, unit, here)
            self._named_trophies(ui, unit, here)
            self._headed_names(ui, unit, here)
            self._body_tails(ui, unit, here)
            self._coordinated_tails(ui, unit, here)
            self._agency_tails(ui, unit, here)
            self._place_adjectives(ui, unit, here)
            self._place_prefixes(ui, unit, here)
            here.extend(self._dateline_place(ui, unit, here))
            if ui == first_body:
                here.extend(self._dateline_colon(ui, unit, here))
            # شارع فلانة، باب فلانة، سباق فلانة: a street, gate or race named after a place does not name the place
            here = [m for m in here if not _named_after_place(unit, m)]
            seen |= self._countries(here)
            mentions.extend(here)
        mentions = self._ambiguous_places(units, mentions)
        mentions.sort(key=lambda m: (m.start, -m.end))
        mentions = _dedupe(mentions)
        # one surface, one entity: a capital that acts for its government anywhere in the article (موسكو ترد) is
        # that government everywhere in it, so that "في موسكو" does not make a second actor of the same word
        metonyms = {m.place_id: m.actor_id for m in mentions if m.metonym and m.place_id}
        for m in mentions:
            if m.actor_id in metonyms and not m.metonym:
                m.place_id, m.actor_id, m.metonym = m.actor_id, metonyms[m.actor_id], True
        mentions = self._nasab_sons(units, mentions)
        mentions = self._surnames(units, mentions)
        mentions = self._bare_head_names(units, mentions)
        mentions = self._bodies_named_after(units, mentions)
        role_spans = [
            roles_for(self.registry, units[m.unit], m) if m.type == "PER" else None for m in mentions
        ]
        clusters = self._cluster(mentions)
        outlet = outlet_of(article.source, article.url)
        decider = self.decider()
        entities, mention_entity, kept = self._entities(
            text, units, mentions, clusters, role_spans, article.published,
            home=outlet.country if outlet and outlet.local else None, propose=self.propose or decider is not None,
        )
        if outlet and outlet.actor:
            # the article's own outlet (a BBC credit in a BBC article) is its source, not one of its actors: the
            # article's record names it already, and it must not rank as a top actor of everything it published
            own = {e.id for e in entities if e.actor_id == outlet.actor}
            entities = [e for e in entities if e.id not in own]
            kept = {i for i in kept if mention_entity[i] not in own}
        if decider is not None:
            entities = self._decide(decider, text, units, entities)
            ids = {e.id for e in entities}
            kept = {i for i in kept if mention_entity[i] in ids}
        mentions = [m for i, m in enumerate(mentions) if i in kept]
        mention_entity = {j: mention_entity[i] for j, i in enumerate(sorted(kept))}
        coref = coref_mod.resolve(text, units, mentions, mention_entity, entities, self.registry)
        coref += [
            Span(m.start, m.end, "coref", {"entity": [mention_entity[i]], "kind": "surname"})
            for i, m in enumerate(mentions)
            if m.source == "surname"
        ]
        coref.sort(key=lambda s: (s.start, s.end))
        roles_layer = sorted(
            {(r.start, r.end): r for e in entities for r in e.roles}.values(), key=lambda s: s.start
        )
        mentions_layer = sorted(
            (Span(m.start, m.end, e.type, {"entity": e.id}) for e in entities for m in e.mentions),
            key=lambda s: (s.start, s.end),
        )
        return article.evolve(entities=tuple(entities)).with_layers(
            coref=coref, roles=roles_layer, mentions=mentions_layer
        )

    # -- the learned keep/drop decision (marsad.entities.decide) ------------------------------------------------
    def decider(self) -> Any:
        """The entity model: the shipped one when ``entity_model`` is True (None when the package has none),
        none when False, else the :class:`~marsad.entities.decide.EntityModel` given. Without a tagger (registry
        only) the rules decide: the model learned from what the tagger proposes."""
        if self.tagger() is None:
            return None
        if self.entity_model is True:
            if self._model_tried:
                return self._model
            from marsad.entities.decide import shipped_model

            self._model, self._model_tried = shipped_model(), True
            return self._model
        return self.entity_model or None

    def decision_context(self, text: str, units: list[_Unit]) -> Any:
        from marsad.entities.decide import Context

        names = _all_given()
        reg = self.registry
        tagger = self.tagger()
        clusters = getattr(getattr(tagger, "resources", None), "clusters", None) or {}

        def cluster(w: str) -> str | None:
            c = clusters.get(w)
            return c[1] if c and len(c) > 1 else None

        return Context(text, units, lambda w: _is_common(reg, w, names), cluster, reg.nisba, _head_kind)

    def _decide(self, decider: Any, text: str, units: list[_Unit], entities: list[Entity]) -> list[Entity]:
        """Keep the proposed entities the model finds likely enough; each kept one records its probability."""
        from marsad.entities.decide import entity_features

        if not entities:
            return entities
        probs = decider.keep_probabilities(entity_features(self.decision_context(text, units), entities))
        out = []
        for e, p in zip(entities, probs, strict=True):
            if p >= decider.threshold:
                attrs = {k: v for k, v in e.attrs.items() if k != "rule_drop"}
                attrs["p_keep"] = round(p, 3)
                out.append(replace(e, attrs=attrs))
        return out

    def _units(self, article: Article) -> list[_Unit]:
        return article_units(article)


def build_stage(**options: Any) -> EntityStage:
    """Factory used by :mod:`marsad.stages` (options: ``ner_backend``, ``ner_model``, ``use_ner``,
    ``entity_model`` (True: the shipped keep/drop model, False: the rules alone, or an EntityModel) and
    ``entity_proposals`` (keep the rules' dropped candidates, marked, for training))."""
    backend = options.get("ner_backend") or DEFAULT_BACKEND
    model = options.get("ner_model")
    st = EntityStage(ner_backend=backend, ner_model=model, use_ner=options.get("use_ner", True),
                     entity_model=options.get("entity_model", True), propose=options.get("entity_proposals", False))
    if backend != DEFAULT_BACKEND or model:
        st.tagger()  # a model the user named must load now, with its error, not silently later
    return st

