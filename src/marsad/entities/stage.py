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

Rooms: this module holds the flow (NER spans, merging); :mod:`.matching` the registry matches; :mod:`.patterns`
the names found by their structure (ministries, institutions, groups, places after a head or hashtag, facilities,
name shapes); :mod:`.passes` the passes over the merged mentions, per sentence and per article (datelines,
ambiguous places, surnames, sons in a nasab chain, bodies named after a town); :mod:`.resolve` the clustering of mentions and the entities of the
clusters, with their country; :mod:`.common` the units, mention records, word lists and helpers they all use.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from marsad.data import Article, Entity, Span, replace_lone_surrogates
from marsad.entities import coref as coref_mod
from marsad.entities import roles as roles_mod
from marsad.entities.common import (
    _ARTICLE_CLITIC,
    _IDIOMS,
    _JOINERS,
    _LED_BY,
    _PARTICLES,
    _VERBS,
    _all_given,
    _arab_given,
    _clitic_variants,
    _dedupe,
    _extend_nasab,
    _first_names,
    _head_kind,
    _is_common,
    _is_stop,
    _is_title_word,
    _Mention,
    _place_gazetteer,
    _place_heads,
    _skip_clitic,
    _Unit,
    _warned,
    article_units,
    roles_for,
)
from marsad.entities.common import _role_run as _role_run  # noqa: F401
from marsad.entities.lexicon import load_words, outlet_of
from marsad.entities.matching import RegistryMatching
from marsad.entities.ner import DEFAULT_BACKEND
from marsad.entities.passes import MentionPasses, _named_after_place
from marsad.entities.passes import _group_short_names as _group_short_names  # noqa: F401
from marsad.entities.patterns import _QUOTED_HEADS, NamePatterns
from marsad.entities.registry import Registry, load_registry, name_key
from marsad.entities.resolve import EntityResolution
from marsad.gcpause import cyclic_gc_paused
from marsad.lang.ar.dates import month_words
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

log = logging.getLogger(__name__)

_TRAILING_HEADS = frozenset({"ريف", "محافظه", "مدينه", "منطقه", "مديريه", "ولايه", "قريه", "بلده", "اقليم", "ناحيه"})
_POINTS = frozenset({"شرق", "غرب", "شمال", "جنوب", "وسط"})  # بشمال البلاد: a direction opens the next place
_CURRENCY = re.compile(r"^[بل]?(?:ريال|دينار|درهم|جنيه|ليره|دولار|يورو|روبل|يوان|تومان|روبيه)(?:ات)?$")
_DEFINITE = ("ال", "لل", "وال", "بال", "فال", "كال", "وبال", "وللل", "ولل")
_NUMBER_WORDS = frozenset({"الف", "الاف", "مليون", "ملايين", "مليار", "مليارات", "ميه", "مييه"})
# words that end a person's name: a time preposition (فلان عقب دخوله، إثر …) or what introduces a by-name
# (فلان المكنى "أبو فلان"، الملقب بـ …)
_NAME_ENDERS = frozenset({"عقب", "اثر", "المكني", "الملقب", "الملقبه", "المدعو", "المكناه"})
_RELATIONAL_PARTICIPLES = frozenset(normalize(w) for w in (
    "المؤيد", "المؤيدة", "الموالي", "الموالية", "المتفرع", "المتفرعة", "المدعوم", "المدعومة", "المقرب", "المقربة",
    "التابع", "التابعة", "المنبثق", "المنبثقة"))
_KUNYA = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ام", "ال", "عبد"})
_ORDINALS = frozenset({"اول", "ثان"})  # (ثاني is also a given name)


@lru_cache(maxsize=1)
def _past_verbs() -> frozenset[str]:
    """Verbs of the news (``lexicons/verbs_after_qad.txt``: the words written right after قد)."""
    return load_words("verbs_after_qad.txt")


@lru_cache(maxsize=1)
def _given_common() -> frozenset[str]:
    """Given names that are common words too (إيمان، منال): read as names after و before a tagged surname only."""
    return load_words("given_common_words.txt")


