"""An index of short spans for overlap queries in O(log n + k).

Pages can be megabytes long with tens of thousands of mentions; comparing every
mention with every other one is quadratic. Mentions are short (names are at most
a few dozen characters), so a sorted list of starts bounded by the longest span
answers "what overlaps [s, e)" quickly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from operator import itemgetter
from typing import Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Spans ``(start, end, item)``; queries by position and by overlap."""

    def __init__(self, spans: Iterable[tuple[int, int, T]] = ()) -> None:
        items = sorted(spans, key=itemgetter(0, 1))
        self._starts = [s for s, _, _ in items]
        self._items = items
        self._max = max((e - s for s, e, _ in items), default=0)
        # built on first use: most indexes are only asked about overlaps
        self._by_start: dict[int, list[T]] | None = None
        self._by_end: dict[int, list[T]] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def starting_at(self, pos: int) -> list[T]:
        if self._by_start is None:
            self._by_start = defaultdict(list)
            for s, _e, it in self._items:
                self._by_start[s].append(it)
        return self._by_start.get(pos, [])

    def ending_at(self, pos: int) -> list[T]:
        if self._by_end is None:
            self._by_end = defaultdict(list)
            for _s, e, it in self._items:
                self._by_end[e].append(it)
        return self._by_end.get(pos, [])

    def overlapping(self, s: int, e: int) -> list[tuple[int, int, T]]:
        """Spans that share at least one character with ``[s, e)``."""
        lo = bisect_left(self._starts, s - self._max)
        hi = bisect_left(self._starts, e)
        return [x for x in self._items[lo:hi] if x[1] > s and x[0] < e]

    def containing(self, s: int, e: int, strict: bool = False) -> list[tuple[int, int, T]]:
        """Spans that contain ``[s, e)`` (strictly larger when ``strict``)."""
        lo = bisect_left(self._starts, e - self._max)
        hi = bisect_right(self._starts, s)
        out = []
        for x in self._items[lo:hi]:
            if x[0] <= s and e <= x[1] and not (strict and (x[0], x[1]) == (s, e)):
                out.append(x)
        return out

    def any_overlap(self, s: int, e: int) -> bool:
        return bool(self.overlapping(s, e))

    def any_containing(self, s: int, e: int, strict: bool = False) -> bool:
        return bool(self.containing(s, e, strict))
