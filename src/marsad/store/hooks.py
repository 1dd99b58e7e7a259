"""Extension points of the store: other parts of marsad (dedup, stories) keep their own tables in the same file.

A hook creates its tables in :meth:`StoreHook.migrate` (``IF NOT EXISTS``, so it runs on every open) and sees every
newly stored article in :meth:`StoreHook.on_insert`, inside the batch transaction, after the article row exists:
whatever the hook writes commits or rolls back together with the article. A hook may also define
``prepare(conn, articles)``: called once per batch, inside its transaction and before the first ``on_insert``, with
the batch's articles (work that reads only the articles; it must not raise for one bad article).
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
from typing import Protocol, runtime_checkable

from marsad.data import Article

log = logging.getLogger(__name__)


@runtime_checkable
class StoreHook(Protocol):
    name: str

    def migrate(self, conn: sqlite3.Connection) -> None:
        """Create the hook's own tables IF NOT EXISTS (runs each time a store opens)."""
        ...

    def on_insert(self, conn: sqlite3.Connection, article: Article) -> None:
        """Inside the batch transaction, after the article row is inserted."""
        ...


# module:attribute of hooks loaded by default when their module imports.
DEFAULT_HOOKS = ("marsad.dedup.hook:DedupHook", "marsad.geo.store:GeoHook")


def load_default_hooks() -> list[StoreHook]:
    """Instances of the default hooks whose modules exist. A hook module that is absent is skipped; one that
    exists but fails to import is a bug and raises."""
    hooks: list[StoreHook] = []
    for spec in DEFAULT_HOOKS:
        mod_name, attr = spec.split(":")
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as e:
            if e.name and (mod_name == e.name or mod_name.startswith(e.name + ".")):
                log.debug("store hook %s not installed", spec)
                continue
            raise
        hooks.append(getattr(mod, attr)())
    return hooks