@dataclass
class EntityStage(RegistryMatching, NamePatterns, MentionPasses, EntityResolution):
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
            self._group_short_forms(unit, here)
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

    def _ner(self, units: list[_Unit]) -> list[list[str]]:
        tagger = self.tagger()
        if tagger is None or not units:
            return []
        # Hashtags and underscores (#سيرغي_سكريبال) are not in the tagger's training text: tag the words alone
        # and give a joiner the label of the name it sits inside.
        keep = [[k for k, t in enumerate(u.tokens) if t.text not in _JOINERS] for u in units]
        # crfsuite cannot take lone surrogates (SystemError); U+FFFD keeps token count and positions
        tagged = tagger.tag([[replace_lone_surrogates(u.tokens[k].text)[0] for k in ks]
                             for u, ks in zip(units, keep, strict=True)])
        out = []
        for u, ks, labs in zip(units, keep, tagged, strict=True):
            full = ["O"] * len(u.tokens)
            for k, lab in zip(ks, labs, strict=True):
                full[k] = lab
            for k, t in enumerate(u.tokens):
                if t.text in _JOINERS and 0 < k < len(full) - 1 and full[k - 1] != "O":
                    nxt = full[k + 1]
                    if nxt == "I-" + full[k - 1][2:]:
                        full[k] = nxt
            out.append(full)
        return out

    # -- NER spans -----------------------------------------------------------------------------------------------
    def _ner_spans(self, ui: int, unit: _Unit, labels: list[str]) -> list[_Mention]:
        out: list[_Mention] = []
        labels = _join_split_names(unit, labels, self.registry)
        i = 0
        n = len(labels)
        while i < n:
            lab = labels[i]
            if not lab.startswith("B-") and not lab.startswith("I-"):
                i += 1
                continue
            typ = lab[2:]
            j = i + 1
            while j < n and labels[j] == f"I-{typ}":
                j += 1
            for a, b in _coordinated(unit, i, j) if typ == "PER" else ((i, j),):
                m = self._ner_mention(ui, unit, a, b, typ)
                if m is not None:
                    if a > i and m.tok0 == a and m.alt_key:  # the name after the conjunction: without و
                        m.start, m.key = m.alt_start, m.alt_key
                    out.append(m)
            i = j
        return out


    def _no_name(self, w: str) -> bool:
        """One word the tagger took for an organisation, place or event that names none: a letter of a spelled-out
        name (بي، سي), a bare head noun (الوزارة، منظمة: the body named before), a month (نيسان), or a people
        (الفلسطينيون، الشيعة: demonyms and sects, which the annotation counts as no names)."""
        if len(w) <= 2 or w in _PEOPLES:
            return True
        for v, _ in _clitic_variants(w):
            if v in _PEOPLES or v in month_words() or (
                _head_kind(v) == "ORG" and v.removeprefix("ال") in _org_head_words()
            ):
                return True
            stem = v.removeprefix("ال")
            for suf in ("يون", "يين"):
                if v.startswith("ال") and stem.endswith(suf) and (stem[: -len(suf)] + "ي") in self.registry.nisba:
                    return True
        return False

    def _ner_mention(self, ui: int, unit: _Unit, i: int, j: int, typ: str) -> _Mention | None:
        toks, norms = unit.tokens, unit.norms
        i_tag = i
        # trim punctuation, stop words and (for people) leading title words
        given = _all_given()
        while i < j and (
            _is_stop(toks[i])
            or (
                typ == "PER"
                # an Arabic given name that is also a nisba (تركي) opens the name the tagger found
                and (_is_title_word(norms[i], self.registry) and not (norms[i] in given and j - i >= 2)
                     or norms[i] in _VERBS
                     # رقيب أول، ملازم ثان: the rank's ordinal (no name starts with one)
                     or (norms[i] in _ORDINALS and j - i >= 2))
            )
            or (typ != "PER" and j - i > 1 and roles_mod.head_sector(norms[i]) not in (None, "MIL"))
            or (j - i > 1 and norms[i] in _LED_BY)
        ):
            i += (
                1  # a person's title before a place or organisation (مندوبة الولايات المتحدة) is not its name
            )
        j_tag = j
        while j > i and (
            _is_stop(toks[j - 1]) or (typ == "PER" and _is_title_word(norms[j - 1], self.registry))
        ):
            j -= 1
        if (
            typ == "PER"
            and j == j_tag - 1
            and 1 <= j - i <= 3
            and norms[j].startswith("ال")
            and norms[j] not in roles_mod.MODIFIERS
            and not _is_stop(toks[j])
            and not _is_title_word(norms[j - 1], self.registry)
            and not _is_common(self.registry, norms[j - 1], _all_given())
            # … السفير الأميركي: a title with its own adjective after it opens a phrase about someone else
            # (a title after و starts the next person: فلان الشاعر ووزير …)
            and not (j + 1 < len(norms) and _is_title_word(norms[j + 1], self.registry) and norms[j + 1][:1] != "و")
        ):
            # فلان الشيخ، فلانة الشاعر، فلان التركي: a definite title or nisba right after a name word, inside the
            # tagger's person span, is the family name (Arab surnames are often such words); titles and
            # nationalities come before a name, not after it (a name of four words or more has its family name)
            j += 1
        # a place head with a preposition after a name opens the next place (قرية السلام | بريف حمص، الحديدة
        # | بمحافظة …): the name ends before it
        while j - i > 1 and typ != "PER" and norms[j - 1][:1] in "بلو" and norms[j - 1][1:] in _TRAILING_HEADS | _POINTS:
            j -= 1
        # Egyptian spelling writes the preposition على as علي: "عبدالعاطي علي الفور" is not a name ending in Ali
        if (
            typ == "PER"
            and j - i >= 2
            and toks[j - 1].text == "علي"
            and j < len(norms)
            and (
                norms[j].startswith("ال")
                or norms[j] in self.registry.common
                # after a full name, علي + a word that is no name is the preposition (… عبد الله علي أهمية)
                or (j - i >= 3 and toks[j].kind == "word" and norms[j] not in _first_names())
            )
        ):
            j -= 1
        if typ == "PER":
            j = next((k for k in range(i + 1, j) if norms[k].startswith("لل") or norms[k] in _NAME_ENDERS), j)
            # a verb at either edge of the tagger's person span (فلان الفلاني احتجز، وأرسل فلان): the words right
            # after قد in the news; the name ends (or starts) beside it
            verbs = _past_verbs()
            while (j - i >= 2 and norms[j - 1] in verbs and norms[j - 1] not in given
                   and norms[j - 2] not in _KUNYA):  # (فلان بن أبي نال: after بن / أبي a name, whatever it means)
                j -= 1
            while j - i >= 2 and norms[i][:1] == "و" and norms[i][1:] in verbs and norms[i] not in given:
                i += 1
            # a name followed by ل + an organisation or place (فلان لسكاي نيوز): the name ends before it
            j = next((k for k in range(i + 1, j) if self._starts_alias_after_lam(unit, k)), j)
            # reporting verbs and common nouns around a name are not part of it (أوضحت ماي، سلاح كيماوي)
            names = given
            # the given name the tagger left out, right before the span, vouches for a surname that is also a
            # common word (فلان بدوي، فلان كامل); the left extension below takes it in
            vouched = (
                i > 0 and toks[i - 1].kind == "word" and norms[i - 1] in given
                and norms[i - 1] not in _VERBS and not _is_stop(toks[i - 1])
                and not _is_common(self.registry, norms[i - 1], frozenset())
            )  # fmt: skip
            while (
                i < j
                and _is_common(self.registry, norms[i], names)
                and not (
                    i + 1 < j and norms[i + 1] in names  # طاهر محمود: a given name and the father's name
                )
                and not self._introduced_name(unit, i, j, i_tag)
                and not (vouched and i == i_tag and norms[i] not in _VERBS)
            ):
                i += 1
            # tanween (ً ٌ ٍ) marks an indefinite common word (توتراً): names never carry it
            while j > i and any(c in toks[j - 1].text for c in "\u064b\u064c\u064d"):
                j -= 1
            if i >= j:
                return None
            n_common = sum(_is_common(self.registry, norms[k], names) for k in range(i, j))
            if (n_common and 2 * n_common > j - i and not any(norms[k] in names for k in range(i, j))
                    and not (vouched and i == i_tag)):
                # mostly common words and no given name (باستخدام سلاح كيماوي): a phrase, not a person; surnames
                # that are adjectives (عباس كامل) stay, their given name vouches for them
                return None
            j = _extend_nasab(unit, j)
            # a name cut after a nobiliary particle (فلان فان دير | فلان): the particle needs its name
            while (
                j < len(norms)
                and norms[j - 1] in _PARTICLES
                and toks[j].kind == "word"
                and not _is_stop(toks[j])
            ):
                j += 1
            # Persian compound surnames written apart: فخري زاده، علي زاده
            if j < len(norms) and norms[j] == "زاده":
                j += 1
            elif (j + 1 < len(norms) and norms[j + 1] == "زاده" and toks[j].kind == "word" and not _is_stop(toks[j])
                  and toks[j + 1].start - toks[j].end == 1):
                j += 2  # فلان | رحيم زاده: the compound's first word was left out with it
            # the tagger sometimes leaves the given name out (ألكسندر ياكوفينكو → ياكوفينكو); an Arabic given
            # name of the lexicon will do when it is no common word too (فلان بدوي, not أمل فلان)
            names = _first_names()
            while (
                i > 0
                and j - i < 4
                and toks[i - 1].kind == "word"
                and (norms[i - 1] in names
                     or (norms[i - 1] in given and not _is_common(self.registry, norms[i - 1], frozenset())))
                and not _is_stop(toks[i - 1])
                and norms[i - 1] not in _VERBS
                # سامر ورنا: a name after the conjunction is a second person, not the first one's surname
                # (a foreign surname may begin with وال: والاس، والتون)
                and not (norms[i][:1] == "و" and norms[i][1:3] != "ال" and norms[i] not in names)
            ):
                i -= 1
            # فلانة الفلاني وإيمان الفلانية: the tagger's surname after و + a given name is the second person of a
            # list; the given name (the conjunction left out by the key below) is hers. Only the one word: the
            # و opens the name
            if (
                0 < i
                and j - i <= 2
                and toks[i - 1].kind == "word"
                and norms[i - 1][:1] == "و"
                and (norms[i - 1][1:] in _arab_given() or norms[i - 1][1:] in _given_common())
                and norms[i - 1] not in given
                and toks[i - 1].text[1:] != "على"  # وعلى: the preposition in Egyptian spelling
                and norms[i][:1] != "و"
                and not _is_common(self.registry, norms[i], given)
                and not _is_title_word(norms[i], self.registry)
            ):
                i -= 1
            # فتح الله غولن، ولي الله سيف: a name that starts with الله lost the word before it
            if (0 < i < j and norms[i] == "الله" and toks[i - 1].kind == "word" and not _is_stop(toks[i - 1])
                    and norms[i - 1] not in _VERBS and not roles_mod.head_sector(norms[i - 1])):
                i -= 1
        if (typ == "ORG" and j - i >= 2 and any(v == "قوات" for v, _ in _clitic_variants(norms[i]))
                and (_head_kind(norms[i + 1]) == "ORG" or tuple(norms[i + 1 : j]) in self.registry.aliases)):
            i += 1  # قوات ألوية فلان: the forces are the named body's own, the name is the body's
        if typ != "PER" and j - i >= 2:
            # حزب فلان الموالي للحكومة، شركة فلان المتفرعة عن …: a participle that takes a complement describes the
            # body; its name ends before it
            j = next((k for k in range(i + 1, j) if norms[k] in _RELATIONAL_PARTICIPLES), j)
        if typ == "ORG" and j - i >= 2:
            # المنظمة فلان الفلاني: a person named right after a body is not part of its name
            names = _first_names()
            j = next((k for k in range(i + 1, j - 1)
                      if (norms[k] in names and not norms[k].startswith("ال") and norms[k] not in ("ابو", "ام", "ابن", "بن"))
                      # … العلماء الشيخ فلان (but جامعة الملك فلان is named after him)
                      or (k >= i + 2 and _is_title_word(norms[k], self.registry) and norms[k + 1] in names)), j)
            # الاتحاد تحضيراته، الشرطة تقارير: after a definite name, an indefinite common word goes on the sentence
            while (j - i >= 2 and norms[i].startswith("ال") and not norms[j - 1].startswith(("ال", "لل"))
                   and (_is_common(self.registry, norms[j - 1], frozenset()) or norms[j - 1].endswith(("ه", "ها", "هم")))):
                j -= 1
        # بطولة كأس فلان، بطولة دوري فلان: the tournament's name starts at its cup or league
        if (typ != "PER" and j - i >= 3 and norms[i].removeprefix("ال") == "بطوله"
                and norms[i + 1].removeprefix("ال") in ("كاس", "دوري")):
            i += 1
        # tanween (ً ٌ ٍ) marks an indefinite common word (سكنياً، ساحليةً): no name ends with one
        while typ != "PER" and j > i and any(c in toks[j - 1].text for c in "\u064b\u064c\u064d"):
            j -= 1
        if i >= j:
            return None
        # a foreign name and the adjective of its country (مدينة فلانة الكندية، شركة فلان الألمانية): the
        # adjective says where it is (the place's country reads it), it is not part of the name; a head noun's
        # adjective is (وكالة الأنباء السعودية), and so is one after a definite name (الجيش اللبناني)
        while (
            typ != "PER"
            and j - i >= 2
            and norms[j - 1] in self.registry.nisba
            and not any(norms[k].startswith(_DEFINITE) for k in range(i, j - 1))
            and not _head_kind(norms[i])
            and not roles_mod.head_sector(norms[i])
        ):
            j -= 1
        if _CURRENCY.match(norms[i]) and (
            (i > 0 and (toks[i - 1].kind == "num" or norms[i - 1] in _NUMBER_WORDS))
            or (j < len(norms) and j - i == 1 and (norms[j] in self.registry.nisba or norms[j] == "واحد"))
        ):
            return None  # 300 ريال، بريال واحد، ريال قطري: money, not Real Madrid
        if j - i == 1 and (len(norms[i]) < 2 or toks[i].kind == "num"):
            return None
        if j - i == 1 and typ != "PER" and self._no_name(norms[i]):
            return None
        if j - i == 1 and j < len(norms) and (norms[i], norms[j]) in _IDIOMS:
            return None  # مسقط رأس: a birthplace, not Muscat
        if typ == "LOC" and j - i == 1 and 1 not in self.registry.first_lengths.get(norms[i], ()):
            # a lone common noun tagged as a place (بمدينة، ريف، شبه، الجسر): a word, not a name
            bare = {v.removeprefix("ال") for v, _ in _clitic_variants(norms[i])}
            common, heads = self.registry.common, _place_heads()  # (tested apart: their union is a large new set)
            if any(b in common or b in heads for b in bare):
                return None
        if typ == "PER" and all(len(norms[k]) <= 2 for k in range(i, j)):
            return None  # "بي سي": letters spelled out are initials of an organisation, not a person
        if all(
            roles_mod.head_sector(norms[k])
            or roles_mod.is_modifier(norms[k])
            or norms[k] in self.registry.nisba
            for k in range(i, j)
        ):
            return None
        # NER spans keep a leading و/ب/ل/ك/ف (وانغ and كوفيد start with one); the clitic-free key is kept aside and
        # used when it meets a name seen elsewhere
        pre, stem = strip_clitics(norms[i], min_stem=2)
        key = name_key(" ".join(norms[i:j]))
        t = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}.get(typ, "MISC")
        if j - i >= 2 and t in ("MISC", "ORG", "LOC"):
            # the head noun says what a name is (المسجد الأقصى is a place, الخوذ البيضاء's head is no help)
            kind = _head_kind(norms[i])
            t = {"ORG": "ORG", "PLACE": "LOC"}.get(kind or "", t) if t == "MISC" or kind == "PLACE" else t
        if t in ("PER", "MISC") and i > 0:
            # ولاية فلانة، محافظة فلان، بلدة "فلان بيتش": a name right after an indefinite place head is a place,
            # whatever the tagger made of a foreign word (a place named after a person starts with a title or a
            # given name: مدينة الملك فلان)
            h = i - 1 if toks[i - 1].text not in _QUOTES or i < 2 else i - 2
            if (_head_kind(norms[h]) == "PLACE" and not norms[h].startswith("ال") and toks[h].kind == "word"
                    and norms[i] not in _all_given() and not _is_title_word(norms[i], self.registry)
                    and not norms[i].startswith("ال")):  # (منطقة اليورو، ملعب الغولف: a common noun after the head)
                t = "LOC"
        if t != "ORG" and i > 1 and toks[i - 1].text in _QUOTES and (j >= len(toks) or toks[j].text in _QUOTES):
            # شركة "فلان"، حزب «فلان»، مركز "فلان": a quoted name right after an organisation's head is that
            # organisation, whatever the tagger made of its foreign words
            if any(v in _QUOTED_HEADS for v, _ in _clitic_variants(norms[i - 2])):
                t = "ORG"
        m = _Mention(toks[i].start, toks[j - 1].end, ui, i, j, t, None, key, source="ner")
        art = _ARTICLE_CLITIC.match(norms[i])
        if (
            art
            and norms[i][len(art.group(1)) :].removeprefix("ال").removeprefix("ل") not in self.registry.common
        ):
            art = None  # only where the word after the article is a known noun (والأكراد); للوبن is ل + لوبن
        if art:
            # و/ف/ب/ك/ل before the article (والأكراد، للسعودية) is always a clitic: key and span without it
            stem_art = ("ال" if art.group(1).endswith("لل") else "") + norms[i][art.end(1) :]
            m.key = name_key(" ".join([stem_art] + norms[i + 1 : j]))
            if art.group(1).endswith("لل"):
                # the span cannot drop ل alone (لسعودية): keep the word, name it with its article restored
                cut = len(art.group(1)) - 2
                raw = toks[i].text
                k0 = _skip_clitic(toks[i], len(art.group(1))) - toks[i].start
                m.name_en = " ".join(["ال" + raw[k0:]] + [t.text for t in toks[i + 1 : j]])
            else:
                cut = len(art.group(1))
            m.start = _skip_clitic(toks[i], cut)
            pre = ""
        m.tail = norms[j - 1]
        if (
            t == "PER"
            and pre != norms[i][:1]
            and norms[i][:1] in "وف"
            and norms[i][1:] in _first_names()
            and norms[i] not in _first_names()
        ):
            pre, stem = norms[i][:1], norms[i][1:]  # ولويس إنريكي: و + لويس (the clitic splitter reads ول + ويس)
        if pre and norms[i].endswith(stem):
            m.alt_key = name_key(" ".join([stem] + norms[i + 1 : j]))
            m.alt_start = _skip_clitic(toks[i], len(pre))
            given_stem = stem in _first_names() or (pre == "و" and (stem in _arab_given() or stem in _given_common()))
            if t == "PER" and len(pre) == 1 and given_stem and norms[i] not in given:
                # وعبدالله الشمري، ومجدي الفلاني: the conjunction is not part of the name
                m.key, m.start = m.alt_key, m.alt_start
        if t == "PER":
            for k in (key, m.alt_key):
                aid = self.registry.person_keys.get(k) if k and " " in k else None
                if aid:
                    m.actor_id, m.source = aid, "registry-key"
                    if k == m.alt_key:
                        m.start = m.alt_start
                    break
        return m

    def _introduced_name(self, unit: _Unit, i: int, j: int, i_tag: int) -> bool:
        """The tagger's person span opens on a word that is also a common noun (إيمان، منال، سلام: faith,
        attainment, peace) right after what introduces a person: a title, a nationality, a reporting verb or a comma
        (الناشطة فلانة …، قال فلان …، البرازيلي فلان …). Then that word is the given name, not a noun before the name
        (تصريحات فلان, زيارة فلان have no such word before them)."""
        toks, norms = unit.tokens, unit.norms
        if i != i_tag or j - i < 2 or i == 0:
            return False
        w, nxt, prev = norms[i], norms[i + 1], norms[i - 1]
        if w in _VERBS or w.startswith("ال") or w[:1] == "و" or _is_title_word(w, self.registry):
            return False
        if _is_common(self.registry, nxt, _all_given()) or _is_title_word(nxt, self.registry) or _is_stop(toks[i + 1]):
            return False
        # (a plural people before it is a verb's subject: الفلانيون يستغلون …)
        if toks[i - 1].text in ("،", ","):
            return True
        # والفرنسي فلان: the title or nationality may carry the conjunction
        return any(_is_title_word(v, self.registry) and not v.endswith(("ون", "يين"))
                   for v in (prev, prev[1:] if prev[:1] == "و" else prev))

    def _starts_alias_after_lam(self, unit: _Unit, k: int) -> bool:
        """``unit.norms[k]`` is ل + the first word of a registry organisation/place (لبي بي سي، لروسيا)."""
        w = unit.norms[k]
        if len(w) < 3 or w[0] != "ل" or w.startswith("لل"):
            return False
        reg, rest = self.registry, w[1:]
        for length in reg.first_lengths.get(rest, ()):
            aid = reg.aliases.get((rest, *unit.norms[k + 1 : k + length]))
            if aid and reg.actors[aid].type != "PER":
                return True
        return False

    def _merge(self, unit: _Unit, reg: list[_Mention], ner: list[_Mention]) -> list[_Mention]:
        out = list(reg)
        for m in ner:
            overl = [r for r in reg if r.tok0 < m.tok1 and m.tok0 < r.tok1]
            if not overl:
                out.append(m)
                continue
            inside = [r for r in overl if m.tok0 <= r.tok0 and r.tok1 <= m.tok1]
            longer = (m.tok1 - m.tok0) > max(r.tok1 - r.tok0 for r in overl)
            if (
                longer
                and len(inside) == len(overl)
                and m.type in ("ORG", "MISC")
                and all(r.type in ("GPE", "LOC") for r in inside)
            ):
                # an organisation named after a place (جامعة القاهرة): the NER span is the entity
                for r in inside:
                    out.remove(r)
                m.country = (
                    self.registry.actors[inside[0].actor_id or ""].country
                    if inside[0].actor_id in self.registry.actors
                    else None
                )
                out.append(m)
            elif (
                m.type == "PER"
                and len(inside) == len(overl) == 1
                and inside[0].tok0 > m.tok0
                and inside[0].tok1 == m.tok1
                and self._other_person(unit, m, inside[0])
            ):
                # a relative's given name before a leader's surname, a person named like an agency: a given name before a registry name that it is not part of names
                # someone else (a relative, a namesake), not the registry's actor
                out.remove(inside[0])
                out.append(m)
        return out

    def _other_person(self, unit: _Unit, m: _Mention, r: _Mention) -> bool:
        """The words the person span ``m`` has before the registry match ``r`` appear in none of the registry
        actor's names: the span names another person."""
        actor = self.registry.actors.get(r.actor_id or "")
        if actor is None:
            return False
        words = {w for a in actor.ar for w in normalize(a).split()}
        extra = unit.norms[m.tok0 : r.tok0]
        if not extra or any(w in words or strip_clitics(w, min_stem=2)[1] in words for w in extra):
            return False
        # a person's registry name needs a known given name before it (a given name of the curated list); before an organisation
        # or a place any word the tagger put in a person's name will do (a person whose surname is also an agency or a town)
        # (of four letters at least: راي is also the verb رأى)
        return actor.type != "PER" or (extra[0] in _first_names() and len(extra[0]) >= 4)


