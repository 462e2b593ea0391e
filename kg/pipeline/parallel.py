"""Where per-page tasks run: in this process, in a local process pool, or on a Dask cluster.

:func:`ordered_map` is the one way the orchestrator (:func:`kg.pipeline.iter_pages`) runs its
tasks, whatever runs them: results come back **in the order of the tasks**, never in the order
they finished, so ``--jobs 1``, ``--jobs N`` and a cluster give the same output byte for byte.
At most ``window`` tasks are in flight (submitted and not yet consumed), so the pages waiting
to be merged are a handful, not the corpus.

- ``jobs <= 1`` and no client: a plain loop in this process;
- ``jobs > 1``: a :class:`~concurrent.futures.ProcessPoolExecutor`. On Linux the workers are
  forked after the caller has loaded the extraction resources (gazetteer, automaton,
  tokenizer), so they share those pages copy-on-write and start at once;
- a ``dask.distributed.Client`` (``kg build --scheduler tcp://HOST:8786``): one task per page
  on the cluster's workers, gathered here in order. Workers need safety-kg installed (the same
  version); they receive the decoded page text, so they need no access to the input files.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The CPUs this process may run on (``--jobs``' default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def connect(scheduler: str) -> Any:
    """A ``dask.distributed.Client`` of the scheduler at ``scheduler`` (``tcp://HOST:8786``)."""
    from dask.distributed import Client

    from kg.errors import UsageError

    try:
        return Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"cannot reach the Dask scheduler {scheduler}: {exc}; start it or check the address"
        ) from exc


def die_with_parent(parent: int) -> None:
    """A pool worker's initializer: on Linux the kernel kills the worker when the process
    that forked it dies. A build killed with SIGKILL then leaves no worker behind, holding
    its pipes open and its memory, waiting for tasks that will never come."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


#: a pool worker's thresholds of the cyclic garbage collector (CPython's: 700, 10, 10)
WORKER_GC_THRESHOLDS = (10_000, 50, 100)


def start_worker(parent: int) -> None:
    """A pool worker's initializer: it dies with ``parent`` (:func:`die_with_parent`), and its
    garbage collector leaves alone what it inherited and runs less often. The inherited
    objects (the loaded resources) live as long as the worker, so :func:`gc.freeze` takes them
    out of every collection; a page's extraction makes and drops many small objects that
    reference counting frees, so collecting every 700 allocations traversed them for nothing
    (2.7 % of the extraction's CPU on 5 MB of pages, against 0.05 % with these thresholds)."""
    import gc

    die_with_parent(parent)
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def pool(jobs: int) -> Any:
    """A pool of ``jobs`` worker processes (forked where possible) that die with this one."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=_pool_context(), initializer=start_worker, initargs=(os.getpid(),)
    )


def _pool_context() -> Any:
    # fork where it exists (Linux): workers inherit the loaded resources; it is safe here
    # because the caller runs no threads of its own while the pool starts
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


#: items in flight per worker: results come back in order, so a worker that finishes while
#: the first item in flight is still running takes the next; with only a few per worker, one
#: long page left the other worker waiting for work (idle a third of the time at 10,000 pages)
WINDOW = 16


class Done:
    """An item whose result is known already (a page served from the cache): passed through in
    its place, not sent to a worker."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value

    def cancel(self) -> bool:
        return False


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T | Done],
    *,
    jobs: int = 1,
    client: Any = None,
    window: int | None = None,
) -> Iterator[R]:
    """``fn`` over ``items``, results in the order of ``items``, with at most ``window`` items in
    flight (default: :data:`WINDOW` per worker). A :class:`Done` item is its own result. ``fn``
    must be a module-level function (it is pickled)."""
    if client is None and jobs <= 1:
        for item in items:
            yield item.value if isinstance(item, Done) else fn(item)
        return
    if client is not None:
        workers = max(1, sum(client.nthreads().values()))
        yield from _windowed(
            items, lambda item: client.submit(fn, item, pure=False), window or WINDOW * workers
        )
        return
    with pool(jobs) as workers:
        try:
            yield from _windowed(items, lambda item: workers.submit(fn, item), window or WINDOW * jobs)
        except BaseException:
            workers.shutdown(wait=False, cancel_futures=True)
            raise


def _windowed(items: Iterable[T | Done], submit: Callable[[T], Any], window: int) -> Iterator[Any]:
    pending: deque[Any] = deque()
    it = iter(items)
    exhausted = False
    while True:
        while not exhausted and len(pending) < window:
            try:
                item = next(it)
            except StopIteration:
                exhausted = True
                break
            pending.append(item if isinstance(item, Done) else submit(item))
        if not pending:
            return
        fut = pending.popleft()
        try:
            result = fut.result()
        except BaseException:
            for f in pending:
                f.cancel()
            raise
        yield result
