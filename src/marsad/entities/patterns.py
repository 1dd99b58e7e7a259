"""Names found by their structure rather than by the tagger: ministries (وزارة الخارجية الروسية), institutions
(البرلمان الإيراني، مجلس النواب), armed groups (كتيبة التوحيد), places after a place head or a hashtag (مديرية حيس،
#صعدة), facilities (مطار الحديدة) and person-name shapes (a known given name + an unknown surname). A mixin of
:class:`marsad.entities.stage.EntityStage`: each method reads ``self.registry`` and one sentence unit and returns
new mentions that do not overlap the ones already found."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from marsad.entities import roles as roles_mod
from marsad.entities.common import (
    _FACILITY_HEADS,
    _GROUP_GENERIC,
    _GROUP_HEADS,
    _INSTITUTIONS,
    _JOINERS,
    _KIN,
    _LED_BY,
    _MINISTRY_DOMAINS,
    _MINISTRY_WORDS,
    _NASAB,
    _RAW_STOP,
    _RESOURCES,
    _STOP,
    _VERBS,
    _arab_given,
    _clitic_variants,
    _extend_nasab,
    _first_names,
    _head_kind,
    _is_common,
    _is_place_or_org,
    _is_stop,
    _is_title_word,
    _Mention,
    _org_heads,
    _place_gazetteer,
    _place_heads,
    _skip_clitic,
    _Unit,
    _weak_org_heads,
)
from marsad.entities.lexicon import load_org_names
from marsad.entities.registry import Registry, name_key
from marsad.entities.registry_build import AMBIGUOUS_NAMES
from marsad.lang.ar.dates import month_words, weekday_words
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

# the adjectives of a body's head that take an ل-genitive of its field (الهيئة الوطنية للمواصفات، الهيئة العامة
# للترفيه، الشركة الوطنية للنفط) and the ل-words that are no field (للمرة: "for the … time")
_BODY_ADJECTIVES = frozenset(normalize(w) for w in (
    "الدولية", "الدولي", "العامة", "العام", "الوطنية", "الوطني", "العليا", "الأعلى", "العربية", "العربي",
    "الأوروبية", "الأوروبي", "الإسلامية", "الإسلامي", "الاتحادية", "الاتحادي", "الفدرالية", "الفيدرالية",
    "المستقلة", "الدائمة", "المركزية", "المركزي", "الأفريقية", "الإفريقية", "الخليجية",
))  # fmt: skip
# adjectives that make a part or a new town of a place (القدس الغربية، الموصل القديمة، آسيا الوسطى)
_PLACE_ADJECTIVES = frozenset(normalize(w) for w in (
    "الشرقية", "الغربية", "الشمالية", "الجنوبية", "الوسطى", "الكبرى", "القديمة", "الجديدة",
    "الشرقي", "الغربي", "الشمالي", "الجنوبي", "الأوسط", "القديم", "الجديد",
))  # fmt: skip
_DIRECTIONS = frozenset(normalize(w) for w in (
    "الشرقية", "الغربية", "الشمالية", "الجنوبية", "الشرقي", "الغربي", "الشمالي", "الجنوبي",
))  # fmt: skip
# countries whose name is also a word (registry_build.AMBIGUOUS_NAMES holds them back) → ISO code, read by
# _word_countries after a preposition or a direction; and those directions (شمال مالي)
_WORD_COUNTRIES = {normalize("مالي"): "MLI"}
# what a token must end with to hold one of them behind a clitic (_clitic_variants strips letters in front, or
# turns لل into ال): a C-level test that lets nearly every word of a text skip the variants
_WORD_COUNTRY_ENDS = tuple(k[2:] if k.startswith("ال") else k for k in _WORD_COUNTRIES)
_OTHER_PREPS = frozenset(normalize(w) for w in ("مع", "عن", "عبر", "إلى", "ومع", "وفي", "ومن", "وإلى"))
_DIRECTION_NOUNS = frozenset(normalize(w) for w in ("شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي"))
_NOT_GENITIVE = frozenset(normalize(w) for w in ("للمرة", "للغاية", "للحظة", "للتو"))
# indefinite heads of a body named after its country or city (normalised) → sector
_BODY_HEADS: dict[str, str | None] = {
    "حكومه": "GOV", "منتخب": None, "سفاره": "GOV", "قنصليه": "GOV", "جيش": "MIL", "شرطه": "GOV",
    "تلفزيون": "MED", "اذاعه": "MED", "جامعه": "EDU", "رياسه": "GOV", "برلمان": "LEG",
    # a city's club, traffic police, municipality (نادي فلانة، مرور فلانة، بلدية فلانة، أمانة فلانة)
    "نادي": None, "مرور": "GOV", "بلديه": "GOV", "امانه": "GOV",
}  # fmt: skip


# heads an organisation's quoted name follows (موقع "سايت"), normalised, without the article; and the quote marks
_QUOTED_HEADS = frozenset({"منظمه", "مجموعه", "شركه", "موقع", "صحيفه", "قناه", "وكاله", "حركه", "حزب", "جماعه",
                           "جمعيه", "موسسه", "مركز", "تنظيم", "مجله", "اذاعه", "تلفزيون", "نادي", "ايتلاف"})
_TROPHY_HEADS = frozenset({"دوري", "كاس", "بطوله", "جايزه"})  # normalised (كأس → كاس)
_PLACE_PREFIXES = frozenset(normalize(w) for w in ("ساوث", "نورث", "ويست", "إيست", "سانتا", "سانت", "سان"))
_MEETING_HEADS = frozenset({"قمه", "مونديال", "منتدي", "موتمر", "مهرجان"})  # normalised
_TIME_WORDS = frozenset(weekday_words()) | frozenset(normalize(w) for w in ("اليوم", "الماضي", "المقبل", "الحالي", "الجاري"))


# prepositions of place before a bare town name (normalised)
_AMBIGUOUS_WORDS = frozenset(normalize(n) for n in AMBIGUOUS_NAMES)
_LOCATIVE_PREPS = frozenset({"في", "الي", "من", "قرب", "بين", "نحو", "داخل", "شمال", "جنوب", "شرق", "غرب"})
@lru_cache(maxsize=1)
def _org_name_firsts() -> frozenset[str]:
    """First words of the mined organisation names: a word none of whose clitic forms is one opens none."""
    return frozenset(k.split()[0] for k in load_org_names())


# heads of routes and landmarks named after a person or by a foreign word (normalised): طريق الملك فلان، حلبة فلانوكا
_ROUTE_HEADS = frozenset({"طريق", "شارع", "باب", "حلبه", "ميدان", "جزيره"})
_FACILITY_OR_ROUTE = frozenset(_FACILITY_HEADS | _ROUTE_HEADS)
# …of those, the ones a foreign one-word name follows (قاعدة فلانيم), and endings of Arabic words, never of such a name
_FOREIGN_NAMED = frozenset({"قاعده", "حلبه", "مطار", "ميناء"})
_WORD_ENDINGS = ("ها", "هم", "ين", "ات", "يا", "يه", "ي", "ون", "ه")
# heads of an administrative division, which the name after them is always part of (محافظة إدلب), normalised
_ADMIN_HEADS = frozenset({"محافظه", "مديريه"})
_NATURAL_HEADS = frozenset(normalize(w) for w in (
    "نهر", "جبل", "جبال", "جزيرة", "جزر", "بحيرة", "مضيق", "وادي", "هضبة", "صحراء",
))  # fmt: skip
# adjectives that describe a body after its name (normalised): حزب فلان المعارض is حزب فلان
_DESCRIPTORS = frozenset({"المعارض", "المعارضه", "الحاكم", "الحاكمه", "الرييسي", "الرييسيه", "المتطرف", "المتطرفه",
                          "الجديد", "الجديده", "السابق", "السابقه"})
_MEDIA_HEADS = frozenset({"موقع", "صحيفه", "قناه", "وكاله", "مجله", "اذاعه", "تلفزيون"})
_OPEN_QUOTES = frozenset({'"', "«", "“"})
_CLOSE_QUOTES = frozenset({'"', "»", "”"})
# rank adjectives of a public body's name (الهيئة العامة …، اللجنة العليا …), normalised
_RANKS = frozenset({"العامه", "العام", "العليا", "الاعلى", "الوطنيه", "الوطني", "المركزي", "المركزيه", "الاتحاديه",
                    "القومي", "القوميه", "الدوليه", "الدولي", "الاهليه"})


# a king's or prince's title before the name a body or place is named after (normalised)
_ROYAL = frozenset({"الملك", "الامير", "الملكه", "الاميره"})
@lru_cache(maxsize=1)
def _indefinite_head_forms() -> dict[str, tuple[str, int]]:
    """Every written form of an indefinite head with the clitics common._clitic_variants strips (وشركة، بمنطقة،
    وبمنطقة) → (head, clitic letters): the forms the variants of a word would find, looked up at once."""
    out: dict[str, tuple[str, int]] = {}
    for h in _indefinite_heads():
        for c1 in "وف":
            for c2 in "بلك":
                if len(h) + 2 >= 5:
                    out.setdefault(c1 + c2 + h, (h, 2))
        for c in "وفبلك":
            if len(h) + 1 >= 4:
                out[c + h] = (h, 1)
    for h in _indefinite_heads():
        out[h] = (h, 0)
    return out


# a battle front and a political front share their head (جبهة فلانة is as often a place as a body)
_FRONT_HEADS = frozenset({"جبهه"})
# words that open a two-word local name (منطقة آل فلان، بلدة أبو فلان), normalised
_NAME_PARTICLES = frozenset({"ال", "ابو", "بني", "ام", "بنو"})


@lru_cache(maxsize=1)
def _indefinite_heads() -> dict[str, str]:
    """Indefinite name heads of bodies and places (normalised, no article) → kind (ORG / PLACE). Programme and event
    heads are left out: a verb follows them far more often than a name (عملية بدأتها، اتفاقية أبرمتها)."""
    from marsad.entities.lexicon import load_heads

    return {k: h.kind for k, h in load_heads().items()
            if not k.startswith("ال") and h.kind != "EVENT" and k not in _FRONT_HEADS}


# the entity type of a name led by a head noun of each kind (common._head_kind)
_HEAD_KIND_TYPE = {"ORG": "ORG", "PLACE": "LOC", "EVENT": "MISC"}


# Per-word tests the rules below ask of every token of every sentence, cached: each is a pure function of the
# normalised word and of lexicons loaded once (the first clitic reading that passes, as the rules' own scans found it).
@lru_cache(maxsize=1 << 16)
def _is_place_head(w: str) -> bool:
    heads = _place_heads()
    return any(v in heads for v, _ in _clitic_variants(w))


@lru_cache(maxsize=1 << 16)
def _is_admin_head(w: str) -> bool:
    return any(v in _ADMIN_HEADS for v, _ in _clitic_variants(w))


@lru_cache(maxsize=1 << 16)
def _bare_facility_head(w: str) -> str | None:
    """A facility or route head without the article (مطار، طريق)."""
    return next((v for v, _ in _clitic_variants(w) if v.removeprefix("ال") in _FACILITY_OR_ROUTE
                 and not v.startswith("ال")), None)


@lru_cache(maxsize=1 << 16)
def _definite_org_head(w: str) -> tuple[str, int] | None:
    return next(((v, c) for v, c in _clitic_variants(w) if v.startswith("ال") and _head_kind(v) == "ORG"), None)


@lru_cache(maxsize=1 << 16)
def _definite_head(w: str) -> tuple[str, int] | None:
    return next(((v, c) for v, c in _clitic_variants(w) if v.startswith("ال") and len(v) > 3
                 and (_head_kind(v) or v in _INSTITUTIONS)), None)


@lru_cache(maxsize=1 << 17)
def _org_head(w: str, weak: bool) -> tuple[str, int] | None:
    heads = _weak_org_heads() if weak else _org_heads()
    return next(((v, c) for v, c in _clitic_variants(w) if v in heads), None)


class NamePatterns:
    """Name-pattern finders (see the module docstring)."""

    registry: Registry

    def _ministries(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """وزارة الخارجية (الروسية) and the elliptic الخارجية الروسية: government ORGs keyed by domain and country."""
        toks, norms = unit.tokens, unit.norms
        covered = {(m.unit, k) for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out = []
        for i, n in enumerate(norms):
            if "وزاره" not in n:
                continue
            pre, stem = strip_clitics(n, min_stem=2)
            if stem != "وزاره" and n != "وزاره":
                continue
            if (ui, i) in covered:
                continue
            j = i + 1
            domain = None
            while j < len(norms) and j - i <= 5:
                w = norms[j]
                w2 = w[1:] if w[:1] == "و" and w[1:] in _MINISTRY_DOMAINS else w
                if (
                    w2 in _MINISTRY_DOMAINS
                    or w in _MINISTRY_WORDS
                    or (w in _RESOURCES and norms[j - 1] == "الموارد")
                    or (w[:1] == "و" and w[1:] in _MINISTRY_WORDS)
                ):
                    domain = domain or _MINISTRY_DOMAINS.get(w2)
                    if domain == "Resources" and j + 1 < len(norms) and norms[j + 1] in _RESOURCES:
                        domain = _RESOURCES[norms[j + 1]]
                    j += 1
                    continue
                break
            if domain is None:
                continue
            country = None
            if j < len(norms) and norms[j] in self.registry.nisba:
                country = self.registry.nisba[norms[j]]
                j += 1
            cut = len(pre) if n != "وزاره" and pre and n.endswith(stem) else 0
            m = _Mention(
                _skip_clitic(toks[i], cut), toks[j - 1].end, ui, i, j, "ORG", None, source="ministry"
            )
            m.country, m.sector = country, "MIL" if domain == "Defence" else "GOV"
            m.name_en = f"Ministry of {domain}"
            m.key = name_key(" ".join(norms[i + 1 : j]))
            if country:
                m.actor_id = f"ministry:{country}:{domain.lower().replace(' ', '-')}"
                m.name_en = f"Ministry of {domain} of {self.registry.actors[country].name}"
            out.append(m)
        return out

    def _institutions(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A head noun, up to three definite modifiers and a nisba: البرلمان الإيراني, السفارة الروسية,
        هيئة الأركان العسكرية الكندية, المعهد الثقافي الإسباني → an ORG of that country."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out = []
        i = 0
        while i < len(norms):
            w = norms[i]
            forms = [(v, c) for v, c in _clitic_variants(w) if v in _INSTITUTIONS] if len(w) >= 4 else []
            if not forms or i in covered:
                i += 1
                continue
            head, cut = forms[-1]
            j = i + 1
            if j + 1 < len(norms) and toks[j].text == "_" and norms[j + 1] in reg.nisba:
                j += 1  # #الجيش_الفلاني: a hashtag joins the head and its nisba
            while j < len(norms) and j - i <= 4 and j not in covered and norms[j] not in reg.nisba:
                if toks[j].kind != "word" or not norms[j].startswith(("ال", "لل")) or norms[j] in _STOP:
                    break
                j += 1
            after_head = i > 0 and bool(
                roles_mod.head_sector(norms[i - 1])
            )  # وزير الخارجية الروسي is a title
            agrees = j < len(norms) and (norms[j].endswith("يه") == head.endswith("ه"))
            if not after_head and agrees and j not in covered and norms[j] in reg.nisba:
                country = reg.nisba[norms[j]]
                label, sector = _INSTITUTIONS[head]
                m = _Mention(
                    _skip_clitic(toks[i], cut), toks[j].end, ui, i, j + 1, "ORG", None, source="institution"
                )
                m.country, m.sector = country, sector
                words = [w for w in norms[i + 1 : j + 1] if w != "_"]
                m.key = name_key(" ".join([head, *words]))
                if len(words) == 1:  # head + nisba only: a canonical institution of that country
                    m.actor_id = f"inst:{country}:{label.lower().replace(' ', '-')}"
                    m.name_en = f"{label} of {reg.actors[country].name}"
                out.append(m)
                covered.update(range(i, j + 1))
                i = j + 1
                continue
            i += 1
        return out

    def _countries(self, have: list[_Mention]) -> set[str]:
        """Countries of mentions: their own, or their registry actor's."""
        return {c for m in have for c in (m.country, getattr(self.registry.actors.get(m.actor_id or ""), "country", None))
                if c}  # fmt: skip

    def _gazetteer_places(
        self, ui: int, unit: _Unit, have: list[_Mention], *, seen_before: set[str] | frozenset[str] = frozenset()
    ) -> list[_Mention]:
        """Places the tagger and the registry missed, where the text itself says a place follows: a place head
        (محافظة صعدة، مديرية حيس، ولاية فراه) or a hashtag (#صعدة) before a name GeoNames knows (the geo
        gazetteer, :mod:`marsad.geo.gazetteer`). A bare word is never looked up: too many place names are also
        words."""
        gaz = _place_gazetteer()
        if gaz is None:
            return []
        toks, norms = unit.tokens, unit.norms
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        heads = _place_heads()
        seen = seen_before | self._countries(have)
        out: list[_Mention] = []
        nxt = 0  # the first token after the last place found
        # only a head or a hashtag can open a place (the rest of the loop's tests read ``covered`` as it grows)
        for k in [q for q in range(len(toks)) if toks[q].text == "#" or _is_place_head(norms[q])]:
            if k < nxt:
                continue
            head = k < len(toks) - 1 and toks[k].kind == "word" and _is_place_head(norms[k])
            tag = toks[k].text == "#" and k + 1 < len(toks)
            strong = head and _is_admin_head(norms[k])
            if not (head or tag) or k in covered or (k + 1) in covered:
                continue
            best = None
            # the longest name of up to three words (hashtags join theirs with _)
            for n in (3, 2, 1):
                idx = [i for i in range(k + 1, min(len(toks), k + 1 + 2 * n)) if toks[i].text != "_"][:n]
                if len(idx) < n or any(toks[i].kind != "word" or i in covered for i in idx):
                    continue
                if any(toks[i].text not in ("_", " ") and i not in idx for i in range(idx[0], idx[-1])):
                    continue
                word = (norms[idx[0]] in self.registry.common
                        or norms[idx[0]].removeprefix("ال") in self.registry.common)
                if _is_stop(toks[idx[0]]) or len(norms[idx[0]]) < 3 or (word and not strong):
                    continue  # جسر في، مدينة جديدة، #باب: a word, not a name
                places = gaz.lookup_ar(" ".join(toks[i].text for i in idx))
                if word:
                    # محافظة البيضاء: after a governorate or district head a word may name one, of a country the
                    # article is about
                    places = [p for p in places if p.feature_class == "A" and p.country_iso3 in seen]
                if tag:  # a hashtag alone vouches less than a head noun: towns of some size only
                    places = [p for p in places if p.population >= 10_000]
                if places:
                    # a namesake in a country the article has named so far wins (الجوف of Yemen in a Yemen story)
                    best = (idx[-1] + 1, max(places, key=lambda p: (p.country_iso3 in seen, p.population)))
                    break
            if best is None:
                continue
            j, place = best
            i0 = k if head else k + 1
            cut = next((c for v, c in _clitic_variants(norms[k]) if v in heads), 0) if head else 0
            m = _Mention(_skip_clitic(toks[i0], cut), toks[j - 1].end, ui, i0, j, "GPE", None, source="gazetteer")
            m.key = name_key(" ".join(norms[k + 1 : j]).replace("_", " "))
            m.country = place.country_iso3
            # named by the bare name (صعدة), the span keeps its head (محافظة صعدة) as evidence
            m.name_en = " ".join(toks[i].text for i in range(k + 1, j) if toks[i].text != "_")
            out.append(m)
            covered.update(range(i0, j))
            nxt = j
        return out

    def _headed_names(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A governorate or district head before a place the registry or the tagger found (محافظة إدلب): the head
        is part of the name as the text gives it; the mention takes it in (same place, same key)."""
        toks, norms = unit.tokens, unit.norms
        starts = {m.tok0: m for m in have if m.unit == ui}
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        for k in range(len(toks) - 1):
            if k in covered or toks[k].kind != "word":
                continue
            cut = next((c for v, c in _clitic_variants(norms[k]) if v in _ADMIN_HEADS), None)
            m = starts.get(k + 1)
            if m is not None and cut is None and m.type == "LOC":
                # نهر فلان، جبل فلان، جزيرة فلان: a natural feature's head is part of its name too
                cut = next((c for v, c in _clitic_variants(norms[k]) if v in _NATURAL_HEADS), None)
            if cut is None or m is None or m.type not in ("GPE", "LOC"):
                continue
            m.start, m.tok0 = _skip_clitic(toks[k], cut), k

    def _word_countries(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A country whose name is also a word (مالي: Mali, and "financial"), which the registry holds back: after a
        preposition or a direction (في مالي، مع مالي، شمال مالي), or with a preposition's clitic (بمالي)، it is the
        country; after a noun it is the adjective (دعم مالي)."""
        toks, norms = unit.tokens, unit.norms
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out: list[_Mention] = []
        for k, w in enumerate(norms):
            if not w.endswith(_WORD_COUNTRY_ENDS) or k in covered or toks[k].kind != "word":
                continue
            hit = next(((v, c) for v, c in _clitic_variants(w) if v in _WORD_COUNTRIES), None)
            if hit is None:
                continue
            v, cut = hit
            prev = norms[k - 1] if k > 0 else ""
            if not (any(ch in "بل" for ch in w[:cut]) or prev in _LOCATIVE_PREPS or prev in _DIRECTION_NOUNS
                    or prev in _OTHER_PREPS):
                continue
            if k + 1 < len(toks) and norms[k + 1] in ("الخاص", "الشخصي"):
                continue  # من مالي الخاص: "from my own money"
            m = _Mention(_skip_clitic(toks[k], cut), toks[k].end, ui, k, k + 1, "GPE", None, source="registry")
            m.key = name_key(v)
            m.country = _WORD_COUNTRIES[v]
            out.append(m)
        return out

    def _locative_places(
        self, ui: int, unit: _Unit, have: list[_Mention], *, seen_before: set[str] | frozenset[str] = frozenset()
    ) -> list[_Mention]:
        """A one-word place after a locative preposition (في بلدة كبيرة يعرفها GeoNames: في فلانة، إلى فلانة): GeoNames must know
        the word as a town of 50,000+ or a province, the word must not be of the corpus's common vocabulary (في
        الحال، في العين) and no definite word may follow it (إلى الجهة المقابلة is a phrase, not a name)."""
        gaz = _place_gazetteer()
        if gaz is None:
            return []
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        seen = seen_before | self._countries(have)
        out: list[_Mention] = []
        for k in range(len(toks) - 1):
            if norms[k] not in _LOCATIVE_PREPS:
                continue
            j = k + 1
            w = norms[j]
            if (j in covered or toks[j].kind != "word" or len(w) < 3 or _is_stop(toks[j]) or w in reg.common
                    or w.removeprefix("ال") in reg.common or roles_mod.head_sector(w)
                    or reg.first_lengths.get(w) or w in _AMBIGUOUS_WORDS or w in month_words()):
                continue  # (a name the registry knows, or holds back as ambiguous, is the registry's to read; في نيسان is a month)
            if (j + 1 < len(toks) and toks[j + 1].kind == "word" and norms[j + 1].startswith("ال")
                    and not _is_stop(toks[j + 1])):
                continue  # (إلى, written الي, opens no phrase with the word)
            if w.endswith("ه") and not w.startswith("ال") and w[:-1] in reg.common:
                continue  # بيته، مكتبه: a noun and its pronoun, not a town
            # the gazetteer's key drops the article (a common word with the article can hit a town's key): the name must be written as the text has it
            places = [p for p in gaz.lookup_ar(toks[j].text)
                      if (p.population >= 50_000 or p.is_country or p.feature_class == "A")
                      and any(normalize(a) == w for a in p.ar_names)]
            if norms[k] == "من":
                # من is "from" as often as "than / of / who" (من فلان ومداد، من يقف وراء): after it, only a town of
                # a country the article has named so far
                places = [p for p in places if p.country_iso3 in seen]
            if not places:
                continue
            place = max(places, key=lambda p: (p.country_iso3 in seen, p.is_country, p.population))
            m = _Mention(toks[j].start, toks[j].end, ui, j, j + 1, "GPE", None, source="gazetteer")
            m.key = name_key(w)
            m.country = place.country_iso3
            out.append(m)
            covered.add(j)
        return out

    def _conjoined_places(
        self, ui: int, unit: _Unit, have: list[_Mention], *, seen_before: set[str] | frozenset[str] = frozenset()
    ) -> list[_Mention]:
        """Places listed after a place already found (حمص وإدلب واللاذقية، تكساس، أوهايو): a word joined to
        it by و or a comma that GeoNames knows as a country, a province or a town of 10,000+ is a place too, and
        the list goes on from it. A word of the corpus's common vocabulary never is (دمشق والعالم)."""
        gaz = _place_gazetteer()
        if gaz is None:
            return []
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        ends = sorted({m.tok1 for m in have if m.unit == ui and m.type in ("GPE", "LOC")})
        seen = seen_before | self._countries(have)
        out: list[_Mention] = []
        todo = [(k, 0) for k in ends]
        while todo:
            k, depth = todo.pop(0)
            comma = k < len(toks) and toks[k].text in ("،", ",")
            j = k + 1 if comma else k
            if j >= len(toks) or j in covered or toks[j].kind != "word":
                continue
            w, cut = norms[j], 0
            if w.startswith("و") and len(w) >= 3:
                w, cut = w[1:], 1  # (after a comma too: فلانة، وفلانة)
            elif not comma:
                continue
            # a two-letter name (إب) only as a town of 100,000+
            short = len(w) == 2
            # deep in a list of places already (عدن ولحج | وإب، … | وحجة), a word that is also a common word (إب، حجة)
            # is a place when GeoNames has it as a province or a town of 100,000+
            common = w in reg.common or w.removeprefix("ال") in reg.common
            if ((len(w) < 3 and not short) or _is_stop(toks[j]) or (common and depth == 0)
                    or toks[j].text[cut:] in ("على", "إلى", "الى", "حتى", "لدى")):  # على folds to the name علي
                continue
            if j + 1 < len(toks) and toks[j + 1].kind == "word" and not toks[j + 1].norm.startswith("و"):
                continue  # a one-word name ends the list item: وحماة الشرقية is not a listed name
            big = short or common
            places = [p for p in gaz.lookup_ar(toks[j].text[cut:])
                      if (p.population >= 100_000 or p.feature_code == "ADM1" if big
                          else p.population >= 10_000 or p.is_country or p.feature_class == "A")
                      and (not big or any(normalize(a) == w for a in p.ar_names))]
            if not places:
                continue
            place = max(places, key=lambda p: (p.country_iso3 in seen, p.is_country, p.population))
            m = _Mention(_skip_clitic(toks[j], cut), toks[j].end, ui, j, j + 1, "GPE", None, source="gazetteer")
            m.key = name_key(w)
            m.country = place.country_iso3
            out.append(m)
            covered.add(j)
            todo.append((j + 1, depth + 1))
        return out

    def _gazetteer_country(self, ms: list[_Mention], units: list[_Unit], ctx: Counter[str]) -> str | None:
        """Country of a place name the registry does not know, from GeoNames (ميلانو → ITA, لاهاي → NLD): of its
        namesakes, one in a country the article names wins, else the most populous if it is a town of 10,000+."""
        gaz = _place_gazetteer()
        if gaz is None:
            return None
        for m in ms:
            u = units[m.unit]
            rest = [n for n in u.norms[m.tok0 + 1 : m.tok1] if n not in _JOINERS]
            for v, _ in _clitic_variants(u.norms[m.tok0]):  # ولندن, بميلانو: the name without its clitic too
                places = gaz.lookup_ar(" ".join([v, *rest]))
                if places:
                    known = [p for p in places if p.country_iso3 in ctx]
                    if known:
                        return max(known, key=lambda p: (ctx[p.country_iso3], p.population)).country_iso3
                    big = max(places, key=lambda p: p.population)
                    return big.country_iso3 if big.population >= 10_000 or big.is_country else None
        return None

    def _facilities(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A facility head right before a known place (مطار الحديدة، ميناء الحديدة، قاعدة حميميم): the facility is a
        place of its own (LOC, the place's country); the city keeps its other mentions."""
        toks, norms = unit.tokens, unit.norms
        starts = {m.tok0: m for m in have if m.unit == ui and m.type in ("GPE", "LOC") and m.tok0 > 0}
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out = []
        for k0, place in starts.items():
            k = k0 - 1
            if k in covered or toks[k].kind != "word":
                continue
            v = next((v for v, _ in _clitic_variants(norms[k]) if v.removeprefix("ال") in _FACILITY_HEADS), None)
            if v is None:
                continue
            cut = len(norms[k]) - len(v) if norms[k].endswith(v) else 0
            m = _Mention(_skip_clitic(toks[k], cut), place.end, ui, k, place.tok1, "LOC", None, source="facility")
            m.key = name_key(" ".join([v, *norms[k0 : place.tok1]]))
            m.country = place.country or getattr(self.registry.actors.get(place.actor_id or ""), "country", None)
            out.append(m)
            covered.update(range(k, place.tok1))
        # a facility named after a king or prince (جسر الملك فلان، مطار الأمير فلان الدولي), or by one word that is no
        # word of the language (قاعدة فلانيم، حلبة فلانوكا): a place of its own
        reg = self.registry
        for k in range(len(toks) - 1):
            if k in covered or toks[k].kind != "word":
                continue
            v = _bare_facility_head(norms[k])
            if v is None or (k + 1) in covered or toks[k + 1].kind != "word":
                continue
            if k > 0 and _head_kind(norms[k - 1]) == "ORG":
                continue  # هيئة مطار الأمير فلان: the body that runs the airport
            j = k + 1
            w = norms[j]
            if w in ("الملك", "الامير") and j + 1 < len(toks) and toks[j + 1].kind == "word":
                j += 1
                if norms[j] == "عبد" and j + 1 < len(toks):
                    j += 1
                if _is_stop(toks[j]) or norms[j] in reg.common or (j in covered):
                    continue
                j += 1
                if j < len(toks) and norms[j] in ("الدولي", "الدوليه"):
                    j += 1
            elif (v.removeprefix("ال") not in _FOREIGN_NAMED or w.endswith(_WORD_ENDINGS)
                  or len(w) < 4 or w.startswith(("ال", "لل")) or _is_stop(toks[j]) or w in reg.common
                  or any(c in reg.common for c, _ in _clitic_variants(w)) or (w,) in reg.aliases
                  or w in _first_names() or w in month_words() or any(ch in toks[j].text for ch in "\u064b\u064c\u064d")
                  or not toks[j].text.isalpha()):
                continue
            else:
                j += 1
            if any(q in covered for q in range(k, j)):
                continue
            cut = len(norms[k]) - len(v) if norms[k].endswith(v) else 0
            m = _Mention(_skip_clitic(toks[k], cut), toks[j - 1].end, ui, k, j, "LOC", None, source="facility")
            m.key = name_key(" ".join([v, *norms[k + 1 : j]]))
            out.append(m)
            covered.update(range(k, j))
        return out

    def _public_bodies(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A definite institution head, a rank adjective and what the body is for: الهيئة العامة للرياضة، الإدارة
        العامة للمرور، الهيئة العامة للطيران المدني، الجهاز المركزي للإحصاء (the
        ل-genitive may run on with definite words, joined by و too: … للثقافة والفنون)."""
        toks, norms = unit.tokens, unit.norms
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out: list[_Mention] = []
        nxt = 0  # the first token after the last name found
        for k in [q for q in range(len(toks) - 2) if _definite_org_head(norms[q]) is not None]:  # heads only
            if k < nxt:
                continue
            hv = _definite_org_head(norms[k])
            if hv is None or k in covered or norms[k + 1] not in _RANKS or (k + 1) in covered:
                continue
            j = k + 2
            if (not (norms[j].startswith("ل") and len(norms[j]) >= 4 and toks[j].kind == "word" and j not in covered)
                    or _is_stop(toks[j])):
                continue
            j += 1
            while j < len(toks) and j - k < 6 and j not in covered and toks[j].kind == "word" and \
                    norms[j].startswith(("ال", "وال")) and not _is_stop(toks[j]) and norms[j] not in self.registry.nisba \
                    and not _head_kind(norms[j]):  # … للانتخابات | والهيئة الوطنية: the next body
                j += 1
            m = _Mention(_skip_clitic(toks[k], hv[1]), toks[j - 1].end, ui, k, j, "ORG", None, source="org-head")
            m.key = name_key(" ".join([hv[0]] + norms[k + 1 : j]))
            m.tail = norms[j - 1]
            out.append(m)
            covered.update(range(k, j))
            nxt = j
        return out

    def _place_adjectives(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A place followed by an adjective of part or age (القدس الغربية، الموصل القديمة، آسيا الوسطى، القاهرة
        الكبرى، قناة فلان الجديدة): the adjective names a place of its own and is part of its name. Not when an
        indefinite noun before the place may own the adjective (ريف فلانة الشمالي، جائزة فلانة الكبرى), and a town or
        country (feminine in Arabic) takes only a feminine one."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        mine = [m for m in have if m.unit == ui]
        starts = {m.tok0 for m in mine}
        for m in mine:
            k, p = m.tok1, m.tok0 - 1
            if p >= 0 and toks[p].kind == "word" and not _is_stop(toks[p]) and not norms[p].startswith("ال") \
                    and norms[p] not in _LOCATIVE_PREPS and (norms[p] in reg.common or _head_kind(norms[p])):
                continue
            if (m.type in ("GPE", "LOC") and not m.metonym and k < len(toks) and k not in starts
                    and toks[k].kind == "word" and norms[k] in _PLACE_ADJECTIVES
                    and (m.type == "LOC" or norms[k].endswith("ه") or norms[k] == "الوسطي")
                    # محافظة فلانة الشمالية: after a province's head a direction says where the province lies
                    and not (norms[k] in _DIRECTIONS and m.tok1 - m.tok0 >= 2 and _head_kind(norms[m.tok0]) == "PLACE")
                    # ليبيا الجديدة، العراق الجديد: a country's age is said of it, it names no other place
                    and not (norms[k] not in _DIRECTIONS and norms[k] not in ("الوسطي", "الكبري", "الاوسط")
                             and (a := self.registry.actors.get(m.actor_id or "")) is not None and a.is_country)
                    and not (k + 1 < len(toks) and toks[k + 1].kind == "word" and norms[k + 1].startswith("ال"))):
                m.end, m.tok1 = toks[k].end, k + 1
                if m.key:
                    m.key = name_key(" ".join(norms[m.tok0 : k + 1]))

    def _body_tails(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """An institution named by a head and its adjective goes on over an ل-genitive of its field and that
        genitive's definite words, where the tagger or a head rule stopped it (الهيئة الوطنية | للمواصفات، الهيئة
        العامة | للترفيه). Only a body named by a head noun (``name_heads.tsv`` ORG, ``institutions.tsv``) and linked
        to no registry actor, up to the next mention, stop word, punctuation or country adjective (الشركة الوطنية
        للنفط الفلانية: the adjective says where the body is)."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        n = len(toks)
        mine = [m for m in have if m.unit == ui]
        for m in mine:
            if m.type != "ORG" or m.actor_id is not None or m.tok1 >= n:
                continue
            head = next((v for v, _ in _clitic_variants(norms[m.tok0]) if _head_kind(v) == "ORG" or v in _INSTITUTIONS),
                        None)  # fmt: skip
            if head is None:
                continue
            taken = {k for o in mine if o is not m for k in range(o.tok0, o.tok1)}

            def free(k: int, taken: set[int] = taken) -> bool:
                return k < n and k not in taken and toks[k].kind == "word" and not _is_stop(toks[k])

            k = m.tok1
            if (m.tok1 - m.tok0 == 2 and norms[m.tok1 - 1].startswith("ال") and norms[m.tok1 - 1] in _BODY_ADJECTIVES
                  and free(k) and norms[k].startswith("لل") and len(norms[k]) > 4 and norms[k] not in _NOT_GENITIVE):
                k += 1
                while (free(k) and norms[k].startswith("ال") and k - m.tok1 < 3 and not _head_kind(norms[k])
                       and norms[k] not in reg.nisba):
                    k += 1
            if k > m.tok1:
                m.end, m.tok1 = toks[k - 1].end, k
                m.key = name_key(" ".join([head, *norms[m.tok0 + 1 : k]]))
                m.tail = norms[k - 1]

    def _coordinated_tails(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A body named by a head and a definite genitive goes on over a second genitive joined by و, and the
        relational adjective after it, where the tagger or a head rule stopped at the first (مجلس الفلان | والفلان
        الإقليمي، هيئة الفلانيين | والفلانيين، وكالة الفلان | والفلان الفلانية): Arabic names a body's remit by two
        nouns as often as by one. Only a body linked to no registry actor, named by an ORG head other than قوات (قوات
        الشرطة والجيش: two forces), whose name ends on a noun (not an adjective: الجيش الوطني والمقاومة), and only
        when the joined word names nothing itself (no head, institution, registry name, country adjective, no other
        mention) and no third conjunct follows (مجلس فلان والأحزاب والنقابات: a list of bodies)."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        n = len(toks)
        mine = [m for m in have if m.unit == ui]
        for m in mine:
            if m.type != "ORG" or m.actor_id is not None or m.tok1 + 1 >= n or m.tok1 - m.tok0 < 2:
                continue
            if m.source not in ("org-head", "org-head-weak", "ner"):
                continue
            head = next((v for v, _ in _clitic_variants(norms[m.tok0]) if _head_kind(v) == "ORG"), None)
            last = norms[m.tok1 - 1]
            if head is None or head in ("قوات", "قوه") or not last.startswith(("ال", "لل")) or _relational_adjective(last, reg):
                continue
            taken = {k for o in mine if o is not m for k in range(o.tok0, o.tok1)}
            k = m.tok1
            w = norms[k][1:] if norms[k].startswith("وال") and len(norms[k]) > 5 else ""
            if (not w or k in taken or toks[k].kind != "word" or _is_stop(toks[k]) or _head_kind(w)
                    or w in _INSTITUTIONS or (w,) in reg.aliases or _relational_adjective(w, reg) or w in _VERBS):
                continue
            if k + 1 < n and norms[k + 1].startswith("و") and toks[k + 1].kind == "word":
                continue  # a third conjunct: a list
            k += 1
            if (k < n and k not in taken and toks[k].kind == "word" and not _is_stop(toks[k])
                    and norms[k] not in ("التي", "الذي") and _relational_adjective(norms[k], reg)):
                k += 1
            m.end, m.tok1 = toks[k - 1].end, k
            m.key = name_key(" ".join([head, *norms[m.tok0 + 1 : k]]))
            m.tail = norms[k - 1]

    def _agency_tails(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A news agency's name goes on over للأنباء ("for news") and the country adjectives before it (وكالة فلان
        الفلانية للأنباء): the full name, as the agency writes it, where the registry or a head rule stopped at
        وكالة فلان. Only an agency: a body the registry files as media, or one named by the head وكالة."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        n = len(toks)
        mine = [m for m in have if m.unit == ui]
        for m in mine:
            if m.type != "ORG" or m.tok1 >= n:
                continue
            a = reg.actors.get(m.actor_id or "")
            if not ((a is not None and a.sector == "MED")
                    or any(v == "وكاله" for v, _ in _clitic_variants(norms[m.tok0]))):
                continue
            taken = {k for o in mine if o is not m for k in range(o.tok0, o.tok1)}
            k = m.tok1
            while (k < n and k - m.tok1 < 2 and k not in taken and toks[k].kind == "word"
                   and _relational_adjective(norms[k], reg)):
                k += 1
            if k < n and k not in taken and norms[k] == "للانباء":
                m.end, m.tok1 = toks[k].end, k + 1
                m.tail = norms[k]
                if m.actor_id is None:
                    m.key = name_key(" ".join(norms[m.tok0 : k + 1]))

    def _headed_adjective_bodies(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A definite name head, one or two definite relational adjectives that are no country's, and an optional
        genitive with ل (الجيش الوطني، التحالف الدولي، المنطقة الشرقية، اللجنة الأولمبية الدولية، المنظمة الدولية
        للتنمية): a candidate body, place or event of the head's kind. Many such phrases are descriptions rather than
        names (القوات الحكومية، القانون الدولي); only the entity model may keep one (``source="head-adj"``)."""
        toks, norms = unit.tokens, unit.norms
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out: list[_Mention] = []
        nisba = self.registry.nisba

        def word(q: int) -> bool:
            return q < len(toks) and q not in covered and toks[q].kind == "word" and not _is_stop(toks[q])

        def adjective(q: int) -> bool:
            if not word(q):
                return False
            w = norms[q]
            return ((w.startswith("ال") and w.endswith(("ي", "يه")) and len(w) >= 6) or w in _RANKS) \
                and w not in _DESCRIPTORS and not _head_kind(w)

        nxt = 0  # the first token after the last name found
        for k in [q for q in range(len(toks) - 1) if _definite_head(norms[q]) is not None]:  # heads only
            if k < nxt:
                continue
            hv = _definite_head(norms[k]) if word(k) else None
            if hv is None or not adjective(k + 1) or (
                k > 0 and roles_mod.head_sector(norms[k - 1]) and not _head_kind(hv[0])
            ):
                continue  # وزير الخارجية الفرنسي is a title
            j = k + 2
            if adjective(j):
                j += 1
            if word(j) and norms[j].startswith("لل") and len(norms[j]) >= 5:  # … للهجرة، … لمكافحة المنشطات
                j += 1
            elif word(j) and norms[j].startswith("ل") and len(norms[j]) >= 5 and word(j + 1) \
                    and norms[j + 1].startswith("ال"):
                j += 2
            if word(j) and norms[j].startswith("ال"):
                continue  # a definite word goes on: a longer phrase (الجيش الوطني السوري الحر) the other rules read
            kind = _head_kind(hv[0]) or "ORG"
            m = _Mention(_skip_clitic(toks[k], hv[1]), toks[j - 1].end, ui, k, j, _HEAD_KIND_TYPE[kind], None,
                         source="head-adj")
            m.key = name_key(" ".join([hv[0]] + norms[k + 1 : j]))
            m.tail = norms[j - 1]
            # a country's adjective (الشرطة الهندية، السلطات اليابانية: the institutions rule wants a head it lists
            # and a singular agreement) says whose body it is
            m.country = next((nisba[norms[q]] for q in range(k + 1, j) if norms[q] in nisba), None)
            out.append(m)
            covered.update(range(k, j))
            nxt = j
        return out

    def _headed_unknown_names(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """An indefinite name head (``name_heads.tsv``: حزب، شركة، مجموعة، منطقة، بلدة …) right before a word that is
        no word of the language (the corpus list of common words, stop words, titles, nisbas, heads):
        a name the tagger never saw, of the head's kind (حزب فلانيزا، شركة فلانكو، منطقة فلانة). A word after آل /
        أبو / بني / أم joins it (منطقة آل فلان). Foreign and local names are open classes no list holds, and some such
        words are rare Arabic ones; only the entity model may keep a candidate (``source="head-name"``)."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        heads = _indefinite_heads()
        forms = _indefinite_head_forms()

        def name_word(q: int) -> bool:
            if q >= len(toks) or q in covered or toks[q].kind != "word" or _is_stop(toks[q]):
                return False
            w = norms[q]
            bare = w.removeprefix("ال")
            return (
                len(bare) >= 3
                and w not in _VERBS
                and not any(v in reg.common or v.removeprefix("ال") in reg.common for v, _ in _clitic_variants(w))
                and not _is_title_word(w, reg)
                and not _head_kind(w)
                and w not in _TIME_WORDS
                and w not in month_words()
                and (w,) not in reg.aliases  # a known name: the registry and the other rules read it
                and not any(c in toks[q].text for c in "\u064b\u064c\u064d\u0640")
                # a pronoun suffix (ه is never ة here): a noun or verb with its object (بلاده، مقره، وقعتها)
                and not toks[q].text.endswith(("ه", "ها", "هم", "هما"))
            )

        out: list[_Mention] = []
        for k in range(len(toks) - 1):
            if k in covered or toks[k].kind != "word":
                continue
            hv = forms.get(norms[k])  # one look-up per word (the heads with their clitics), not its variants
            if hv is None:
                continue
            j = k + 1
            if norms[j] in _NAME_PARTICLES and j + 1 < len(toks) and j not in covered:
                j += 1
            if not name_word(j):
                continue
            j += 1  # one word: a second is as often the verb or adjective after the name (شركة فلانكو ستبني)
            kind = heads[hv[0]]
            m = _Mention(_skip_clitic(toks[k], hv[1]), toks[j - 1].end, ui, k, j, _HEAD_KIND_TYPE[kind], None,
                         source="head-name")
            m.key = name_key(" ".join([hv[0]] + norms[k + 1 : j]))
            m.tail = norms[j - 1]
            if m.type == "ORG":
                m.sector = _org_heads().get(hv[0]) or _weak_org_heads().get(hv[0])
            else:
                m.name_en = " ".join(t.text for t in toks[k + 1 : j])  # a place is named by its bare name (as gazetteer)
            out.append(m)
            covered.update(range(k, j))
        return out

    def _royal_names(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """An institution or facility head, الملك / الأمير and a person the other rules found (جامعة الملك فلان،
        مركز الملك فلان للأبحاث، مستشفى الأمير فلان بن فلان التخصصي): the body or place named after the king or prince,
        not the person; the mention of the person becomes the named thing's (with one adjective after the name)."""
        toks, norms = unit.tokens, unit.norms
        starts = {m.tok0: m for m in have if m.unit == ui}
        heads = _indefinite_heads()
        for k in range(len(toks) - 2):
            if norms[k + 1] not in _ROYAL or (k + 1) in starts and starts[k + 1].type != "PER":
                continue
            # (also a city or a gate named after a king: مدينة الملك فلان الطبية is a body, باب الملك فلان a place)
            hv = next(((v, c) for v, c in _clitic_variants(norms[k])
                       if heads.get(v) == "ORG" or v in _FACILITY_HEADS or v in _ROUTE_HEADS or v in ("مدينه", "باب")),
                      None)  # fmt: skip
            # (the tagger may have taken the head and the title alone: بمعهد الأمير | فلان)
            lead = starts.get(k)
            if hv is None or (lead is not None and (lead.tok1 != k + 2 or lead.source != "ner")) or any(
                    m.unit == ui and m.tok0 < k < m.tok1 for m in have):
                continue
            person = starts.get(k + 1) or starts.get(k + 2)
            if person is None or person.type != "PER" or _is_common(self.registry, norms[person.tok1 - 1], _arab_given()):
                continue  # (… فلان أشاد: the tagger ran the name into a verb)
            j = person.tok1
            if (j < len(toks) and toks[j].kind == "word" and norms[j].startswith("ال") and norms[j].endswith(("ي", "يه"))
                    and not _is_stop(toks[j]) and norms[j] not in self.registry.nisba and j not in starts):
                j += 1  # … التخصصي، … الطبية، … الدولي
            if (j + 1 < len(toks) and norms[j].startswith("لل") and len(norms[j]) >= 5 and toks[j].kind == "word"
                    and j not in starts and norms[j] not in _NOT_GENITIVE):
                j += 1  # … للإغاثة والأعمال الإنسانية، … للعلوم والتقنية
                while (j < len(toks) and toks[j].kind == "word" and norms[j].startswith(("ال", "وال")) and j not in starts
                       and not _is_stop(toks[j]) and norms[j] not in self.registry.nisba and not _head_kind(norms[j])):
                    j += 1
            have.remove(person)
            if lead is not None:
                have.remove(lead)
            typ = "ORG" if heads.get(hv[0]) == "ORG" or hv[0] == "مدينه" else "LOC"
            m = _Mention(_skip_clitic(toks[k], hv[1]), toks[j - 1].end, ui, k, j, typ, None, source="facility" if typ == "LOC" else "org-head")
            m.key = name_key(" ".join([hv[0], *norms[k + 1 : j]]))
            m.tail = norms[j - 1]
            if typ == "ORG":
                m.sector = _org_heads().get(hv[0]) or _weak_org_heads().get(hv[0])
            have.append(m)
            starts = {x.tok0: x for x in have if x.unit == ui}

    def _named_trophies(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A league, cup, championship or prize named after a person (دوري فلان الفلاني، كأس خادم الحرمين الشريفين،
        جائزة فلان), and one of those or a summit, world cup, forum, conference or festival named after a place (قمة
        فلانة، كأس فلانة 2019، جائزة فلانة الكبرى): the indefinite head and the name are the event's name (MISC), not
        the person or the place."""
        toks, norms = unit.tokens, unit.norms
        for m in [x for x in have if x.unit == ui and x.type in ("PER", "GPE", "LOC") and x.tok0 > 0]:
            k = m.tok0 - 1
            if toks[k].kind != "word" or any(x.unit == ui and x.tok0 <= k < x.tok1 for x in have):
                continue
            # a summit, a world cup, a forum or a festival is named after its place too (قمة فلانة، مونديال فلانة 2018،
            # جائزة فلانة الكبرى), and takes its "grand" and its year
            heads = _TROPHY_HEADS if m.type == "PER" else _TROPHY_HEADS | _MEETING_HEADS
            hv = next(((v, c) for v, c in _clitic_variants(norms[k]) if v in heads), None)
            if hv is None:
                continue
            if m.type != "PER":
                j = m.tok1
                if j < len(toks) and norms[j] in ("الكبري", "الكبير") and not any(x.tok0 == j for x in have if x.unit == ui):
                    j += 1
                if j < len(toks) and toks[j].text.isdigit() and len(toks[j].text) == 4:
                    j += 1
                m.end, m.tok1 = toks[j - 1].end, j
            m.start, m.tok0 = _skip_clitic(toks[k], hv[1]), k
            m.type, m.actor_id, m.country, m.sector, m.name_en = "MISC", None, None, None, None
            m.source = "org-head"
            m.key = name_key(" ".join([hv[0], *norms[k + 1 : m.tok1]]))
            m.alt_key, m.alt_start = "", -1

    def _place_prefixes(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A transliterated direction or saint before a place is part of its name (ساوث فلانة، نورث فلانة، سانتا
        فلانة، سان فلان): the tagger often leaves it out, or takes the prefix alone (سانتا | فلانة)."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        mine = [m for m in have if m.unit == ui]
        taken = {k for m in mine for k in range(m.tok0, m.tok1)}
        for m in mine:
            if m.type not in ("GPE", "LOC"):
                continue
            k = m.tok0 - 1
            if (k >= 0 and k not in taken and toks[k].kind == "word"
                    and any(v in _PLACE_PREFIXES for v, _ in _clitic_variants(norms[k]))):
                cut = next(c for v, c in _clitic_variants(norms[k]) if v in _PLACE_PREFIXES)
                m.start, m.tok0 = _skip_clitic(toks[k], cut), k
                taken.add(k)
            elif (m.tok1 - m.tok0 == 1 and norms[m.tok0] in _PLACE_PREFIXES and m.tok1 < len(toks)
                  and m.tok1 not in taken and toks[m.tok1].kind == "word" and not _is_stop(toks[m.tok1])
                  and not norms[m.tok1].startswith("ال") and norms[m.tok1] not in reg.common):
                m.end, m.tok1 = toks[m.tok1].end, m.tok1 + 1
                taken.add(m.tok1 - 1)
            else:
                continue
            if m.key:
                m.key = name_key(" ".join(norms[m.tok0 : m.tok1]))
            m.alt_key, m.alt_start = "", -1

    def _hashtag_names(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A hashtag of two or more words joined by _ (#الجيش_الوطني، #حائط_البراق، #مدينة_فلان) names one thing: the
        whole tag is a candidate of the type the registry gives its words, else its head noun's kind (ORG, place,
        event), else GeoNames (a place), else the type of a name found inside it. One-word tags are the registry's
        and the gazetteer's (#صعدة)."""
        toks, norms = unit.tokens, unit.norms
        reg = self.registry
        out: list[_Mention] = []
        k = 0
        while k < len(toks) - 3:
            if toks[k].text != "#" or toks[k + 1].kind != "word":
                k += 1
                continue
            idx = [k + 1]
            while (idx[-1] + 2 < len(toks) and toks[idx[-1] + 1].text == "_" and toks[idx[-1] + 2].kind == "word"
                   and toks[idx[-1] + 1].start == toks[idx[-1]].end and toks[idx[-1] + 2].start == toks[idx[-1] + 1].end):
                idx.append(idx[-1] + 2)
            a, b = idx[0], idx[-1] + 1
            k = b
            if len(idx) < 2:
                continue
            inner = [m for m in have if m.unit == ui and m.tok0 < b and a < m.tok1]
            if any(m.tok0 < a - 1 or m.tok1 > b or (m.tok0 <= a and m.tok1 >= b) for m in inner):
                continue  # named already, or inside a longer name (قوات #التحالف_العربي)
            words = tuple(norms[i] for i in idx)
            typ, aid = None, reg.aliases.get(words)
            if aid:
                typ = reg.actors[aid].type
            elif kind := _head_kind(words[0]):
                typ = _HEAD_KIND_TYPE[kind]
            else:
                gaz = _place_gazetteer()
                if gaz is not None and gaz.lookup_ar(" ".join(toks[i].text for i in idx)):
                    typ = "GPE"
                elif inner and 2 * sum(min(m.tok1, b) - max(m.tok0, a) for m in inner) >= b - a:
                    # a name inside half the tag or more (#قرية_فلانة); a sentence of a tag (#فلانة_تطرد_السفير) is none
                    typ = max(inner, key=lambda m: m.tok1 - m.tok0).type
            if typ is None:
                continue
            m = _Mention(toks[a].start, toks[b - 1].end, ui, a, b, typ, aid, source="hashtag")
            m.key = name_key(" ".join(words))
            m.tail = words[-1]
            if aid:
                m.country = reg.actors[aid].country
            out.append(m)
        return out

    def _quoted_names(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """An organisation head and a quoted name (موقع "سايت"، مجموعة "حنينو"، منظمة "مراسلون بلا حدود"، صحيفة
        «الزمان»): the words between the quotes name an organisation, whatever they mean as words."""
        toks, norms = unit.tokens, unit.norms
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out: list[_Mention] = []
        for k in range(len(toks) - 3):
            if toks[k].kind != "word" or toks[k + 1].text not in _OPEN_QUOTES:
                continue
            if not any(v.removeprefix("ال") in _QUOTED_HEADS for v, _ in _clitic_variants(norms[k])):
                continue
            j = next((q for q in range(k + 2, min(len(toks), k + 8)) if toks[q].text in _CLOSE_QUOTES), None)
            if j is None or j == k + 2 or any(q in covered for q in range(k + 2, j)):
                continue
            name = norms[k + 2 : j]
            if any(toks[q].kind == "sym" and toks[q].text not in ("-", "_", ".") for q in range(k + 2, j)):
                continue
            if any(c in toks[q].text for q in range(k + 2, j) for c in "\u064b\u064c\u064d") or (
                len(name) == 1 and name[0] in self.registry.common and not name[0].startswith("ال")
            ):
                continue  # جماعة "إرهابية"، "خطرة تماماً": a quoted description, not a name
            m = _Mention(toks[k + 2].start, toks[j - 1].end, ui, k + 2, j, "ORG", None, source="quoted")
            m.key = name_key(" ".join(name))
            m.tail = norms[j - 1]
            # قناة "العربية" is the registry's قناة العربية
            head = next(v for v, _ in _clitic_variants(norms[k]) if v.removeprefix("ال") in _QUOTED_HEADS)
            aid = self.registry.aliases.get((head.removeprefix("ال"), *name)) or self.registry.aliases.get(tuple(name))
            if aid and self.registry.actors[aid].type == "ORG":
                m.actor_id = aid
            elif head.removeprefix("ال") in _MEDIA_HEADS:
                m.sector = "MED"
            out.append(m)
            covered.update(range(k + 2, j))
        return out

    def _country_bodies(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A body named by an indefinite head and the country or city it belongs to (حكومة مالي، منتخب
        فرنسا، سفارة روسيا، جامعة القاهرة، تلفزيون الكويت): one organisation, of that place's country."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out = []
        for place in [m for m in have if m.unit == ui and m.type in ("GPE", "LOC") and m.tok0 > 0]:
            k = place.tok0 - 1
            if k > 0 and norms[k] in ("مدينه", "ولايه") and k - 1 not in covered:
                k -= 1  # شرطة مدينة فلان: the body of the city
            if k in covered or toks[k].kind != "word" or norms[k] in _LED_BY:
                continue  # (برئاسة فلان: chaired by the place, not its presidency)
            hv = next(((v, c) for v, c in _clitic_variants(norms[k]) if v in _BODY_HEADS), None)
            if hv is None or (k > 0 and roles_mod.head_sector(norms[k - 1])):
                continue  # رئيس حكومة لبنان: the office, not the body
            a = reg.actors.get(place.actor_id or "")
            country = place.country or (a.country if a else None)
            if country is None and (a is not None or place.source != "ner"):
                continue
            m = _Mention(_skip_clitic(toks[k], hv[1]), place.end, ui, k, place.tok1, "ORG", None, source="org-head")
            m.key = name_key(" ".join([hv[0], *norms[place.tok0 : place.tok1]]))
            m.country = country
            m.sector = _BODY_HEADS[hv[0]]
            out.append(m)
            covered.add(k)
        return out

    def _headed_orgs(self, ui: int, unit: _Unit, have: list[_Mention], *, weak: bool = False) -> list[_Mention]:
        """Institutions named by an indefinite head noun (``name_heads.tsv``, kind ORG) and a genitive chain of one to
        three definite words: مجلس النواب، هيئة الأوراق المالية، جامعة الملك سعود، لجنة الصليب الأحمر. The head
        must open the phrase (not وزير الخارجية's second word) and the chain ends at a stop word or punctuation.
        With ``weak``, the heads whose chains are as often phrases (هيئة الإذاعة، لجنة الانتخابات, but also
        قوات الأمن): candidates only the entity model may keep (``source="org-head-weak"``)."""
        toks, norms = unit.tokens, unit.norms
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        heads = _weak_org_heads() if weak else _org_heads()
        out: list[_Mention] = []
        nxt = 0  # the first token after the last name found
        # only the tokens that are a head can open a name (the rest of the loop's tests read ``covered`` as it grows)
        for k in [q for q in range(len(toks) - 1) if _org_head(norms[q], weak) is not None]:
            if k < nxt:
                continue
            hv = _org_head(norms[k], weak)
            if (hv is None or k in covered or toks[k].kind != "word" or norms[k] in _LED_BY
                    or (k > 0 and roles_mod.head_sector(norms[k - 1]))):
                continue
            j = k + 1
            if self._chain_noun(toks, norms, j, covered):
                j += 1  # an indefinite noun opens a longer chain (رئاسة أمن الدولة، إدارة شؤون الفلان)
            while (j < len(toks) and j - k <= 3 and j not in covered and toks[j].kind == "word"
                   and norms[j].startswith("ال") and not _is_stop(toks[j]) and norms[j] not in _TIME_WORDS
                   and norms[j] not in ("التي", "الذي") and not any(c in toks[j].text for c in "\u064b\u064c\u064d")):
                j += 1
            if j == k + 2 and not norms[k + 1].startswith("ال"):
                j = k + 1  # the indefinite noun alone names nothing
            # a party's description is not its name (حزب فلان المعارض، الحاكم)
            while j > k + 2 and norms[j - 1] in _DESCRIPTORS:
                j -= 1
            # a party name's second member joined by و (حزب العدالة والتنمية): one more definite word, when it opens no
            # body, place or name of its own (… والحكومة، … والهيئة الوطنية are the next actor)
            if (hv[0] == "حزب" and j > k + 1 and j < len(toks) and j - k <= 3 and j not in covered and toks[j].kind == "word"
                    and norms[j].startswith("وال") and len(norms[j]) > 5 and not _head_kind(norms[j])
                    and norms[j][1:] not in _INSTITUTIONS and norms[j][1:] not in self.registry.nisba
                    and (norms[j][1:],) not in self.registry.aliases and (norms[j][3:],) not in self.registry.aliases):
                j += 1
            if j == k + 1:
                continue
            m = _Mention(_skip_clitic(toks[k], hv[1]), toks[j - 1].end, ui, k, j, "ORG", None,
                         source="org-head-weak" if weak else "org-head")
            m.key = name_key(" ".join([hv[0]] + norms[k + 1 : j]))
            m.sector = heads[hv[0]]
            m.tail = norms[j - 1]
            if norms[j - 1] in self.registry.nisba:
                m.country = self.registry.nisba[norms[j - 1]]
            out.append(m)
            covered.update(range(k, j))
            nxt = j
        return out

    def _chain_noun(self, toks: list, norms: list[str], q: int, covered: set[int]) -> bool:
        """Token q is an indefinite common noun in construct after a body's head, the first link of a genitive
        chain that a definite word closes (رئاسة | أمن الدولة، هيئة | أمن الموانئ، معهد | إدارة الفلان): a word of
        the language (the corpus list), not a name, adjective, verb, title, time word or a word with a pronoun."""
        if q + 1 >= len(toks) or q in covered or toks[q].kind != "word" or _is_stop(toks[q]):
            return False
        w, reg = norms[q], self.registry
        if (w.startswith("ال") or len(w) < 3 or w in _VERBS or w in reg.nisba or w.endswith(("ي", "يه"))
                or w in _TIME_WORDS or _is_title_word(w, reg) or (w,) in reg.aliases
                or toks[q].text.endswith(("ه", "ها", "هم", "هما"))
                or any(c in toks[q].text for c in "\u064b\u064c\u064d\u0640")):
            return False
        # جسر الملك فلان، مركز الأمير فلان: the royal rule names the place after the king
        return w in reg.common and norms[q + 1].startswith("ال") and norms[q + 1] not in ("الملك", "الامير")

    def _named_groups(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out = []
        for i, w in enumerate(norms):
            if i in covered or len(w) < 3:
                continue
            forms = [(v, c) for v, c in _clitic_variants(w) if v in _GROUP_HEADS]
            if not forms or (i > 0 and roles_mod.head_sector(norms[i - 1])):
                continue
            if i + 1 < len(norms) and (norms[i + 1] in _GROUP_HEADS or _head_kind(norms[i + 1]) == "ORG"):
                continue  # قوات ألوية فلان: the named body starts at its own head (ألوية is no definite word)
            j = i + 1
            while j < len(norms) and j - i <= 3 and j not in covered:
                n = norms[j]
                if toks[j].kind != "word" or not n.startswith("ال") or n in _GROUP_GENERIC or n in reg.nisba:
                    break
                if n in _STOP or roles_mod.head_sector(n):
                    break
                j += 1
            if j == i + 1:
                continue
            _, cut = forms[-1]
            m = _Mention(_skip_clitic(toks[i], cut), toks[j - 1].end, ui, i, j, "ORG", None, source="group")
            m.key = name_key(" ".join([forms[-1][0]] + norms[i + 1 : j]))
            m.sector = "REB"
            out.append(m)
            covered.update(range(i, j))
        return out

    def _national_branches(self, ui: int, unit: _Unit, have: list[_Mention]) -> None:
        """A society's head (منظمة، جمعية، هيئة), a known international body and a nisba (جمعية الهلال الأحمر الفلانية،
        منظمة الصليب الأحمر الفلاني): the country's own branch, one organisation of that country, not the international
        body. (A newspaper and its country's adjective, صحيفة فلان تايمز الأمريكية, stays the paper.)"""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        for m in have:
            if m.unit != ui or m.source != "registry" or m.type != "ORG" or m.tok0 == 0 or m.tok1 >= len(toks):
                continue
            k, n = m.tok0 - 1, m.tok1
            head = next((c for v, c in _clitic_variants(norms[k]) if v in ("منظمه", "جمعيه", "هييه")), None)
            if head is None or norms[n] not in reg.nisba or any(x.unit == ui and x.tok0 <= n < x.tok1 for x in have):
                continue
            m.start, m.end, m.tok0, m.tok1 = _skip_clitic(toks[k], head), toks[n].end, k, n + 1
            m.key = name_key(" ".join(norms[k : n + 1]))
            m.actor_id, m.source, m.country, m.tail = None, "org-head", reg.nisba[norms[n]], norms[n]

    def _mined_orgs(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """Companies, outlets, clubs and groups by a name the unlabelled news writes after a head of their kind
        (``lexicons/org_names.tsv``, :mod:`marsad.entities.org_mining`): توتال، فولكسفاغن، فوربس. The longest name
        of up to three words, a proclitic allowed on its first; a tagger span of exactly those words is retyped."""
        toks, norms = unit.tokens, unit.norms
        names = load_org_names()
        firsts = _org_name_firsts()
        covered = {k: m for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        out: list[_Mention] = []
        k = 0
        while k < len(toks):
            hit = None
            w0 = norms[k]
            if toks[k].kind == "word" and (w0 in firsts or w0[1:] in firsts or w0[2:] in firsts):
                for n in (3, 2, 1):
                    if k + n > len(toks) or any(toks[q].kind != "word" for q in range(k, k + n)):
                        continue
                    for v, cut in _clitic_variants(norms[k]):
                        key = " ".join([v, *norms[k + 1 : k + n]])
                        if key in names:
                            hit = (n, cut, key)
                            break
                    if hit:
                        break
            if hit is None:
                k += 1
                continue
            n, cut, key = hit
            j = k + n
            inside = {id(covered[q]): covered[q] for q in range(k, j) if q in covered}
            if inside:
                (m0,) = inside.values() if len(inside) == 1 else (None,)
                if (
                    m0 is None
                    or m0.source != "ner"
                    or m0.tok0 != k
                    or m0.tok1 < j
                    # توتال النفطية: the tagger ran the name on into its description, the name is the company's
                    or any(not norms[q].startswith("ال") or _head_kind(norms[q]) for q in range(j, m0.tok1))
                ):
                    k = j
                    continue
                if m0.tok1 > j:
                    m0.end, m0.tok1, m0.tail = toks[j - 1].end, j, norms[j - 1]
                    m0.key = name_key(" ".join(norms[m0.tok0 : j]))
                m0.type, m0.sector = "ORG", names[key]  # توماس كوك tagged as a person: the company
                k = j
                continue
            m = _Mention(_skip_clitic(toks[k], cut), toks[j - 1].end, ui, k, j, "ORG", None, source="org-name")
            m.key = name_key(key)
            m.sector = names[key]
            m.tail = norms[j - 1]
            out.append(m)
            k = j
        return out

    def _shape_names(self) -> frozenset[str]:
        """Given names the name-shape rule starts from: the curated and registry ones, and the Arabic ones that are
        no common word (أمل is hope). Built once per stage."""
        names = getattr(self, "_shape_names_cache", None)
        if names is None:
            names = _first_names() | (_arab_given() - self.registry.common)
            self._shape_names_cache = names
        return names

    def _family_name(self, s: str, given: str) -> bool:
        """A definite word after a given name that is an Arabic family name (منى الفلاني), not a noun or adjective
        the name is the subject of: the given name is an Arabic one, and the word without its article is no common
        word of the news (the corpus list), title, nisba, place or organisation."""
        reg = self.registry
        bare = s[2:]
        return (
            s.startswith("ال")
            and len(bare) >= 3
            and given in _arab_given()
            and given not in reg.common
            and s not in _TIME_WORDS
            and not _is_title_word(s, reg)
            and not _is_title_word(bare, reg)
            and (bare,) not in reg.aliases
            and not _is_place_or_org(reg, s)
        )

    def _name_shapes(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """People the tagger missed, by the shape of a name: a known given name and the word after it (a
        transliterated surname: بيتر ماورر), right after a title, an organisation or a reporting verb, or right
        before a reporting verb. The surname must be no common word, title, place or stop word."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        covered = {k: m for m in have if m.unit == ui for k in range(m.tok0, m.tok1)}
        names = self._shape_names()
        out = []
        for k in range(len(norms) - 1):
            w = norms[k]
            if k in covered or toks[k].kind != "word" or _is_stop(toks[k]) or w in _NASAB:
                continue
            if w.startswith("ال") and not toks[k].text.startswith(("آل", "أل", "إل")):
                continue  # الآن is "now", آلان is Alain: only the hamza tells them apart
            cut = 0
            if w not in names:
                if w[:1] == "و" and w[1:] in names and len(w) > 3:
                    cut = 1
                else:
                    continue
            j = k + 1
            if toks[j].text == "_" and j + 1 < len(norms):
                j += 1  # #سيرغي_سكريبال
            s = norms[j]
            if (
                j in covered
                or toks[j].kind != "word"
                or len(s) < 3
                or _is_stop(toks[j])
                or _is_common(reg, s, names)
                or _is_title_word(s, reg)
                or (s,) in reg.aliases
                or toks[j].text.endswith("ة")  # ميتة, a noun: transliterated surnames do not end in ة
                # the article is written with a plain alif: أل/إل start a foreign name (ألين), not ال
                or (
                    s.startswith(("ال", "لل"))
                    and not toks[j].text.startswith(("أل", "إل"))
                    and not self._family_name(s, w[cut:])
                )
            ):
                continue
            j = _extend_nasab(unit, j + 1)
            prev = norms[k - 1] if k > 0 else ""
            before = (
                k > 0
                and (
                    prev in _VERBS
                    or prev in _STOP  # على سيرغي سكريبال، مع جون سميث
                    or toks[k - 1].text in _RAW_STOP
                    or toks[k - 1].text == "#"  # a hashtag of a full name
                    or prev in _KIN
                    or (prev[:1] == "و" and prev[1:] in _KIN)
                    or _is_title_word(prev, reg)
                    or roles_mod.is_modifier(prev)
                    or (k - 1 in covered and covered[k - 1].type in ("ORG", "GPE"))
                )
            )
            after = j < len(norms) and norms[j] in _VERBS
            # an apposition after a definite phrase, closed by a comma (رئيس الصليب الأحمر فلان الفلاني، …)
            before = before or (
                prev.startswith("ال") and j < len(norms) and toks[j].text in ("،", ",") and not cut
            )
            if not (before or after) or (cut and not after):
                continue
            m = _Mention(
                _skip_clitic(toks[k], cut), toks[j - 1].end, ui, k, j, "PER", None,
                name_key(" ".join([w[cut:]] + norms[k + 1 : j])), source="name-shape",
            )  # fmt: skip
            m.tail = norms[j - 1]
            aid = reg.person_keys.get(m.key)
            if aid:
                m.actor_id, m.source = aid, "registry-key"
            out.append(m)
            covered.update({q: m for q in range(k, j)})
        return out


def _relational_adjective(w: str, reg: Registry) -> bool:
    """A definite relational adjective (الإقليمي، الفرنسية): a nisba the registry knows, or the -ي / -ية form."""
    return w.startswith("ال") and (w in reg.nisba or w.endswith(("ي", "يه")))
