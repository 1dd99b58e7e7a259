"""Position index over character spans: which spans lie inside, overlap or contain an offset, by bisection.

The stages ask such questions once per sentence, cue or quote; a scan of every mention or quote per question made
them quadratic in the length of the article (issue 20). Hand-written because the questions are three bisections
over sorted start offsets; an interval-tree package would add a dependency for no gain at these sizes.

Answers are exactly those of the scans they replace, in the same order: the index keeps each item's position in
the sequence it was built from, and results come back in that order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class IntervalIndex(Generic[T]):
    """Items with a half-open character span ``[start(item), end(item))``, queried by position.

    ``reach`` (the longest span) bounds the backward walk of :meth:`overlapping`: an item starting more than
    ``reach`` before ``a`` ends before ``a``. Queries cost a bisection plus the items near the query.
    """

    __slots__ = ("_items", "_pos", "_starts", "_ends", "_reach")

    def __init__(self, items: Sequence[T], start: Callable[[T], int], end: Callable[[T], int]) -> None:
        # sorted() is stable: items with equal starts keep their input order
        order = sorted(range(len(items)), key=lambda i: start(items[i]))
        self._items = [items[i] for i in order]
        self._pos = order
        self._starts = [start(items[i]) for i in order]
        self._ends = [end(items[i]) for i in order]
        self._reach = max((e - s for s, e in zip(self._starts, self._ends, strict=True)), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def _collect(self, hits: list[int]) -> list[T]:
        hits.sort(key=self._pos.__getitem__)
        return [self._items[k] for k in hits]

    def _overlap(self, a: int, b: int) -> list[int]:
        starts, ends = self._starts, self._ends
        hits = []
        k = bisect_left(starts, b) - 1
        floor = a - self._reach
        while k >= 0 and starts[k] >= floor:
            if ends[k] > a:
                hits.append(k)
            k -= 1
        return hits

    def overlapping(self, a: int, b: int) -> list[T]:
        """Items with ``start < b`` and ``end > a`` (sharing a character with ``[a, b)``), in input order."""
        return self._collect(self._overlap(a, b))

    def containing(self, off: int) -> list[T]:
        """Items with ``start <= off < end``, in input order."""
        return self._collect(self._overlap(off, off + 1))

    def starting_in(self, a: int, b: int) -> list[T]:
        """Items with ``a <= start < b``, in input order."""
        return self._collect(list(range(bisect_left(self._starts, a), bisect_left(self._starts, b))))

    def starting_in_or_containing(self, a: int, b: int) -> list[T]:
        """Items with ``a <= start < b`` or ``start <= a < end``, once each, in input order."""
        first = range(bisect_left(self._starts, a), bisect_left(self._starts, b))
        return self._collect(list(set(first).union(self._overlap(a, a + 1))))

    def within(self, a: int, b: int) -> list[T]:
        """Items with ``start >= a`` and ``end <= b``, in input order."""
        i, j = bisect_left(self._starts, a), bisect_right(self._starts, b)
        return self._collect([k for k in range(i, j) if self._ends[k] <= b])


class SpanSet:
    """A growing set of ``(start, end)`` spans that answers "does any span share a character with [a, b)?" by
    bisection (spans are kept sorted by start, with the longest span's length bounding the walk back)."""

    __slots__ = ("_spans", "_reach")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = sorted(spans)
        self._reach = max((e - s for s, e in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
        self._reach = max(self._reach, end - start)

    def overlaps(self, a: int, b: int) -> bool:
        spans = self._spans
        k = bisect_left(spans, (b,)) - 1
        floor = a - self._reach
        while k >= 0 and spans[k][0] >= floor:
            if spans[k][1] > a:
                return True
            k -= 1
        return False
