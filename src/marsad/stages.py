"""The default pipeline: which stages run, in which order, with which options.

Each stage lives in its own room and exposes ``build_stage(**options)``; modules are imported only for the stages
that will run, so ``--upto clean`` never pays for (or trips over) the NER model.
"""

from __future__ import annotations

import importlib
from typing import Any

from marsad.errors import ConfigError
from marsad.pipeline import Pipeline, Stage

# Stage name -> module with ``build_stage(**options)``, in pipeline order; ``upto`` cuts after one of them.
STAGE_MODULES: dict[str, str] = {
    "clean": "marsad.clean.stage",
    "text-layer": "marsad.lang.ar.stage",
    "dates": "marsad.lang.ar.dates_stage",
    "entities": "marsad.entities.stage",
    "quotes": "marsad.quotes.stage",
    "events": "marsad.events.stage",
    "geo": "marsad.geo.stage",  # after events: reads entities and events, writes attrs["geo"] / attrs["location"]
}
ORDER = tuple(STAGE_MODULES)


def build_stages(*, upto: str | None = None, **options: Any) -> list[Stage]:
    """The default stages (up to and including ``upto``), built with ``options`` (e.g. ``ner_backend``)."""
    if upto is not None and upto not in STAGE_MODULES:
        raise ConfigError(f"unknown stage {upto!r}; stages are {', '.join(ORDER)}", code="E203")
    names = ORDER[: ORDER.index(upto) + 1] if upto else ORDER
    stages: list[Stage] = []
    for name in names:
        st = importlib.import_module(STAGE_MODULES[name]).build_stage(**options)
        if st is not None:
            stages.append(st)
    return stages


def default_pipeline(*, upto: str | None = None, time_limit: float | None = 60.0, **options: Any) -> Pipeline:
    return Pipeline(build_stages(upto=upto, **options), time_limit=time_limit)
