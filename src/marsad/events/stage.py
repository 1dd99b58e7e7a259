from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.data import Article


@dataclass
class EventsStage:
    name: str = "events"
    requires: frozenset[str] = frozenset({"sentences", "entities", "quotes"})
    provides: frozenset[str] = frozenset({"events"})

    def __call__(self, article: Article) -> Article:
        return article


def build_stage(**options: Any) -> EventsStage:  # noqa: ARG001
    return EventsStage()
