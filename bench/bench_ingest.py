"""Ingest throughput (articles/s) over the SaudiNewsNet zips in ../shared/data/saudinewsnet, per layer of work:
reading only; reading + storing (no analysis); reading + clean stage + storing; the full default pipeline on a
capped number of articles (it is much slower, and grows as analysis stages land).

    python bench/bench_ingest.py [--shared ../shared] [--full-limit 200] [--batch-size 200]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument(
        "--full-limit", type=int, default=200, help="articles for the full-pipeline run (0: skip)"
    )
    ap.add_argument("--batch-size", type=int, default=200)
    args = ap.parse_args()

    from marsad.readers import read_paths
    from marsad.stages import default_pipeline
    from marsad.store import Store

    zips = sorted(str(p) for p in (Path(args.shared) / "data" / "saudinewsnet").glob("*.zip"))

    def read(limit: int | None = None):
        it = read_paths(zips)
        return itertools.islice(it, limit) if limit else it

    t0 = time.perf_counter()
    n = sum(1 for _ in read())
    dt = time.perf_counter() - t0
    print(f"read only                 {n:6d} records  {dt:7.2f} s  {n / dt:8.0f} articles/s")

    # (label, pipeline upto, article limit, store hooks: [] none, None defaults = dedup when installed)
    runs: list[tuple[str, str | None, int | None, list | None]] = [
        ("read + store, no hooks", None, None, []),
        ("read + store + hooks", None, None, None),
        ("read + clean + store", "clean", None, None),
    ]
    if args.full_limit:
        runs.append(("full pipeline + store", "all", args.full_limit, None))
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, upto, limit, hooks) in enumerate(runs):
            db = Path(tmp) / f"b{i}.db"
            pipe = None if upto is None else default_pipeline(upto=None if upto == "all" else upto)
            with Store(db, hooks=hooks) as st:
                t0 = time.perf_counter()
                s = st.ingest(read(limit), pipeline=pipe, batch_size=args.batch_size)
                dt = time.perf_counter() - t0
                t1 = time.perf_counter()
                again = st.ingest(read(limit), pipeline=pipe, batch_size=args.batch_size)
                dt_again = time.perf_counter() - t1
            assert s.read == s.stored + s.duplicate + s.rejected
            assert again.stored == 0
            names = "" if pipe is None else f" [{', '.join(pipe.names)}]"
            names += f" hooks: {', '.join(h.name for h in st.hooks) or 'none'}"
            print(
                f"{label:25} {s.read:6d} records  {dt:7.2f} s  {s.read / dt:8.1f} articles/s"
                f"  (stored {s.stored}, duplicate {s.duplicate}, rejected {s.rejected}){names}"
            )
            print(
                f"{'  re-ingest (all skipped)':25} {again.read:6d} records  {dt_again:7.2f} s  "
                f"{again.read / dt_again:8.0f} articles/s  (duplicate {again.duplicate})"
            )
    print("(wall-clock on a shared machine; the dedup hook's cost is its own, see docs/store.md)")
    print(f"\nreproduce: python bench/bench_ingest.py --shared {args.shared} --full-limit {args.full_limit}")


if __name__ == "__main__":
    main()
