"""Executors: the same pipeline stages on one core, a local process pool, or a Ray cluster.

Python API::

    from marsad.executors import run, iter_run
    summary = run(["corpus/"], executor="local", out="out/")          # Parquet shards under out/
    summary = run(["crawl/*.warc.gz"], executor="ray", address="auto", out="/shared/out")
    for article in iter_run(["corpus/"], workers=2): ...               # in input order, no files written

Both executors write the same shards (see :mod:`marsad.executors.parquet`); ``marsad load`` puts them in a store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.errors import ConfigError
from marsad.executors.base import (
    Keyed,
    PipelineSpec,
    RunSummary,
    check_out_dir,
    default_workers,
    keyed_inputs,
)
from marsad.executors.local import map_local
from marsad.executors.parquet import TABLES, ShardWriter, iter_table, read_results, rows_for
from marsad.pipeline import Pipeline

EXECUTORS = ("local", "ray")

__all__ = [
    "EXECUTORS", "TABLES", "PipelineSpec", "RunSummary", "iter_keyed", "iter_run", "iter_table", "map_local",
    "read_results", "run",
]  # fmt: skip


def _spec(upto: str | None, time_limit: float | None, options: Mapping[str, Any],
          pipeline_factory: Callable[[], Pipeline] | None) -> PipelineSpec:
    from marsad.readers import sandbox

    sandbox.set_limits(time_limit=time_limit)  # the readers of this process (HTML pages) share the limit
    return PipelineSpec(upto=upto, time_limit=time_limit, options=dict(options), factory=pipeline_factory)


def _check_fmt(fmt: str | None) -> None:
    from marsad.readers import READERS

    if fmt and fmt not in READERS:
        raise ConfigError(f"unknown input format {fmt!r}; known: {sorted(READERS)}", code="E202")


def iter_keyed(paths: Iterable[str], *, workers: int | None = None, fmt: str | None = None,
               field_map: Mapping[str, str] | None = None, upto: str | None = None,
               time_limit: float | None = 60.0, chunksize: int = 8,
               pipeline_factory: Callable[[], Pipeline] | None = None, **options: Any) -> Iterator[Keyed]:
    """``(key, Article | Rejection)`` for every input, in input order, on the local process pool."""
    _check_fmt(fmt)
    spec = _spec(upto, time_limit, options, pipeline_factory)
    yield from map_local(keyed_inputs(list(paths), fmt=fmt, field_map=field_map), spec, workers=workers,
                         chunksize=chunksize)


def iter_run(paths: Iterable[str], **kw: Any) -> Iterator[Article | Rejection]:
    """Every input as an Article or a Rejection, in input order, processed on the local pool (see iter_keyed)."""
    for _, item in iter_keyed(paths, **kw):
        yield item


def run(paths: Iterable[str], *, out: str | Path, executor: str = "local", workers: int | None = None,
        address: str | None = None, fmt: str | None = None, field_map: Mapping[str, str] | None = None,
        upto: str | None = None, time_limit: float | None = 60.0, batch_size: int = 32,
        rows_per_shard: int = 2000, pipeline_factory: Callable[[], Pipeline] | None = None,
        progress: Callable[[], None] | None = None, **options: Any) -> RunSummary:
    """Process ``paths`` and write Parquet shards (articles, entities, quotes, events, rejections) under ``out``.

    ``executor``: ``local`` (process pool over ``workers`` cores, default all) or ``ray`` (Ray Data; ``address``
    of a running cluster, or a local Ray when None). ``options`` go to the stages (e.g. ``ner_backend``).
    ``progress`` is called once per input processed (local executor; Ray reports its own progress)."""
    paths = list(paths)
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}", code="E203")
    _check_fmt(fmt)
    spec = _spec(upto, time_limit, options, pipeline_factory)
    out_dir = check_out_dir(out)
    if executor == "ray":
        from marsad.executors.ray import run_ray

        return run_ray(paths, out=out_dir, spec=spec, workers=workers, address=address, batch_size=batch_size,
                       rows_per_shard=rows_per_shard, fmt=fmt, field_map=field_map)
    t0 = time.perf_counter()
    n = workers or default_workers()
    summary = RunSummary("local", n, out=str(out_dir))
    writer = ShardWriter(out_dir, rows_per_shard=rows_per_shard)
    files = set()
    # Workers turn their results into table rows (JSON strings mostly): cheaper to send back than the records.
    for key, rows in map_local(keyed_inputs(paths, fmt=fmt, field_map=field_map), spec, workers=n,
                               transform=rows_for):
        files.add(key.split(":", 1)[0])
        writer.add_rows(rows)
        if progress is not None:
            progress()
    writer.close()
    summary.files = len(files)
    summary.add_counts(writer.counts)
    summary.seconds = time.perf_counter() - t0
    return summary
