"""A capital named as an actor stands for its state: فرضت واشنطن عقوبات، موسكو ترفض …، أن تنسحب بيونغ يانغ من
… — the metonymy GDELT and ICEWS code as the country (the capital's government acts, not the city). Named as a
place (في واشنطن، بموسكو، العاصمة طهران، زار بكين) it stays the city.

The decision is read from the words right around each mention (the role the name plays in its clause), never from
what the name is:

- an **actor** reading: the name is the subject of a verb agreeing with it, the verb right before it (VSO: اعتبرت
  بيونغ يانغ) or right after it (SVO, mostly after أن / إن / لكن: أن واشنطن ترفض). Arabic gives a city's (and a
  state's) name feminine agreement, so the verb is a third-person feminine form: a past ending in ت (not the plural
  ات), or a present / future starting with ت / ستـ. Verbs whose subject is a place (شهدت المدينة، تستضيف الرياض، تقع،
  تضم) are not actor readings;
- a **place** reading: ب on the name, or a locative word before it (في، إلى، من، قرب، العاصمة، مدينة، شمال …).

An entity is its state when its mentions have more actor readings than place readings. Hand-written: no Arabic
tagger in the dependencies tells a verb from a noun, and the two agreement patterns cover the clause shapes news
uses for states acting; a word the place index or the actor registry knows as a name (ترمب، بيروت) or a nisba
adjective (تركي) is not taken for a verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from marsad.geo.gazetteer import Gazetteer, ar_key
from marsad.lang.ar.normalize import normalize

_MARKS = re.compile(r"[\u064b-\u0652\u0640]")  # harakat and tatweel
_TOKEN = re.compile(r"[\u0621-\u064a]+|[^\s\u0621-\u064a]")
_SKIP = {"#", '"', "«", "»", "“", "”", "'"}
_PAST_F = re.compile(r"[\u0621-\u064a]{2,6}ت")
_PRES_F = re.compile(r"س?ت[\u0621-\u064a]{2,6}")
# verbs whose subject is where something happens (شهدت المدينة مظاهرة، تستضيف الرياض القمة، تقع، تضم، تحتضن)
_PLACE_SUBJECT = tuple(
    normalize(w) for w in ("شهد", "تشهد", "ستشهد", "استضاف", "تستضيف", "ستستضيف", "احتضن", "تحتضن", "تقع", "وقع",
                           "تضم", "ضم", "تعيش", "عاش", "تبعد", "تحتفل", "احتفل", "تعج", "تكتظ", "تغرق")
)  # fmt: skip
_LOCATIVE = {
    normalize(w)
    for w in ("في", "فى", "إلى", "الى", "من", "عن", "داخل", "خارج", "قرب", "حول", "وسط", "أنحاء", "عاصمة", "العاصمة",
              "مدينة", "بمدينة", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "ضواحي", "شوارع",
              "سكان", "أهالي", "مطار", "زار", "يزور", "زيارة", "وصل", "يصل", "وصوله", "غادر", "يغادر", "توجه", "يتوجه")
}  # fmt: skip
_PROCLITIC = ("و", "ف", "ب", "ل")
# a name after a dash, colon or bracket opens a report (الوكالة – لندن ارتفعت …): a dateline, not a subject
_DATELINE_MARKS = {"-", "–", "—", ":", "(", ")", "|", "/"}


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Single words of the actor registry's names (ترمب، بوتين): names, not verbs."""
    from marsad.entities.registry import load_registry

    return frozenset(t for toks in load_registry().aliases for t in toks)


def _is_fem_verb(raw: str, gaz: Gazetteer) -> bool:
    """``raw``: the word as written (ة still told from ه: تسوية is a noun, تشتبه a verb)."""
    if raw.endswith("ة"):
        return False
    w = normalize(raw)
    if len(w) > 4 and w[0] in "وف":
        w = w[1:]
    if w.startswith("ال") or w.endswith("ات"):
        return False
    if not (_PAST_F.fullmatch(w) or _PRES_F.fullmatch(w)):
        return False
    if w.startswith(_PLACE_SUBJECT):
        return False
    return not (w in gaz.nisba or w in _name_words() or ar_key(w) in gaz.by_ar)


