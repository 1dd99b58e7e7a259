"""Shared by the entity stage's parts (:mod:`.stage` and its rooms :mod:`.matching`, :mod:`.ner_spans`,
:mod:`.patterns`, :mod:`.passes`, :mod:`.resolve`): the sentence units and mention records, the word lists that are
still code, and the small helpers over tokens, clitics and the registry."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marsad.data import Article, Span
from marsad.entities import roles as roles_mod
from marsad.entities.lexicon import load_map, load_words
from marsad.entities.registry import Registry, load_registry
from marsad.lang.ar.dates import weekday_words
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import _TOKEN_RE, Token, strip_clitics

log = logging.getLogger(__name__)

_JOINERS = {"_", "-", "#", "–"}
_QUOTES = set("\"'«»“”‘’")
_LOCATIVE = {normalize(w) for w in ("في", "داخل", "إلى", "من", "عبر", "قرب", "بين", "عاصمة", "مدينة")}
_ORG_HEADS = {k: v[0] for k, v in load_map("org_head_sectors.tsv", 2).items()}
_MINISTRY_DOMAINS = {k: str(v[0]) for k, v in load_map("ministry_domains.tsv", 2).items()}
# الموارد is resources of any kind: the next word says which (وزارة الموارد البشرية is not the water ministry)
_RESOURCES = {normalize(k): v for k, v in (("المائية", "Water Resources"), ("البشرية", "Human Resources"),
                                           ("الطبيعية", "Natural Resources"), ("المعدنية", "Mineral Resources"))}
# heads of facilities named after their place (مطار الحديدة): normalised, without the article
_FACILITY_HEADS = {normalize(w) for w in ("مطار", "ميناء", "قاعدة", "معبر", "جسر", "ملعب", "استاد", "ستاد", "سد",
                                           "مخيم", "سجن", "مستشفى", "جامع", "قلعة")}  # fmt: skip
# Armed and political groups named by a head and a definite name: كتيبة التوحيد، لواء الإسلام، قوات المغاوير.
_GROUP_HEADS = load_words("group_heads.txt")
# names that make the phrase generic rather than a named group (قوات الأمن، جيش الاحتلال)
_GROUP_GENERIC = load_words("group_generic.txt")
# words that continue a ministry's name after its domain (وزارة الزراعة والري، وزارة الثقافة والشباب)
_MINISTRY_WORDS = load_words("ministry_words.txt")
_STOP = {
    "في", "من", "على", "الى", "عن", "مع", "ان", "او", "و", "ثم", "قد", "لا", "ما", "هذا", "هذه", "التي", "الذي",
    "كان", "كانت", "قال", "وقال", "اليوم", "امس", "يوم", "عام", "العام", "بعد", "قبل", "خلال", "حول", "ذلك", "تلك",
    "هو", "هي", "بين", "كما", "لم", "لن", "اي", "كل", "بعض", "غير", "عند", "حتى", "اذا", "الا", "منذ", "نحو", "وفق",
    "وفقا", "ايضا",
} | weekday_words()  # fmt: skip

# Raw (unnormalised) prepositions that fold onto names: على → علي, إلى → الي.
_RAW_STOP = {"على", "إلى", "حتى", "لدى", "متى", "سوى", "مدى", "أنا", "إنه", "أنه", "إن", "أن", "بأن", "لأن", "وأن",
             "فإن", "وإن", "كأن", "لكن", "ولكن", "لصالح"}  # fmt: skip
# Reporting and common verbs that the tagger sometimes pulls into a person span (أوضحت ماي، ويرى سليمان).
_VERBS = load_words("person_verbs.txt")
_NASAB = {"بن", "ابن", "بنت", "ال"}
_FAMILY_NAME_FIRST = {"CHN", "TWN", "KOR", "PRK", "VNM", "HKG"}  # normalised; آل folds to ال
# Institutions named by a head and a nisba: البرلمان الإيراني, السفارة الروسية, جهاز المخابرات الكندي.
_INSTITUTIONS = {k: (str(v[0]), v[1]) for k, v in load_map("institutions.tsv", 3).items()}

# particles inside European names (فون دير لاين، فان خال، دي ميستورا): never the last word of a name
_PARTICLES = {"فون", "فان", "دي", "دو", "دا", "در", "دير", "ده", "لا", "لو", "ديلا", "ديل"}
# kinship nouns that stand right before a person's name (وابنته فلانة)
_KIN = load_words("kin_nouns.txt")
# place names the registry cannot decide alone → the actor ids of their readings, the usual one first
_AMBIGUOUS_PLACES = {
    "عمان": ("cap:JOR", "OMN"),
    # a capital that is also a word or a given name is read as the capital only where the article names its
    # country (كوريا، الكوري): سيول are floods, صوفيا a girl, elsewhere
    "سيول": ("cap:KOR",),
    "صوفيا": ("cap:BGR",),
}
_AMBIGUOUS_ENDS = frozenset(len(k) for k in _AMBIGUOUS_PLACES)


@lru_cache(maxsize=1 << 16)
def _may_be_ambiguous_place(w: str) -> bool:
    """Whether a normalised word ends in one of those names (the cheap test asked of every token)."""
    return any(w[-n:] in _AMBIGUOUS_PLACES for n in _AMBIGUOUS_ENDS)

# a place name that opens an idiom is no place there: مسقط رأس فلان is his birthplace, not Muscat
_IDIOMS = frozenset({("مسقط", "راس"), ("الرباط", "الصليبي")})  # birthplace; the cruciate ligament

_warned = False
HOME_WEIGHT = 4


@dataclass
class _Mention:
    start: int  # char offsets of the name (leading clitic excluded where it can be)
    end: int
    unit: int  # index of the sentence/title unit
    tok0: int  # token indices in that unit [tok0, tok1)
    tok1: int
    type: str
    actor_id: str | None = None
    key: str = ""
    source: str = "registry"
    metonym: bool = False
    country: str | None = None
    sector: str | None = None
    name_en: str | None = None
    tail: str = ""  # normalised last token (NER spans)
    alt_key: str = ""  # key without a leading clitic (NER spans)
    alt_start: int = -1
    place_id: str | None = None  # the capital behind a government metonym (القاهرة → Egypt)
    no_country: bool = False  # an ambiguous place name (عمان) with no evidence: guess no country for it


@dataclass
class _Unit:
    start: int
    end: int
    tokens: list[Token]
    norms: list[str]
    kind: str  # title | sent


def roles_for(reg: Registry, unit: _Unit, m: _Mention) -> Span | None:
    """The role phrase right before the name (…وزير الخارجية الكندي "فلان") or after it as an apposition."""
    toks = unit.tokens
    # backwards, skipping quote marks
    k = m.tok0 - 1
    while k >= 0 and toks[k].text in _QUOTES:
        k -= 1
    if (
        k >= 1
        and toks[k].text in ("،", ",")
        and roles_mod.is_modifier(unit.norms[k - 1])
        or (k >= 1 and toks[k].text in ("،", ",") and unit.norms[k - 1] in reg.nisba)
    ):
        k -= 1  # وزير الخارجية الروسي، سيرغي لافروف
    span = _role_run(reg, unit, k, -1)
    if span is None:
        k = m.tok1
        while k < len(toks) and toks[k].text in _QUOTES:
            k += 1
        if k < len(toks) and toks[k].text in ("،", ","):
            span = _role_run(reg, unit, k + 1, 1)
        elif k < len(toks) and roles_mod.head_sector(unit.norms[k]) == "MED":
            # a reporter's credit needs no comma (فلان الفلاني مراسل سكاي نيوز في برلين): the outlet in it gives the
            # journalist's country, not the dateline; other titles right after a name are more often an object
            # (التقى ترامب رئيس الوزراء)
            span = _role_run(reg, unit, k, 1)
    return span


def _role_run(reg: Registry, unit: _Unit, k: int, step: int) -> Span | None:
    norms, toks = unit.norms, unit.tokens
    run: list[int] = []
    while 0 <= k < len(toks) and len(run) < 10:
        w = norms[k]
        if toks[k].kind == "sym" and toks[k].text not in ("-",):
            break
        if roles_mod.head_sector(w) or roles_mod.is_modifier(w) or w in reg.nisba or _is_place_or_org(reg, w):
            run.append(k)
            k += step
            continue
        break
    if not run:
        return None
    run.sort()
    heads = [i for i in run if roles_mod.head_sector(norms[i])]
    if not heads:
        return None
    if step == -1:
        run = [i for i in run if i >= heads[0]]
    else:
        # an apposition starts with its head
        if run[0] != heads[0]:
            return None
    # trailing linkers are not part of the title
    while run and norms[run[-1]] in roles_mod.LINKERS:
        run.pop()
    if not run:
        return None
    if len(run) == 1 and norms[run[0]][:1] == "و" and norms[run[0]][1:] in roles_mod.HEADS:
        return None  # "فلان الفلاني ورئيس …": a coordinated head, not this person's title
    country = None
    for i in run:
        w = norms[i]
        if w in reg.nisba:
            country = reg.nisba[w]
        else:
            for v in (w, strip_clitics(w, min_stem=2)[1]):
                aid = reg.aliases.get((v,))
                a = reg.actors.get(aid or "")
                if a and a.country and a.type in ("GPE", "ORG"):
                    country = country or a.country
    head = norms[heads[-1]]
    sector = roles_mod.head_sector(head)
    if sector == "GOV" and any(
        norms[i] in ("الجيش", "القوات", "الاركان", "العسكري", "العسكريه") for i in run
    ):
        sector = "MIL"
    attrs = {"head": head, "sector": sector if sector != "SPY" else None}
    if country:
        attrs["country"] = country
    return Span(toks[run[0]].start, toks[run[-1]].end, "role", attrs)


def _is_place_or_org(reg: Registry, w: str) -> bool:
    for v in (w, strip_clitics(w, min_stem=2)[1]):
        aid = reg.aliases.get((v,))
        a = reg.actors.get(aid or "")
        if a and a.type in ("GPE", "ORG"):
            return True
    return False


# و/ف + ب/ك/ل before the article ال, or لل (ل + ال with the alif dropped): never part of a name
_ARTICLE_CLITIC = re.compile(r"^((?:[وف]?[بكل])(?=ال\w{3})|[وف](?=ال\w{3})|[وف]?لل(?=\w{3}))")


# "led by", "chaired by" (ب + a verbal noun): what follows is the leader, the phrase is no name and no body's head
# (التحالف بقيادة فلان، اجتماع برئاسة فلان)
_LED_BY = frozenset(normalize(w) for w in ("برئاسة", "بقيادة", "بزعامة", "وبرئاسة", "وبقيادة", "وبزعامة"))


def _nisba_country(reg: Registry, unit: _Unit, k: int, k_prev: int) -> tuple[int, str, int] | None:
    """A country whose name is also its adjective (السعودية، سورية) when the word is no adjective here: with a
    proclitic (والسعودية، بسورية), or not after a word it could agree with (الحكومة السعودية, مصادر سورية)."""
    w = unit.norms[k]
    for v, cut in _clitic_variants(w):
        aid = reg.nisba_names.get(v)
        if aid is None:
            continue
        prev = unit.tokens[k - 1] if k > 0 else None
        if cut or w.startswith(("لل", "ولل")) or prev is None or prev.kind != "word" or k_prev != k - 1:
            return (1, aid, cut)
        pn = prev.norm
        if pn in _STOP or prev.text in _RAW_STOP or pn in _VERBS or pn in _LOCATIVE:
            return (1, aid, cut)
        if v.startswith("ال") and not pn.startswith(("ال", "لل")):
            # دعم السعودية، بقيادة السعودية: the definite form after an indefinite noun is the country (an
            # indefinite noun takes no definite adjective, whatever its gender)
            return (1, aid, cut)
        return None
    return None


def _is_common(reg: Registry, w: str, names: frozenset[str]) -> bool:
    """A reporting verb or a common noun/adjective (corpus list): never the first or last word of a name."""
    if w in _NASAB:
        return False  # بن، آل belong to names
    if w in _VERBS:
        return True
    if w in names:
        return False
    for v, _ in _clitic_variants(w):
        if v in reg.common and v not in names:
            return True
    return False


def _is_title_word(w: str, reg: Registry) -> bool:
    return bool(roles_mod.head_sector(w)) or w in roles_mod.MODIFIERS or w in reg.nisba


def _skip_clitic(tok: Token, n_norm: int) -> int:
    """Start offset of ``tok`` after ``n_norm`` normalised clitic letters (diacritics after them skipped too)."""
    if n_norm <= 0:
        return tok.start
    seen = 0
    for k, ch in enumerate(tok.text):
        if normalize(ch):
            if seen == n_norm:
                return tok.start + k
            seen += 1
    return tok.start


def _first_alias(reg: Registry, aid: str | None) -> str | None:
    a = reg.actors.get(aid or "")
    if not a:
        return None
    return max(a.ar, key=lambda s: len(s.split())) if a.ar else None


def _dedupe(mentions: list[_Mention]) -> list[_Mention]:
    out: list[_Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue  # overlapping: the earlier (and, at equal start, longer) one wins
        out.append(m)
    return out


def _country_in_name(reg: Registry, units: list[_Unit], ms: list[_Mention]) -> str | None:
    for u, m in zip(units, ms, strict=True):
        for k in range(m.tok0, m.tok1):
            w = u.norms[k]
            if w in reg.nisba:
                return reg.nisba[w]
            for v in (w, strip_clitics(w, min_stem=2)[1]):
                a = reg.actors.get(reg.aliases.get((v,)) or "")
                if a and a.country and a.type == "GPE":
                    return a.country
    return None


def _org_sector(norm_name: str) -> str | None:
    words = norm_name.split()
    if not words:
        return None
    first = strip_clitics(words[0], min_stem=2)[1] if words[0] not in _ORG_HEADS else words[0]
    if first == "وكاله" and len(words) > 1 and re.match(r"(ل?ال)?انباء", words[1]):
        return "MED"
    return _ORG_HEADS.get(first)


_NOT_NAMES = {"الله", "الاسلام", "الاسلاميه", "المسيح", "القران"}


# mention sources whose candidates only the learned keep/drop model may keep (marsad.entities.decide)
_MODEL_ONLY = frozenset({"head-adj", "org-head-weak", "head-name"})


def _keep_unlinked(typ: str, ms: list[_Mention], longest: str) -> bool:
    """Precision filter for names only NER found: a single word tagged MISC (اليورانيوم), or tagged PER once
    (سعيد, مزدوج), is far more often a tagging error than an event or a person, unless it joined a full name."""
    n = normalize(longest)
    if all(m.source in _MODEL_ONLY for m in ms):
        return False  # a pattern whose matches are mostly descriptions: without the entity model, none is a name
    if n in _NOT_NAMES or len(re.sub(r"[^\u0621-\u064a]|^ال", "", n)) < 2:
        return False  # "الـ15" and other numbers are not names
    single = all(m.tok1 - m.tok0 == 1 for m in ms)
    if (
        typ == "PER"
        and single
        and n.startswith("ال")
        and n.endswith("ه")
        and all(m.source == "ner" for m in ms)
    ):
        return False  # الكاتدرائية, الحكومة: a definite feminine noun alone is no person (family names rarely end in ة)
    if single and not any(m.source in ("surname", "registry-key") for m in ms):
        if typ == "MISC" or (typ == "PER" and len(ms) < 2):
            return False
    return True


def _nisba_before(reg: Registry, unit: _Unit, m: _Mention, name_ends: frozenset[int] = frozenset()) -> str | None:
    """A person's nationality from the adjective right before the name (الفرنسي كريم بنزيمة، اللاعب البرازيلي …,
    والبرتغالي …), or one definite word before it (الزعيم الكوبي الراحل فيدل كاسترو); quote marks and hashtag
    joiners are skipped, anything else (punctuation, a preposition: وكالة الأنباء الفرنسية عن …) ends the look.
    An adjective inside or right after another name (token indices in ``name_ends``) is that name's (لجامعة
    كوينزلاند الأسترالية فلان)."""
    toks, norms = unit.tokens, unit.norms
    k, words = m.tok0 - 1, 0
    while k >= 0 and words < 2:
        if toks[k].text in _QUOTES or toks[k].text in _JOINERS:
            k -= 1
            continue
        if toks[k].kind != "word":
            return None
        for v, _ in _clitic_variants(norms[k]):
            if v in reg.nisba:
                return None if k in name_ends else reg.nisba[v]
        if not norms[k].startswith("ال"):
            return None
        words += 1
        k -= 1
    return None


# the Arab League's members: a transliterated foreign name is seldom a citizen of one, an Arabic name seldom of another
ARAB_STATES = frozenset(
    "DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM".split()
)
# …and the countries where Arabic given names are common too (علي شمخاني is Iranian)
ARABIC_NAME_STATES = ARAB_STATES | frozenset(
    "IRN TUR PAK AFG AZE BGD IDN MYS TJK UZB KAZ KGZ TKM SEN MLI NER TCD GIN GMB BFA".split()
)


def _name_origin(norms: list[str]) -> str | None:
    """``"ar"`` for an Arabic name (a common Arabic given name, عبد…, بن/أبو, a definite surname: أحمد الفريدي),
    ``"foreign"`` for a transliterated one of two words or more with none of these (سيرخيو راموس), else None.
    Hand-written: no library tells the two apart in Arabic script; the given names are data
    (``lexicons/arab_given_names.txt``)."""
    from marsad.entities.lexicon import load_words

    given = load_words("arab_given_names.txt")
    words = [w for w in norms if w]
    if not words:
        return None
    for w in words:
        bare = w[1:] if w[:1] in "وبل" and len(w) > 3 and w[1:] in given else w
        if bare in given or bare.startswith("عبد") or bare in ("بن", "ابن", "ابو", "ابي", "بنت"):
            return "ar"
        if bare.startswith("ال") and len(bare) > 4:
            return "ar"
    return "foreign" if len(words) >= 2 else None


def _country_nearby(reg: Registry, unit: _Unit, m: _Mention) -> str | None:
    """Country of a place from its sentence: a nisba right after it (سالزبري البريطانية), else the nearest
    country or registry place named within a few words (كوينزلاند في أستراليا)."""
    norms = unit.norms
    if m.tok1 < len(norms) and norms[m.tok1] in reg.nisba:
        return reg.nisba[norms[m.tok1]]
    best: tuple[int, str] | None = None
    for k in range(max(0, m.tok0 - 6), min(len(norms), m.tok1 + 6)):
        if m.tok0 <= k < m.tok1:
            continue
        for v, _ in _clitic_variants(norms[k]):
            a = reg.actors.get(reg.aliases.get((v,)) or "")
            if a and a.type == "GPE" and a.country:
                d = abs(k - m.tok0)
                if best is None or d < best[0]:
                    best = (d, a.country)
                break
    return best[1] if best else None


_norm_cached = lru_cache(maxsize=1 << 17)(normalize)


@lru_cache(maxsize=1)
def _org_heads() -> dict[str, str | None]:
    """Indefinite institution heads (normalised) → sector; definite forms (الحكومة) belong to _institutions."""
    from marsad.entities.lexicon import load_heads

    return {k: h.sector for k, h in load_heads().items() if h.kind == "ORG" and h.complete}


@lru_cache(maxsize=1)
def _weak_org_heads() -> dict[str, str | None]:
    """Indefinite ORG heads whose genitive chains are as often phrases as names (هيئة، لجنة، مركز، وكالة:
    ``complete`` no in ``name_heads.tsv``) → sector."""
    from marsad.entities.lexicon import load_heads

    return {k: h.sector for k, h in load_heads().items() if h.kind == "ORG" and not h.complete}


@lru_cache(maxsize=1 << 16)
def _head_kind(norm: str) -> str | None:
    """ORG / PLACE / EVENT when a normalised word is a name head (with or without clitics and article). Cached: a
    pure function of the word and the heads lexicon, asked of most tokens by several rules."""
    from marsad.entities.lexicon import load_heads

    heads = load_heads()
    for v, _ in _clitic_variants(norm):
        h = heads.get(v) or heads.get(v.removeprefix("ال"))
        if h:
            return h.kind
    return None


@lru_cache(maxsize=1)
def _place_heads() -> frozenset[str]:
    from marsad.entities.lexicon import load_heads

    return frozenset(k for k, h in load_heads().items() if h.kind == "PLACE")


@lru_cache(maxsize=1)
def _place_gazetteer() -> Any:
    """The geo room's GeoNames index (None when it cannot be built: entities then go without it)."""
    try:
        from marsad.geo.gazetteer import load_gazetteer

        return load_gazetteer()
    except Exception as e:  # noqa: BLE001 — a missing optional index must not stop the entity stage
        log.warning("place gazetteer unavailable (%s); place heads and hashtags are not completed", e)
        return None


