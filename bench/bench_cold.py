"""Where a fresh process's extra cost goes: CPU per article and per stage on its first pass over N articles (every
per-word cache cold, as in a pool worker, which starts from the models ``warm()`` loaded and nothing else) and on a
second pass over the same articles (caches warm, as in a long run). Reproduce with:
    python bench/bench_cold.py [--limit 250] [--rounds 1]

A pool worker of ``bench_pipeline.py --workers 2 --limit 500`` sees 250 articles and ~17,000 distinct words of
them; what it pays for the words it meets first is the difference between the two columns. Each round is a fresh
process (the first pass must start cold), so rounds are run one after another and their medians printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def one_round(limit: int) -> dict[str, list[float]]:
    """Both passes in this process: stage name -> [first pass, second pass] ms per article ("total": all)."""
    import bench_pipeline as bp

    from marsad.readers import read_paths

    pipe, _note = bp.build()
    pipe.warm()
    items = list(islice(read_paths([str(bp.DEFAULT)], field_map={"id": "docno", "source": "src"}), limit))
    acc: Counter[str] = Counter()
    wrapped = set()
    for st in pipe.stages:
        cls = type(st)
        if cls in wrapped:
            continue
        wrapped.add(cls)
        orig = cls.__call__

        def timed(self, article, _orig=orig):  # type: ignore[no-untyped-def]
            t0 = time.process_time()
            out = _orig(self, article)
            acc[self.name] += time.process_time() - t0
            return out

        cls.__call__ = timed  # type: ignore[method-assign]
    out: dict[str, list[float]] = {}
    for _ in range(2):
        acc.clear()
        t0 = time.process_time()
        for it in items:
            pipe.process(it)
        total = time.process_time() - t0
        out.setdefault("total", []).append(total / len(items) * 1000)
        for name in pipe.names:
            out.setdefault(name, []).append(acc[name] / len(items) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=250)
    ap.add_argument("--rounds", type=int, default=1, help="fresh processes, one after another")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(one_round(args.limit)))
        return
    runs = []
    for _ in range(args.rounds):
        res = subprocess.run(
            [sys.executable, __file__, "--child", "--limit", str(args.limit)],
            check=True, capture_output=True, text=True,
        )
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    print(f"CPU ms per article over {args.limit} articles, median of {args.rounds} fresh process(es)")
    print(f"{'stage':12s} {'first pass':>10s} {'second':>8s} {'extra':>7s}")
    for name in runs[0]:
        a = statistics.median(r[name][0] for r in runs)
        b = statistics.median(r[name][1] for r in runs)
        print(f"{name:12s} {a:10.2f} {b:8.2f} {a - b:7.2f}")
    print(f"command: python bench/bench_cold.py --limit {args.limit} --rounds {args.rounds}")


if __name__ == "__main__":
    main()
