"""``marsad train ner`` and ``marsad eval ner``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from marsad.cli.app import eval_group, train_group
from marsad.entities.ner import BACKENDS, DEFAULT_BACKEND


@train_group.command("ner")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Shared data folder (holds anercorp-camel/, lexicons/, unlabelled/). Default: $MARSAD_SHARED/data "
    "or ../shared/data.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the model. Default: the package's models/crf or models/neural (the shipped models).",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path.home() / ".cache" / "marsad" / "ner",
    show_default=True,
    help="Scratch folder for the unlabelled corpus and cached clusters / word vectors.",
)
@click.option(
    "--dev/--full",
    default=False,
    show_default=True,
    help="--dev: train on train minus a held-out dev split and score the dev split (for tuning).",
)
@click.option(
    "--clusters/--no-clusters",
    default=True,
    show_default=True,
    help="Word2vec k-means clusters from the unlabelled news text.",
)
@click.option(
    "--auto-gazetteer/--no-auto-gazetteer",
    "auto_gaz",
    default=True,
    show_default=True,
    help="Two passes: tag 2M tokens of unlabelled news with a first CRF and use the words it tags as gazetteer "
    "features of the second.",
)
@click.option("--anergazet/--no-anergazet", default=False, show_default=True,
              help="Add ANERGazet (../shared/data/lexicons/anergazet) to the gazetteer. Its licence is unknown "
              "(research use), and gazetteer words are stored in the model's resources: never ship such a model.")
@click.option("--max-docs", type=int, default=None, help="Cap on unlabelled articles (quick runs).")
@click.option("--c1", type=float, default=None, help="L1 penalty (default: tuned value).")
@click.option("--c2", type=float, default=None, help="L2 penalty (default: tuned value).")
@click.option("--iterations", type=int, default=None, help="L-BFGS iterations (default: tuned value).")
@click.option(
    "--backend",
    type=click.Choice(["crf", "neural"]),
    default="crf",
    show_default=True,
    help="crf: the CRF model (models/crf, the default tagger; its clusters/gazetteer are also the neural model's "
    "inputs). neural: the BiLSTM-CRF over word2vec vectors and language-model states (models/neural, "
    "--ner-backend neural; needs torch and gensim to train, numpy to run). Train crf first when rebuilding both.",
)
@click.option(
    "--resources",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="neural: the clusters/gazetteer file to read (default: the shipped CRF's resources.json.gz; with --dev "
    "use the resources of a CRF trained with --dev, or the dev words leak in through its auto-gazetteer). "
    "crf: reuse this file's clusters and gazetteer instead of building them (default with --gold-dir: the "
    "shipped CRF's).",
)
@click.option(
    "--vectors",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="neural: gensim KeyedVectors file (default: WORK_DIR/w2v100.kv, trained on the unlabelled news on first use).",
)
@click.option("--epochs", type=int, default=16, show_default=True, help="neural: training epochs (cosine decay).")
@click.option("--seed", type=int, default=13, show_default=True, help="neural: random seed.")
@click.option("--lm/--no-lm", default=True, show_default=True,
              help="neural: feed the states of a bidirectional language model trained on the unlabelled news to the "
              "BiLSTM (trained on first use and cached in WORK_DIR, about 30 minutes on two cores).")
@click.option("--gold-dir", "gold_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="crf: also train on gold news articles (../shared/gold/train): every mention of every annotated "
              "entity projected onto its text as BIO (gold GPE → LOC). Repeatable.")
@click.option("--gold-weight", type=int, default=None,
              help="crf: times each projected gold sentence is repeated in training (default 3).")
@click.option("--lm-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="neural: the language model to use (default: WORK_DIR/bilm256.pt; it must have been trained over "
              "the same vectors).")
def train_ner(
    data_dir, out_dir, work_dir, dev, clusters, auto_gaz, anergazet, max_docs, c1, c2, iterations, backend,
    resources, vectors, epochs, seed, lm, lm_file, gold_dirs, gold_weight,
) -> None:
    """Train an NER model from ANERcorp (CAMeL train split) plus what unlabelled news teaches: word2vec clusters
    (crf) or vectors (neural).

    \b
    Example:
      marsad train ner                           # rebuilds src/marsad/entities/ner/models/crf
      marsad train ner --backend neural          # rebuilds src/marsad/entities/ner/models/neural
      marsad train ner --dev --out /tmp/ner-dev  # scores the held-out dev split
      marsad train ner --gold-dir ../shared/gold/train --resources src/marsad/entities/ner/models/crf/resources.json.gz
                                                 # ANERcorp + gold news, over existing clusters/gazetteer

    With --resources, the crf backend reuses that file's clusters and gazetteer (no word2vec, no first pass).
    """
    if backend == "crf" and (gold_dirs or resources):
        from marsad.entities.ner import DEFAULT_CRF_MODEL
        from marsad.entities.ner.gold import read_gold, train_tagger

        if dev:
            raise click.UsageError("--dev is not available with --gold-dir/--resources (use bench/ner_gold_cv.py)")
        docs = [d for g in gold_dirs for d in read_gold(g)]
        train_tagger(docs, out_dir or DEFAULT_CRF_MODEL, data_dir=data_dir, resources=resources,
                     gold_weight=gold_weight, log=lambda m: click.echo(m, err=True))
        return
    if backend == "neural":
        from marsad.entities.ner.neural_train import build_neural

        build_neural(
            data_dir=data_dir,
            out_dir=out_dir,
            work_dir=work_dir,
            resources=resources,
            dev=dev,
            epochs=epochs,
            vectors=vectors,
            seed=seed,
            lm=lm,
            lm_file=lm_file,
            log=lambda m: click.echo(m, err=True),
        )
        return
    from marsad.entities.ner.train import build_model

    build_model(
        data_dir=data_dir,
        out_dir=out_dir,
        work_dir=work_dir,
        dev=dev,
        use_clusters=clusters,
        max_docs=max_docs,
        auto_gaz=auto_gaz,
        anergazet=anergazet,
        c1=c1,
        c2=c2,
        iterations=iterations,
        log=lambda m: click.echo(m, err=True),
    )


@eval_group.command("ner")
@click.option(
    "--data",
    "data",
    default="anercorp",
    show_default=True,
    help="anercorp (CAMeL test split), aqmar (Wikipedia, out of domain) or a PATH to a 'token TAG' file.",
)
@click.option(
    "--backend", type=click.Choice(list(BACKENDS)), default=DEFAULT_BACKEND, show_default=True
)
@click.option(
    "--model", type=click.Path(path_type=Path), default=None,
    help="Model folder (default: the model shipped for the backend)."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Shared data folder (default: $MARSAD_SHARED/data or ../shared/data).",
)
@click.option(
    "--doc-size",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Consecutive sentences tagged together as one pseudo-document (the corpora have no article boundaries); "
    "1 = sentence-level only.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_ner(data, backend, model, data_dir, doc_size, as_json) -> None:
    """Entity-level precision/recall/F1 (conlleval semantics) per type and micro-averaged.

    \b
    Example:
      marsad eval ner                  # ANERcorp CAMeL test split
      marsad eval ner --data aqmar
    """
    from marsad.entities.ner.evaluate import evaluate

    scores, name = evaluate(data, backend=backend, model=model, data_dir=data_dir, doc_size=doc_size)
    if as_json:
        click.echo(
            json.dumps(
                {"data": name, "backend": backend, "doc_size": doc_size, "scores": scores.as_dict()},
                ensure_ascii=False,
            )
        )
    else:
        click.echo(
            f"NER on {name} ({backend}, {doc_size} sentences per document); entity-level, conlleval semantics"
        )
        click.echo(scores.table())
