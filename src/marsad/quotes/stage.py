"""The quotes stage: who said what (direct and reported speech), speakers resolved through the entity layer."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from marsad.data import Article
from marsad.quotes.extract import extract_quotes


@dataclass
class QuotesStage:
    name: str = "quotes"
    requires: frozenset[str] = frozenset({"sentences", "entities"})
    provides: frozenset[str] = frozenset({"quotes"})

    def __call__(self, article: Article) -> Article:
        return article.evolve(quotes=tuple(extract_quotes(article)))


def build_stage(**options: Any) -> QuotesStage | None:  # noqa: ARG001 - options are for other stages
    if importlib.util.find_spec("marsad.entities.stage") is None:
        return None  # speakers need the entity layer: the default pipeline skips quotes until it exists
    return QuotesStage()
