"""Articles per second for `process` up to the dates stage (clean + Arabic text layer + dates), one core.

    python bench/bench_process.py                 # 1,915 ANT politics articles, median of 5 runs
    python bench/bench_process.py --repeat 9 --upto clean

Reads ../shared/data/ant-multisource/ant_2018-03-01_21_politics.jsonl once (reading is not timed), then runs
`marsad.stages.default_pipeline(upto=...)` over all articles; prints per-run figures, the median, and the command.
The process is pinned to one CPU where the OS allows it. Target (issue 2): >= 500 articles/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

from marsad.data import Article, Rejection
from marsad.stages import default_pipeline

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "ant-multisource" / "ant_2018-03-01_21_politics.jsonl"


def load(path: Path) -> list[Article]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            try:
                published = parsedate_to_datetime(rec.get("time") or "").date().isoformat()
            except (TypeError, ValueError):
                published = None
            out.append(
                Article.new(
                    rec["text"],
                    id=rec.get("docno"),
                    source=rec.get("src", ""),
                    title=rec.get("title"),
                    published=published,
                    url=rec.get("url"),
                )
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--upto", default="dates", choices=["clean", "text-layer", "dates"])
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    articles = load(args.data)
    pipe = default_pipeline(upto=args.upto, time_limit=None)
    print(f"stages: {pipe.names}  articles: {len(articles)}")
    for a in articles[:50]:
        pipe.process(a)
    rates = []
    rejected = 0
    for i in range(args.repeat):
        t0 = time.perf_counter()
        rejected = sum(isinstance(pipe.process(a), Rejection) for a in articles)
        dt = time.perf_counter() - t0
        rates.append(len(articles) / dt)
        print(f"run {i + 1}: {rates[-1]:8.1f} articles/s ({dt:.2f} s)")
    med = statistics.median(rates)
    print(
        f"median: {med:.1f} articles/s over {len(articles)} articles, {rejected} rejected (one core, upto={args.upto})"
    )
    print(f"target >= 500 articles/s: {'met' if med >= 500 else 'NOT met'}")
    print(f"reproduce: python bench/bench_process.py --repeat {args.repeat} --upto {args.upto}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
