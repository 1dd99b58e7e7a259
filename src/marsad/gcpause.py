"""The cyclic garbage collector paused while a stage reads one article (issue 20: linear time on long documents).

A stage builds many container objects that live as long as it runs on the article (tokens, mention tables, speaker
and event candidates). CPython then starts full collections at a pace set by those allocations, and every full
collection walks every live object, the whole article included: on one long document the stage paid a number of
passes that grows with its length, each as long as the length, so the collector's share grew with the square of
the length (``bench/bench_length.py``; gc callbacks on its 80k-word document: ~0.1 s per full pass, two or three
passes per round in each of the quotes and events stages, against short passes over a small heap at 5k words).
Those passes found nothing to free: the stages make no reference cycles (every full collection during the bench
collected 0 objects), reference counting frees what they drop. Pausing the collector for the length of a stage
removes that work; whatever a stage might leave in a cycle is collected after it, as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block and enable it again after, unless it was off already
    (a caller that turned it off keeps it off). Threads share the switch: a stage in another thread may see the
    collector on again before it ends, which costs it time, never correctness."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
