"""BLAS threads in ``marsad process --ner-backend neural``: the command as a user runs it, against the same command
with a pool worker's setting (threadpoolctl, one thread, applied after numpy is loaded) and with the BLAS default
of one thread per core (what every entry point but the pool workers used before issue 20).

    python bench/bench_blas.py                 # 40 ANT articles, 3 interleaved rounds
    python bench/bench_blas.py --n 20 --rounds 5

Each variant is a whole process (start-up and model loading included), run in turn within each round; the figure
is the median wall time over rounds, and the ratios are to the pool-worker variant (issue 20: the plain command
within 1.2×).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKER = (
    "import numpy, sys; from marsad.executors.base import one_math_thread_per_worker as one; one(); "
    "from marsad.cli import main; sys.argv = ['marsad'] + sys.argv[1:]; main()"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=40, help="articles (default 40)")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    shared = Path(os.environ.get("MARSAD_SHARED") or REPO.parent / "shared")
    src = shared / "data" / "ant-multisource" / "ant_2018-03-01_21_politics.jsonl"
    if not src.exists():
        sys.exit(f"needs {src} (set MARSAD_SHARED)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        with src.open(encoding="utf-8") as fh:
            path.write_text("".join(islice(fh, a.n)), encoding="utf-8")
        args = ["process", "--ner-backend", "neural", "--format", "jsonl", "--field", "id=docno", str(path)]
        base_env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
        cores = str(os.cpu_count() or 1)
        variants = {
            "process (as shipped)": ([sys.executable, "-m", "marsad", *args], base_env),
            "process, BLAS default threads": (
                [sys.executable, "-m", "marsad", *args],
                base_env
                | {"OPENBLAS_NUM_THREADS": cores, "OMP_NUM_THREADS": cores, "MKL_NUM_THREADS": cores},
            ),
            "pool-worker setting": ([sys.executable, "-c", WORKER, *args], base_env),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        outputs: dict[str, str] = {}
        for _ in range(a.rounds):
            for name, (cmd, env) in variants.items():
                t0 = time.perf_counter()
                done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
                times[name].append(time.perf_counter() - t0)
                if done.returncode != 0:
                    sys.exit(f"{name} failed: {done.stderr.strip()[-500:]}")
                outputs[name] = done.stdout
    ref = statistics.median(times["pool-worker setting"])
    print(
        f"{a.n} articles, median wall seconds of {a.rounds} interleaved rounds; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {cores} cores"
    )
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:<32} {med:7.2f} s   ratio to pool-worker setting {med / ref:5.2f}")
    ref_out = outputs["pool-worker setting"]
    for name, out in outputs.items():
        if name != "pool-worker setting":
            print(
                f"  {name}: output {'identical to' if out == ref_out else 'DIFFERS from'} the pool-worker setting's"
            )
    print(f"command: python bench/bench_blas.py --n {a.n} --rounds {a.rounds}")


if __name__ == "__main__":
    main()
