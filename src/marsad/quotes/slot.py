"""Speakers the entity stage did not recognise, read from the speaker slot of a reporting verb.

Arabic news puts the speaker right after the cue (VSO): ``قال <subject NP> إن …``. When that noun phrase names no
entity the entity stage found, its syntax still tells what it is:

* a person: an honorific or rank before a name (قال العميد فلان), a name set off by commas after a title
  (قال حاكم الولاية، فلان، إن), a name introduced with يدعى (قال طبيب يدعى فلان), the name that closes a title chain
  (قال الناطق باسم البلدية فلان الفلاني إن), or a bare name right after the cue (قال فلان إن);
* an organisation: a definite noun phrase or one headed by an organisation noun (قالت الشرطة، قالت منظمة كذا، قالت
  النيابة العامة): the head and its adjectives and genitive chain, up to a comma, a relative pronoun, a time word or a
  preposition that opens a circumstance.

Each proposal becomes an entity of the article (``attrs["source"] == ["speaker-slot"]``) whose mentions are the
speaker slots that named it (a person's last name alone in a later slot is the same person). Hand-written because no
Arabic parser marsad can ship gives the subject of a reporting verb; the word classes it needs are closed-class
words and the name-head table the entity stage already loads (``entities/data/lexicons/name_heads.tsv``).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING

from marsad.data import Article, Entity, Span
from marsad.lang.ar.dates import weekday_words
from marsad.lang.ar.textlayer import Tok
from marsad.quotes import cues as C

if TYPE_CHECKING:
    from marsad.quotes.extract import MentionIndex

SOURCE = "speaker-slot"

# Honorifics and ranks that stand right before a person's name.
_HONORIFIC = {
    "الرييس", "الرييسه", "الدكتور", "الدكتوره", "العميد", "اللواء", "العقيد", "الشيخ", "الشيخه", "السيد", "السيده",
    "الامير", "الاميره", "الملك", "الملكه", "الجنرال", "الاستاذ", "الاستاذه", "المهندس", "المحامي", "المحاميه",
    "القاضي", "النايب", "الوزير", "الوزيره", "السفير", "السفيره", "المستشار", "المستشاره", "العمده", "الحاكم",
    "الكاتب", "الكاتبه", "الناشط", "الناشطه", "المدرب", "اللاعب", "الفنان", "الفنانه", "الصحفي", "الصحفيه",
}  # fmt: skip
# Person nouns that open a title phrase (المتحدث باسم …، رئيس …) — a name may close it.
_PERSON_HEADS = {
    "وزير", "وزيره", "رييس", "رييسه", "مندوب", "مندوبه", "متحدث", "متحدثه", "المتحدث", "المتحدثه", "ناطق",
    "الناطق", "سفير", "سفيره", "زعيم", "زعيمه", "مستشار", "مستشاره", "امين", "مدير", "مديره", "قايد", "نايب",
    "مساعد", "ملك", "امير", "مسوول", "مسووله", "عضو", "حاكم", "محافظ", "عمده", "مدرب", "رييسا", "وزيرا",
    "المندوب", "المندوبه", "مديرة", "طبيب", "طبيبه", "شاهد", "محامي", "محاميه", "والد", "والده", "والدا", "شقيق",
    "شقيقه", "ابن", "ابنه", "زوج", "زوجه", "الناشط", "الناشطه", "ناشط", "ناشطه", "خبير", "خبيره", "استاذ",
    "استاذه", "قاضي", "القاضي", "النايب", "المدعي", "مدعي", "مفوض", "المفوض", "منسق", "المنسق",
}  # fmt: skip
# Person nouns (titles, occupations) that never head an organisation's name.
_PERSON_NOUNS = {
    "عاهل", "مفتي", "محلل", "محلله", "مراسل", "مراسله", "ادميرال", "جنرال", "كاتب", "كاتبه", "صحفي", "صحفيه",
    "باحث", "باحثه", "مواطن", "مواطنه", "لاعب", "لاعبه", "نجم", "نجمه", "مسوول", "مسووله",
}  # fmt: skip
# Nouns that count as a name's neighbour but never as a name (the people of a joint statement, pronoun-like nouns).
# المملكة، الجمهورية …: a bare state noun refers to the article's country (the rules resolve it), it names no new body
STATE_NOUNS = frozenset({"المملكه", "الجمهوريه", "السلطنه", "الاماره", "الدوله", "البلاد"})

_NOT_NAMES = {
    *STATE_NOUNS,
    # circumstantial participles and verbal nouns after a cue (وأضاف مخاطبا الصحفيين، وتابع معلقا، قال ردا على …)
    "مخاطبا", "مخاطبه", "متحدثا", "متحدثه", "معلقا", "معلقه", "معقبا", "معقبه", "ردا", "تعليقا", "مستدركا",
    "مستشهدا", "موجها", "موجهه", "معتذرا", "معتذره", "مبتسما", "مازحا",
    "الطرفان", "الطرفين", "الجانبان", "الجانبين", "البلدان", "البلدين", "الزعيمان", "الوزيران", "الرييسان",
    "الجميع", "الكل", "احد", "احدهم", "بعض", "كل", "جميع", "غير", "نفسه", "نفسها", "هو", "هي", "هم", "هما", "هن",
    "انه", "انها", "قد", "لا", "لم", "لن", "ما", "كما", "الا", "حتي", "ايضا", "كذلك", "ذلك", "هذا", "هذه", "تلك",
    "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "وهو", "وهي", "وهم", "حين", "حيث", "عندما",
    "بينما", "اذ", "اذا", "لو", "لكن", "ولكن", "او", "ام", "ثم", "مطلع", "منتصف", "اواخر", "اوايل", "نهايه",
    "بدايه", "اول", "امس", "اليوم", "غدا", "الان", "لاحقا", "سابقا", "مجددا", "مرارا", "صحفي", "صحفيه", "بيان",
    "البيان", "تصريح", "تصريحات", "حديث", "مقابله", "كلمه", "رساله", "تغريده", "تقرير", "التقرير", "عاما", "سنه",
    "وهما",
}  # fmt: skip
# Slot heads that name no body of their own: time nouns (أعلنت الوزارة الأسبوع الماضي …: the subject came before),
# documents and figures (المقال، الدعوى، التقديرات: their issuer speaks, which the ranker looks for) and people
# described as a group (السكان، الأهالي: an unnamed source)
_NO_SPEAKER_HEADS = frozenset(
    {"الاسبوع", "الشهر", "العام", "السنه", "الليله", "الدعوي", "التقديرات", "الاحصاءات", "السكان", "الاهالي"}
    | {w for w in C.DOCUMENTS if w.startswith("ال")}
)
# Plural nouns of a body's members (قادة الحزب، أعضاء المجلس، نواب في البرلمان): they speak for the body
_MEMBERS = frozenset({"قاده", "اعضاء", "نواب", "ممثلو", "ممثلي", "زعماء", "قيادات", "مسوولو", "مسوولي"})
_RELATIVE = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "وهو", "وهي", "وهم", "ومقرها", "ومقره"}
_CALLED = {"يدعي", "تدعي", "ويدعي", "وتدعي", "يدعون", "اسمه", "اسمها", "ويسمي", "يسمي"}
CALLED = frozenset(_CALLED)  # يدعى فلان: the name that follows is the speaker's (the rules read it first)
_STOP_PUNCT = set("،,؛;:.!?؟()[]«»\"“”-–—/")
# Verbs that take a direct object (وصف X بأنه، دعا X إلى، اعتبر X …): after them a bare definite noun is as often
# the object as the subject, so only an organisation head opens an organisation there.
_TRANSITIVE = {"وصف", "اعتبر", "دعا", "طالب", "حث", "شدد", "جدد", "عد", "ندد", "نفى", "كشف"}
_PRONOUN_SUFFIX = ("ها", "هم", "هما", "هن")


@lru_cache(maxsize=1)
def _name_evidence() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, float]]:
    """The NER model's word clusters and gazetteer, and per coarse cluster the share of its words the gazetteer
    lists as person names (clusters come from word2vec over unlabelled news, the gazetteer from the actor registry
    and ANERcorp's lists: nothing here is read from the gold)."""
    from marsad.errors import MarsadError

    try:
        from marsad.entities.ner import load_tagger

        res = getattr(load_tagger(backend="crf"), "resources", None)
    except (MarsadError, OSError, ImportError):
        return {}, {}, {}
    if res is None:
        return {}, {}, {}
    clusters, gaz = res.clusters, res.gazetteer
    tot: dict[str, int] = {}
    per: dict[str, int] = {}
    for w, c in clusters.items():
        if len(c) < 2:
            continue
        tot[c[1]] = tot.get(c[1], 0) + 1
        if any(x.startswith(("PER", "aPER")) for x in gaz.get(w, ())):
            per[c[1]] = per.get(c[1], 0) + 1
    return clusters, gaz, {c: per.get(c, 0) / n for c, n in tot.items()}


def _looks_like_name(words: Sequence[str]) -> bool:
    """Some word of a bare run is a name by the NER's resources: a listed person name, a word too rare for the
    word2vec vocabulary (foreign names are), or one whose cluster holds person names."""
    clusters, gaz, share = _name_evidence()
    if not clusters:
        return True
    for w in words:
        if any(x.startswith(("PER", "aPER")) for x in gaz.get(w, ())):
            return True
        c = clusters.get(w)
        if c is None or (len(c) > 1 and share.get(c[1], 0.0) >= 0.05):
            return True
    return False


@lru_cache(maxsize=1)
def _org_heads() -> dict[str, str | None]:
    """Organisation head nouns (normalised, with and without ال) → CAMEO sector, from the entity stage's tables."""
    from marsad.entities.lexicon import load_heads, load_map

    out: dict[str, str | None] = {}
    for k, h in load_heads().items():
        if h.kind == "ORG":
            out[k] = h.sector
    for k, v in load_map("org_head_sectors.tsv", 2).items():
        out.setdefault(k, v[0])
    for k in list(out):
        if not k.startswith("ال"):
            out.setdefault("ال" + k, out[k])
        elif len(k) > 4:
            out.setdefault(k[2:], out[k])
    return out


@lru_cache(maxsize=1)
def org_heads() -> frozenset[str]:
    """Organisation head nouns (normalised; with and without ال)."""
    return frozenset(_org_heads())


@lru_cache(maxsize=1)
def _place_heads() -> frozenset[str]:
    from marsad.entities.lexicon import load_heads

    keys = {k for k, h in load_heads().items() if h.kind == "PLACE"}
    return frozenset(keys | {"ال" + k for k in keys if not k.startswith("ال")})


@lru_cache(maxsize=1)
def _closed_words() -> frozenset[str]:
    """Words that are never a name of their own: the cue, title and time words, prepositions and complementisers."""
    from marsad.quotes.extract import CUE_FORMS

    return frozenset(
        set(C.SPEAKER_WORDS) | set(C.UNNAMED) | set(C.BREAKS) | set(C.COMPLEMENTISERS) | set(CUE_FORMS)
        | _HONORIFIC | _PERSON_HEADS | _NOT_NAMES | _CALLED
        | {"من", "الي", "عن", "علي", "في", "مع", "ب", "ل", "و", "ف", "لـ", "بـ", "باسم", "لدي", "عبر"}
    )  # fmt: skip


def unnamed_subject(
    toks: Sequence[Tok], a: int, b: int, ix: MentionIndex, known: Container[str] = frozenset(), text: str | None = None
) -> bool:
    """The slot's subject is an indefinite noun phrase that names nobody (تقارير إعلامية، وسائل إعلام، شاهد عيان،
    سكان، وزير من البلد، صحيفة محلية): a common noun, not a name, followed by nothing definite. The annotation
    guideline gives such sources no speaker. With ``text``, a mention that follows the addressee's لـ (أحد السكان لإذاعة
    كذا) does not name the subject."""
    words = [t for t in toks[a:b] if t.norm not in _STOP_PUNCT]
    if not words or any(t.norm in _CALLED for t in toks[a:b]):
        return False
    from marsad.quotes.extract import _after_lam

    ments = ix.in_range(toks[a].start, toks[b - 1].end)
    if ments and (text is None or not all(_after_lam(text, m[0]) for m in ments)):
        return False  # an entity is named in the slot (not only whom the source told: أحد السكان لإذاعة كذا)
    first = words[0].norm
    if first.startswith("ال") or first in _HONORIFIC or not first.isalpha() or len(first) < 3 or first in known:
        return False
    if first.endswith("ا") or first in _NOT_NAMES or first[:2] in ("في", "عن", "من") or first[:1] in "لب":
        return False  # قائلا، مضيفة (a circumstance), فيه، عنه، وهي (the subject is the verb's pronoun), لوكالة
    if first.endswith(("ها", "هم", "هما")):
        return False  # بقوله، تقريرها: a noun with a pronoun is no source of its own
    if len(words) == 1 and first in _PERSON_HEADS:
        return False  # a lone title (أعلن رئيس …) is cut short, not an unnamed source
    if first not in _PERSON_HEADS and first not in C.UNNAMED and _looks_like_name([first]):
        return False
    if first in _PERSON_HEADS:
        # حاكم الولاية كذا، فلان الفلاني، …: a name set off by commas holds the title (the apposition the slot reads)
        for k in range(a + 1, b - 1):
            if toks[k].norm in ("،", ","):
                e = _name_run(toks, k + 1, b, ix.nisba, text or "")
                if e > k + 1 and (e >= b or toks[e].norm in ("،", ",")) and _looks_like_name(
                    [t.norm for t in toks[k + 1 : e]]
                ):
                    return False
                break
    for t in toks[a + 1 : min(b, a + 4)]:  # the genitive chain: وزير الخارجية، وكالة الأنباء، مؤسسة جسر المدينة
        w = t.norm
        if w in C.QUOTE_PAIRS and t.quoted >= 0:
            return False  # مجموعة "كذا": a name in quotation marks
        if not w.isalpha() or w in C.BREAKS or w in C.COMPLEMENTISERS or w in _TIME_WORDS or w in ("من", "عن"):
            break
        if w[0] in "بلوف" and not w.startswith("ال"):
            break  # عاملون بمجال …: a preposition or a conjunction ends the construct
        if w.startswith("ال") and w[2:] not in ix.nisba:
            return False  # a construct made definite by its genitive names a body or an office
    return True


@lru_cache(maxsize=1)
def _np_stops() -> frozenset[str]:
    """Words that end an organisation's noun phrase: prepositions of circumstance, time words, complementisers,
    cues (title words such as العام belong to names: النيابة العامة، الأمين العام للمنظمة)."""
    from marsad.quotes.extract import CUE_FORMS

    time_words = {w for w in C.SPEAKER_WORDS if w in _TIME_WORDS}
    return frozenset(
        set(C.BREAKS) | set(C.COMPLEMENTISERS) | set(CUE_FORMS) | _NOT_NAMES | _CALLED | time_words | _PERSON_HEADS
        | {"من", "عن", "الي", "علي", "في", "مع", "لدي", "عبر", "بدوره", "بدورها", "جانبه", "جانبها", "ايضا"}
    )  # fmt: skip


_MARKS = frozenset(C.QUOTE_PAIRS) | frozenset(C.QUOTE_PAIRS.values())  # opening and closing quotation marks
_TIME_WORDS = {"اليوم", "امس", "مساء", "صباح", "مساءا", "صباحا", "الماضي"} | weekday_words()


@dataclass(slots=True)
class Proposal:
    type: str  # PER | ORG
    start: int  # token indices (name words), end exclusive
    end: int
    pattern: str
    sector: str | None = None
    country: str | None = None


def _wordy(t: Tok) -> bool:
    return t.norm.isalpha() and len(t.norm) >= 2


def _addressee(w: str) -> bool:
    """لوكالة، للصحفيين، لقناة: a preposition and a noun (whom the speaker told), not a name."""
    return w.startswith("لل") or w[:1] == "ل" and (w[1:3] == "ال" or w[1:] in _org_heads())


def _definite(t: Tok, text: str = "") -> bool:
    """The word opens with the article ال. Normalising drops the hamza, so a name written with hamza and lam
    (إليو، أليكسيس، إلهام) would read as definite: with the original ``text`` it does not (the article is a bare
    alif)."""
    return t.norm.startswith("ال") and not (text and text[t.start : t.start + 1] in ("أ", "إ", "آ"))


def _name_word(t: Tok, *, last: bool, text: str = "") -> bool:
    """Could be a word of a person's name: not a closed-class word; ال only as a family name after a first name."""
    w = t.norm
    if not _wordy(t) or w in _closed_words() or w in _org_heads() or w in _place_heads():
        return False
    if _definite(t, text) and not last:
        return False
    # لوكالة، للصحفيين، بالوكالة: a preposition and a noun (an addressee), not a name
    return not (w.startswith("لل") or w[:1] in "لب" and (w[1:3] == "ال" or w[1:] in _org_heads()))


def _name_run(toks: Sequence[Tok], i: int, b: int, nisba: Container[str], text: str = "") -> int:
    """End (exclusive) of the person name starting at ``i`` (1–4 words; ال only on the last one); i when none."""
    k = i
    while k < b and k - i < 4 and toks[k].quoted < 0:
        t = toks[k]
        if t.norm in nisba or t.norm.startswith("ال") and t.norm[2:] in nisba:
            break
        if _name_word(t, last=False, text=text):
            k += 1
            continue
        if k > i and _name_word(t, last=True, text=text):
            k += 1
            break
        break
    return k


def _org_np(toks: Sequence[Tok], i: int, b: int) -> int:
    """End (exclusive) of a definite or organisation-headed noun phrase starting at ``i``: the head, its
    adjectives and genitive chain, up to a comma, relative pronoun, time word or circumstance preposition."""
    k = i
    closed = _np_stops()
    while k < b and k - i < 7:
        t = toks[k]
        w = t.norm
        if w in _STOP_PUNCT or w in _RELATIVE or w in _MARKS:
            break
        if k > i and (w in closed or len(w) < 2):
            break
        if not w.isalpha() and not w.isdigit():
            break
        if (
            k > i and toks[k - 1].norm.startswith("ال") and w.isalpha() and w[:1] not in "لبوف"
            and not w.startswith("ال") and toks[k - 1].norm not in _HONORIFIC and not _looks_like_name([w])
        ):  # fmt: skip
            break  # الشرطة تقارير …، المفوضية عدم …: an adjective agrees with a definite noun; an indefinite word
            # after one opens the next noun phrase (the verb's object), not the body's name
        k += 1
    return k


def org_noun_phrase(toks: Sequence[Tok], i: int, b: int) -> int:
    """End (exclusive) of the organisation noun phrase starting at ``i`` (:func:`_org_np`)."""
    return _org_np(toks, i, b)


def propose(
    toks: Sequence[Tok], a: int, b: int, cut: int, ix: MentionIndex, *, lemma: str = "", cue_word: str = "",
    known: Container[str] = frozenset(), text: str = "",
) -> Proposal | None:
    """A speaker entity for the slot ``toks[a:b]`` (``cut``: where the first circumstance word stands) of the cue
    ``cue_word`` (lemma ``lemma``), or None. ``text``: the article's text, whose hamza tells a name (إليو) from a
    definite word (:func:`_definite`)."""
    if a >= b or cue_word.endswith(("وا", "ون")):
        return None  # قالوا، يقولون: the subject is the verb's own pronoun, what follows is not the speaker
    words = [t.norm for t in toks[a:b]]
    nisba = ix.nisba  # (read only: membership, as a copy of its keys would answer; no copy per slot)

    def taken(t: Tok) -> bool:  # the word lies inside a mention the entity stage found
        # (bisect on the sorted mentions, no copy; a mention inside the word counts: لفلان where فلان was marked)
        i = bisect_right(ix.items, t.end - 1, key=itemgetter(0)) - 1
        return any(ix.items[j][0] < t.end and t.start < ix.items[j][1] for j in range(max(0, i - 3), i + 1))

    first = words[0]
    if first in _MEMBERS and a + 1 < b:
        # قادة الحزب كذا، أعضاء اللجنة كذا، نواب في المجلس كذا: the members speak for the body they belong to
        s = a + 2 if toks[a + 1].norm in ("في", "من") else a + 1
        if s < b and (toks[s].norm.startswith("ال") or toks[s].norm in _org_heads()) and not taken(toks[s]):
            e = _org_np(toks, s, min(b, cut))
            if e > s and toks[s].norm not in _closed_words():
                return Proposal("ORG", s, e, "members-body", _org_heads().get(toks[s].norm))
    if first in _MEMBERS:
        return None  # نواب، أعضاء alone: people described, no name
    titled = first in _PERSON_HEADS or first.startswith("ال") and first[2:] in _PERSON_HEADS
    if (first in C.UNNAMED or first[2:] in C.UNNAMED) and not titled or first in _NOT_NAMES or first in _NO_SPEAKER_HEADS:
        return None  # (an unnamed source's title, المتحدث باسم …، goes on: a name may close its chain)
    # يدعى فلان / ويدعى فلان: the name follows
    for k in range(a, b - 1):
        if toks[k].norm in _CALLED:
            s = k + 1
            while s < b and toks[s].norm in _HONORIFIC:
                s += 1
            e = _name_run(toks, s, b, nisba, text)
            if e > s:
                return Proposal("PER", s, e, "called")
    # honorific + name: العميد فلان، الدكتورة فلانة الفلاني
    if first in _HONORIFIC:
        e = _name_run(toks, a + 1, b, nisba, text)
        if e > a + 1 and (e >= b or not _name_word(toks[e], last=False, text=text)) and _looks_like_name(
            [t.norm for t in toks[a + 1 : e]]
        ):  # (any word of the run: a given name may also be a common word, the honorific marks the name)
            return Proposal("PER", a + 1, e, "honorific")
    # title، name، : حاكم الولاية، فلان، إن
    if first in _PERSON_HEADS or first.startswith("ال") and first[2:] in _PERSON_HEADS:
        for k in range(a + 1, b - 1):
            if toks[k].norm in ("،", ","):
                e = _name_run(toks, k + 1, b, nisba, text)
                if (
                    e > k + 1 and (e >= b or toks[e].norm in ("،", ",") or toks[e].norm in C.COMPLEMENTISERS)
                    and not (toks[k + 1].norm[:1] == "ل" and taken(toks[k + 1]))
                ):  # fmt: skip  (…، لرويترز إن: a body the entity stage found after the addressee's لـ)
                    return Proposal("PER", k + 1, e, "apposition")
                break
        # a title chain closed by a name (المتحدث باسم الشرطة فلان الفلاني إن، سفير البلد لدى المنظمة فلان في …):
        # the name words right before the slot's end, a comma or a circumstance word, after a head/genitive/nisba;
        # after an organisation head only when it is definite (a definite noun governs no genitive: the name is the
        # title holder's, while مدير منظمة فلان names the body)
        ends = [k for k in range(a + 2, b) if toks[k].norm in ("،", ",") or toks[k].norm in C.BREAKS
                or _addressee(toks[k].norm)] + [b]  # fmt: skip  (… فلان لوكالة الأنباء إن: whom he told)
        # a circumstance (بعد، خلال، مع، عقب …; not في / لدى, which may link a title to its body) closes the chain:
        # no name after it holds the title
        last = next((k for k in ends if k < b and toks[k].norm in C.BREAKS and toks[k].norm not in ("في", "لدي")), b)
        ends = [k for k in ends if k <= last]
        for end0 in ends:
            end = end0
            while end > a and toks[end - 1].norm in C.SPEAKER_WORDS and toks[end - 1].norm not in _PERSON_HEADS:
                end -= 1  # time words: … فلان الأحد إن
            s = end
            while (
                s > a + 1 and _name_word(toks[s - 1], last=s == end, text=text) and not taken(toks[s - 1])
                and toks[s - 2].norm not in _place_heads()
            ):  # fmt: skip
                s -= 1
            if end0 == b and lemma in _TRANSITIVE:
                continue  # وصف رئيس الوزراء فلان المهاجمين بأنهم …: the words before بأنهم are the object
            if (
                a + 1 < s < end and end - s <= 4
                and (toks[s - 1].norm not in _org_heads() or toks[s - 1].norm.startswith("ال"))
                and not _definite(toks[s], text) and _name_run(toks, s, end, nisba, text) == end
                and not toks[s].norm.endswith(_PRONOUN_SUFFIX + ("ه",)) and _looks_like_name([toks[s].norm])
            ):  # fmt: skip
                return Proposal("PER", s, end, "title-name")
        return None
    # a bare name right after the cue: قال فلان إن، قالت فلانة، التي …, or the last name of a person proposed before
    if first in known and (b == a + 1 or toks[a + 1].norm in ("،", ",") or toks[a + 1].norm in C.SPEAKER_WORDS):
        return Proposal("PER", a, a + 1, "known-name")
    if not _definite(toks[a], text) and first not in _org_heads():
        e = _name_run(toks, a, b, nisba, text)
        run = [t.norm for t in toks[a:e]]
        if (
            e > a
            and (e >= b or toks[e].norm in ("،", ",", "(") or toks[e].norm in _PERSON_HEADS
                 or toks[e].norm in C.COMPLEMENTISERS or toks[e].norm in C.SPEAKER_WORDS)
            and not any(w.endswith((*_PRONOUN_SUFFIX, "اته")) or w[:1] in "لب" for w in run[:1])
            and (_looks_like_name(run[:1]) or len(run) >= 2 and e < b and (toks[e].norm in _PERSON_HEADS or toks[
                e].norm in ("،", ",") and any(t.norm in _PERSON_HEADS for t in toks[e + 1 : e + 3])))
        ):  # fmt: skip  (two words and a title after them, فلانة الفلانية مديرة …، فلان، أحد محامي …: a name)
            return Proposal("PER", a, e, "name")
        return None
    # an organisation: الشرطة، النيابة العامة، منظمة كذا; an organisation head and a name in quotation marks
    # (صحيفة "كذا"): the name is what the marks hold
    # (also after the head's genitive and adjectives, up to three words: وكالة الأنباء الرسمية "كذا")
    j = a + 1
    while j < min(b, a + 4) and toks[j].quoted < 0 and toks[j].norm.isalpha() and toks[j].norm not in _closed_words():
        j += 1
    if first in _org_heads() and j < b and toks[j].norm in C.QUOTE_PAIRS and toks[j].quoted >= 0:
        pair = toks[j].quoted
        k = j + 1
        while k < b and toks[k].quoted == pair and toks[k].norm not in _MARKS:
            k += 1
        if j + 1 < k <= j + 5 and k < b and toks[k].norm in _MARKS:
            return Proposal("ORG", j + 1, k, "org-quoted", _org_heads().get(first))
    bare = first[2:] if first.startswith("ال") else first
    if first.startswith("ال") and bare in nisba:
        # السوري فلان: a nisba opens no body; a name after it is a person (الفرنسية alone: nobody named)
        e = _name_run(toks, a + 1, b, nisba, text)
        if e > a + 1 and _looks_like_name([t.norm for t in toks[a + 1 : e]]) and not taken(toks[a + 1]):
            return Proposal("PER", a + 1, e, "nisba-name")
        return None
    if bare in _PERSON_NOUNS or bare in _PERSON_HEADS or first in _HONORIFIC:
        return None  # العاهل، المفتي العام، المحلل، المراسل: a person's title, no body (a titled person is the rules')
    e = _org_np(toks, a, min(b, cut))
    if e <= a:
        return None
    head = first if first in _org_heads() else None
    if head is None and (first in _closed_words() or len(first) < 4 or lemma in _TRANSITIVE):
        return None
    if head is None and human_plural(first):
        return None  # المدافعون عن …، المقربون من …: people (a sound plural), nobody the article names
    if head is None and e == a + 1 and first.endswith(("يون", "يين")) and len(first) > 6:
        # الفلسطينيون، المقدسيون: a people (a demonym plural) speaks, which the annotation types as a place (GPE)
        return Proposal("GPE", a, e, "demonym")
    return Proposal("ORG", a, e, "org-np", _org_heads().get(head) if head else None)


def extend_mention(
    toks: Sequence[Tok], a: int, cut: int, span: tuple[int, int], typ: str, ix: MentionIndex
) -> Proposal | None:
    """A longer name in the speaker slot around an entity mention the entity stage cut short: an organisation noun
    phrase that opens the slot and holds the mention with more words (قالت جمعية الهلال الأحمر الوطنية، where only
    الهلال الأحمر was marked; الجمعية الفلكية بمدينة …), or a person's mention with name words right before or
    after it (فلان الفلاني where only الفلاني was marked). None when the mention is the whole name."""
    if a >= cut:
        return None
    # (the first word holding the mention: a proclitic may open it, الجمعية الفلكية بمدينة … where only the city was
    # marked)
    k0 = next((k for k in range(a, cut) if toks[k].end > span[0]), None)
    k1 = next((k for k in range(a, cut) if toks[k].end >= span[1]), None)
    if k0 is None or k1 is None or k1 < k0:
        return None
    nisba = ix.nisba  # (read only: membership, as a copy of its keys would answer; no copy per slot)
    if typ == "PER":
        s = k0
        while s > a and _name_word(toks[s - 1], last=False) and _looks_like_name([toks[s - 1].norm]) and s > k0 - 2:
            s -= 1
        e = k1 + 1
        while e < cut and e <= k1 + 2 and _name_word(toks[e], last=True) and toks[e].quoted < 0 and (
            toks[e].norm not in nisba and toks[e].norm[2:] not in nisba and toks[e].norm[:1] not in "ول"
            and not toks[e].norm.endswith(("ه", "ها", "هم"))
        ) and _looks_like_name([toks[e].norm]):  # fmt: skip
            e += 1  # (و، ل and a pronoun open a coordination, an addressee, a possession: ومون، لكتلته)
        if (s, e) == (k0, k1 + 1) or (e < cut and toks[e].norm not in ("،", ",", "(") and toks[e].norm not in
                                       C.COMPLEMENTISERS and toks[e].norm not in C.SPEAKER_WORDS):
            return None  # (the run must close the phrase: a comma, أن/إن, a time word, or the slot's end)
        if ix.in_range(toks[s].start, toks[e - 1].end) != ix.in_range(span[0], span[1]):
            return None  # another entity's mention in the run
        return Proposal("PER", s, e, "extended-name")
    first = toks[a].norm
    if typ not in ("ORG", "GPE", "LOC") or first not in _org_heads() or k0 < a:
        return None
    if first.startswith("ال") and k0 == a + 1 and not toks[k0].norm.startswith("ال"):
        return None  # ويتهم التحالف البلد بـ …: a definite head governs no genitive name, the name is the object
    e = _org_np(toks, a, cut)
    # a coordination (والهيئة، ومجلس …) or since/while (منذ) ends the name
    e = next((z for z in range(k1 + 1, e) if toks[z].norm[:1] == "و" or toks[z].norm in ("منذ", "بينما")), e)
    if e <= k1 or (a, e) == (k0, k1 + 1) or any(toks[z].norm[:1] == "و" for z in range(a + 1, k0 + 1)):
        return None  # the noun phrase ends inside the mention, is the mention, or coordinates it with another
    if any(s_ != span[0] for s_, _e, _i, _t in ix.in_range(toks[a].start, toks[e - 1].end)):
        return None  # another entity named in it: the phrase runs on into the verb's object
    return Proposal("ORG", a, e, "extended-org", _org_heads().get(first))


@lru_cache(maxsize=1)
def _entity_judge() -> object:
    # the entity stage without its tagger (the registry is loaded once per process): only its word test is used
    from marsad.entities.stage import EntityStage

    return EntityStage(use_ner=False, entity_model=False)


def warm() -> None:
    """Build the slot's lazily made tables now (the quotes stage's ``warm``): the name evidence alone takes about
    0.2 s, which every forked pool worker would otherwise pay again on its first quote."""
    _name_evidence()
    org_heads()
    _place_heads()
    _closed_words()
    _np_stops()
    _entity_judge()


@lru_cache(maxsize=4096)
def names_nothing(word: str) -> bool:
    """Whether one normalised word names nothing as the entity stage judges it (``EntityStage._no_name``: a bare
    head noun such as الوزارة، مكتب، a month, a people): the slot then proposes no entity for it alone, which would
    be a false entity of the article (the body it stands for is the ranker's to find among the entities)."""
    return bool(_entity_judge()._no_name(word))  # type: ignore[attr-defined]


_SOURCE_WORDS = frozenset({"تقارير", "وسايل"})


def unnamed_source(desc: str) -> bool:
    """Whether a description of the rules names an unnamed source in so many words: an indefinite source word of the
    cue table (مصدر، مسؤول، مصادر، شهود …), reports or media (تقارير، وسائل إعلام), an indefinite plural of people
    (عاملون في …), or the rules' mark for a plural verb with no subject ("plural")."""
    from marsad.lang.ar.normalize import normalize

    first = normalize(desc).split()[0] if desc.split() else ""
    if first == "plural":
        return True
    return first in _SOURCE_WORDS or first in C.UNNAMED and first != "متحدث" or first.endswith("ون") and human_plural(
        "ال" + first
    )


def human_plural(word: str) -> bool:
    """A definite sound masculine plural that is not a nisba (المدافعون، المقربين; not الفلسطينيون, a people):
    persons described by what they do, an unnamed source."""
    return (
        word.startswith("ال") and word.endswith(("ون", "ين")) and len(word) > 6
        and not word.endswith(("يون", "يين")) and word not in _org_heads()
    )  # fmt: skip


@dataclass
class SlotEntities:
    """The speaker entities proposed while one article's quotes are read: one per distinct name."""

    article: Article
    ix: MentionIndex
    by_key: dict[str, str] = field(default_factory=dict)  # normalised name -> entity id
    drafts: dict[str, tuple[Proposal, str, int, int]] = field(default_factory=dict)  # id -> (proposal, key, s, e)
    slots: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # id -> the slot spans that named it
    # Looked up once per article instead of scanning the proposals or the article's entities at each quote (long
    # documents, issue 20): the first person proposal by last name (its keys: the persons' last names so far), the
    # context country.
    _by_last: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _context: tuple[str | None] | None = field(default=None, repr=False, compare=False)

    def add(self, toks: Sequence[Tok], p: Proposal, *, slot: tuple[int, int] | None = None) -> str:
        """Register ``p`` (token indices into ``toks``); ``slot`` is the whole speaker slot, whose country words
        (a nisba, a named country: قال المسؤول السوري فلان) give the proposal its country."""
        if slot is not None and p.country is None:
            p.country = self._slot_country(toks, *slot)
        key = " ".join(t.norm for t in toks[p.start : p.end])
        eid = self.by_key.get(key)
        if eid is None and p.type == "PER" and " " not in key:  # فلان alone after فلان الفلاني: the same person
            eid = self._by_last.get(key)
        s, e = toks[p.start].start, toks[p.end - 1].end
        if eid is None:
            eid = f"s{len(self.by_key) + 1}"
            self.by_key[key] = eid
            self.drafts[eid] = (p, key, s, e)
            if p.type == "PER" and " " in key:
                self._by_last.setdefault(key.split()[-1], eid)
            self.ix.types[eid] = p.type
        insort(self.ix.items, (s, e, eid, p.type))
        self.slots.setdefault(eid, []).append((s, e))
        return eid

    def _country_of(self, eid: str) -> str | None:
        ent = self.ix.per_article(self.article, "entities").get(eid)
        return ent.country if ent is not None else None

    def _slot_country(self, toks: Sequence[Tok], a: int, b: int) -> str | None:
        for t in toks[a:b]:
            w = t.norm[2:] if t.norm.startswith("ال") else t.norm
            if w in self.ix.nisba:
                return self._country_of(self.ix.nisba[w])
        for _s, _e, eid, typ in self.ix.in_range(toks[a].start, toks[b - 1].end) if b > a else ():
            if typ == "GPE":
                return self._country_of(eid)
        return None

    def _context_country(self) -> str | None:
        """The country the article names most (as the entity stage weighs it: a state twice, news media not)."""
        if self._context is None:
            self._context = (self._count_context(),)
        return self._context[0]

    def _count_context(self) -> str | None:
        votes: dict[str, int] = {}
        for e in self.article.entities:
            if e.country and e.type in ("GPE", "PER", "ORG") and e.sector != "MED":
                votes[e.country] = votes.get(e.country, 0) + (2 if e.type == "GPE" else 1)
        return max(votes, key=lambda c: votes[c]) if votes else None

    def known_names(self) -> Container[str]:
        """Last names of the persons proposed so far (فلان alone later is the same person): a live view, read at
        once by the caller."""
        return self._by_last.keys()

    def entities(self) -> list[Entity]:
        """The proposals as entities; their mentions are the speaker slots that named them. (Every occurrence of the
        name as a mention was tried: the event model then meets many more actor pairs, and train CV events F1 fell
        from 0.278 to 0.248, dyad 0.417 to 0.386, for +0.001 on quotes.)"""
        if not self.drafts:
            return []
        out = []
        for eid, (p, key, s0, e0) in self.drafts.items():
            spans = sorted(set(self.slots.get(eid, ())) | {(s0, e0)})
            spans = [x for x in spans if not any(y != x and y[0] <= x[0] and x[1] <= y[1] for y in spans)]
            country, country_from = p.country, "slot"
            for w in key.split():
                gid = self.ix.nisba.get(w[2:] if w.startswith("ال") else w)
                if gid and country is None:
                    country, country_from = self._country_of(gid), "name"
                    break
            if country is None:
                country, country_from = self._context_country(), "context"
            attrs = {"source": [SOURCE], "pattern": p.pattern, "name_ar": self.article.text[s0:e0]}
            if country:
                attrs["country_from"] = country_from
            out.append(
                Entity(
                    id=eid, type=p.type, name=self.article.text[s0:e0],
                    mentions=tuple(Span(s, e, "mention", {"source": SOURCE}) for s, e in spans),
                    country=country, sector=p.sector, attrs=attrs,
                )
            )  # fmt: skip
        return out
