"""The events stage: PLOVER events between actors. The cue lexicon and clause rules (:mod:`marsad.events.extract`)
propose actor pairs and types; the learned event model (:mod:`marsad.events.model`, shipped as package data)
decides which pairs state which of PLOVER's 16 categories. Without a model the rules' events stand alone."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from marsad.data import Article
from marsad.errors import ConfigError
from marsad.events import plover
from marsad.events.candidates import _stacked_prototypes, build_candidates, dense_names
from marsad.events.extract import extract_events
from marsad.events.lexicon import load_cues
from marsad.events.model import DETECTOR_FILE, EventModel, shipped_model
from marsad.gcpause import cyclic_gc_paused
from marsad.quotes.extract import MentionIndex


@dataclass
class EventsStage:
    name: str = "events"
    requires: frozenset[str] = frozenset({"sentences", "dates", "entities", "quotes"})
    provides: frozenset[str] = frozenset({"events"})
    model: EventModel | None = None

    def __call__(self, article: Article) -> Article:
        with cyclic_gc_paused():  # no cycles made here; full passes over a long article cost its length squared
            ix = MentionIndex.of(article)
            if self.model is not None:
                cands = build_candidates(article, index=ix, context=self.model.uses_context)
                events = self.model.decide(article, cands)
            else:
                events = [_current(e) for e in extract_events(article, index=ix)]
            return article.evolve(events=tuple(events))

    def warm(self) -> None:
        load_cues()
        if self.model is not None:
            dense_names("s")  # the word vectors and the cue prototypes the candidates' dense features read
            _stacked_prototypes()
            if self.model.uses_context:
                from marsad.lang.ar.context import context_lm

                context_lm()


def _current(ev: Any) -> Any:
    """A rule event under PLOVER's current category name (DISAPPROVE -> ACCUSE …), with the rule kept."""
    f = plover.fold(ev.type, ev.mode)
    return replace(
        ev, type=f.category, mode=f.mode, cameo=f.cameo, quad_class=plover.quad(f.category),
        goldstein=plover.goldstein(f.cameo), attrs={**dict(ev.attrs), "rules": [f"rule:{ev.type}"]},
    )  # fmt: skip


def build_stage(**options: Any) -> EventsStage | None:
    """``event_model``: True (default) decides with the shipped model, False keeps the rules' events, an
    :class:`EventModel`, or the folder of one (``marsad train events --out DIR``)."""
    if importlib.util.find_spec("marsad.entities.stage") is None:
        return None  # actors need the entity layer: the default pipeline skips events until it exists
    load_cues()  # a broken lexicon fails when the pipeline is built, not on the first article
    choice = options.get("event_model", True)
    if isinstance(choice, (str, Path)):
        folder = Path(choice)
        if not (folder / Path(DETECTOR_FILE).name).is_file():
            raise ConfigError(f"no event model in {folder} (expected {Path(DETECTOR_FILE).name})")
        choice = EventModel.load(folder)
    model = shipped_model() if choice is True else (choice or None)
    return EventsStage(model=model)
