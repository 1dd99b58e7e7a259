"""The one PLOVER table: PLOVER's current 16 categories with quad class, the manual's PLOVER event scale, CAMEO root,
modes, contexts, folding of older names and the CAMEO code / Goldstein weight of each category/mode pair.

Data: ``data/plover.json`` (documented in ``data/README.md``), read once by :func:`table`. Sources:
``../shared/data/plover/PLOVER_MANUAL.tex`` (draft 0.8: category sections, "PLOVER conflict--cooperation scores"
table, mode tables, general contexts, auxiliary modes) and ``CAMEO2PLOVER-2021.txt`` (CAMEO code -> category, mode).
Two places where the manual contradicts itself are settled here and documented in the README: ACCUSE's base score
is printed as ``3`` (every ACCUSE mode is negative and the category is verbal conflict; we use -3), and SANCTION is
"Quad category: MATERIAL CONFLICT" in its section but listed under verbal conflict in the summary table (we use the
section: 4).

Every consumer (events stage, exports, store, API, web UI) asks this module; older names are accepted everywhere
through :func:`fold` (DISAPPROVE/INVESTIGATE -> ACCUSE, DEMAND -> REQUEST, FIGHT -> ASSAULT; CRIME is a context:
stored CRIME events become ASSAULT with context ``crime``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
LEGACY: dict[str, str] = {
    "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "DEMAND": "REQUEST", "FIGHT": "ASSAULT", "CRIME": "ASSAULT",
}  # fmt: skip
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
PLOVER_VERSION = "PLOVER draft 0.8 (2021)"


class UnknownCategory(ValueError):
    """A name that is neither a current PLOVER category nor an older name we fold."""


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    quad: int
    scale: float  # the manual's PLOVER event scale for the category without a mode
    cameo_root: str
    requires_recipient: bool
    modes: dict[str, float | None]  # mode -> the manual's scale for CATEGORY: mode (None where the table has none)
    cameo: dict[str, str]  # mode ("" = none) -> CAMEO code
    label_ar: str


@dataclass(frozen=True, slots=True)
class Folded:
    """An (old or current) category/mode pair brought to current PLOVER."""

    category: str
    mode: str | None
    cameo: str
    contexts: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The raw table (``data/plover.json``); checked once on load."""
    text = resources.files("marsad.events").joinpath("data/plover.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    if tuple(data["categories"]) != CATEGORIES:
        raise ValueError("[E501] data/plover.json: categories differ from plover.CATEGORIES")
    gold = data["goldstein"]
    for name, c in data["categories"].items():
        for mode, code in c["cameo"].items():
            if mode and mode not in c["modes"]:
                raise ValueError(f"[E501] data/plover.json: {name} mode {mode!r} not in the manual's list")
            if code not in gold:
                raise ValueError(f"[E501] data/plover.json: no Goldstein weight for CAMEO {code}")
    return data


@lru_cache(maxsize=1)
def _categories() -> dict[str, Category]:
    return {
        name: Category(name, c["quad"], c["scale"], c["cameo_root"], c["requires_recipient"], dict(c["modes"]),
                       dict(c["cameo"]), c["label_ar"])
        for name, c in table()["categories"].items()
    }  # fmt: skip


def current(name: str | None) -> str | None:
    """The current category name for a current or older name (upper-cased); None for None/empty; unknown names are
    returned upper-cased unchanged (use :func:`category` to reject them)."""
    if not name:
        return None
    n = name.strip().upper()
    return LEGACY.get(n, n)


def is_category(name: str | None) -> bool:
    return bool(name) and current(name) in CATEGORIES


def category(name: str) -> Category:
    """The :class:`Category` for a current or older name (case-insensitive); :class:`UnknownCategory` otherwise."""
    n = current(name)
    cats = _categories()
    if n not in cats:
        raise UnknownCategory(f"unknown PLOVER category {name!r} (one of {', '.join(CATEGORIES)})")
    return cats[n]


def fold(name: str, mode: str | None = None) -> Folded:
    """Bring an (old or current) category and mode to current PLOVER: the category, a mode from the manual's list
    for it (or None), the CAMEO code of the pair and any context the old name implied (CRIME -> ``crime``)."""
    n = (name or "").strip().upper()
    data = table()
    old = data["fold"].get(n)
    cat = category(n)
    contexts: tuple[str, ...] = (old["context"],) if old and old.get("context") else ()
    m = (mode or "").strip().lower() or None
    if m is None and old is not None:
        return Folded(cat.name, old["mode"], old["cameo"], contexts)
    if m is not None and m in cat.modes:
        return Folded(cat.name, m, cat.cameo.get(m, cat.cameo[""]), contexts)
    legacy = data["mode_fold"].get(cat.name, {}).get(m or "")
    if legacy is not None:
        return Folded(cat.name, legacy[0], legacy[1], contexts)
    if old is not None:  # an old name with a mode we do not know: the old name's default
        return Folded(cat.name, old["mode"], old["cameo"], contexts)
    return Folded(cat.name, None, cat.cameo[""], contexts)


def quad(name: str) -> int:
    return category(name).quad


def scale(name: str, mode: str | None = None) -> float:
    """The manual's PLOVER event scale for a category (and mode, where the manual scores it)."""
    f = fold(name, mode)
    cat = category(f.category)
    v = cat.modes.get(f.mode) if f.mode else None
    return cat.scale if v is None else v


def modes(name: str) -> tuple[str, ...]:
    return tuple(category(name).modes)


def valid_mode(name: str, mode: str | None) -> bool:
    """True when ``mode`` is in the manual's list for the category (None/empty is always valid: modes are optional)."""
    if not mode:
        return True
    return mode in category(name).modes


def contexts() -> tuple[str, ...]:
    """The manual's general contexts (usable with any category)."""
    return tuple(table()["contexts"])


def auxiliary_modes() -> tuple[str, ...]:
    """historical, future, hypothetical, negation: the manual puts these in ``context``."""
    return tuple(table()["auxiliary_modes"])


def valid_context(ctx: str) -> bool:
    return ctx in table()["contexts"] or ctx in table()["auxiliary_modes"]


def cameo(name: str, mode: str | None = None) -> str:
    """The CAMEO code for a category/mode pair (3-4 digits where the mode tells, else the category's x0 code)."""
    return fold(name, mode).cameo


def cameo_root(name: str) -> str:
    return category(name).cameo_root


def goldstein(code: str) -> float:
    """Goldstein weight of a CAMEO code as GDELT publishes it; falls back to the code's root, then its prefix."""
    g = table()["goldstein"]
    c = code
    while c:
        if c in g:
            return float(g[c])
        c = c[:-1]
    raise KeyError(f"no Goldstein weight for CAMEO code {code!r}")


def label_ar(name: str) -> str:
    return category(name).label_ar


def quad_name(q: int) -> str:
    return QUAD_NAMES[q]


def fold_event_dict(ev: dict[str, Any]) -> dict[str, Any]:
    """An event record (``Event.to_dict()`` shape) under a retired name brought to the current one: type, the folded
    mode, quad class; the old name kept in ``attrs["plover_folded_from"]``, an implied context (CRIME -> crime) in
    ``attrs["contexts"]``. Records under current names come back unchanged (the same object)."""
    old = str(ev.get("type") or "").upper()
    if old not in LEGACY:
        return ev
    f = fold(old, ev.get("mode"))
    attrs = dict(ev.get("attrs") or {})
    attrs.setdefault("plover_folded_from", ev.get("type"))
    if f.contexts:
        attrs["contexts"] = sorted({*attrs.get("contexts", ()), *f.contexts})
    return {**ev, "type": f.category, "mode": f.mode, "quad_class": quad(f.category), "attrs": attrs}


def current_article(article: Any) -> Any:
    """The article with every event under a current PLOVER name (:func:`fold_event_dict`); itself when all are."""
    if not any(str(e.type).upper() in LEGACY for e in article.events):
        return article
    from dataclasses import replace

    events = []
    for e in article.events:
        if str(e.type).upper() not in LEGACY:
            events.append(e)
            continue
        d = fold_event_dict({"type": e.type, "mode": e.mode, "attrs": e.attrs})
        events.append(replace(e, type=d["type"], mode=d["mode"], quad_class=d["quad_class"], attrs=d["attrs"]))
    return article.evolve(events=tuple(events))
