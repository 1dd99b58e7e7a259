"""``marsad eval geo``: toponym resolution scored on gold place entities."""

from __future__ import annotations

import json

import click

from marsad.cli.app import eval_group


@eval_group.command("geo")
@click.argument("gold_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--mode",
    type=click.Choice(["mentions", "pipeline", "both"]),
    default="mentions",
    show_default=True,
    help="mentions: resolve the gold mention strings with the article's context; pipeline: run the full "
    "pipeline and score the geo attrs of the system entity sharing a mention; both.",
)
@click.option("--misses", "show_misses", is_flag=True, help="List every gold place not resolved correctly.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and misses) as JSON.")
def geo_cmd(gold_dirs, mode, show_misses, as_json):
    """Resolve the GPE/LOC entities of gold folders (e.g. ../shared/gold/dev ../shared/gold/train) to GeoNames
    places and print the share whose country equals the gold country and whose GeoNames name (or alternate name)
    matches the gold English name."""
    from marsad.geo.evaluate import evaluate_mentions, evaluate_pipeline

    reports = []
    if mode in ("mentions", "both"):
        reports.append(evaluate_mentions(gold_dirs))
    if mode in ("pipeline", "both"):
        reports.append(evaluate_pipeline(gold_dirs))
    if as_json:
        click.echo(json.dumps([r.to_dict() if show_misses else {**r.to_dict(), "misses": len(r.misses)}
                               for r in reports], ensure_ascii=False, indent=1))  # fmt: skip
        return
    for r in reports:
        extra = f", {r.unmatched} gold places with no system place entity" if r.mode == "pipeline" else ""
        click.echo(
            f"{r.mode}: {r.correct}/{r.total} = {r.rate:.1%} resolved correctly "
            f"(gold places with a country: {r.correct_with_country}/{r.with_country} = {r.rate_with_country:.1%}){extra}"
        )
        if show_misses:
            for m in r.misses:
                click.echo(
                    f"  miss {m['doc']}: {' / '.join(m['mentions'])} — gold {m['gold']}, got {m['got']}"
                )
