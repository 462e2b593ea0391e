"""The cyclic garbage collector kept off the objects a build holds for its whole length.

A build merges every page into one corpus (at 10,000 pages, millions of objects) and keeps
it to the end. CPython's collector walks every tracked object at each full collection, and a
build allocates enough (a page's results, the corpus-wide graphs' quads, the views' rows) to
run many: with the 2,000-page corpus held, writing its entity and relation graphs took 8.2 s,
and 4.7-5.2 s with the collector off. :func:`gc.freeze` moves the objects alive at the call out
of the collector's sight in constant time; they are still freed by their reference counts, and
only a reference cycle among them waits for :func:`gc.unfreeze` to be collected.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_depth = 0  # frozen_heap() blocks entered and not left


@contextmanager
def frozen_heap() -> Iterator[Callable[[], None]]:
    """Freeze every object alive now (:func:`gc.freeze`); the value freezes those alive when it
    is called (a build calls it after merging each page). The outermost block gives them back
    to the collector when it ends, however it ends; a block inside another (the focused
    views' processes are forked inside a build's) leaves them frozen for the outer one."""
    global _depth
    gc.freeze()
    _depth += 1
    try:
        yield gc.freeze
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()
