"""``marsad stance``: who is cooperative or hostile towards whom, aggregated over stored articles or given files."""

from __future__ import annotations

import json
import sys

import click

from marsad.cli.app import main
from marsad.cli.options import DATE
from marsad.cli.store import _open, _sure_events, db_option


@main.command("stance")
@db_option
@click.option("--level", type=click.Choice(["country", "actor"]), default="country", show_default=True,
              help="country: fold people and bodies into their country (GDELT dyads); actor: keep each actor.")
@click.option("--source", default=None, help="Only articles from this source.")
@click.option("--from", "date_from", default=None, type=DATE, help="On or after (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, type=DATE, help="On or before (YYYY-MM-DD).")
@click.option("--min-events", type=int, default=1, show_default=True, help="Hide pairs with fewer events.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Only events whose calibrated confidence is at least this (README: How sure an event is).")
@click.option("-n", "--limit", type=int, default=30, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
def stance_cmd(db, level, source, date_from, date_to, min_events, min_confidence, limit, fmt):
    """Actor → actor stance from the stored events: mean Goldstein-style intensity (−10 hostile … +10
    cooperative), event counts, cooperative vs conflictual events. Symmetric events count both ways; negated
    events do not count; intentions and hopes count less than acts."""
    from marsad.events.stance import stance

    with _open(db) as st:
        arts = st.iter_articles(source=source, date_from=date_from, date_to=date_to)
        if min_confidence is not None:
            arts = _sure_events(arts, min_confidence, {})
        rows = stance(arts, level=level)
    rows = [r for r in rows if r.events >= min_events][:limit]
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        return
    if not rows:
        click.echo("no events between actors in this selection")
        return
    click.echo(f"{'source':<28} {'target':<28} {'score':>6} {'events':>6} {'coop':>5} {'confl':>5}  label")
    for r in rows:
        click.echo(f"{r.source[:28]:<28} {r.target[:28]:<28} {r.score:>6.2f} {r.events:>6} {r.cooperative:>5} "
                   f"{r.conflictual:>5}  {r.label}")
