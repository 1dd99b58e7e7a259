"""NER spans and their repair: the tagger's labels for the sentence units (hashtags and underscores tagged by the name
they sit in), its B-/I- runs cut into mentions, and the repairs each span needs before it is a name: title, verb,
common-word and stop-word edges trimmed, a given name or a nasab taken in, names run together over a conjunction
split, money, months, peoples and lone head nouns rejected, the type read from a place or organisation head, and the
clitic-free key kept aside. Then the tagger's spans merge with the registry matches (an organisation named after a
place is the tagger's longer span; a given name before a registry name may name someone else). A mixin of
:class:`marsad.entities.stage.EntityStage`: the methods read ``self.registry`` and ``self.tagger()``."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from marsad.data import replace_lone_surrogates
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
    _extend_nasab,
    _first_names,
    _head_kind,
    _is_common,
    _is_stop,
    _is_title_word,
    _Mention,
    _place_heads,
    _skip_clitic,
    _Unit,
)
from marsad.entities.lexicon import load_words
from marsad.entities.patterns import _QUOTED_HEADS
from marsad.entities.registry import Registry, name_key
from marsad.lang.ar.dates import month_words
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

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
_QUOTES = frozenset('"«»“”\'')
# sects and peoples named by a plural (normalised): a group of people, not an organisation
_PEOPLES = frozenset({"الشيعه", "السنه", "الاكراد", "العرب", "الدروز", "الاقباط", "الامازيغ", "الاشوريون",
                      "الايزيديون", "الايزيديين", "اكراد", "الروهينغا", "الاويغور", "البشتون", "الطوارق"})


@lru_cache(maxsize=1)
def _past_verbs() -> frozenset[str]:
    """Verbs of the news (``lexicons/verbs_after_qad.txt``: the words written right after قد)."""
    return load_words("verbs_after_qad.txt")


@lru_cache(maxsize=1)
def _given_common() -> frozenset[str]:
    """Given names that are common words too (إيمان، منال): read as names after و before a tagged surname only."""
    return load_words("given_common_words.txt")


@lru_cache(maxsize=1)
def _org_head_words() -> frozenset[str]:
    """The ORG head nouns of ``name_heads.tsv`` without the article (وزاره، منظمه، مجلس …)."""
    from marsad.entities.lexicon import load_heads

    return frozenset(k.removeprefix("ال") for k, h in load_heads().items() if h.kind == "ORG")


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


class NerSpans:
    """The tagger's spans as mentions (see the module docstring)."""

    registry: Registry

    if TYPE_CHECKING:

        def tagger(self) -> Any: ...  # the stage's tagger (None without one)

    # -- the tagger's labels -------------------------------------------------------------------------------------
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

    # -- spans and their repair ----------------------------------------------------------------------------------
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

    def _ner_mention(self, ui: int, unit: _Unit, i: int, j: int, typ: str) -> _Mention | None:
        """The tagger's span ``[i, j)`` of type ``typ`` as a mention: its edges trimmed, its bounds repaired for a
        person or a body, its type read from its head, its keys made; None where it names nothing."""
        i_tag = i
        i, j = self._span_edges(unit, i, j, typ)
        if typ == "PER":
            span = self._person_bounds(unit, i, j, i_tag)
        else:
            span = self._body_bounds(unit, i, j, typ)
        if span is None or self._names_nothing(unit, *span, typ):
            return None
        i, j = span
        return self._keyed_mention(ui, unit, i, j, self._ner_type(unit, i, j, typ))

    def _span_edges(self, unit: _Unit, i: int, j: int, typ: str) -> tuple[int, int]:
        """The tagger's span without the punctuation, stop words, titles and verbs at its edges; a person's span
        takes in the definite family name right after it."""
        toks, norms = unit.tokens, unit.norms
        j_tag = j
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
        return i, j

    def _person_bounds(self, unit: _Unit, i: int, j: int, i_tag: int) -> tuple[int, int] | None:
        """A person's span ``[i, j)`` (its edges trimmed; the tagger's started at ``i_tag``) repaired: verbs, common
        words, a following organisation and tanween left out; the nasab, particles, زاده and a given name the tagger
        left out taken in; None where what is left is a phrase, not a person."""
        toks, norms = unit.tokens, unit.norms
        given = _all_given()
        # Egyptian spelling writes the preposition على as علي: "عبدالعاطي علي الفور" is not a name ending in Ali
        if (
            j - i >= 2
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
        return i, j

    def _body_bounds(self, unit: _Unit, i: int, j: int, typ: str) -> tuple[int, int] | None:
        """An organisation's, place's or other name's span ``[i, j)`` repaired: the next place's head, a participle
        that describes the body, a person after it, tanween and its country's adjective left out; None where nothing
        is left."""
        toks, norms = unit.tokens, unit.norms
        # a place head with a preposition after a name opens the next place (قرية السلام | بريف حمص، الحديدة
        # | بمحافظة …): the name ends before it
        while j - i > 1 and typ != "PER" and norms[j - 1][:1] in "بلو" and norms[j - 1][1:] in _TRAILING_HEADS | _POINTS:
            j -= 1
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
        return i, j

    def _names_nothing(self, unit: _Unit, i: int, j: int, typ: str) -> bool:
        """The repaired span is no name: money (300 ريال), a number or one letter, a lone word that names nothing,
        an idiom, a common noun tagged as a place, initials tagged as a person, or titles and adjectives alone."""
        toks, norms = unit.tokens, unit.norms
        if _CURRENCY.match(norms[i]) and (
            (i > 0 and (toks[i - 1].kind == "num" or norms[i - 1] in _NUMBER_WORDS))
            or (j < len(norms) and j - i == 1 and (norms[j] in self.registry.nisba or norms[j] == "واحد"))
        ):
            return True  # 300 ريال، بريال واحد، ريال قطري: money, not Real Madrid
        if j - i == 1 and (len(norms[i]) < 2 or toks[i].kind == "num"):
            return True
        if j - i == 1 and typ != "PER" and self._no_name(norms[i]):
            return True
        if j - i == 1 and j < len(norms) and (norms[i], norms[j]) in _IDIOMS:
            return True  # مسقط رأس: a birthplace, not Muscat
        if typ == "LOC" and j - i == 1 and 1 not in self.registry.first_lengths.get(norms[i], ()):
            # a lone common noun tagged as a place (بمدينة، ريف، شبه، الجسر): a word, not a name
            bare = {v.removeprefix("ال") for v, _ in _clitic_variants(norms[i])}
            common, heads = self.registry.common, _place_heads()  # (tested apart: their union is a large new set)
            if any(b in common or b in heads for b in bare):
                return True
        if typ == "PER" and all(len(norms[k]) <= 2 for k in range(i, j)):
            return True  # "بي سي": letters spelled out are initials of an organisation, not a person
        if all(
            roles_mod.head_sector(norms[k])
            or roles_mod.is_modifier(norms[k])
            or norms[k] in self.registry.nisba
            for k in range(i, j)
        ):
            return True
        return False

    def _ner_type(self, unit: _Unit, i: int, j: int, typ: str) -> str:
        """The mention's type: the tagger's, unless a head noun, an indefinite place head before it or a quoted
        name after an organisation's head says otherwise."""
        toks, norms = unit.tokens, unit.norms
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
        return t

    def _keyed_mention(self, ui: int, unit: _Unit, i: int, j: int, t: str) -> _Mention:
        """The mention of ``[i, j)`` with its key, its clitic-free alternative key and start, and the registry
        person its key names."""
        toks, norms = unit.tokens, unit.norms
        given = _all_given()
        # NER spans keep a leading و/ب/ل/ك/ف (وانغ and كوفيد start with one); the clitic-free key is kept aside and
        # used when it meets a name seen elsewhere
        pre, stem = strip_clitics(norms[i], min_stem=2)
        key = name_key(" ".join(norms[i:j]))
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

    # -- merged with the registry matches ------------------------------------------------------------------------
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
