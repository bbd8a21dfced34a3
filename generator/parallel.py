"""Spreading work over all cores.

Workers are forked, so they start with everything the parent has already built
(the site model, the compiled templates) without pickling it; only the small
task arguments and results cross between processes. Small jobs run in this
process, where starting workers would cost more than it saves.
"""
from __future__ import annotations

import gc
import os
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SERIAL_BELOW = 64  # items; below this a pool costs more than it saves


def workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start() -> None:
    """In a new worker: what it inherited is set aside from the garbage collector, which then runs.

    The build pauses the collector (pipeline.collector_paused) because walking the
    site's objects over and over costs much time; frozen, they are not walked, while
    the cycles that rendering makes (Jinja's contexts) are still collected in the
    worker, keeping its memory flat.
    """
    gc.freeze()
    gc.enable()


def map_all(function: Callable[[T], R], items: Iterable[T],
            on_done: Callable[[int], None] | None = None) -> list[R]:
    """`[function(item) for item in items]`, in worker processes when it pays; order is kept.

    `on_done(n)` is called as results arrive (for a progress bar).
    """
    items = list(items)
    count = workers()
    results: list[R] = []
    if len(items) < SERIAL_BELOW or count == 1 or not _can_fork():
        results_iter = map(function, items)
        chunk = 1
        pool = None
    else:
        import multiprocessing  # here: a build that renders a few pages needs no pool, nor its 20 ms of imports
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, len(items) // (count * 8))
        pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
        results_iter = pool.map(function, items, chunksize=chunk)
    try:
        for result in results_iter:
            results.append(result)
            if on_done and len(results) % chunk == 0:
                on_done(chunk)
        if on_done and len(results) % chunk:
            on_done(len(results) % chunk)
    finally:
        if pool is not None:
            pool.shutdown()
    return results
