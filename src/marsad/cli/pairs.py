"""``marsad eval pairs``: duplicate and story detection scored on labelled article pairs."""

from __future__ import annotations

import json

import click

from marsad.cli.app import eval_group


@eval_group.command("pairs")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--upto",
    type=click.Choice(["clean", "text-layer", "dates", "entities", "quotes", "events"]),
    default=None,
    help="Run the pipeline only up to this stage before storing (default: all stages).",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Keep the store in this (new) file instead of a temporary one.",
)
@click.option("--errors", "show_errors", is_flag=True, help="List the pairs predicted wrongly.")
@click.option(
    "--cv",
    "cv_folds",
    type=int,
    default=0,
    metavar="K",
    help="Also cross-validate the DUP threshold choice with K folds (10 repeats) and print it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def pairs_cmd(folder, upto, db, show_errors, cv_folds, as_json):
    """Ingest the articles of a labelled pairs FOLDER (articles.jsonl + pairs.jsonl, e.g. ../shared/data/pairs)
    into a fresh store and print pairwise precision/recall/F1. ``DUP``: predicted copies (one copy group, or one
    article holds a copy of the other) vs label DUP; ``STORY``: same story or copies vs label DUP or STORY."""
    from marsad.dedup.evaluate import cross_validate, evaluate, pair_scores

    res = evaluate(folder, upto=upto, db=db, log=lambda s: click.echo(s, err=True))
    out = {
        "pairs": res.n_pairs, "articles": res.n_articles, "stored": res.n_stored, "pipeline": res.pipeline,
        "dup": {"precision": res.dup.precision, "recall": res.dup.recall, "f1": res.dup.f1},
        "story": {"precision": res.story.precision, "recall": res.story.recall, "f1": res.story.f1},
    }  # fmt: skip
    if cv_folds:
        scores, labels = pair_scores(folder, upto=upto)
        out["dup_cv"] = cross_validate(scores, labels, k=cv_folds)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    for line in res.lines():
        click.echo(line)
    if cv_folds:
        cv = out["dup_cv"]
        click.echo(
            f"DUP-CV {cv['k']}-fold x{cv['repeats']}: held-out F1 mean {cv['f1_mean']:.3f} min "
            f"{cv['f1_min']:.3f}; thresholds chosen (containment, cosine): "
            + ", ".join(f"({c:.3f}, {k:.3f})" for c, k in cv["chosen"])
            + f"; on all pairs: ({cv['full'][0]:.3f}, {cv['full'][1]:.3f})"
        )
    if show_errors:
        for e in res.errors:
            click.echo(
                f"  pair {e['pair']} {e['label']:<5} predicted dup={e['predicted_dup']} "
                f"story={e['predicted_story']}  {e['a']} {e['b']}  {e.get('note', '')}"
            )
