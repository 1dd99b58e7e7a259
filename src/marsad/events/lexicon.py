"""The Arabic PLOVER cue lexicon (``data/cues_ar.tsv``, documented in ``data/README.md``).

One loader reads it: every key is normalised the way the text is (:func:`marsad.lang.ar.normalize.normalize`), a
key that normalisation would change (``ؤ``, ``ة``, harakat: it could never match) is an error, and each entry's
category and mode are checked against the one PLOVER table (:mod:`marsad.events.plover`), which also gives its
CAMEO code, quad class and Goldstein weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.events import plover
from marsad.lang.ar.normalize import normalize

PLOVER_TYPES = plover.CATEGORIES
SYMMETRIC_TYPES = {"CONSULT"}
_SCOPES = {"q", "n", "b", "s"}
_MODALITIES = {"fact", "intend", "hope", "threaten", "demand", "fut"}


@dataclass(frozen=True, slots=True)
class CueEntry:
    words: tuple[str, ...]  # normalised stems; "~" means "within 3 words"
    type: str  # a current PLOVER category
    mode: str | None
    cameo: str
    quad: int
    goldstein: float
    scope: str  # q | n | b | s
    modality: str  # fact | intend | hope | threaten | demand | fut
    pos: str = "v"  # v: a verb (its subject may follow it); n: a noun/masdar (subject before it, or right after: طرد لندن)


class LexiconError(ValueError):
    """A lexicon line that cannot be used (unknown category, a key that can never match the normalised text)."""


def parse_cues(text: str, *, name: str = "cues_ar.tsv") -> tuple[CueEntry, ...]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        stem, typ, mode, scope, modality, pos = (line.split("\t") + [""] * 6)[:6]
        where = f"{name}:{n}: {line!r}"
        if not plover.is_category(typ) or plover.current(typ) != typ:
            raise LexiconError(f"[E501] {where}: {typ!r} is not one of PLOVER's current categories")
        words = tuple(stem.split())
        for w in words:
            if w != "~" and normalize(w) != w:
                raise LexiconError(f"[E502] {where}: key {w!r} is not in the normalised alphabet ({normalize(w)!r})")
        if not words or words[0] == "~" or words[-1] == "~":
            raise LexiconError(f"[E503] {where}: empty key or a gap marker at an end")
        if mode and not plover.valid_mode(typ, mode):
            raise LexiconError(f"[E504] {where}: mode {mode!r} is not one of the manual's modes for {typ}")
        if scope not in _SCOPES or modality not in _MODALITIES or (pos or "v") not in ("v", "n"):
            raise LexiconError(f"[E505] {where}: scope/modality/pos must be one of {_SCOPES}/{_MODALITIES}/v,n")
        code = plover.cameo(typ, mode or None)
        out.append(
            CueEntry(
                words, typ, mode or None, code, plover.quad(typ), plover.goldstein(code), scope, modality, pos or "v"
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def load_cues() -> tuple[CueEntry, ...]:
    text = resources.files("marsad.events").joinpath("data/cues_ar.tsv").read_text(encoding="utf-8")
    return parse_cues(text)


@lru_cache(maxsize=1)
def cue_index() -> dict[str, tuple[CueEntry, ...]]:
    """First stem -> entries starting with it."""
    idx: dict[str, list[CueEntry]] = {}
    for e in load_cues():
        idx.setdefault(e.words[0], []).append(e)
    return {k: tuple(v) for k, v in idx.items()}
