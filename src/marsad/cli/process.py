"""``marsad process``: files in, one JSON record per article out (no store)."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

import click

from marsad.cli.app import main
from marsad.data import Article, Rejection
from marsad.entities.ner import BACKENDS, DEFAULT_BACKEND

if TYPE_CHECKING:
    from marsad.pipeline import Pipeline

EXIT_REJECTED = 3


@main.command("process")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "text"]), default="json", show_default=True,
              help="json: one indented object per article; jsonl: one line each; text: a readable summary.")
@click.option("--input-format", "input_format", default=None,
              help="Force a reader (text, jsonl, html, warc, feed, ant, saudinewsnet); default: sniffed per file.")
@click.option("--field", "fields", multiple=True, metavar="OURS=THEIRS",
              help="JSONL field mapping, e.g. --field text=content --field published=date.")
@click.option("--upto", type=click.Choice(["clean", "text-layer", "dates", "entities", "quotes", "events"]),
              default=None, help="Stop after this stage.")
@click.option("--ner-backend", type=click.Choice(list(BACKENDS)), default=DEFAULT_BACKEND, show_default=True)
@click.option("--ner-model", type=click.Path(exists=True), default=None,
              help="Model directory for the NER backend (needed for transformers; default: the shipped model).")
@click.option("--event-model", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of an event model (`marsad train events --out DIR`, e.g. one trained --context: better "
                   "events on new text, slower); default: the shipped model.")
@click.option("--no-text", is_flag=True, help="Leave the input text and layers out of the output records.")
def process_cmd(paths, fmt, input_format, fields, upto, ner_backend, ner_model, event_model, no_text):
    """Analyse text pages or JSONL records (PATHS: files, folders, globs, or - for stdin) and print records.

    Each input becomes one record (the input ``id`` is kept); refused inputs are reported on stderr as one line
    naming file/line, stage and reason. Exit status: 0 all processed, 3 some inputs rejected, 2 usage error.
    """
    from marsad.readers import read_paths
    from marsad.stages import default_pipeline

    field_map = _field_map(fields)
    opts = {"ner_backend": ner_backend, "ner_model": ner_model}
    if event_model is not None:
        opts["event_model"] = event_model
    pipe = default_pipeline(upto=upto, **opts).warm()
    out = sys.stdout
    skipped: list[str] = []
    # the models and tables just loaded stay out of the cyclic GC for the run, as in map_local and its pool workers:
    # full collections otherwise walk them all (250 ANT articles: gc 0.46 against 0.11 ms/article)
    gc.freeze()
    try:
        n_ok, n_rej = _write(pipe, read_paths(paths, fmt=input_format, field_map=field_map, skipped=skipped), fmt,
                             no_text, out)
    finally:
        gc.unfreeze()
    from marsad.cli.store import report_skipped

    report_skipped(skipped)
    if n_rej:
        click.echo(f"marsad: {n_ok} processed, {n_rej} rejected", err=True)
        sys.exit(EXIT_REJECTED)


def _write(pipe: Pipeline, items: Iterable[Article | Rejection], fmt: str, no_text: bool, out: TextIO) -> tuple[int, int]:
    """Process and write every item; (processed, rejected)."""
    n_ok = n_rej = 0
    for item in pipe.run(items):
        if isinstance(item, Rejection):
            n_rej += 1
            click.echo(f"marsad: {item.message()}", err=True)
            continue
        n_ok += 1
        if fmt == "text":
            out.write(render_text(item) + "\n")
        else:
            d = item.to_dict()
            if no_text:
                d.pop("text", None)
                d.pop("layers", None)
            out.write(json.dumps(d, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n")
        out.flush()
    return n_ok, n_rej


def _field_map(fields) -> dict[str, str]:
    from marsad.readers.jsonl import FIELDS

    fm = {}
    for f in fields:
        if "=" not in f:
            raise click.BadParameter(f"[E_FIELD] expected OURS=THEIRS, got {f!r}", param_hint="--field")
        k, v = f.split("=", 1)
        k, v = k.strip(), v.strip()
        if k not in FIELDS:
            raise click.BadParameter(
                f"[E_FIELD] {k!r} is not a marsad field: OURS is one of {', '.join(FIELDS)} (got {f!r})",
                param_hint="--field",
            )
        if not v:
            raise click.BadParameter(f"[E_FIELD] no record field named for {k!r} in {f!r}", param_hint="--field")
        fm[k] = v
    return fm


def render_text(a: Article) -> str:
    lines = [f"# {a.title or '(no title)'}", f"id: {a.id}   published: {a.published or '?'}"
             + (f" {a.published_time}" if a.published_time else "") + (f"   source: {a.source}" if a.source else "")]
    counters = a.meta.get("counters")
    if counters:
        items = counters.items() if isinstance(counters, dict) else enumerate(counters, 1)
        lines.append("counters: " + ", ".join(f"{k}={v}" for k, v in items))
    bp = a.layer("boilerplate")
    if bp:
        lines.append(f"boilerplate ({len(bp)} lines): " + " | ".join(a.text[s.start:s.end][:40] for s in bp))
    lines.append("")
    lines.append(a.body)
    if a.entities:
        lines.append("\nentities:")
        for e in a.entities:
            forms = sorted({a.text[m.start:m.end] for m in e.mentions})
            lines.append(f"  {e.type:<4} {e.name} [{e.country or '-'}/{e.sector or '-'}]  " + " / ".join(forms))
    names = {e.id: e.name for e in a.entities}
    if a.quotes:
        lines.append("\nquotes:")
        for q in a.quotes:
            who = ", ".join(names.get(s, s) for s in q.speaker) or "(unnamed)"
            lines.append(f"  {who} ({q.kind}): {a.text[q.content.start:q.content.end][:100]}")
    if a.events:
        lines.append("\nevents:")
        for ev in a.events:
            src = ", ".join(names.get(s, s) for s in ev.source)
            tgt = ", ".join(names.get(s, s) for s in ev.target)
            flags = " ".join(x for x in (ev.mode or "", "NOT" if ev.negated else "", ev.modality or "") if x)
            lines.append(f"  {ev.type:<11} {src} -> {tgt}  {ev.date or ''} {flags}")
    return "\n".join(lines) + "\n"
