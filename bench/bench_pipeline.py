"""Whole-pipeline throughput (read → clean → text layer → dates → entities → quotes → events) on the ANT politics file.

Prints the median articles/second over several runs (one process, or --workers N on the local pool) and the CPU
time per article of this process and its workers, which a shared machine's load disturbs much less. In one process
the runs after the first read the same articles with the per-word caches already filled, so the median is a warm
figure; the first (cold) run is printed apart. Pool workers are forked afresh for each run and always start cold. Reproduce with:
    python bench/bench_pipeline.py [../shared/data/ant-multisource/ant_2018-03-01_21_politics.jsonl] [--runs 3] [--limit 500]
        [--workers N] [--ner-backend neural|crf]
If the entities stage is not installed yet, the run uses an empty entity layer and says so (quotes and events then
still do all their matching, but find no actors).
"""

from __future__ import annotations

import argparse
import statistics
import time
from itertools import islice
from pathlib import Path

from marsad.data import Rejection
from marsad.events.stage import EventsStage
from marsad.pipeline import Pipeline, stage
from marsad.quotes.stage import QuotesStage
from marsad.readers import read_paths
from marsad.stages import build_stages

DEFAULT = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/ant-multisource/ant_2018-03-01_21_politics.jsonl"
)


NER_BACKEND: str | None = None  # set from --ner-backend (module level so that pool workers see it via _factory)


def build() -> tuple[Pipeline, str]:
    stages = build_stages(**({"ner_backend": NER_BACKEND} if NER_BACKEND else {}))
    names = [s.name for s in stages]
    note = "full pipeline"
    if "entities" not in names:
        note = "NOTE: no entities stage installed; an empty entity layer stands in"
        stages.append(stage("entities", requires={"sentences"}, provides={"entities"})(lambda a: a))
    if "quotes" not in names:
        stages.append(QuotesStage())
    if "events" not in names:
        stages.append(EventsStage())
    return Pipeline(stages, time_limit=None), note


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=500)
    ap.add_argument("--workers", type=int, default=1, help="processes (the local executor) for the timed run")
    ap.add_argument("--ner-backend", default=None, help="neural or crf (default: marsad's default)")
    ap.add_argument("--pipeline-only", action="store_true",
                    help="print the whole-pipeline figures only (skip the quotes+events-alone and geo-share rounds, "
                         "which take most of the bench's time; the pipeline runs themselves are measured as always)")
    args = ap.parse_args()
    global NER_BACKEND
    NER_BACKEND = args.ner_backend
    fm = {"id": "docno", "source": "src"}
    pipe, note = build()
    rates, own, cpu = [], [], []
    for _ in range(args.runs):
        c0 = _cpu()
        t0 = time.perf_counter()
        items = list(
            islice(read_paths([args.path], field_map=fm), args.limit)
        )  # reading is part of the pipeline
        n = len(items)
        if args.workers > 1:
            from marsad.executors.base import PipelineSpec
            from marsad.executors.local import map_local

            spec = PipelineSpec(factory=_factory, time_limit=None)
            for _k, _res in map_local(enumerate(items), spec, workers=args.workers):
                pass
        else:
            for it in items:
                if not isinstance(it, Rejection):
                    pipe.process(it)
        rates.append(n / (time.perf_counter() - t0))
        cpu.append((_cpu() - c0) / n * 1000)
    if args.pipeline_only:
        _report(args, pipe, note, n, rates, cpu)
        return
    pre = [pipe.process(it) for it in items if not isinstance(it, Rejection)]
    pre = [a for a in pre if not isinstance(a, Rejection)]
    # the pipeline's own quotes and events stages (the learned speaker ranker and event model included) alone, on
    # the articles as the stages before them leave them
    cut = next((k for k, st in enumerate(pipe.stages) if st.name == "quotes"), len(pipe.stages))
    ours = [st for st in pipe.stages[cut:] if st.name in ("quotes", "events")]
    before = Pipeline(list(pipe.stages[:cut]), time_limit=None)
    upto = [before.process(it) for it in items if not isinstance(it, Rejection)]
    upto = [a for a in upto if not isinstance(a, Rejection)]
    for _ in range(args.runs):
        t0 = time.perf_counter()
        for a in upto:
            for st in ours:
                a = st(a)
        own.append(len(upto) / (time.perf_counter() - t0))
    # the geo stage alone (toponym resolution + event locations; issue 18: < 10 % of the pipeline time). Measured
    # interleaved with whole-pipeline runs over the same articles (one process), so that a shared machine's load
    # weighs on both sides of each ratio alike; the share is the median of the per-round ratios
    geo_share = ""
    geo = next((st for st in pipe.stages if st.name == "geo"), None) if hasattr(pipe, "stages") else None
    if geo is not None:
        geo_rates, ratios = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            for it in items:
                if not isinstance(it, Rejection):
                    pipe.process(it)
            t_pipe = time.perf_counter() - t0
            t0 = time.perf_counter()
            for a in pre:
                geo(a)
            t_geo = time.perf_counter() - t0
            geo_rates.append(len(pre) / t_geo)
            ratios.append(t_geo / t_pipe)
        geo_share = (
            f"geo stage alone: median {statistics.median(geo_rates):.1f} articles/s = "
            f"{statistics.median(ratios):.1%} of the pipeline time (interleaved rounds: "
            + ", ".join(f"{r:.1%}" for r in ratios) + ")"
        )
    _report(args, pipe, note, n, rates, cpu, own=own, own_names=", ".join(st.name for st in ours), geo_share=geo_share)


def _report(args: argparse.Namespace, pipe: Pipeline, note: str, n: int, rates: list[float], cpu: list[float], *,
            own: list[float] | None = None, own_names: str = "", geo_share: str = "") -> None:
    print(f"{note}; stages {pipe.names}; NER backend {args.ner_backend or 'default'}")
    print(
        f"articles {n}  runs {args.runs}  workers {args.workers}  median {statistics.median(rates):.1f} articles/s "
        f"(read → {pipe.names[-1]})"
    )
    print(
        "CPU per article, this process and its pool workers: median "
        f"{statistics.median(cpu):.1f} ms (runs: {', '.join(f'{c:.1f}' for c in cpu)}; on a loaded machine the wall "
        "rate above mostly measures the other jobs, this much less)"
    )
    if args.workers <= 1 and args.runs > 1:
        # the process keeps its per-word caches (tagger features, word vectors, cue similarities) from run to run:
        # the first run starts cold, later ones read the same articles again with every word seen
        print(f"one process: first run (cold caches) {rates[0]:.1f} articles/s, CPU {cpu[0]:.1f} ms; later runs (the "
              f"same articles again, warm caches) median {statistics.median(rates[1:]):.1f} articles/s, CPU "
              f"{statistics.median(cpu[1:]):.1f} ms. A fresh `marsad process` over new articles starts cold")
    elif args.workers > 1:
        print("pool workers: every run forks fresh workers, so every run starts with cold per-word caches (as a fresh "
              "`marsad process --workers N` does)")
    if own is not None:
        print(f"quotes+events stages alone ({own_names}, with their models): median "
              f"{statistics.median(own):.1f} articles/s (one process)")
    if geo_share:
        print(geo_share)
    print(
        f"command: python bench/bench_pipeline.py {args.path} --runs {args.runs} --limit {args.limit} "
        f"--workers {args.workers}" + (f" --ner-backend {args.ner_backend}" if args.ner_backend else "")
        + (" --pipeline-only" if args.pipeline_only else "")
    )


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children (the pool's workers, once the pool has closed)."""
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def _factory() -> Pipeline:
    return build()[0]


if __name__ == "__main__":
    main()
