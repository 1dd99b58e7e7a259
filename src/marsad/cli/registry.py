"""``marsad train registry``: rebuild the actor registry shipped as package data."""

from __future__ import annotations

from pathlib import Path

import click

from marsad.cli.app import train_group
from marsad.errors import InputError


@train_group.command("registry")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared"),
    show_default=True,
    help="The shared folder holding data/ (countryinfo, petrarch2-dicts, lexicons ...).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the registry (default: the package's entities/data/actors.json.gz).",
)
def registry_cmd(shared: Path, out: Path | None) -> None:
    """Build the actor registry (countries, capitals, cities, IGOs, people) from ../shared/data, CLDR and the
    curated tables in marsad/entities/data/curated, and print its counts."""
    from marsad.entities import registry_build

    data = shared / "data" if (shared / "data").is_dir() else shared
    if not (data / "lexicons" / "countries_ar.tsv").exists():
        raise InputError(f"no lexicons/countries_ar.tsv under {data} (pass --shared PATH)")
    reg = registry_build.build(shared)
    path = registry_build.write(reg, out or registry_build.REGISTRY_PATH)
    for k, v in sorted(reg["counts"].items()):
        click.echo(f"{k:24s} {v}")
    click.echo(f"wrote {path} ({path.stat().st_size / 1024:.0f} kB)")
