"""One build at a time per output folder and per cache: an OS file lock (flock).

Two builds into one folder, or sharing one cache, would swap staging folders
under each other and record in the cache what neither wrote. The lock is held
for the whole build (the dev server holds its folder's for as long as it runs)
and released by the operating system when the process ends, however it ends.

The output folder's lock is a file beside it (`.public.lock`), as the folder
itself is swapped by every build, removed again when the build ends; the
cache's lock is its folder, which needs no file written and so also works on a
cache that cannot be written.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Callable, Iterator


class Busy(Exception):
    """Another build holds the lock, and the caller asked not to wait."""

    def __init__(self, folder: Path):
        super().__init__(f"ett annat bygge pågår i {folder}")
        self.folder = folder


class Unwritable(Exception):
    """The folder the output folder lies in cannot be written: no build can be made there."""


def output_lock_file(output: Path) -> Path:
    output = output.resolve()
    return output.parent / f".{output.name}.lock"


@contextlib.contextmanager
def held(output: Path | None, cache: Path | None, wait: bool, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the locks of an output folder and a cache (either may be None), always in that order,
    so that two builds never wait for each other. Waits, after saying so, unless not `wait`: then
    raises Busy. A cache folder that cannot be made is not locked: the build goes without it."""
    lock_file = output_lock_file(output) if output is not None else None
    descriptors = []
    try:
        if lock_file is not None:
            descriptors.append(_take_file(lock_file, output, wait, say))
        if cache is not None:
            try:
                cache.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(cache, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError:
                descriptor = None
            if descriptor is not None:
                descriptors.append(_take(descriptor, cache, wait, say))
        yield
    finally:
        if lock_file is not None and descriptors:
            # Removed while held: a build waiting on this file finds it gone and takes a new one.
            with contextlib.suppress(OSError):
                os.unlink(lock_file)
        for descriptor in descriptors:
            os.close(descriptor)


def _take_file(lock_file: Path, folder: Path, wait: bool, say: Callable[[str], None]) -> int:
    """Lock a lock file that the holder removes when done: the lock counts only when the file
    locked is still the one at the path."""
    said = False

    def say_once(line: str) -> None:
        nonlocal said
        if not said:
            say(line)
            said = True

    while True:
        try:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise Unwritable(f"utmappens mapp {lock_file.parent} går inte att skriva i "
                             f"({exc.strerror or exc})") from None
        descriptor = _take(descriptor, folder, wait, say_once)
        try:
            if os.stat(lock_file).st_ino == os.fstat(descriptor).st_ino:
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)


def _take(descriptor: int, folder: Path, wait: bool, say: Callable[[str], None]) -> int:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return descriptor
    except BlockingIOError:
        if not wait:
            os.close(descriptor)
            raise Busy(folder) from None
    say(f"ett annat bygge pågår i {folder}; väntar")
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor
