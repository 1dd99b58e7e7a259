"""The quotes stage: who said what (direct and reported speech), speakers resolved through the entity layer."""

from __future__ import annotations

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


def build_stage(**options: Any) -> QuotesStage:  # noqa: ARG001 - options are for other stages
    return QuotesStage()
