"""Merge: Parquet shards from ``marsad run`` into the SQLite store, through ``Store.add`` (dedup, stories)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.executors.parquet import TABLES, read_results, shard_files


def load_shards(parquet_dir: str | Path, *, db: str | Path | None = None, batch_size: int = 200) -> dict[str, Any]:
    """Load every article and rejection under ``parquet_dir`` into the store at ``db``; returns the summary."""
    from marsad.store import Store, default_db_path

    d = Path(parquet_dir)
    if not any(shard_files(d, t) for t in TABLES):
        raise InputError(f"{d} holds no marsad Parquet shards (expected {d}/articles/*.parquet)", code="E_NO_SHARDS")
    with Store(db or default_db_path()) as store:
        summary = store.add((item for _, item in read_results(d)), batch_size=batch_size)
    out = summary.as_dict()
    out["db"] = str(db or default_db_path())
    return out
