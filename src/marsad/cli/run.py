"""``marsad run`` (the pipeline on a local process pool or Ray, Parquet out) and ``marsad load`` (Parquet into a store)."""

from __future__ import annotations

import json
import sys

import click

from marsad.cli.app import main
from marsad.entities.ner import BACKENDS, DEFAULT_BACKEND


@main.command("run")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Directory for the Parquet shards (articles/, entities/, quotes/, events/, rejections/).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool on this machine; ray: Ray Data (a local Ray, or --address).")
@click.option("--address", default=None, help="Ray cluster address (e.g. auto, or ray://head:10001); ray only.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (local) or pipeline actors (ray); default: every CPU.")
@click.option("--input-format", "input_format", default=None,
              help="Force a reader (text, jsonl, html, warc, feed, ant, saudinewsnet); default: sniffed per file.")
@click.option("--field", "fields", multiple=True, metavar="OURS=THEIRS", help="JSONL field mapping (see process).")
@click.option("--upto", type=click.Choice(["clean", "text-layer", "dates", "entities", "quotes", "events"]),
              default=None, help="Stop after this stage.")
@click.option("--time-limit", type=float, default=60.0, show_default=True,
              help="Seconds one document may take across all stages before it is rejected (E_TIMEOUT).")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Articles per Ray batch (ray only).")
@click.option("--ner-backend", type=click.Choice(list(BACKENDS)), default=DEFAULT_BACKEND, show_default=True,
              help="Entity recogniser the entities stage uses (as in `marsad process`).")
@click.option("--ner-model", type=click.Path(exists=True), default=None,
              help="Model directory for the NER backend (needed for transformers; default: the shipped model).")
def run_cmd(paths, out, executor, address, workers, input_format, fields, upto, time_limit, batch_size,
            ner_backend, ner_model):
    """Run the pipeline over PATHS (files, folders, globs) and write Parquet shards to --out.

    The same stages run unchanged on every executor and give the same records. The shards are queryable with
    DuckDB (SELECT ... FROM 'OUT/events/*.parquet') and load into a store with `marsad load OUT --db FILE`.
    Prints a JSON summary; exit status 0 when every input was processed, 3 when some were rejected.
    """
    from marsad.cli.process import _field_map
    from marsad.executors import run

    if address and executor != "ray":
        raise click.BadParameter("--address only applies to --executor ray", param_hint="--address")
    from marsad.cli.options import progress
    from marsad.cli.store import estimate_total

    total = estimate_total(list(paths)) if executor == "local" else None
    with progress("run", total) as advance:
        summary = run(list(paths), out=out, executor=executor, workers=workers, address=address, fmt=input_format,
                      field_map=_field_map(fields) or None, upto=upto, time_limit=time_limit,
                      batch_size=batch_size, ner_backend=ner_backend, ner_model=ner_model,
                      progress=advance if executor == "local" else None)
    d = summary.to_dict()
    d["seconds"] = round(d["seconds"], 2)
    click.echo(json.dumps(d, ensure_ascii=False))
    if summary.rejections:
        click.echo(f"marsad: {summary.articles} processed, {summary.rejections} rejected "
                   f"(see {out}/rejections or `marsad load` then `marsad rejects`)", err=True)
        sys.exit(3)


@main.command("load")
@click.argument("parquet_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--db", "db", default=None, help="SQLite store to load into (default: $MARSAD_DB or marsad.db).")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Records per transaction.")
def load_cmd(parquet_dir, db, batch_size):
    """Load the Parquet shards written by `marsad run` into a store.

    Articles go through the store's normal path (dedup by id, duplicate/story hooks); rejections go to the
    rejects table. Loading the same directory twice stores nothing new. Prints the ingest summary as JSON.
    """
    from pathlib import Path

    from marsad.cli.options import progress
    from marsad.executors.load import count_rows, load_shards

    with progress("load", count_rows(Path(parquet_dir)), unit="records") as advance:
        summary = load_shards(parquet_dir, db=db, batch_size=batch_size, progress=advance)
    click.echo(json.dumps(summary, ensure_ascii=False))
