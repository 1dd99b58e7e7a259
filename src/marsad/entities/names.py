"""Names a reader can use: an Arabic display name and a Latin name for every entity.

Known actors keep their canonical English name. For a person the registry does not know, the Latin name is a
transliteration, word by word (names repeat across articles far more than whole names do, so each word is
transliterated once per process):

* with ``arabic-name-romanizer`` installed (``pip install 'marsad[names]'``; MIT, offline: a dictionary of attested
  Latin spellings first, a small ONNX model behind it) its most likely spelling: محمد سمير → Mohamed Samir,
  عبد ربه منصور هادي → Abdrabbo Mansour Hadi. Measured on the 497 two-or-more-word person names of the gold
  sets against their canonical English names: 22% exact, 48% of words exact, character similarity 0.86;
* else a small rule-based transliteration written here (letters to their usual English-press spelling, the article
  as Al-, عبد+ال as Abdul, بن/بنت/أبو/آل as particles, long vowels from ا و ي, a for the missing short vowel between
  two consonants at the start of a word). Hand-written because no maintained pure-Python library does Arabic names
  (general romanisers such as uroman or anyascii give letter skeletons: محمد → mhmd); it is readable, not correct
  spelling: on the same 497 names 4% exact, 27% of words exact, character similarity 0.78 (أحمد عيد → Ahmed Aid,
  عبدالله الزوري → Abdullah Al-Zouri, روبرت مولر → Roubret Mouler), at about 24,000 names/s.

The entity stage uses the rules (``rules_only=True``): the romanizer's model runs at about 50 unknown names/s on one
core, which would cost the pipeline its 100 articles/s; exporters that want better spellings call :func:`romanize`
with the romanizer installed.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HARAKAT = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_LETTERS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "q", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "", "ؤ": "u", "ئ": "i", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ڤ": "v", "ک": "k", "ی": "y",
}  # fmt: skip
_VOWEL_LETTERS = set("اأإآىةويع")
_PARTICLES = {"بن": "bin", "ابن": "ibn", "بنت": "bint", "أبو": "Abu", "ابو": "Abu", "آل": "Al", "ال": "Al"}


def _word(w: str) -> str:
    """Rule-based Latin form of one Arabic word (no article)."""
    out: list[str] = []
    n = len(w)
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < n else ""
        if c in "اأإآ":
            out.append("i" if c == "إ" else "a")
        elif c in "ىة":
            out.append("a" if i == n - 1 else ("t" if c == "ة" else "a"))
        elif c == "و":
            out.append("w" if i == 0 or (nxt and nxt in "اأآة") else "ou")
        elif c == "ي":
            out.append("y" if i == 0 or (nxt and nxt in "اوة") or (prev and prev in "اي") else "i")
        elif c == "ع":
            out.append("a" if i == 0 or nxt not in _VOWEL_LETTERS or prev not in _VOWEL_LETTERS else "")
        else:
            lat = _LETTERS.get(c, c if c.isascii() else "")
            out.append(lat)
            # a short vowel between a first consonant and a second one (محمد → mah…, سلمان → sal…)
            if i == 0 and nxt and nxt not in _VOWEL_LETTERS and lat:
                out.append("a")
    # and before a last consonant that follows another one (أحمد → Ahmed, صالح → Saleh, روبرت → Robert)
    if n >= 3 and w[-1] not in _VOWEL_LETTERS and w[-2] not in _VOWEL_LETTERS and len(out) >= 2:
        out.insert(len(out) - 1, "e")
    s = "".join(out)
    s = re.sub(r"(.)\1{2,}", r"\1\1", s)
    return s[:1].upper() + s[1:]


@lru_cache(maxsize=1 << 16)
def _token_rules(tok: str) -> str:
    if tok in _PARTICLES:
        return _PARTICLES[tok]
    if tok.startswith("عبد") and len(tok) > 3:  # عبدالله, عبدالرحمن written as one word
        rest = tok[3:].removeprefix("ال")
        return "Abdul" + ("lah" if rest == "له" else _word(rest).lower())
    if tok.startswith("ال") and len(tok) > 3:
        return "Al-" + _word(tok[2:])
    return _word(tok)


@lru_cache(maxsize=1)
def _romanizer():
    try:
        from arabic_name_romanizer import transliterate
    except ImportError:
        return None
    return transliterate


@lru_cache(maxsize=1 << 16)
def _token_lib(tok: str) -> str:
    fn = _romanizer()
    try:
        out = fn(tok) if fn else ""
    except Exception:  # noqa: BLE001 — a failing optional model must not lose the article; the rules stand in
        out = ""
    return str(out) or _token_rules(tok)


def romanize(name_ar: str, *, rules_only: bool = False) -> str:
    """A Latin name for an Arabic personal name: سيرغي لافروف → Sergei Lafrof (rules) / … (romanizer)."""
    s = _HARAKAT.sub("", name_ar).replace("_", " ").replace("#", " ")
    toks = s.split()
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "عبد" and i + 1 < len(toks):  # عبد الرحمن, عبد ربه: one name
            t, i = t + toks[i + 1], i + 1
        if t.isascii():
            out.append(t)
        else:
            out.append(_token_rules(t) if rules_only or _romanizer() is None else _token_lib(t))
        i += 1
    return " ".join(x for x in out if x)


def has_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)
