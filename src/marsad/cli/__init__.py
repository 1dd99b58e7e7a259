"""Command-line interface. ``main`` is the console script; commands live one room per module."""

import importlib

from marsad.cli.app import main

# Each module registers its commands on import; a room that has not landed yet is simply absent.
for _mod in ("process", "store", "stance", "ner", "pairs", "stories", "serve", "run", "registry", "geo", "annotate", "gold"):
    try:
        importlib.import_module(f"marsad.cli.{_mod}")
    except ModuleNotFoundError as _e:
        if not (_e.name or "").startswith("marsad.cli"):
            raise

__all__ = ["main"]