class _TextIndex:
    """One text's tokens as :func:`roles` reads them, computed once per text instead of once per place entity
    (an article asks for each of its places: a whole-text pass per entity made the stage quadratic in length,
    issue 20). ``at[k]``: for each position whose word, with or without one proclitic, has the key ``k``, that
    position and the first clitic (in the order ``("", *_PROCLITIC)``) that gives it."""

    __slots__ = ("at", "keys", "raw", "toks")

    def __init__(self, text: str) -> None:
        self.raw = _TOKEN.findall(_MARKS.sub("", text))
        self.toks = [normalize(t) for t in self.raw]
        self.keys = [ar_key(t) for t in self.toks]
        self.at: dict[str, list[tuple[int, str]]] = {}
        for i, t in enumerate(self.toks):
            seen: set[str] = set()
            for c in ("", *_PROCLITIC):
                if t.startswith(c):
                    k = self.keys[i] if not c else ar_key(t[len(c) :])
                    if k not in seen:
                        seen.add(k)
                        self.at.setdefault(k, []).append((i, c))


_LAST: tuple[str, _TextIndex] | None = None  # the last text's index (one assignment: safe for concurrent readers)


def _index(text: str) -> _TextIndex:
    global _LAST
    last = _LAST
    if last is not None and last[0] is text:
        return last[1]
    ix = _TextIndex(text)
    _LAST = (text, ix)
    return ix


def roles(text: str, surfaces: Iterable[str], gaz: Gazetteer) -> tuple[int, int]:
    """(actor readings, place readings) over the occurrences of the mention strings in ``text``; a reading repeated
    word for word (a headline a page dump repeats) counts once. Each position is read with the first of the keys
    (in the set's order) whose words stand there, as a walk over every position would."""
    ix = _index(text)
    raw, toks, tok_keys = ix.raw, ix.toks, ix.keys
    keys = {tuple(ar_key(s).split()) for s in surfaces} - {()}
    found: dict[int, list[tuple[int, tuple[str, ...], str]]] = {}  # position -> (key's rank, key, clitic)
    for rank, key in enumerate(keys):
        for i, c in ix.at.get(key[0], ()):
            found.setdefault(i, []).append((rank, key, c))
    actor: set[tuple[str, ...]] = set()
    place: set[tuple[str, ...]] = set()
    for i in sorted(found):
        for _rank, key, clitic in sorted(found[i], key=lambda r: r[0]):
            if tuple(tok_keys[i + 1 : i + len(key)]) != key[1:]:
                continue
            j = i + len(key)
            p = i - 1
            while p >= 0 and toks[p] in _SKIP:
                p -= 1
            while j < len(toks) and toks[j] in _SKIP:
                j += 1
            prev, raw_prev = (toks[p], raw[p]) if p >= 0 else ("", "")
            nxt, raw_nxt = (toks[j], raw[j]) if j < len(toks) else ("", "")
            after = tuple(toks[j : j + 2])
            bare_prev = prev[1:] if len(prev) > 2 and prev[0] in "وفب" else prev
            if clitic == "ب" or prev in _LOCATIVE or bare_prev in _LOCATIVE:
                place.add((prev, *after))
            elif _is_fem_verb(raw_prev, gaz):
                actor.add((prev, *after))
            elif clitic in ("", "و") and prev not in _DATELINE_MARKS and _is_fem_verb(raw_nxt, gaz):
                actor.add(after)
            break
    return len(actor), len(place)


def acts_for_state(text: str, surfaces: Iterable[str], gaz: Gazetteer) -> bool:
    """Whether the entity named by ``surfaces`` is used in ``text`` for its state rather than as a place."""
    actor, place = roles(text, surfaces, gaz)
    return actor > place
