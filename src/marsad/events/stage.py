"""The events stage: PLOVER events between actors, from the cue lexicon, entities and quotes."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from marsad.data import Article
from marsad.events.extract import extract_events
from marsad.events.lexicon import load_cues


@dataclass
class EventsStage:
    name: str = "events"
    requires: frozenset[str] = frozenset({"sentences", "entities", "quotes"})
    provides: frozenset[str] = frozenset({"events"})

    def __call__(self, article: Article) -> Article:
        return article.evolve(events=tuple(extract_events(article)))


def build_stage(**options: Any) -> EventsStage | None:  # noqa: ARG001 - options are for other stages
    if importlib.util.find_spec("marsad.entities.stage") is None:
        return None  # actors need the entity layer: the default pipeline skips events until it exists
    load_cues()  # a broken lexicon fails when the pipeline is built, not on the first article
    return EventsStage()
