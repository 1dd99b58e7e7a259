"""Consonant skeletons that let an Arabic spelling of a foreign place name meet its GeoNames Latin name.

Arabic news spells most foreign places by sound (سكرانتون، كوينتانا رو، تشيانغ راي); GeoNames has
Arabic alternate names for a fraction of them, but Latin names for all. Both spellings are mapped to the consonant
classes they share, vowels and the letters that stand for vowels (ا و ي, English a e i o u w y) dropped:

====  ===========================  =============================
class Arabic                       Latin
====  ===========================  =============================
B     ب                            b p
T     ت ط ث                        t th
D     د ض                          d dh
G     ج غ                          g j gh zh
K     ك ق خ                        k c(a/o/u) q ck kh, x → KS
S     س ص ز ذ ظ                    s z c(e/i/y)  (a Latin s between vowels is often written ز: كوينزلاند)
X     ش                            sh sch
C     تش                           ch tch
F     ف                            f v ph
H     ح ه (not word-final)         h
R L M N  ر ل م ن                   r l m n
====  ===========================  =============================

A repeated class collapses (ll, نن in a row), the article (ال, al-/el-/the) is dropped, a word-final ه (ة) too.
``Scranton`` and ``سكرانتون`` both give ``SKRNTN``; ``Chiang Rai`` and ``تشيانغ راي`` ``CNGR``.

Written by hand: the transliteration packages on PyPI go from Arabic to Latin letter by letter (unidecode gives
``nGwlshtt`` for إنغولشتات), not to a shared key that both scripts reach; the table above is that key. A skeleton match is a weak
reading: the resolver keeps it only when nothing else matched, it is long enough and the place's country is named
in the article (see :meth:`marsad.geo.resolve.Resolver.candidates`).
"""

from __future__ import annotations

import re
import unicodedata

from marsad.lang.ar.normalize import normalize

MIN_SKELETON = 4  # shorter skeletons (بالي → BL, جرادة → GRD, تيفور → TFR) meet too many places by chance

_AR = {
    "ب": "B", "ت": "T", "ط": "T", "ث": "T", "ج": "G", "غ": "G", "ح": "H", "ه": "H", "خ": "K", "د": "D", "ض": "D",
    "ذ": "S", "ز": "S", "ظ": "S", "ر": "R", "س": "S", "ص": "S", "ش": "X", "ف": "F", "ق": "K", "ك": "K", "ل": "L",
    "م": "M", "ن": "N",
}  # fmt: skip
# Latin letter groups, longest first at each position
_EN = [
    ("tch", "C"), ("sch", "X"), ("ch", "C"), ("sh", "X"), ("th", "T"), ("kh", "K"), ("gh", "G"), ("ph", "F"),
    ("dh", "D"), ("zh", "G"), ("ck", "K"), ("qu", "K"), ("x", "KS"), ("q", "K"), ("k", "K"), ("p", "B"),
    ("b", "B"), ("v", "F"), ("f", "F"), ("j", "G"), ("g", "G"), ("t", "T"), ("d", "D"), ("s", "S"), ("z", "S"),
    ("r", "R"), ("l", "L"), ("m", "M"), ("n", "N"), ("h", "H"),
]  # fmt: skip
_EN_ARTICLES = {"al", "el", "the", "an", "ad", "ar", "as", "ash", "at", "az"}
_AR_WORD = re.compile(r"[\u0621-\u064a]+")


def _push(out: list[str], c: str) -> None:
    for ch in c:
        if not out or out[-1] != ch:
            out.append(ch)


def ar_skeleton(name: str, *, tsh: str = "C") -> str:
    """The consonant skeleton of an Arabic spelling: إنغولشتات → NGLXT, تشيانغ راي → CNGR. ``tsh``: the class of
    تش (ch, C; or t + sh, TX as in ويلتشاير / Wiltshire: see :func:`ar_skeletons`)."""
    out: list[str] = []
    for w in _AR_WORD.findall(normalize(name)):
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        if len(w) > 2 and w.endswith("ه"):
            w = w[:-1]  # ة (normalised to ه) ends a word as a vowel: جرادة، أمهرة
        w = w.replace("تش", "C")
        for ch in w:
            _push(out, tsh if ch == "C" else _AR.get(ch, ""))
    return "".join(out)


def ar_skeletons(name: str) -> list[str]:
    """The skeletons an Arabic spelling can stand for: تش is ch (تشيانغ) or t + sh (ويلتشاير)."""
    return list(dict.fromkeys((ar_skeleton(name), ar_skeleton(name, tsh="TX"))))


def en_skeleton(name: str) -> str:
    """The consonant skeleton of a Latin name: Ingolstadt → NGLSTDT, Chiang Rai → CNGR, Brescia → BRS."""
    s = unicodedata.normalize("NFKD", name)
    s = re.sub(r"[^a-z ]+", " ", "".join(c for c in s if not unicodedata.combining(c)).lower())
    out: list[str] = []
    for w in s.split():
        if w in _EN_ARTICLES:
            continue
        i = 0
        while i < len(w):
            if w[i] == "c":  # soft before e i y, hard elsewhere (the ch / ck groups are matched first below)
                if not w.startswith(("ch", "ck"), i):
                    _push(out, "S" if w[i + 1 : i + 2] in ("e", "i", "y") else "K")
                    i += 1
                    continue
            for pat, c in _EN:
                if w.startswith(pat, i):
                    _push(out, c)
                    i += len(pat)
                    break
            else:
                i += 1  # a vowel, w, y
    return "".join(out)


# letters Arabic spellings of foreign names rarely use (ع ح ص ض ظ ذ ث خ), and the words that open Arabic place names
_NATIVE_LETTERS = re.compile("[عحصضظذثخ]")
_NATIVE_WORDS = {
    normalize(w) for w in ("بني", "بيت", "جبل", "جبال", "وادي", "باب", "حي", "سوق", "مسجد", "كنيسة", "قاعدة", "مطار",
                           "ميناء", "معسكر", "حائط", "حارة", "شارع", "ساحة", "ميدان", "دوار", "جسر", "قصر", "تل", "أبو",
                           "أم", "رأس", "عين", "بئر", "دير", "كفر", "قرية", "منطقة", "مدينة", "جزيرة", "جزر")
}  # fmt: skip


def looks_foreign(words: list[str]) -> bool:
    """Whether an Arabic name (normalised words) can be a foreign name spelt by sound: no article, none of the
    letters such spellings avoid, no word that opens an Arabic place name (بني، بيت، جبل، وادي …)."""
    return bool(words) and not any(
        w.startswith("ال") or _NATIVE_LETTERS.search(w) or w in _NATIVE_WORDS for w in words
    )