def _arab_given() -> frozenset[str]:
    """Common Arabic given names (``lexicons/arab_given_names.txt``); some are common words too (أمل، تركي)."""
    from marsad.entities.lexicon import load_words

    return load_words("arab_given_names.txt")


@lru_cache(maxsize=1)
def _all_given() -> frozenset[str]:
    """:func:`_first_names` and :func:`_arab_given` together (built once: the span rules ask per mention)."""
    return _first_names() | _arab_given()


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Given names: our curated list plus the first word of every registry person's full name."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "curated" / "first_names.txt"
    words = {
        normalize(w)
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
        for w in line.split()
    }
    reg = load_registry()
    for a in reg.actors.values():
        if a.type == "PER":
            for al in a.ar:
                parts = normalize(al).split()
                if (
                    len(parts) >= 2
                    and not roles_mod.head_sector(parts[0])
                    and parts[0] not in ("الشيخ", "ال")
                ):
                    words.add(parts[0])
    return frozenset(w for w in words if len(w) >= 2)


def article_units(article: Article) -> list[_Unit]:
    """The units the stage tags and matches: the title, then each body sentence that is not the title, tokenised
    (also what :mod:`marsad.entities.ner.gold` projects gold mentions onto)."""
    text = article.text
    spans = [(s.start, s.end, "title") for s in article.layer("title")]
    titles = [(a, b) for a, b, _ in spans]  # (checked against each sentence: the titles only, not every unit so far)
    for s in article.layer("sentences"):
        if any(a < s.end and s.start < b for a, b in titles):
            continue
        spans.append((s.start, s.end, "sent"))
    out = []
    for a, b, kind in spans:
        toks = _tokenize(text, a, b)
        out.append(_Unit(a, b, toks, [t.norm for t in toks], kind))
    return out


