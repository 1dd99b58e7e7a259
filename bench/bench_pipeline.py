"""Whole-pipeline throughput (read → clean → text layer → dates → entities → quotes → events) on the ANT politics file.

Prints the median articles/second over several runs, single process. Reproduce with:
    python bench/bench_pipeline.py [../shared/data/ant-multisource/ant_2018-03-01_21_politics.jsonl] [--runs 3] [--limit 500]
If the entities stage is not installed yet, the run uses an empty entity layer and says so (quotes and events then
still do all their matching, but find no actors).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from marsad.data import Rejection
from marsad.events.stage import EventsStage
from marsad.pipeline import Pipeline, stage
from marsad.quotes.stage import QuotesStage
from marsad.readers import read_paths
from marsad.stages import build_stages

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/ant-multisource/ant_2018-03-01_21_politics.jsonl"


def build() -> tuple[Pipeline, str]:
    stages = build_stages()
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
    args = ap.parse_args()
    fm = {"id": "docno", "source": "src"}
    items = list(read_paths([args.path], field_map=fm))[: args.limit]
    pipe, note = build()
    rates = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        n = 0
        for it in items:
            if not isinstance(it, Rejection):
                pipe.process(it)
            n += 1
        rates.append(n / (time.perf_counter() - t0))
    print(f"{note}; stages {pipe.names}")
    print(f"articles {len(items)}  runs {args.runs}  median {statistics.median(rates):.1f} articles/s (single process)")
    print(f"command: python bench/bench_pipeline.py {args.path} --runs {args.runs} --limit {args.limit}")


if __name__ == "__main__":
    main()
