"""The dates stage: date expressions over the article body, resolved against the publication date."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any

from marsad.data import Article
from marsad.lang.ar.dates import _patterns, find_dates, numeric_order_evidence


@dataclass
class DatesStage:
    name: str = "dates"
    requires: frozenset[str] = frozenset({"sentences"})
    provides: frozenset[str] = frozenset({"dates"})

    def warm(self) -> None:
        """Compile the date patterns now (the executors warm each worker's pipeline before its first document)."""
        _patterns()

    def __call__(self, article: Article) -> Article:
        ref = _ref_date(article.published)
        text = article.text
        body = sorted(article.layer("body"), key=lambda b: b.start)
        if not body:
            return article.with_layers(dates=())
        # Day/month order is a property of the page: its date stamps (12/23/2020 is month-first) and its body.
        stamps = [
            text[s.start : s.end] for s in article.layer("boilerplate") if s.attrs.get("kind") == "date"
        ]
        lo, hi = body[0].start, body[-1].end
        # the stamps decide when they show evidence; otherwise find_dates infers it from the body stretch itself
        order = numeric_order_evidence("\n".join(stamps)) if stamps else None
        # One pass over the stretch that holds the body, then keep what lies inside body spans (much cheaper than
        # one call per paragraph; the boilerplate lines in between are few).
        starts = [b.start for b in body]
        spans = []
        for s in find_dates(text, lo, hi, ref=ref, order=order):
            k = bisect_right(starts, s.start) - 1  # the body span that starts at or before the date
            if k >= 0 and s.end <= body[k].end:
                spans.append(s)
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
