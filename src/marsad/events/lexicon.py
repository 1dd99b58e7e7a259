"""The Arabic PLOVER cue lexicon (``data/cues_ar.tsv``, documented in ``data/README.md``) and the PLOVER/CAMEO tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE", "DEMAND", "DISAPPROVE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT", "CRIME",
)  # fmt: skip

# PLOVER type -> (CAMEO root code, quad class, Goldstein-style intensity of the root) after the CAMEO→PLOVER
# table in ../shared/data/plover/CAMEO2PLOVER-2021.txt and the Goldstein (1992) weights GDELT uses per root.
# CONCEDE/CRIME have no single CAMEO root: CONCEDE is read as 08 (yield), CRIME as 18 (assault) as GDELT would.
TYPE_CODES: dict[str, tuple[str, int, float]] = {
    "AGREE": ("03", 1, 4.0), "CONSULT": ("04", 1, 1.0), "SUPPORT": ("05", 1, 3.5), "COOPERATE": ("06", 2, 6.0),
    "AID": ("07", 2, 7.0), "RETREAT": ("08", 2, 5.0), "CONCEDE": ("08", 2, 5.0), "INVESTIGATE": ("09", 2, -2.0),
    "DEMAND": ("10", 3, -5.0), "DISAPPROVE": ("11", 3, -2.0), "REJECT": ("12", 3, -4.0), "THREATEN": ("13", 3, -4.4),
    "PROTEST": ("14", 3, -6.5), "MOBILIZE": ("15", 4, -7.2), "SANCTION": ("16", 4, -4.0), "COERCE": ("17", 4, -7.0),
    "ASSAULT": ("18", 4, -9.0), "FIGHT": ("19", 4, -10.0), "CRIME": ("18", 4, -9.0),
}  # fmt: skip

SYMMETRIC_TYPES = {"CONSULT"}


@dataclass(frozen=True, slots=True)
class CueEntry:
    words: tuple[str, ...]  # normalised stems; "~" means "within 3 words"
    type: str
    mode: str | None
    cameo: str
    quad: int
    goldstein: float
    scope: str  # q | n | b
    modality: str  # fact | intend | hope | threaten | demand | fut
    pos: str = "v"  # v: a verb (its subject may follow it); n: a noun/masdar (subject before it, or right after: طرد لندن)


@lru_cache(maxsize=1)
def load_cues() -> tuple[CueEntry, ...]:
    text = resources.files("marsad.events").joinpath("data/cues_ar.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        stem, typ, mode, cameo, quad, gold, scope, modality, pos = (parts + [""] * 9)[:9]
        if typ not in PLOVER_TYPES:
            raise ValueError(f"[E501] unknown PLOVER type {typ!r} in cues_ar.tsv: {line!r}")
        out.append(
            CueEntry(
                tuple(stem.split()),
                typ,
                mode or None,
                cameo,
                int(quad),
                float(gold),
                scope,
                modality,
                pos or "v",
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def cue_index() -> dict[str, tuple[CueEntry, ...]]:
    """First stem -> entries starting with it."""
    idx: dict[str, list[CueEntry]] = {}
    for e in load_cues():
        idx.setdefault(e.words[0], []).append(e)
    return {k: tuple(v) for k, v in idx.items()}


# Older PLOVER names the lexicon may still carry, folded to the current 16 categories (PLOVER manual draft 0.8).
LEGACY_NAMES = {"DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "DEMAND": "REQUEST", "FIGHT": "ASSAULT"}
_CURRENT_CODES = {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}


def codes_for(typ: str) -> tuple[str, int, float, str]:
    """(CAMEO root, quad class, Goldstein, current PLOVER name) for a current or older category name."""
    current = LEGACY_NAMES.get(typ, typ)
    root, quad, gold = TYPE_CODES.get(typ) or TYPE_CODES[_CURRENT_CODES.get(current, current)]
    return root, quad, gold, current
