"""Step 5, write: the only module that touches the output folder.

A build is written into a staging folder beside the output (`.public.staging`)
and swapped in only when it is complete: with Linux's atomic exchange of two
paths where available, so that at every moment `public/` is either the whole old
site or the whole new one. A failed or killed build leaves the old site as it
was; its leftover staging folder is removed by the next build.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class UnsafeOutput(Exception):
    """The output folder is one the build must not replace."""


class Staging:
    def __init__(self, output: Path):
        self.output = output.resolve()
        self.folder = self.output.parent / f".{self.output.name}.staging"
        self.old = self.output.parent / f".{self.output.name}.old"

    def start(self, protected: list[Path]) -> None:
        """Check the output folder is safe to replace and make an empty staging folder."""
        for path in protected:
            path = path.resolve()
            if self.output == path or self.output in path.parents:
                raise UnsafeOutput(f"utmappen {self.output} innehåller {path}; välj en egen mapp, t.ex. public")
        if (self.output / ".git").exists():
            raise UnsafeOutput(f"utmappen {self.output} är ett git-förråd; välj en egen mapp, t.ex. public")
        self.remove_leftovers()
        self.folder.mkdir(parents=True)

    def remove_leftovers(self) -> None:
        """The staging folder of a build that was killed, if any."""
        for leftover in (self.folder, self.old):
            if leftover.exists():
                shutil.rmtree(leftover)

    def target(self, relative: str) -> Path:
        """The staging file for a path inside the site; refuses paths that leave the folder."""
        return _inside(self.folder, relative)

    def write(self, relative: str, data: bytes) -> None:
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def copy(self, source: Path, relative: str) -> None:
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)

    def link(self, existing: Path, relative: str) -> None:
        """Reuse a file of the current site unchanged: a hard link, no bytes copied or rewritten."""
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(existing, path)
        except OSError:  # a file system without hard links
            shutil.copyfile(existing, path)

    def publish(self) -> None:
        """Swap the complete staging folder in as the output folder, then remove the old site."""
        if self.output.exists() and _exchange(self.folder, self.output):
            shutil.rmtree(self.folder)
            return
        if self.output.exists():  # no atomic exchange here: two renames, a moment apart
            os.rename(self.output, self.old)
            os.rename(self.folder, self.output)
            shutil.rmtree(self.old)
        else:
            os.rename(self.folder, self.output)

    def abandon(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)


class InPlace:
    """Writes into a live output folder (the dev server's): each file complete or not at all.

    A file is replaced by renaming a finished temporary file over it, so a browser
    never reads half a page; a file whose bytes are unchanged is not touched.
    """

    def __init__(self, output: Path):
        self.folder = output.resolve()
        self.folder.mkdir(parents=True, exist_ok=True)

    def target(self, relative: str) -> Path:
        return _inside(self.folder, relative)

    def write(self, relative: str, data: bytes) -> bool:
        path = self.target(relative)
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return True

    def copy(self, source: Path, relative: str) -> bool:
        return self.write(relative, source.read_bytes())

    def remove(self, relative: str) -> None:
        path = self.target(relative)
        if path.is_file():
            path.unlink()


def _inside(folder: Path, relative: str) -> Path:
    """folder/relative, refusing a path that would leave the folder.

    Decided from the path's text (no `..`, not absolute), not by resolving links
    on disk: the folder is one this module made, and asking the file system for
    every one of 14,000 files took a second at 10,000 posts.
    """
    parts = relative.split("/")
    if relative.startswith("/") or any(part in ("", ".", "..") for part in parts) or "\\" in relative:
        raise UnsafeOutput(f"{relative} skulle hamna utanför utmappen")
    return folder / relative


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
