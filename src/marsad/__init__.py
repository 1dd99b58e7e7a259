"""marsad (مرصد): Arabic news in, a structured record of who said and did what to whom, and when, out."""

from __future__ import annotations

from typing import Any

from marsad.data import Article, Entity, Event, Quote, Rejection, Span, replace_lone_surrogates
from marsad.errors import InputError, MarsadError
from marsad.pipeline import Pipeline, stage

__version__ = "0.1.0"
__all__ = [
    "Article", "Entity", "Event", "InputError", "MarsadError", "Pipeline", "Quote", "Rejection", "Span",
    "analyze", "stage",
]  # fmt: skip

_default = None


def analyze(text: str, **meta: Any) -> Article:
    """Run the whole default pipeline over one text. ``meta`` may give ``id``, ``title``, ``published``
    (YYYY-MM-DD, or an ISO 8601 / RFC 2822 / Arabic date), ``url``, ``source``; given metadata wins over what the
    cleaner guesses.

    Raises :class:`InputError` when the text is refused or a given date cannot be read (the message says why)."""
    global _default
    from marsad.stages import default_pipeline

    if _default is None:
        _default = default_pipeline()
    text, lossy = replace_lone_surrogates(text)
    if lossy:
        meta["meta"] = {**dict(meta.get("meta") or {}), "lossy_decode": True}
    when = None
    if meta.get("published") not in (None, ""):
        from marsad.readers.given_date import parse_given_date

        when = parse_given_date(meta["published"])  # InputError E_DATE: "yesterday" is not a date
        meta["published"] = when.date
        if when.utc:
            meta["meta"] = {**dict(meta.get("meta") or {}), "published_utc": when.utc}
    art = Article.new(text, **meta)
    if when is not None and when.time:
        art = art.evolve(published_time=when.time)
    out = _default.process(art)
    if isinstance(out, Rejection):
        raise InputError(out.reason, code=out.code)
    return out
