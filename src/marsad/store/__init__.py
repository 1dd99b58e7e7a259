"""The embedded store: SQLite (one file, WAL, migrations recorded), FTS5 search with Arabic normalisation."""

from marsad.store.core import IngestSummary, Store, default_db_path
from marsad.store.hooks import StoreHook
from marsad.store.search import SearchHit

__all__ = ["IngestSummary", "SearchHit", "Store", "StoreHook", "default_db_path"]
