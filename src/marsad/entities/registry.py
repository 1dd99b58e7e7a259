"""The actor registry: canonical identities for countries, places, organisations and people, with Arabic names.

Loaded once from package data (``data/actors.json.gz``, built by ``marsad train registry``) and indexed for
token-sequence lookup. Lookups work on *normalised* tokens (``marsad.lang.ar.normalize``); people's names are also
indexed by a transliteration-aware key (:func:`name_key`) so that سيرغي لافروف finds سيرجي لافروف.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import tokenize

REGISTRY_PATH = Path(__file__).parent / "data" / "actors.json.gz"

# Transliteration folds for foreign names written in Arabic: g is غ/ج/ق (Egyptian ج, Gulf ق), emphatic and
# plain consonants meet, and long vowels (ا و ي) carry no identity inside a word.
_KEY_FOLD = str.maketrans({"غ": "ج", "ق": "ج", "گ": "ج", "ط": "ت", "ص": "س", "ض": "د", "ظ": "ز", "ذ": "ز",
                           "ث": "ت", "ء": "", "ـ": "", "ڤ": "ف", "پ": "ب", "چ": "ج"})  # fmt: skip
_VOWELS = set("اوي")
_NON_LETTER = re.compile(r"[^\u0621-\u064a\w]+")


@lru_cache(maxsize=1 << 16)
def token_key(tok: str) -> str:
    """Transliteration-aware key of one (normalised or raw) name token: سيرغي → سرج, لافروف → لفرف. Cached, as
    :func:`name_key`: a pure function of the string, asked again for every mention of a name."""
    n = normalize(tok)
    n = _NON_LETTER.sub("", n)
    if n.startswith("ال") and len(n) > 4:
        n = n[2:]
    if len(n) > 2 and n.endswith("ه"):
        n = n[:-1]
    n = n.translate(_KEY_FOLD)
    if not n:
        return ""
    out = [n[0]]
    for c in n[1:]:
        if c in _VOWELS:
            continue
        if c == out[-1]:
            continue
        out.append(c)
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Key of a whole name (tokens joined by a space); names that differ only in transliteration share it."""
    toks = [t for t in re.split(r"[\s_\-]+", name) if t]
    return " ".join(k for k in (token_key(t) for t in toks) if k)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    country: str | None = None
    sector: str | None = None
    ar: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    roles: tuple[dict[str, Any], ...] = ()
    nisba: tuple[str, ...] = ()
    metonym_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_country(self) -> bool:
        """A state: a GPE that acts for itself (its id is its ISO3 code). ``Entity.is_country`` is the same test on
        an article's entity linked to such an actor (its ``actor_id`` is this id)."""
        return self.type == "GPE" and self.id == self.country


class Registry:
    """Indexes over the actors: ``aliases`` maps a tuple of normalised tokens to actor ids."""

    def __init__(self, actors: list[dict[str, Any]]) -> None:
        self.actors: dict[str, Actor] = {}
        self.aliases: dict[tuple[str, ...], str] = {}
        self.person_keys: dict[str, str] = {}
        self.nisba: dict[str, str] = {}  # normalised adjective form (with or without ال) → ISO3
        self.max_len = 1
        # common nouns/adjectives from the news corpus (registry_build.common_words): not people's names
        self.common: frozenset[str] = frozenset()
        ambiguous_keys: set[str] = set()
        prio = {"per": 0, "org": 1}
        for d in sorted(actors, key=lambda d: prio.get(d["id"].split(":")[0], 2)):
            known = {"id", "name", "type", "country", "sector", "ar", "en", "roles", "nisba", "metonym_of"}
            a = Actor(
                id=d["id"], name=d.get("name") or d["id"], type=d.get("type") or "MISC", country=d.get("country"),
                sector=d.get("sector"), ar=tuple(d.get("ar") or ()), en=tuple(d.get("en") or ()),
                roles=tuple(d.get("roles") or ()), nisba=tuple(d.get("nisba") or ()), metonym_of=d.get("metonym_of"),
                extra={k: v for k, v in d.items() if k not in known},
            )  # fmt: skip
            self.actors[a.id] = a
            for alias in a.ar:
                # the tokens the stage will see in text (أوبك+ is أوبك and +), so that every alias can match
                toks = tuple(t.norm for t in tokenize(alias) if t.text != "_")
                if not toks:
                    continue
                # first writer wins: people and organisations (curated) before places from bulk sources
                self.aliases.setdefault(toks, a.id)
                self.max_len = max(self.max_len, len(toks))
                if a.type == "PER":
                    k = name_key(alias)
                    if k in self.person_keys and self.person_keys[k] != a.id:
                        ambiguous_keys.add(k)
                    self.person_keys.setdefault(k, a.id)
        for k in ambiguous_keys:
            self.person_keys.pop(k, None)
        self._build_nisba()
        # an adjective (سعودي, الروسية) is never a name on its own, whatever a bulk source lists
        # ... but a few country names are spelled like an adjective (السعودية، سورية): kept aside, the stage decides
        # from the word before them
        self.nisba_names: dict[str, str] = {}
        for toks in [t for t in self.aliases if len(t) == 1 and t[0] in self.nisba]:
            a = self.actors[self.aliases[toks]]
            if a.is_country:
                self.nisba_names[toks[0]] = a.id
            del self.aliases[toks]
        # alias lengths by first token, longest first: matching only tries lengths that can exist
        lengths: dict[str, set[int]] = {}
        for toks in self.aliases:
            lengths.setdefault(toks[0], set()).add(len(toks))
        self.first_lengths: dict[str, tuple[int, ...]] = {
            k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()
        }

    def _build_nisba(self) -> None:
        from marsad.entities.registry_build import AMBIGUOUS_NAMES, nisba_stems

        ambiguous = {normalize(n) for n in AMBIGUOUS_NAMES}

        for a in self.actors.values():
            if not a.is_country:
                continue
            stems = list(a.nisba)
            if not stems:
                for n in a.ar[:1]:
                    stems = nisba_stems(n)
            for stem in stems:
                base = normalize(stem)
                if base in ambiguous:  # مالي is "financial" far more often than Malian
                    continue
                words = base.split()
                for suffix in ("", "ه", "ين", "ون", "ان", "تان", "تين", "ات"):
                    # masculine, feminine (ة→ه), plural; multi-word nisbas (كوري شمالي) inflect every word
                    forms = [w + suffix for w in words]
                    for art in (False, True):
                        s = " ".join(("ال" + w) if art else w for w in forms)
                        self.nisba.setdefault(s, a.id)

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def lookup(self, toks: tuple[str, ...]) -> str | None:
        return self.aliases.get(toks)


_lock = threading.Lock()
_cache: dict[str, Registry] = {}


def load_registry(path: str | Path | None = None) -> Registry:
    """The registry shipped with marsad (or one at ``path``), loaded once per process."""
    p = Path(path) if path else REGISTRY_PATH
    key = str(p)
    with _lock:
        reg = _cache.get(key)
        if reg is None:
            with gzip.open(p, "rt", encoding="utf-8") as f:
                data = json.load(f)
            reg = Registry(data["actors"])
            reg.common = frozenset(data.get("common_words") or ())
            _cache[key] = reg
    return reg
