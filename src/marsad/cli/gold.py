"""``marsad eval gold`` and ``marsad train events|quotes``: learn from annotated articles and measure on them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from marsad.cli.app import CONTEXT, eval_group, train_group
from marsad.cli.options import progress
from marsad.data import Rejection
from marsad.entities.ner import BACKENDS, DEFAULT_BACKEND

_THRESHOLDS = (0.05, 0.07, 0.09, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
_CUTS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)  # confidence floors whose precision and recall --cv reports


def _default_gold(split: str) -> Path:
    from marsad.entities.ner.corpus import shared_data_dir

    return shared_data_dir().parent / "gold" / split


def _say(msg: str) -> None:
    click.echo(f"marsad: {msg}", err=True)


@eval_group.command("gold", context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cv", "k", type=click.IntRange(2, 20), default=None,
              help="K-fold cross-validation by document: every article gets entities, speakers and events from "
                   "models trained without it (the figure of record on train/).")
@click.option("--errors", "errors_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the error list (missed/spurious events, wrong speakers, missed entities) as JSONL here.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary (with per-type tables) as JSON.")
@click.option("--repeat", "repeat", type=click.IntRange(1, 20), default=1, show_default=True,
              help="With --cv: cross-validate over this many different splits of the articles (seed 0 is the split "
                   "of record, the one printed in full) and print each figure's mean, standard deviation and range "
                   "over the splits: how far a figure moves with the split alone. Costs one --cv run per split.")
@click.option("--ner-backend", type=click.Choice(list(BACKENDS)), default=DEFAULT_BACKEND, show_default=True)
@click.option("--context", is_flag=True,
              help="With --cv: the event models read contextual word states (the language model of the neural NER "
                   "model), as `marsad train events --context` trains them; default: the shipped recipe, without.")
def eval_gold_cmd(
    gold_dir: Path, k: int | None, errors_file: Path | None, as_json: bool, repeat: int, ner_backend: str,
    context: bool,
) -> None:
    """Score marsad on a folder of gold articles (``../shared/gold/dev``, ``../shared/gold/train``).

    Without --cv the shipped models tag every article; with --cv K the entity keep/drop model, the speaker ranker
    and the event model are retrained K times (the same folds by document), each time without the articles they
    then tag, and the speaker and event models learn from out-of-fold entities. Prints the same summary lines as
    ``../shared/eval/score.py``, then P/R/F1 per event type; with --cv also the event threshold sweep, the
    precision and recall of the events kept at each confidence floor (``min_confidence`` of the API and exports),
    and the calibration of the event probabilities (mean predicted vs observed share of correct candidates).
    """
    from marsad.gold import load_gold
    from marsad.gold.score import score_docs

    if repeat > 1 and not k:
        raise click.UsageError("--repeat needs --cv K (it repeats the cross-validation over other splits)")
    docs = load_gold(gold_dir)
    t0 = time.perf_counter()
    sweep: list = []
    calib: list = []
    calib2: list = []
    cuts: list = []
    repeats: list[dict[str, Any]] = []
    if k:
        from marsad.gold.learn import cross_validate

        items, folds = _analyse_oof(docs, k, ner_backend=ner_backend)
        res = cross_validate(items, folds=folds, thresholds=_THRESHOLDS, cuts=_CUTS, progress=_say, context=context)
        outs = res.outputs
        sweep, calib, calib2, cuts = res.sweep, res.calibration, res.calibrated, res.cuts
        for seed in range(1, repeat):
            _say(f"split {seed + 1}/{repeat} (seed {seed})")
            items, folds = _analyse_oof(docs, k, seed=seed, ner_backend=ner_backend)
            other = cross_validate(items, folds=folds, progress=_say, context=context)
            repeats.append({"seed": seed, **_headline(score_docs([d.raw for d in docs], other.outputs).summary())})
    else:
        from marsad.stages import default_pipeline

        pipe = default_pipeline(ner_backend=ner_backend, time_limit=None).warm()  # as analyse(): load-independent
        outs = {}
        with progress("tagging", total=len(docs)) as advance:
            for d in docs:
                res_ = pipe.process(d.input_article())
                if isinstance(res_, Rejection):
                    _say(f"{d.id} rejected: {res_.reason}")
                else:
                    outs[d.id] = res_.to_dict()
                advance()
    sc = score_docs([d.raw for d in docs], outs)
    if repeat > 1:
        repeats.insert(0, {"seed": 0, **_headline(sc.summary())})  # the split of record, scored once
    if errors_file is not None:
        with errors_file.open("w", encoding="utf-8") as fh:
            for e in sc.errors:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    if as_json:
        extra = {"repeats": repeats, "repeat_stats": _spread(repeats)} if repeat > 1 else {}
        click.echo(json.dumps({"summary": sc.summary(), "sweep": sweep, "calibration": calib, "calibrated": calib2,
                               "confidence_cuts": cuts, "cv": k, **extra,
                               "seconds": round(time.perf_counter() - t0, 1)},
                              ensure_ascii=False, indent=1))
        return
    if k:
        click.echo(f"cross-validated: {k} folds by document")
    for line in sc.lines():
        click.echo(line)
    if sweep:
        click.echo("")
        click.echo("event threshold sweep (cross-validated)")
        for thr, r in sweep:
            e, d = r["events"], r["events_dyad"]
            click.echo(f"  {thr:4.2f}  events P {e['p']:.3f} R {e['r']:.3f} F1 {e['f1']:.3f}   dyad F1 {d['f1']:.3f}")
    if cuts:
        click.echo("")
        click.echo("events kept at a confidence floor (min_confidence of the API and exports; cross-validated)")
        for cut, r in cuts:
            e, d = r["events"], r["events_dyad"]
            click.echo(f"  >= {cut:4.2f}  events P {e['p']:.3f} R {e['r']:.3f} (n {e['n_pred']:.0f})   "
                       f"dyad P {d['p']:.3f} R {d['r']:.3f}")
    for title, table in (("raw event probabilities", calib), ("event confidence (Platt-scaled)", calib2)):
        if not table:
            continue
        click.echo("")
        click.echo(f"calibration, {title}: out-of-fold candidates, mean p vs share of right type and pair")
        for row in table:
            click.echo(f"  p in [{row['bin']:.1f}, +0.1)  mean p {row['mean_p']:.3f}  correct {row['observed']:.3f}"
                       f"  n {row['n']}")
    if repeat > 1:
        click.echo("")
        click.echo(f"repeated cross-validation: {repeat} splits of the articles (seeds 0-{repeat - 1}; seed 0 above)")
        for key, st in _spread(repeats).items():
            vals = " ".join(f"{r[key]:.3f}" for r in repeats)
            click.echo(f"  {key:<18} {vals}   mean {st['mean']:.3f}  sd {st['sd']:.3f}  range {st['min']:.3f}-{st['max']:.3f}")
    if errors_file is not None:
        click.echo(f"\n{len(sc.errors)} errors written to {errors_file}")


_HEADLINE = ("entities", "entity_country", "quotes", "quotes_attributed", "events", "events_dyad")


def _headline(summary: dict[str, Any]) -> dict[str, float]:
    """The figures of record of one scored run: F1, or the accuracy for entity_country."""
    out = {}
    for key in _HEADLINE:
        value = summary[key]
        out[key] = float(value["f1"] if isinstance(value, dict) else (value or 0.0))
    return out


def _spread(repeats: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    import statistics

    out = {}
    for key in _HEADLINE:
        vals = [float(r[key]) for r in repeats]
        out[key] = {"mean": round(statistics.fmean(vals), 4), "sd": round(statistics.stdev(vals), 4),
                    "min": round(min(vals), 4), "max": round(max(vals), 4)}
    return out


def _analyse_oof(docs: list, k: int, **options: Any) -> tuple[list, list]:
    """The gold articles up to quotes, each one's entities decided by an entity model trained without its fold."""
    from marsad.gold.learn import analyse_out_of_fold

    # two passes on one bar: every article up to the entity stage (the candidates the fold models learn from),
    # then up to quotes with its fold's entity model
    with progress("analysing", total=2 * len(docs)) as advance:
        return analyse_out_of_fold(docs, k=k, progress=_say, advance=advance, advance_entities=advance, **options)


