"""Merge: Parquet shards from ``marsad run`` into the SQLite store, through ``Store.add`` (dedup, stories).

A shard that cannot be read (cut short by a full disk or a copy, corrupted) does not stop the load: the good shards
are loaded, and the bad one becomes a rejection (stage ``load``, code ``E_SHARD``) that names the file and how many
of its rows were loaded before the damage; a row that cannot be decoded is a rejection of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.executors.parquet import TABLES, rejection_from_row, shard_files


def load_shards(parquet_dir: str | Path, *, db: str | Path | None = None, batch_size: int = 200,
                progress: Any = None) -> dict[str, Any]:
    """Load every article and rejection under ``parquet_dir`` into the store at ``db``; returns the summary.
    ``progress`` (optional) is called once per record read."""
    from marsad.store import Store, default_db_path

    d = Path(parquet_dir)
    if not any(shard_files(d, t) for t in TABLES):
        raise InputError(f"{d} holds no marsad Parquet shards (expected {d}/articles/*.parquet)", code="E_NO_SHARDS")
    records: Iterator[Article | Rejection] = read_shards(d)
    if progress is not None:
        records = _counted(records, progress)
    with Store(db or default_db_path()) as store:
        summary = store.add(records, batch_size=batch_size)
    out = summary.as_dict()
    out["db"] = str(db or default_db_path())
    return out


def _counted(items: Iterator[Article | Rejection], tick: Any) -> Iterator[Article | Rejection]:
    for it in items:
        tick()
        yield it


def count_rows(d: Path) -> int:
    """Records under a shard directory, from the Parquet footers (no data read); unreadable shards count 0."""
    import pyarrow.parquet as pq

    n = 0
    for table in ("articles", "rejections"):
        for f in shard_files(d, table):
            try:
                n += pq.ParquetFile(f).metadata.num_rows
            except Exception:  # a damaged shard becomes one rejection when read
                n += 1
    return n


def read_shards(d: Path) -> Iterator[Article | Rejection]:
    """Articles, then rejections, shard by shard; unreadable shards and rows become rejections."""
    for table, columns in (("articles", ["key", "record"]), ("rejections", None)):
        for f in shard_files(d, table):
            yield from _read_shard(f, table, columns)


def _read_shard(f: Path, table: str, columns: list[str] | None) -> Iterator[Article | Rejection]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    try:
        pf = pq.ParquetFile(f)
        for batch in pf.iter_batches(batch_size=512, columns=columns):
            for row in batch.to_pylist():
                n += 1
                yield _record(row, table, f)
    except (pa.ArrowException, OSError, ValueError) as e:
        yield Rejection(
            "load", "E_SHARD",
            f"Parquet shard unreadable after {n} rows ({type(e).__name__}: {str(e)[:200]}); the other shards were "
            "loaded; re-run `marsad run` for the inputs of this shard",
            str(f), None, attrs={"path": str(f), "table": table, "rows_loaded": n},
        )  # fmt: skip


def _record(row: dict[str, Any], table: str, f: Path) -> Article | Rejection:
    try:
        if table == "articles":
            return Article.from_json(row["record"])
        return rejection_from_row(row)
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as e:
        raw = row.get("record") if table == "articles" else None
        return Rejection("load", "E_SHARD_ROW", f"row {row.get('key')} of {f.name} cannot be decoded: "
                         f"{type(e).__name__}: {e}", f"{f}#{row.get('key')}", raw, attrs={"path": str(f)})