def _tokenize(text: str, start: int, end: int) -> list[Token]:
    """:func:`marsad.lang.ar.tokenize.tokenize` with the per-word normalisation cached (news repeats its words;
    this halves the stage's tokenisation time)."""
    return [
        Token(*m.span(), w, _norm_cached(w), m.lastgroup or "sym")
        for m in _TOKEN_RE.finditer(text, start, end)
        for w in (m.group(),)
    ]


@lru_cache(maxsize=1 << 16)
def _clitic_variants(w: str) -> tuple[tuple[str, int], ...]:
    """(form, clitic letters to skip) for a normalised token: وبريطانيا → بريطانيا (2), للعراق → العراق (0: لل
    cannot be sliced off to leave ال), والصين → الصين (1)."""
    out = [(w, 0)]
    if len(w) >= 4 and w[0] in "وفبلك":
        out.append((w[1:], 1))
        if len(w) >= 5 and w[0] in "وف" and w[1] in "بلك":
            out.append((w[2:], 2))
    for p in ("لل", "ولل", "فلل"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            out.append(("ال" + w[len(p) :], 0))
    return tuple(out)


def _is_stop(tok: Token) -> bool:
    return tok.kind == "sym" or tok.norm in _STOP or tok.text in _RAW_STOP


def _extend_nasab(unit: _Unit, j: int) -> int:
    """Extend a person's name over بن / ابن / بنت / آل + name (محمد بن سلمان بن عبدالعزيز آل سعود), and over the
    family name that closes such a chain (سالم بن راشد الفلاني)."""
    norms, toks = unit.norms, unit.tokens
    # a span that ends on بن / آل needs the name after it (سالم بن راشد بن | فلان)
    if j < len(norms) and norms[j - 1] in _NASAB and toks[j].kind == "word" and not _is_stop(toks[j]):
        j += 1
    chained = j >= 2 and norms[j - 2] in _NASAB
    while (
        j + 1 < len(norms) and norms[j] in _NASAB and toks[j + 1].kind == "word" and not _is_stop(toks[j + 1])
    ):
        if norms[j + 1] in _VERBS or (roles_mod.head_sector(norms[j + 1]) and norms[j] == "ال"):
            break  # after بن the next word is a name even when it is also a title (سالم بن راشد بن فلان)
        j += 2
        chained = True
    if (
        chained
        and j < len(norms)
        and toks[j].kind == "word"
        and norms[j].startswith("ال")
        and len(norms[j]) > 4
        and not norms[j].endswith("ه")  # العلاقة, المنطقة: nouns; family names rarely end in ة
    ):
        w = norms[j]
        if not (_is_stop(toks[j]) or roles_mod.head_sector(w) or roles_mod.is_modifier(w) or w in _VERBS):
            reg = load_registry()
            if w not in reg.nisba and (w,) not in reg.aliases:
                j += 1
    return j