_QUOTES = frozenset('"«»“”\'')


def _join_split_names(unit: _Unit, labels: list[str], reg: Registry) -> list[str]:
    """The tagger sometimes starts a name twice (B-LOC B-LOC: نيو | فلانة; B-PER O B-PER with the middle
    name left out): two spans of the same type that touch, or that one unlabelled name-like word separates (not a
    stop word, not of the common vocabulary, not a conjunction or a comma), are one name."""
    out = list(labels)
    toks, norms = unit.tokens, unit.norms
    names = _first_names()
    for k in range(1, len(out)):
        if not out[k].startswith("B-"):
            continue
        typ = out[k][2:]
        if typ not in ("PER", "LOC") or out[k - 1] in ("O", ""):
            if (
                typ == "PER"
                and k >= 2
                and out[k - 1] == "O"
                and out[k - 2][2:] == "PER"
                and toks[k - 1].kind == "word"
                and not _is_stop(toks[k - 1])
                and norms[k - 1][:1] not in "وبلفك"
                and (norms[k - 1] not in reg.common or norms[k - 1] in names)
                and not roles_mod.head_sector(norms[k - 1])
                and norms[k - 1] not in _VERBS
            ):
                out[k - 1] = "I-PER"
                out[k] = "I-PER"
            continue
        heads = _place_heads()
        plain = [
            w
            for w in (norms[k - 1], norms[k])
            if not w.startswith(_DEFINITE)
            and w not in reg.common
            and not reg.first_lengths.get(w)
            and not any(v in heads for v, _ in _clitic_variants(w))
        ]
        if out[k - 1][2:] == typ and norms[k][:1] != "و" and len(plain) == 2:
            out[k] = "I-" + typ
    return out


