"""The local executor: the pipeline's stages over a process pool, results in input order.

Each worker process builds the pipeline once (initializer) and then processes chunks of articles. Chunks are
submitted through a bounded window rather than ``Pool.imap`` (which drains its whole input eagerly), so memory
stays flat on a multi-gigabyte WARC. The per-document time limit keeps working in workers: they run tasks in
their main thread, where the pipeline's SIGALRM limit applies.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from marsad.errors import MarsadError
from marsad.executors.base import Keyed, PipelineSpec, default_workers, process_keyed

_WORKER_PIPE = None


def _init_worker(spec: PipelineSpec) -> None:
    global _WORKER_PIPE
    _WORKER_PIPE = spec.build()


def _work(chunk: list[Keyed]) -> list[Keyed]:
    assert _WORKER_PIPE is not None  # set by _init_worker
    return process_keyed(_WORKER_PIPE, chunk)


def _chunks(items: Iterable[Keyed], size: int) -> Iterator[list[Keyed]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def map_local(items: Iterable[Keyed], spec: PipelineSpec, *, workers: int | None = None, chunksize: int = 8,
              window: int | None = None, mp_context: str | None = None) -> Iterator[Keyed]:
    """Run the pipeline over keyed reader outputs with ``workers`` processes; yields in input order.

    ``workers=1`` runs in this process (no pool, no pickling). ``window`` bounds the chunks in flight
    (default 4 per worker)."""
    n = workers or default_workers()
    if n <= 1:
        pipe = spec.build()
        for chunk in _chunks(items, chunksize):
            yield from process_keyed(pipe, chunk)
        return
    # fork shares the already-imported modules and models copy-on-write; forkserver where fork is unsafe.
    ctx = mp.get_context(mp_context or ("fork" if "fork" in mp.get_all_start_methods() else "spawn"))
    limit = window or 4 * n
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker, initargs=(spec,)) as pool:
        pending: deque[tuple[str, Future[list[Keyed]]]] = deque()
        try:
            for chunk in _chunks(items, chunksize):
                pending.append((chunk[0][0], pool.submit(_work, chunk)))
                if len(pending) >= limit:
                    yield from pending.popleft()[1].result()
            while pending:
                yield from pending.popleft()[1].result()
        except BrokenProcessPool as e:  # a worker was killed (OOM killer, a crash in a C extension)
            where = pending[0][0] if pending else "?"
            raise MarsadError(f"a worker process died while processing the inputs from key {where} on "
                              "(killed, or out of memory); results before it were kept. Re-run with --workers 1 "
                              "to see which input causes it", code="E_WORKER") from e
