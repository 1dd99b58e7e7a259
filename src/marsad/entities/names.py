"""Names a reader can use: an Arabic display name and a Latin name for every entity.

Known actors keep their canonical English name. For a person the registry does not know, the Latin name is built
from attested spellings first and rules second:

* with ``arabic-name-romanizer`` installed (``pip install 'marsad[names]'``, in ``all``; MIT, offline) its
  dictionary of attested Latin spellings of Arabic names, word by word: each word it knows in its most attested
  spelling (محمد سمير → Mohamed Samir, روبرت → Robert, يورام → Yoram), the rest by the rules below. Only the
  dictionary is used, not the package's ONNX model or its own letter rules: on the 449 two-or-more-word gold
  person names that the registry does not know (train and dev, scored against their canonical English names) this
  gives 18.7% of names and 43.4% of words exact, character similarity 0.841, at 0.08 ms CPU a new name (then
  cached); the package's full path (its model for the words the dictionary lacks) is a little better, 22.7% /
  46.9% / 0.859, at 6-8 ms a name, more than the entity stage spends on a whole article; its whole-name
  entries added nothing over the words (those attested more than once; the one-off ones are noisy: خالد alone
  has a surname among them); the rules alone 4.2% / 23.0% / 0.786;
* else (and for the words the dictionary lacks) a small rule-based transliteration written here (letters to their
  usual English-press spelling, the article as Al-, عبد+ال as Abdul, بن/بنت/أبو/آل as particles, long vowels from
  ا و ي, a for the missing short vowel between two consonants at the start of a word). Hand-written because no
  maintained pure-Python library does Arabic names (general romanisers such as uroman or anyascii give letter
  skeletons: محمد → mhmd, and the romanizer's own letter rules spell جرينبلات as Jarinabalat); it is readable, not
  correct spelling (أحمد عيد → Ahmed Aid, روبرت مولر → Roubret Mouler), at about 24,000 names/s.

The figures come from ``python bench/bench_names.py`` (needs ``../shared/gold``).
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from typing import Any

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


class _Attested:
    """The romanizer's dictionary of attested spellings (its read-only SQLite index), opened once per process (a
    connection must not cross a fork: a pool worker opens its own) and read under a lock (one connection, several
    threads). Read through the package's own index, key function and ranking (``NameIndex.lookup_unit``): one
    indexed query per new word, where its ``Transliterator`` front end cost about ten times more per call
    (candidate combination, full-name lookups): ~1 ms per article on a cold start."""

    def __init__(self) -> None:
        self._pid = -1
        self._ix: Any = None
        self._keys: Any = None
        self._lock = threading.Lock()

    def _index(self) -> Any:
        if self._pid != os.getpid():
            try:
                from arabic_name_romanizer import normalize as keys
                from arabic_name_romanizer.api import default_resources_dir
                from arabic_name_romanizer.lookup import NameIndex

                self._ix, self._keys = NameIndex(default_resources_dir() / "names.sqlite3"), keys
            except (ImportError, OSError):  # not installed, or a package without its dictionary
                self._ix = self._keys = None
            self._pid = os.getpid()
        return self._ix

    def available(self) -> bool:
        if self._pid == os.getpid():  # opened (or found missing) in this process already: no lock needed to read
            return self._ix is not None
        with self._lock:
            return self._index() is not None

    def spelling(self, word: str) -> str:
        """The most attested Latin spelling of one word of a name; '' when the dictionary lacks it."""
        with self._lock:
            ix = self._index()
            if ix is None:
                return ""
            k = self._keys
            try:
                found = ix.lookup_unit(k.lookup_key(k.normalize_arabic(word)))
            except Exception:  # noqa: BLE001 — an optional dictionary must not lose the article; the rules stand in
                return ""
        out = str(found[0].latin) if found else ""
        return " ".join(w[:1].upper() + w[1:] for w in out.split())


_ATTESTED = _Attested()


@lru_cache(maxsize=1 << 16)
def _token_attested(tok: str) -> str:
    if tok in _PARTICLES:  # بن alone is a particle, not the start of a surname the dictionary knows (Ben-…)
        return _PARTICLES[tok]
    return _ATTESTED.spelling(tok) or _token_rules(tok)


def romanize(name_ar: str, *, rules_only: bool = False) -> str:
    """A Latin name for an Arabic personal name: سيرغي لافروف → Sergei Lafrof (rules), روبرت مولر → Robert Muller
    (attested spellings, with the romanizer installed). ``rules_only``: the rules alone (names that are not
    personal names, whose words a personal-name dictionary would misread)."""
    s = _HARAKAT.sub("", name_ar).replace("_", " ").replace("#", " ")
    toks = s.split()
    attested = not rules_only and _ATTESTED.available()
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "عبد" and i + 1 < len(toks):  # عبد الرحمن, عبد ربه: one name
            t, i = t + toks[i + 1], i + 1
        if t.isascii():
            out.append(t)
        else:
            out.append(_token_attested(t) if attested else _token_rules(t))
        i += 1
    return " ".join(x for x in out if x)


def has_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


def latin_name(name: str, typ: str) -> str:
    """The Latin name of an entity or actor the registry does not know (``attrs["name_latin"]``, the API's
    ``name_latin``): a Latin name as it is; a person's from attested spellings; other names by the rules (a
    personal-name dictionary would misread their common words)."""
    return name if not has_arabic(name) else romanize(name, rules_only=typ != "PER")
