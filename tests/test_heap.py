"""kg.export.heap.frozen_heap: objects out of the cyclic collector's sight within the block,
given back when the outermost block ends, however it ends."""

from __future__ import annotations

import gc

import pytest

from kg.export.heap import frozen_heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_objects_alive_in_the_block_are_frozen_then_given_back() -> None:
    assert gc.get_freeze_count() == 0
    with frozen_heap() as freeze:
        assert gc.get_freeze_count() > 0
        before = gc.get_freeze_count()
        kept = [Node() for _ in range(100)]
        freeze()
        assert gc.get_freeze_count() >= before + 100
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= before + 100  # the inner block leaves them frozen
    assert gc.get_freeze_count() == 0
    del kept


def test_a_cycle_frozen_in_the_block_is_collected_after_it() -> None:
    import weakref

    with frozen_heap() as freeze:
        node = Node()
        ref = weakref.ref(node)
        freeze()
        del node
        gc.collect()
        assert ref() is not None  # frozen: the collector does not see it
    gc.collect()
    assert ref() is None


def test_the_heap_is_given_back_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0
