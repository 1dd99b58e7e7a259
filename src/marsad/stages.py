"""The default pipeline: which stages run, in which order, with which options."""

from __future__ import annotations

from typing import Any

from marsad.pipeline import Pipeline, Stage

# Stage names in order; ``upto`` cuts the pipeline after one of them.
ORDER = ("clean", "text-layer", "dates", "entities", "quotes", "events")


def build_stages(*, upto: str | None = None, **options: Any) -> list[Stage]:
    from marsad.clean import CleanStage
    from marsad.lang.ar.stage import TextLayerStage

    stages: list[Stage] = [CleanStage(), TextLayerStage()]
    # Later rooms plug in here as they land; each is optional until its module exists.
    for name, factory in _optional_factories():
        if upto and ORDER.index(upto) < ORDER.index(name):
            break
        st = factory(**options)
        if st is not None:
            stages.append(st)
    if upto:
        stages = [s for s in stages if ORDER.index(s.name) <= ORDER.index(upto)]
    return stages


def _optional_factories():
    import importlib

    for name, mod in (("dates", "marsad.lang.ar.dates_stage"), ("entities", "marsad.entities.stage"),
                      ("quotes", "marsad.quotes.stage"), ("events", "marsad.events.stage")):
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith("marsad"):
                continue
            raise
        yield name, m.build_stage


def default_pipeline(*, upto: str | None = None, time_limit: float | None = 60.0, **options: Any) -> Pipeline:
    return Pipeline(build_stages(upto=upto, **options), time_limit=time_limit)
