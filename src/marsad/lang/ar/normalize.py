"""Arabic orthographic normalisation as a layer: a normalised string plus a map back to the original offsets.

The folds are the ones Arabic IR and our scorer use: NFKC (presentation forms, ligatures), diacritics and Quranic
marks removed, tatweel removed, أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, Arabic-Indic and Persian digits → ASCII,
invisible format characters (ZWJ/ZWNJ, bidi marks) removed. Written by hand because no maintained library gives
the offset map we need (CAMeL Tools' normalisers return strings only).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Harakat, tanwin, shadda, sukun, dagger alef, Quranic annotation signs, combining hamza.
_DROP = set(range(0x0610, 0x061B)) | set(range(0x064B, 0x0660)) | {0x0670} | set(range(0x06D6, 0x06EE))
_DROP |= {0x0640}  # tatweel
_DROP |= {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x00AD}  # zero-width, bidi marks, soft hyphen
_DROP |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))  # bidi embeddings / isolates

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ؤ": "و", "ئ": "ي",
    "ک": "ك", "ڪ": "ك",
}  # fmt: skip
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Persian / Urdu


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Normalised form of one character (possibly empty, possibly several characters)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if ord(c) in _DROP:
            continue
        c = _FOLD.get(c, c)
        out.append(c)
    s = "".join(out)
    # NFKC of a single char can produce a combining sequence (e.g. آ decomposed forms); fold again to a fixed point.
    if s != ch and len(s) > 0 and any(_fold_char_needed(c) for c in s):
        return "".join(_fold_char(c) for c in s)
    return s


def _fold_char_needed(c: str) -> bool:
    return ord(c) in _DROP or c in _FOLD or unicodedata.normalize("NFKC", c) != c


class _FoldTable(dict):
    """``str.translate`` table: code point -> :func:`_fold_char` of it, filled lazily (only characters seen are
    computed, each once). ``str.translate`` then applies the folds in C, about twice as fast as a Python loop."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


class _MarkTable(dict):
    """``str.translate`` table marking each character "." when it folds to exactly one character and "!" when it is
    dropped or expanded: the marks have the text's length, and ``str.find`` locates the few that move offsets."""

    def __missing__(self, code: int) -> str:
        value = "." if len(_FOLD_TABLE[code]) == 1 else "!"
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()
_MARKS = _MarkTable()


@dataclass(frozen=True, slots=True)
class Normalized:
    """``text`` is the normalised string; ``offsets[i]`` is the index in the original of ``text[i]``;
    ``offsets[len(text)]`` is the original length (so end offsets map too)."""

    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        if start >= end:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> str:
    """The normalised string only (fast path used for search keys and lexicon lookups): each character folded on
    its own (:func:`_fold_char`), through a translate table; a long text through the same folds as arrays."""
    if text.isascii():
        return text
    if len(text) >= _ARRAY_MIN:
        out = _normalize_array(text)
        if out is not None:
            return out
    return text.translate(_FOLD_TABLE)


# From this length on, a text is folded as an array of code points (numpy: one gather, one mask) instead of by
# str.translate, which makes an int object per non-Latin-1 character and reads a dict (about 47 ns a character;
# the array path about a third of that on a 1,500-character article body, the call's fixed cost about 5 us).
_ARRAY_MIN = 256
_BMP = 0x10000


class _FoldArrays:
    """:data:`_FOLD_TABLE` as arrays over the Basic Multilingual Plane, filled from it for the code points seen:
    ``fold`` the one character a code point folds to, ``drop`` when it folds to nothing, ``expands`` when to more
    than one (then the text goes through str.translate). ``known`` is set last, under a lock."""

    def __init__(self) -> None:
        import numpy as np

        self.known = np.zeros(_BMP, dtype=bool)
        self.fold = np.zeros(_BMP, dtype=np.uint32)
        self.drop = np.zeros(_BMP, dtype=bool)
        self.expands = np.zeros(_BMP, dtype=bool)
        self.lock = threading.Lock()

    def learn(self, codes: list[int]) -> None:
        with self.lock:
            for c in codes:
                v = _FOLD_TABLE[c]
                if len(v) == 1:
                    self.fold[c] = ord(v)
                elif v:
                    self.expands[c] = True
                else:
                    self.drop[c] = True
                self.known[c] = True


_ARRAYS: list[_FoldArrays] = []


def _normalize_array(text: str) -> str | None:
    """``text.translate(_FOLD_TABLE)`` computed on the code points; None where the array path does not apply
    (a character beyond the BMP, a lone surrogate, a character that folds to several)."""
    import numpy as np

    try:
        a = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates
        return None
    if int(a.max()) >= _BMP:
        return None
    if not _ARRAYS:
        with _ARRAYS_LOCK:
            if not _ARRAYS:
                _ARRAYS.append(_FoldArrays())
    t = _ARRAYS[0]
    new = ~t.known[a]
    if new.any():
        t.learn(np.unique(a[new]).tolist())
    if t.expands[a].any():
        return None
    out = t.fold[a]
    drop = t.drop[a]
    if drop.any():
        out = out[~drop]
    return out.tobytes().decode("utf-32-le")


_ARRAYS_LOCK = threading.Lock()


def normalize_with_map(text: str) -> Normalized:
    """The normalised string and, for each of its characters, the offset of the character it came from."""
    folded = normalize(text)
    n = len(text)
    # runs of characters that fold one-to-one keep consecutive offsets; only dropped/expanded ones need a look
    marks = "" if text.isascii() else text.translate(_MARKS)
    j = marks.find("!")
    if j < 0:
        return Normalized(folded, tuple(range(n + 1)))
    offs: list[int] = []
    prev = 0
    while j >= 0:
        offs.extend(range(prev, j))
        offs.extend([j] * len(_FOLD_TABLE[ord(text[j])]))
        prev = j + 1
        j = marks.find("!", prev)
    offs.extend(range(prev, n + 1))
    return Normalized(folded, tuple(offs))


def normalize_reference(text: str) -> str:
    """:func:`normalize` as a plain loop over characters: the definition the fast path is tested against."""
    return "".join(_fold_char(c) for c in text)


_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def is_arabic_char(c: str) -> bool:
    o = ord(c)
    return any(a <= o <= b for a, b in _ARABIC_RANGES) and c.isalpha()


def arabic_ratio(text: str, *, sample: int = 20000) -> float:
    """Share of letters that are Arabic (over the first ``sample`` chars), 0.0 when there are no letters."""
    letters = arabic = 0
    for c in text[:sample]:
        if c.isalpha():
            letters += 1
            if is_arabic_char(c):
                arabic += 1
    return arabic / letters if letters else 0.0
