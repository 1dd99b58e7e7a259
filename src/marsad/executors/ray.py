"""The Ray executor: Ray Data reads files in parallel tasks, an actor pool runs the stages, actors write shards.

Plan of the dataset (streaming, so memory is bounded by Ray Data's backpressure, not by corpus size)::

    from_items(files) ──map_batches(read, 1 file per task)──► (key, pickled article) rows
                      ──map_batches(PipelineActor, actor pool of N)──► Parquet shards + one summary row per batch

Each actor builds the pipeline once. Shards are written by the actors themselves (one set of files per batch,
named after the batch's first input key) instead of funnelling all rows through ``write_parquet`` once per table,
which would need the dataset materialised five times. ``ray`` is an optional extra.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marsad.data import Rejection
from marsad.errors import require
from marsad.executors.base import (
    PipelineSpec,
    RunSummary,
    make_key,
    one_math_thread_per_worker,
    process_keyed,
    read_one_file,
)
from marsad.executors.parquet import ShardWriter

ROWS_PER_READ_BLOCK = 64


def _read_files(batch, *, fmt: str | None, field_map: Mapping[str, str] | None):
    """Ray Data UDF: one batch of file rows in, a stream of (key, pickled reader output) tables out."""
    import pyarrow as pa

    idxs = batch.column("idx").to_pylist()
    paths = batch.column("path").to_pylist()
    keys: list[str] = []
    blobs: list[bytes] = []
    for i, p in zip(idxs, paths, strict=True):
        for key, rec in read_one_file(i, p, fmt=fmt, field_map=field_map):
            keys.append(key)
            blobs.append(pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))
            if len(keys) >= ROWS_PER_READ_BLOCK:
                yield pa.table({"key": keys, "item": pa.array(blobs, pa.binary())})
                keys, blobs = [], []
    if keys:
        yield pa.table({"key": keys, "item": pa.array(blobs, pa.binary())})


class PipelineActor:
    """Ray Data callable class: builds the pipeline once, then processes batches and writes their shards."""

    def __init__(self, spec: PipelineSpec, out: str, rows_per_shard: int) -> None:
        one_math_thread_per_worker()  # Ray gives each actor one CPU
        self.pipe = spec.build()
        self.out = out
        self.rows_per_shard = rows_per_shard

    def __call__(self, batch):
        import pyarrow as pa

        keys = batch.column("key").to_pylist()
        items = [pickle.loads(b) for b in batch.column("item").to_pylist()]
        results = process_keyed(self.pipe, zip(keys, items, strict=True))
        # File names sort in input order: the batch's first key, then the writer's running number.
        w = ShardWriter(Path(self.out), prefix="part-" + keys[0].replace(":", "_"), rows_per_shard=self.rows_per_shard)
        for k, it in results:
            w.add(k, it)
        w.close()
        return pa.table({name: [n] for name, n in w.counts.items()})


def run_ray(paths: list[str], *, out: str | Path, spec: PipelineSpec, workers: int | None = None,
            address: str | None = None, batch_size: int = 32, rows_per_shard: int = 2000,
            read_cpus: float = 0.0, fmt: str | None = None, field_map: Mapping[str, str] | None = None,
            init_kwargs: Mapping[str, Any] | None = None) -> RunSummary:
    """Run the pipeline on Ray (a local Ray when ``address`` is None) and write Parquet shards under ``out``."""
    ray = require("ray", feature="the Ray executor", extra="ray")
    ray_data = require("ray.data", feature="the Ray executor", extra="ray")

    from marsad.readers import expand_paths

    t0 = time.perf_counter()
    if not ray.is_initialized():
        kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
        if address:
            kw["address"] = address
        elif workers:
            kw["num_cpus"] = workers
        kw.update(init_kwargs or {})
        ray.init(**kw)
    n_actors = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    ctx = ray_data.DataContext.get_current()
    ctx.enable_progress_bars = False
    try:
        ctx.print_on_execution_start = False
    except AttributeError:
        pass

    out = Path(out)
    summary = RunSummary("ray", n_actors, out=str(out))
    files: list[dict[str, Any]] = []
    driver = ShardWriter(out, prefix="part-driver")
    for i, item in enumerate(expand_paths(paths)):
        if isinstance(item, Rejection):  # a path that names nothing: recorded, not dropped
            driver.add(make_key(i, 0), item)
        else:
            files.append({"idx": i, "path": str(Path(item).resolve())})
    driver.close()
    summary.add_counts(driver.counts)
    summary.files = len(files)
    if files:
        ds = ray_data.from_items(files, override_num_blocks=len(files))
        # Reading is light next to the stages: by default read tasks reserve no CPU, so a pool of N actors on
        # N CPUs cannot starve them (Ray Data would otherwise wait for a free CPU that never comes).
        ds = ds.map_batches(_read_files, batch_size=1, batch_format="pyarrow", num_cpus=read_cpus,
                            fn_kwargs={"fmt": fmt, "field_map": dict(field_map or {}) or None})
        ds = ds.map_batches(
            PipelineActor, batch_size=batch_size, batch_format="pyarrow",
            compute=ray_data.ActorPoolStrategy(size=n_actors), num_cpus=1,
            fn_constructor_kwargs={"spec": spec, "out": str(out.resolve()), "rows_per_shard": rows_per_shard},
        )  # fmt: skip
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            for row in batch.to_pylist():
                summary.add_counts(row)
    summary.seconds = time.perf_counter() - t0
    return summary