def _out_dir(out: Path | None, package: str) -> Path:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        return out
    from importlib import resources

    return Path(str(resources.files(package).joinpath("data")))


@train_group.command("quotes", context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for speaker_model.npz (default: the package's quotes/data, i.e. the shipped model).")
@click.option("--c", "c", type=float, default=0.3, show_default=True,
              help="Inverse L2 strength (0.3: chosen with `marsad eval gold --cv 5`).")
@click.option("--k", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Folds for the out-of-fold entity models the training articles are analysed with.")
def train_quotes_cmd(gold_dir: Path | None, out: Path | None, c: float, k: int) -> None:
    """Train the speaker ranker on gold articles (default: ../shared/gold/train).

    Each training article's entities come from an entity keep/drop model that did not see it (K folds), as on
    new text.
    """
    from marsad.gold import load_gold
    from marsad.gold.learn import train_speakers

    docs = load_gold(gold_dir or _default_gold("train"))
    items, _folds = _analyse_oof(docs, k)
    model = train_speakers(items, c=c)
    dest = _out_dir(out, "marsad.quotes") / "speaker_model.npz"
    model.save(dest)
    click.echo(f"speaker ranker: {len(docs)} articles, {model.linear.meta.get('candidates')} candidates, "
               f"{len(model.linear.vocab)} features -> {dest}")


@train_group.command("events", context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for event_detector.npz, the model (default: the package's events/data).")
@click.option("--threshold", type=float, default=None,
              help="Event probability needed to report an event (default: the one `marsad eval gold --cv 5` chose "
                   "for the recipe: 0.09, or 0.13 with --context).")
@click.option("--k", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Folds for the out-of-fold entities and speakers the event model learns from.")
@click.option("--context", is_flag=True,
              help="Also read contextual word states (the language model shipped in the neural NER model) of the "
                   "source, the target and the sentence: train CV events F1 +0.02 over two splits, about 10 ms more per "
                   "article to tag; not the shipped recipe (see events/data/README.md). Use it with --out DIR and "
                   "`marsad process --event-model DIR`.")
def train_events_cmd(gold_dir: Path | None, out: Path | None, threshold: float | None, k: int, context: bool) -> None:
    """Train the event model on gold articles (default: ../shared/gold/train).

    Entities and speakers of the training articles come from entity models and speaker rankers that did not see
    them (the same K folds by document), as on new text.
    """
    from marsad.gold import load_gold
    from marsad.gold.learn import train_events

    docs = load_gold(gold_dir or _default_gold("train"))
    items, folds = _analyse_oof(docs, k)
    opts: dict[str, Any] = {"context": context} if threshold is None else {"context": context, "threshold": threshold}
    model = train_events(items, folds=folds, progress=_say, **opts)
    dest = _out_dir(out, "marsad.events")
    model.save(dest)
    meta = model.detector.meta
    click.echo(f"event model: {meta.get('documents')} articles, {meta.get('candidates')} candidates "
               f"({meta.get('positives')} events), threshold {model.threshold}"
               f"{', contextual states' if model.uses_context else ''} -> {dest}")


@train_group.command("entities", context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for entity_model.npz (default: the package's entities/data/decide, the shipped model).")
@click.option("--c", "c", type=float, default=0.1, show_default=True,
              help="Inverse L2 strength (0.1: chosen by 5-fold CV on train).")
@click.option("--k", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Folds by document for the cross-validation that chooses the threshold.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True), default=None,
              help="Save this keep threshold instead of the cross-validated choice (e.g. one chosen on dev); the "
                   "cross-validated figures are printed at it.")
def train_entities_cmd(gold_dir: Path | None, out: Path | None, c: float, k: int, threshold: float | None) -> None:
    """Train the entity keep/drop model on gold articles (default: ../shared/gold/train).

    The entity stage proposes every candidate entity (also those its hand-written filter drops); the model learns
    which ones the gold counts. Prints the K-fold cross-validated entity P/R/F1 of the rules alone and of the
    model (the threshold with the best cross-validated F1 is the one saved).
    """
    from marsad.entities.decide import analyse, train
    from marsad.gold import load_gold

    docs = load_gold(gold_dir or _default_gold("train"))
    with progress("analysing", total=len(docs)) as advance:
        prepared = analyse(docs, progress=_say, advance=advance)
    model, rep = train(prepared, k=k, c=c, threshold=threshold)
    # the shipped model sits in the package's data/decide; --out takes the file itself
    folder = out if out is not None else _out_dir(None, "marsad.entities") / "decide"
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / "entity_model.npz"
    model.save(dest)
    meta = model.model.meta
    click.echo(f"cross-validated ({k} folds by document), entity stage's own entities:")
    for name, r in (("rules alone", rep.rules), (f"model, threshold {rep.threshold}", rep.model)):
        click.echo(f"  {name:22s} P {r['p']:.3f} R {r['r']:.3f} F1 {r['f1']:.3f}")
    click.echo(f"entity model: {meta.get('documents')} articles, {meta.get('candidates')} candidates "
               f"({meta.get('kept')} kept), {len(model.model.vocab)} features, C {c} -> {dest}")
