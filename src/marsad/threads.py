"""How many threads numpy's BLAS/OpenMP pools may use: one per process in marsad.

The neural NER's matrices are small; spreading each product over every core costs more than it gains, and N worker
processes × N BLAS threads spin against each other (issue 20: ``marsad process --ner-backend neural`` ran 4.9×
slower with the default threads than with one; 2 pool workers with the default threads 5× slower than with one
each). A module of its own, free of heavy imports, because every CLI command calls :func:`one_math_thread` first.
"""

from __future__ import annotations

import os
import sys

MATH_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def one_math_thread_per_worker() -> None:
    """Limit the BLAS/OpenMP pools already loaded in this process to one thread. Under fork, numpy is already
    loaded, so environment variables come too late: threadpoolctl changes the live pools."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a core dependency; without it, workers just run slower
        return
    threadpool_limits(limits=1)


def one_math_thread() -> None:
    """One BLAS/OpenMP thread for this process and the processes it starts, unless the user set a count. The
    variables reach libraries loaded later (numpy is not loaded yet when a CLI command starts) and child processes
    (serve's workers); pools already loaded are limited through threadpoolctl."""
    user_set = any(os.environ.get(v) for v in MATH_THREAD_VARS)
    for v in MATH_THREAD_VARS:
        os.environ.setdefault(v, "1")
    if not user_set and "numpy" in sys.modules:
        one_math_thread_per_worker()
