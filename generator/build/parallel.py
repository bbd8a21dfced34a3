"""Spreading work over all cores.

Workers are forked, so they start with everything the parent has already built
(the site model, the compiled templates) without pickling it; only the small
task arguments and results cross between processes. Small jobs run in this
process, where starting workers would cost more than it saves.

Workers never outlive the build: when it stops (an error, Ctrl+C, SIGTERM) the
main process kills them, and a worker whose parent dies anyway (SIGKILL) is killed by
the kernel (PR_SET_PDEATHSIG), so none is left holding the terminal or a pipe
(`build | tee log` ends). Ctrl+C and a SIGTERM to the whole group reach every
process: the workers ignore them and leave the stopping to the main process. A
worker that dies on its own stops the build (WorkerLost), never hangs it.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SERIAL_BELOW = 64  # items; below this a pool costs more than it saves


def workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


_PR_SET_PDEATHSIG = 1
STOPPING = {signal.SIGINT, signal.SIGTERM}


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent ends (Linux); elsewhere the pool's
    termination in map_all is what ends the workers."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        prctl = getattr(ctypes.CDLL(libc_name, use_errno=True), "prctl", None)
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent was gone before the request was made
        os._exit(1)


class WorkerLost(Exception):
    """A worker process ended in the middle of its work (killed, out of memory): the build stops."""


def _worker_start(parent: int) -> None:
    """In a new worker: the main process's signal handling undone, the worker tied to its parent's
    life, and what it inherited set aside from the garbage collector, which then runs.

    The worker ignores the stopping signals: a Ctrl+C reaches the whole process group, and so does
    a SIGTERM sent to every process of the build (`pkill -f`, systemd, `timeout`). The main process
    stops the build and kills its workers itself (map_all); a worker that died of the signal first
    would only race it. They were blocked across the fork (map_all), so that one coming in the
    moment a worker starts cannot end it before it ignores them.

    The build pauses the collector (pipeline.collector_paused) because walking the
    site's objects over and over costs much time; frozen, they are not walked, while
    the cycles that rendering makes (Jinja's contexts) are still collected in the
    worker, keeping its memory flat.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
    _die_with(parent)
    gc.freeze()
    gc.enable()


HEAVY_WEIGHT = 16  # a heavy item (an image to process) counts as this many light ones


def map_all(function: Callable[[T], R], items: Iterable[T],
            on_done: Callable[[int], None] | None = None, heavy: int = 0,
            arrived: Callable[[R], R] | None = None) -> list[R]:
    """`[function(item) for item in items]`, in worker processes when it pays; order is kept.

    `arrived(result)`, when given, is what is kept of each result as it comes in: a result that
    crossed from a worker is a fresh copy of everything in it, and what two results share can be
    made one object before the next result comes (recording.Shared).

    `on_done(n)` is called as results arrive (for a progress bar). A worker that dies raises
    WorkerLost (the pool notices the death: multiprocessing.Pool would wait for its results forever).
    The first `heavy` items (images to process, seconds each) are handed out one by one, before
    the rest go in chunks, so that the workers share them and fill the time with the light ones;
    their results do not count for `on_done`.
    """
    items = list(items)
    count = workers()
    if len(items) + heavy * (HEAVY_WEIGHT - 1) < SERIAL_BELOW or count == 1 or not _can_fork():
        results = []
        for index, result in enumerate(map(function, items)):
            results.append(arrived(result) if arrived else result)
            if on_done and index >= heavy:
                on_done(1)
        return results
    # here: a build that renders a few pages needs no pool, nor its imports
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, (len(items) - heavy) // (count * 8))
    results = []
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    finished = False
    try:
        try:  # a worker can die while the tasks are handed out, or while their results come back
            unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
            try:  # the workers are forked as the first tasks are handed out
                first = [pool.submit(function, item) for item in items[:heavy]]
                results_iter = pool.map(function, items[heavy:], chunksize=chunk)
            finally:  # a signal that came meanwhile is raised here, with the pool already in hand
                signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
            results.extend(arrived(future.result()) if arrived else future.result() for future in first)
            for result in results_iter:
                results.append(arrived(result) if arrived else result)
                if on_done and (len(results) - heavy) % chunk == 0:
                    on_done(chunk)
        except BrokenProcessPool:
            raise WorkerLost("en av processerna som bygger webbplatsen avslutades mitt i arbetet (dödad, eller "
                             "slut på minne); inget har publicerats") from None
        if on_done and (len(results) - heavy) % chunk:
            on_done((len(results) - heavy) % chunk)
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # stopped: the workers' remaining tasks are not wanted
            # They ignore SIGTERM (_worker_start), and before Python 3.14 (terminate_workers) the
            # executor cannot end them itself: they are killed from its own table of them, taken
            # before shutdown forgets it.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.kill()
            for process in processes:
                process.join()
    return results
