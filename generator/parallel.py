"""Spreading work over all cores.

Workers are forked, so they start with everything the parent has already built
(the site model, the compiled templates) without pickling it; only the small
task arguments and results cross between processes. Small jobs run in this
process, where starting workers would cost more than it saves.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SERIAL_BELOW = 64  # items; below this a pool costs more than it saves


def workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def map_all(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[function(item) for item in items]`, in worker processes when it pays; order is kept."""
    items = list(items)
    count = workers()
    if len(items) < SERIAL_BELOW or count == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    chunk = max(1, len(items) // (count * 8))
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, items, chunksize=chunk))
