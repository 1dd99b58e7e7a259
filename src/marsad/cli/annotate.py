"""``marsad annotate``: stored analysis out to annotation tools (Label Studio JSON, CoNLL/IOB) and corrections back
in as gold training data (``marsad train ner --gold-dir``)."""

from __future__ import annotations

import json
import sys

import click

from marsad.cli.app import CONTEXT, main
from marsad.cli.options import DATE, check_range, progress


@main.group("annotate", context_settings=CONTEXT)
def annotate_group() -> None:
    """Correct marsad's output in an annotation tool and train on the corrections.

    \b
    marsad annotate export --db news.db --format label-studio -o tasks.json     # import into Label Studio
    marsad annotate config > config.xml                                          # its labeling config
    marsad annotate import corrected.json --format label-studio --out gold/      # Label Studio's JSON export
    marsad train ner --gold-dir gold/                                            # retrain on the corrections
    """


@annotate_group.command("export")
@click.option("--db", "db", required=True, help="The store to export from.")
@click.option("--format", "fmt", type=click.Choice(["label-studio", "conll"]), default="label-studio",
              show_default=True, help="label-studio: JSON tasks with pre-annotations; conll: token TAG lines (NER).")
@click.option("--output", "-o", default="-", type=click.Path(dir_okay=False, allow_dash=True), show_default=True)
@click.option("--source", default=None, help="Only articles from this source.")
@click.option("--from", "date_from", default=None, type=DATE, help="Published on or after.")
@click.option("--to", "date_to", default=None, type=DATE, help="Published on or before.")
@click.option("--limit", "-n", type=click.IntRange(1), default=None, help="At most this many articles.")
def export_cmd(db, fmt, output, source, date_from, date_to, limit):
    """Write stored articles with their entities, quotes and events for annotators."""
    import itertools

    from marsad import annotate
    from marsad.cli.store import _open

    check_range(date_from, date_to)
    with _open(db) as st:
        arts = st.iter_articles(source=source, date_from=date_from, date_to=date_to)
        if limit:
            arts = itertools.islice(arts, limit)
        total = limit or st.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        n = 0
        try:
            with progress("annotate export", total) as advance:
                if fmt == "conll":
                    for a in arts:
                        out.write(annotate.to_conll(a) + "\n")
                        n += 1
                        advance()
                else:
                    tasks = []
                    for a in arts:
                        tasks.append(annotate.to_label_studio(a))
                        advance()
                    json.dump(tasks, out, ensure_ascii=False, indent=1)
                    out.write("\n")
                    n = len(tasks)
        finally:
            if out is not sys.stdout:
                out.close()
    click.echo(f"exported {n} articles as {fmt}" + (f" to {output}" if output != "-" else ""), err=True)


@annotate_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["label-studio", "conll"]), default="label-studio",
              show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the gold documents (one JSON per article; `marsad train ner --gold-dir` reads it).")
def import_cmd(path, fmt, out_dir):
    """Read corrected annotations back as gold documents (marsad's annotation format)."""
    from marsad import annotate

    with open(path, encoding="utf-8") as f:
        raw = f.read()
    docs = annotate.read_label_studio(raw) if fmt == "label-studio" else annotate.from_conll(raw)
    paths = annotate.write_gold(docs, out_dir)
    n_ent = sum(len(d["entities"]) for d in docs)
    n_q = sum(len(d["quotes"]) for d in docs)
    n_ev = sum(len(d["events"]) for d in docs)
    click.echo(f"imported {len(paths)} documents ({n_ent} entities, {n_q} quotes, {n_ev} events) into {out_dir}",
               err=True)


@annotate_group.command("config")
def config_cmd():
    """Print the Label Studio labeling config the exported tasks are made for."""
    from marsad import annotate

    click.echo(annotate.label_studio_config(), nl=False)
