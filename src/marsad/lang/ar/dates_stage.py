"""The dates stage: date expressions over the article body, resolved against the publication date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from marsad.data import Article, Span
from marsad.lang.ar.dates import find_dates, infer_numeric_order


@dataclass
class DatesStage:
    name: str = "dates"
    requires: frozenset[str] = frozenset({"sentences"})
    provides: frozenset[str] = frozenset({"dates"})

    def __call__(self, article: Article) -> Article:
        ref = _ref_date(article.published)
        text = article.text
        # Day/month order is a property of the page (its metadata strip may show 12/23/2020), not of one paragraph.
        order = infer_numeric_order(text) if any(c in text for c in "/.-") else "dmy"
        spans: list[Span] = []
        for b in article.layer("body"):
            spans.extend(find_dates(text, b.start, b.end, ref=ref, order=order))
        return article.with_layers(dates=spans)


def _ref_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def build_stage(**options: Any) -> DatesStage:  # noqa: ARG001 - options are shared by all stage factories
    return DatesStage()
