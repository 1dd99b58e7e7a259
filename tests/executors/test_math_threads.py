"""Executor workers run numpy's BLAS on one thread (N workers × N BLAS threads spin against each other)."""

from __future__ import annotations

import subprocess
import sys


def test_one_math_thread_per_worker() -> None:
    code = (
        "import numpy, threadpoolctl\n"
        "from marsad.executors.base import one_math_thread_per_worker\n"
        "one_math_thread_per_worker()\n"
        "info = [p for p in threadpoolctl.threadpool_info() if p['user_api'] == 'blas']\n"
        "assert info, 'no BLAS pool found'\n"
        "print(max(p['num_threads'] for p in info))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"OPENBLAS_NUM_THREADS": "2", "PATH": ""},
    )
    assert out.stdout.strip() == "1"
