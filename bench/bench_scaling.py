"""Executor scaling: articles/s for 1 vs 2 workers on the local process pool and on Ray, Ray's overhead.

    python bench/bench_scaling.py                       # 400 articles from ../shared ANT, 3 repeats
    python bench/bench_scaling.py --n 200 --repeat 1 --no-ray
    python bench/bench_scaling.py --upto dates          # only the cheap stages (shows fixed per-article cost)

Every run writes the same Parquet shards (into a temporary folder), so the figures include reading, the stages
and writing. On a shared machine the wall-clock ratio depends on the other tenants' load (printed); the local
pool's CPU time per article is also printed, and ``local_speedup_2v1_cpu_bound`` = 2 x cpu(1) / cpu(2) is the
speedup two idle cores allow once the pool's own overhead (pickling, the parent's reading and writing) is paid. The local pool with 1 worker runs in-process; Ray start-up is timed once and reported apart from
throughput. Target (issue 8): local pool with 2 workers >= 1.7x one worker on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from marsad.executors import run

REPO = Path(__file__).resolve().parents[1]


def corpus(n: int, d: Path) -> list[str]:
    shared = Path(os.environ.get("MARSAD_SHARED") or REPO.parent / "shared")
    src = shared / "data" / "ant-multisource" / "ant_2018-03-01_21_politics.jsonl"
    if not src.exists():
        sys.exit(f"needs {src} (set MARSAD_SHARED)")
    # Several files so Ray can read in parallel too; records cycle if n exceeds the corpus.
    lines = src.read_text(encoding="utf-8").splitlines()
    per = max(1, n // 8)
    paths = []
    for f in range(0, n, per):
        p = d / f"part{f // per:02d}.jsonl"
        p.write_text("\n".join(lines[i % len(lines)] for i in range(f, min(n, f + per))) + "\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the pool's workers are joined at the end of run)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(paths: list[str], executor: str, workers: int, tmp: Path, upto: str | None) -> tuple[float, int, float]:
    out = tmp / f"out-{executor}-{workers}-{time.monotonic_ns()}"
    c = _cpu()
    t = time.perf_counter()
    s = run(paths, out=out, executor=executor, workers=workers, upto=upto)
    dt = time.perf_counter() - t
    cpu = _cpu() - c
    shutil.rmtree(out, ignore_errors=True)
    return dt, s.inputs, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400, help="articles (default 400)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--upto", default=None, help="cut the pipeline after this stage")
    ap.add_argument("--no-ray", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    try:
        paths = corpus(a.n, tmp)
        # Warm-up: imports, model loading and the page cache, so the first timed run is not penalised.
        run(paths[:1], out=tmp / "warm", workers=1, upto=a.upto)
        res: dict[str, dict] = {}
        execs = [("local", 1), ("local", 2)]
        if not a.no_ray:
            import ray

            t = time.perf_counter()
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
            res["ray_init_s"] = {"seconds": round(time.perf_counter() - t, 2)}
            timed(paths[:1], "ray", 2, tmp, a.upto)  # warm the workers' imports
            execs += [("ray", 1), ("ray", 2)]
        for ex, w in execs:
            times, cpus = [], []
            n = 0
            for _ in range(a.repeat):
                dt, n, cpu = timed(paths, ex, w, tmp, a.upto)
                times.append(dt)
                cpus.append(cpu)
            med = statistics.median(times)
            res[f"{ex}_{w}"] = {"median_s": round(med, 2), "articles": n, "per_s": round(n / med, 1)}
            if ex == "local":  # Ray's workers are not our children: their CPU time is not visible here
                res[f"{ex}_{w}"]["cpu_ms_per_article"] = round(1000 * statistics.median(cpus) / n, 1)
        rate = {k: v["per_s"] for k, v in res.items() if "per_s" in v}
        cpu1, cpu2 = res["local_1"]["cpu_ms_per_article"], res["local_2"]["cpu_ms_per_article"]
        summary = {
            "local_speedup_2v1": round(rate["local_2"] / rate["local_1"], 2),
            "local_efficiency": round(rate["local_2"] / (2 * rate["local_1"]), 2),
            # On a shared machine wall-clock ratios depend on other tenants; CPU time does not. With 2 idle cores
            # the pool can at best spread its CPU over both: speedup <= 2 * cpu(1 worker) / cpu(2 workers).
            "local_speedup_2v1_cpu_bound": round(2 * cpu1 / cpu2, 2),
            "load_average_1min": round(os.getloadavg()[0], 1),
        }
        if "ray_2" in rate:
            summary |= {
                "ray_speedup_2v1": round(rate["ray_2"] / rate["ray_1"], 2),
                "ray_efficiency": round(rate["ray_2"] / (2 * rate["ray_1"]), 2),
                "ray_overhead_vs_local_2": round(rate["local_2"] / rate["ray_2"] - 1, 2),
            }
        print(json.dumps({"runs": res, "summary": summary, "n": a.n, "upto": a.upto,
                          "command": "python bench/bench_scaling.py " + " ".join(sys.argv[1:])}, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