def _coordinated(unit: _Unit, i: int, j: int) -> list[tuple[int, int]]:
    """A person span the tagger ran over a conjunction (أحمد وليلى، فلان الفلاني وفلان): one piece per name.
    A word of و + three or more letters inside the span starts the next name when it is و + the article
    (والوليد), و + a given name (وعبدالله), or two words on each side (فلان الفلاني وفلان الفلاني); not a given
    name that begins with و (وليد، وائل), nor a foreign surname after one given name (جون ويلسون)."""
    norms, names = unit.norms, _first_names()
    cuts = [
        k
        for k in range(i + 1, j)
        if norms[k][:1] == "و"
        and len(norms[k]) >= 4
        and norms[k] not in names
        and unit.tokens[k].kind == "word"
        and (norms[k][1:3] == "ال" or norms[k][1:] in names or (k - i >= 2 and j - k >= 2))
    ]
    if not cuts:
        return [(i, j)]
    bounds = [i, *cuts, j]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


# sects and peoples named by a plural (normalised): a group of people, not an organisation
_PEOPLES = frozenset({"الشيعه", "السنه", "الاكراد", "العرب", "الدروز", "الاقباط", "الامازيغ", "الاشوريون",
                      "الايزيديون", "الايزيديين", "اكراد", "الروهينغا", "الاويغور", "البشتون", "الطوارق"})


@lru_cache(maxsize=1)
def _org_head_words() -> frozenset[str]:
    """The ORG head nouns of ``name_heads.tsv`` without the article (وزاره، منظمه، مجلس …)."""
    from marsad.entities.lexicon import load_heads

    return frozenset(k.removeprefix("ال") for k, h in load_heads().items() if h.kind == "ORG")


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

