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
    (YYYY-MM-DD), ``url``, ``source``; given metadata wins over what the cleaner guesses.

    Raises :class:`InputError` when the text is refused (the message says why)."""
    global _default
    from marsad.stages import default_pipeline

    if _default is None:
        _default = default_pipeline()
    text, lossy = replace_lone_surrogates(text)
    if lossy:
        meta["meta"] = {**dict(meta.get("meta") or {}), "lossy_decode": True}
    art = Article.new(text, **meta)
    out = _default.process(art)
    if isinstance(out, Rejection):
        raise InputError(out.reason, code=out.code)
    return out
