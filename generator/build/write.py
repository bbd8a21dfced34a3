"""Step 5, write: the only module that touches the output folder.

A build is written into a staging folder beside the output (`.public.staging`)
and swapped in only when it is complete: with Linux's atomic exchange of two
paths where available, so that at every moment `public/` is either the whole old
site or the whole new one. A failed or killed build leaves the old site as it
was; its leftover staging folder is removed by the next build.

With the build cache, the site that was swapped out stays in the staging folder
as the starting point of the next build (blue/green): the next build changes
only the files that differ, instead of writing 14,000 files and folders anew.
A marker file beside it (`.public.staging.unfinished`) says while it is being
changed; a staging folder with the marker is never trusted and is built anew.

Each folder carries its own manifest (outputdir.py): a file of the current site
is linked, and a file of the kept folder left in place, only when it is as that
folder's manifest says; before the swap, whatever the new site does not have is
removed from the staging folder and a new manifest is written into it.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import signal
import stat
from pathlib import Path

from generator.build import outputdir
from generator.build.outputdir import UnsafeOutput
from generator.urls import leaves_folder

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class Staging:
    def __init__(self, output: Path):
        self.output = output.resolve()
        # A folder of the editor's own with one of these names is left alone: the next free name
        # that is absent or the generator's own is used instead (docs/dev/output-safety.md).
        self.folder = _own_place(self.output.parent / f".{self.output.name}.staging", _staging_is_ours)
        self.old = _own_place(self.output.parent / f".{self.output.name}.old", outputdir.marked)
        self.unfinished = _unfinished_marker(self.folder)
        self.sealed = False  # the staging folder holds the complete new site
        self.kept = False  # the staging folder holds the previous site, to be changed into the new one
        self.made: set[str] = set()  # folders known to exist in the staging folder
        self.listed: tuple[set[str], tuple[str, ...]] | None = None  # after prune(): all the folder can hold
        self.set_aside: Path | None = None  # where a swapped-out site with files saved into it went (publish)
        self.untouched: set[str] = set()  # files of the kept folder that this build keeps as they are (keep())

    def reusable(self) -> bool:
        """Whether the staging folder is a previous site left by a finished build, with its manifest."""
        return (self.folder.is_dir() and not self.unfinished.exists() and not self.old.exists()
                and outputdir.marked(self.folder))

    @functools.cached_property
    def in_output(self) -> outputdir.CheckedAsAsked:
        """The current site, checked against its manifest file by file as the build asks: only the files
        it links are looked at (the new site is made in the staging folder, not from the output)."""
        return outputdir.CheckedAsAsked(self.output)

    @functools.cached_property
    def in_staging(self) -> outputdir.Verified:
        """The kept previous site, checked against its manifest."""
        return outputdir.verify(self.folder) if self.reusable() else outputdir.Verified("", set(), False)

    def output_holds(self, relative: str) -> bool:
        """Whether the current site has this file as its manifest says (so it may be linked)."""
        return self.in_output.holds(relative)

    def keep(self, relative: str) -> bool:
        """Whether the kept staging folder has this file as its manifest says: then it stays as it is,
        and sealing takes what the check found of it rather than asking again (_unchanged)."""
        if self.kept and relative in self.in_staging.good:
            self.untouched.add(relative)
            return True
        return False

    def output_holds_folder(self, inside: str) -> bool:
        """Whether the current site has this folder (a path ending in /) whole, as its manifest says."""
        return self.in_output.whole(inside)

    def holds_folder(self, inside: str) -> bool:
        """Whether the kept staging folder has this folder whole, as its manifest says (so it may stay)."""
        return self.kept and self.in_staging.whole(inside)

    def link_folder(self, inside: str) -> None:
        """Reuse a folder of the current site unchanged (output_holds_folder), by hard links."""
        for name in sorted(self.in_output.listed):
            if name.startswith(inside):
                self.link(self.output / name, name)

    def start(self, protected: list[Path], keep: bool = False) -> None:
        """Check the output folder is safe to replace and prepare the staging folder.

        With `keep`, a reusable staging folder (the previous site) is kept to be
        changed file by file; otherwise the staging folder starts empty.
        """
        for path in protected:
            path = path.resolve()
            if self.output == path or self.output in path.parents:
                raise UnsafeOutput(f"utmappen {self.output} innehåller {path}; välj en egen mapp, t.ex. public")
        if (self.output / ".git").exists():
            raise UnsafeOutput(f"utmappen {self.output} är ett git-förråd; välj en egen mapp, t.ex. public")
        self.kept = keep and self.reusable()
        self.made = set()
        self.sealed = False
        if not self.kept:
            self.remove_leftovers(everything=True)
            self.folder.mkdir(parents=True)
            outputdir.Manifest("", {}).write(self.folder)  # the generator's own, vouching for no file yet
        self.unfinished.write_bytes(b"")  # being changed: not yet as its manifest says (seal)

    def remove_leftovers(self, everything: bool = False) -> None:
        """What a killed build left behind; with `everything`, also a kept previous site."""
        self._restore_old_site()
        for leftover in (self.folder, self.old):
            if leftover.exists() and (everything or leftover == self.old or not self.reusable()):
                # `.public.old` is a swapped-out site, and so may be a sealed staging folder left by a build
                # stopped at the swap: files their manifest does not list were saved into the output then.
                self._remove(leftover, checked=leftover == self.old or self._was_sealed())
        if self.unfinished.exists() and not self.folder.exists():
            self.unfinished.unlink()

    def target(self, relative: str) -> Path:
        """The staging file for a path inside the site; refuses paths that leave the folder."""
        return _inside(self.folder, relative)

    def write(self, relative: str, data: bytes) -> outputdir.Stamp:
        """Write one file; returns what the manifest will say of it (seal), so that sealing need
        not read back the bytes just written (in a worker process, when the site is large)."""
        path = self.target(relative)
        self._folder_for(path)
        self.untouched.discard(relative)
        if not self.kept:  # a fresh staging folder: nothing in it is shared
            return _written(path, data)
        # In a kept staging folder a file may be a hard link shared with the live
        # site, which must not change under a reader: a new file renamed into place
        # (a rename keeps the file's inode and modification time: its stamp holds).
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        stamp = _written(temporary, data)
        os.replace(temporary, path)
        return stamp

    def copy(self, source: Path, relative: str) -> None:
        self.write(relative, source.read_bytes())

    def link(self, existing: Path, relative: str) -> None:
        """Reuse a file of the current site unchanged: a hard link, no bytes copied or rewritten."""
        path = self.target(relative)
        self._folder_for(path)
        self.untouched.discard(relative)
        if os.path.lexists(path):  # a link there is removed itself, not what it points to
            path.unlink()
        try:
            os.link(existing, path)
        except OSError:  # a file system without hard links
            shutil.copyfile(existing, path)

    def _folder_for(self, path: Path) -> None:
        """Make the file's folder, once: most of 14,000 mkdir calls would find it made already."""
        folder = os.path.dirname(path)
        if folder not in self.made:
            _real_folders(self.folder, folder, self.made)

    def remove(self, relative: str) -> None:
        """Remove a file the new site no longer has, and the folders it leaves empty."""
        path = self.target(relative)
        self.untouched.discard(relative)
        if _through_a_link(self.folder, path):  # not in the site's own folders: never reached through a link
            return
        if path.is_symlink() or path.is_file():
            path.unlink()
        self.made -= {str(folder) for folder in _remove_empty_folders(self.folder, path.parent)}

    def prune(self, files: set[str], folders: tuple[str, ...] = ()) -> None:
        """Make the staging folder hold only the new site: remove every file that is not one of
        `files` nor under one of `folders` (a deleted page left in a kept folder, a stray temporary
        file), so that nothing indexes or publishes it."""
        # What the folder holds is what the kept folder held when it was checked (in_staging), and
        # what this build wrote into it, which is among `files`: no walk of the whole folder again.
        for name in self.in_staging.present if self.kept else ():
            if name not in files and not name.startswith(folders):
                self.remove(name)
        # A folder left empty goes too, as a fresh build has none: one the kept folder's manifest has
        # no stamp for, or one whose files were removed by hand (the folder of a page since deleted).
        # Sealed as it is, it gets no stamp, and a file added to it later would change only its own
        # times: no check would find that file.
        emptied = (outputdir.folders_holding(self.in_staging.listed) | self.in_staging.unstamped) if self.kept \
            else set()
        emptied -= outputdir.folders_holding(files)
        for name in sorted(emptied, reverse=True):  # the inner first
            if (name + "/").startswith(folders):
                continue
            path = self.target(name)
            if not _through_a_link(self.folder, path):  # rmdir removes no link put in its place
                try:
                    path.rmdir()
                except OSError:  # it holds files of the new site (or is gone): it has a stamp when sealed
                    continue
                self.made.discard(str(path))
        self.listed = (files, folders)

    def seal(self, written: list[outputdir.Stamp] = ()) -> outputdir.Manifest:
        """Write the complete staging folder's manifest: what it holds, as it will be published.
        `written`: the stamps write() returned, whose files need not be read again."""
        known = [outputdir.Manifest.read(self.output), outputdir.Manifest.read(self.folder) if self.kept else None]
        manifest = outputdir.record(self.folder, [found for found in known if found is not None], self.listed,
                                    written, self._unchanged())
        manifest.write(self.folder)
        self.sealed = True
        self.unfinished.write_bytes(_SEALED)  # from here the folder is as a manifest says, with no file added
        return manifest

    def _unchanged(self) -> outputdir.Unchanged | None:
        """What sealing may take from the check of the kept folder (in_staging) instead of a stat: the
        files this build kept (keep()) that were found as the manifest says by their stat, and the folders
        found with their stamp in which this build added, removed or replaced nothing. After a one-post
        edit that is nearly all of the site; what this leaves out is stat'ed. Leaving out too little would
        cost no more than a listing at the next check (outputdir.record)."""
        if not self.kept or self.listed is None:
            return None
        before, checked = outputdir.Manifest.read(self.folder), self.in_staging  # seal writes the new manifest
        if before is None or before.id != checked.id:
            return None
        files = {name: before.files[name] for name in self.untouched & checked.by_stat}
        names, subfolders = self.listed
        # A folder holding a file written, linked or removed, or a folder made or removed (which holds
        # one), changed; so may every folder above it (a folder made inside): they are stat'ed.
        touched = outputdir.folders_holding((names | checked.present.keys()) - files.keys())
        folders = {name: before.folders[name] for name in checked.settled
                   if name and name not in touched and not (name + "/").startswith(subfolders)}
        return files, folders

    def _was_sealed(self) -> bool:
        """Whether the staging folder was sealed by the build that left it: it holds the new site or, after
        the swap, the old one, each with its manifest, so a file that manifest does not list is the editor's."""
        try:
            return self.unfinished.read_bytes() == _SEALED
        except OSError:
            return False

    def _remove(self, folder: Path, checked: bool) -> None:
        """Remove a folder the build made; with `checked`, a sealed or swapped-out one holding files its
        manifest does not list (saved into the output during a build) is moved beside the output instead."""
        if checked and outputdir.not_listed(folder):
            self._set_aside(folder)
        else:
            shutil.rmtree(folder)

    def _set_aside(self, folder: Path) -> None:
        place = _own_place(self.output.parent / f"{self.output.name}.sparade-filer", lambda place: False)
        os.rename(folder, place)
        self.set_aside = self.set_aside or place

    def publish(self, keep: bool = False) -> Path | None:
        """Swap the complete staging folder in as the output folder.

        The old site is removed, or with `keep` left in the staging folder as the
        starting point of the next build; then the build is not finished until the
        record of what the two folders hold (the build cache) is saved: finish().

        A file someone saved into the output while this build ran (the check before the build
        found none) is the editor's: the old site is then neither removed nor kept but moved,
        with that file, to a folder beside the output, whose path is returned."""
        # A folder replaced with --force (no manifest) is not kept as a previous site: as the
        # generator's it would be trusted, as the editor's it would be left beside the output forever.
        keep_swapped = keep and outputdir.marked(self.output)
        try:
            if self.output.exists() and _exchange(self.folder, self.output):
                swapped = self.folder
            elif self.output.exists():  # no atomic exchange here: two renames, a moment apart
                # Ctrl+C or SIGTERM between them would leave no output folder: they wait until both are done.
                unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
                try:
                    os.rename(self.output, self.old)
                    os.rename(self.folder, self.output)
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
                swapped = self.old
            else:
                os.rename(self.folder, self.output)
                swapped = None
        except OSError as problem:  # nothing swapped: abandon() renames back an old site renamed alone
            raise UnsafeOutput(outputdir.not_swappable(self.output, problem)) from None
        set_aside = swapped is not None and bool(outputdir.not_listed(swapped))
        if swapped is None:
            pass
        elif set_aside:
            self._set_aside(swapped)
        elif not keep_swapped:
            shutil.rmtree(swapped)
        elif swapped != self.folder:
            os.rename(swapped, self.folder)
        if not keep or set_aside:
            self.finish()
        return self.set_aside

    def finish(self) -> None:
        self.unfinished.unlink(missing_ok=True)

    def interrupted(self) -> bool:
        """Whether a build was stopped after it started writing and before it finished: after a
        swap, the output and kept folders may not hold what the build cache says they do."""
        return self.unfinished.exists()

    def abandon(self) -> None:
        """Undo a stopped build: the old site stays (or comes back), or, when there was none and
        the new one was complete, the new one is published; what is left of the build is removed."""
        self._restore_old_site()
        if not self.output.exists() and self.sealed and self.folder.is_dir():
            os.replace(self.folder, self.output)
        if self.folder.exists():
            if self.sealed and outputdir.not_listed(self.folder):
                # The old site, swapped out with a file saved into it meanwhile: the next build sets it
                # aside and says so (remove_leftovers); the marker stays, so that no build keeps it.
                return
            shutil.rmtree(self.folder)
        self.unfinished.unlink(missing_ok=True)

    def _restore_old_site(self) -> None:
        """A build stopped between publish's two renames (an error, SIGKILL) left the old site as
        `.public.old` and no output folder: it is renamed back, so the output is whole again."""
        if not os.path.lexists(self.output) and self.old.is_dir() and outputdir.marked(self.old):
            os.replace(self.old, self.output)


class InPlace:
    """Writes into a live output folder (the dev server's): each file complete or not at all.

    A file is replaced by renaming a finished temporary file over it, so a browser
    never reads half a page; a file whose bytes are unchanged is not touched.
    """

    def __init__(self, output: Path):
        self.folder = output.resolve()
        self.made = outputdir.mark_live(self.folder)  # the files in the folder that are the generator's
        self.listed = set(self.made)  # what the folder's manifest lists

    def claim(self, relatives) -> None:
        """List these files in the folder's manifest as the generator's before any is written: a file
        the server made that its manifest did not list would be taken for the editor's."""
        self.made.update(relatives)
        self.save()

    def save(self) -> None:
        """List in the folder's manifest exactly the files made, when they changed."""
        if self.made != self.listed:
            outputdir.write_live(self.folder, self.made)
            self.listed = set(self.made)

    def ours(self, relative: str) -> bool:
        """Whether a file in the folder is the generator's: made by the server, or left half-written."""
        return (relative in self.made or outputdir.left_by_a_write(relative, self.made)
                or outputdir.left_by_a_write(relative, self.listed))

    def target(self, relative: str) -> Path:
        return _inside(self.folder, relative)

    def write(self, relative: str, data: bytes) -> bool:
        path = self.target(relative)
        if relative not in self.made:  # claimed by the server before rendering, which may be in worker processes
            raise ValueError(f"{relative}: not listed in the live folder's manifest before it is written")
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
        _real_folders(self.folder, path.parent)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return True

    def copy(self, source: Path, relative: str) -> bool:
        return self.write(relative, source.read_bytes())

    def remove(self, relative: str) -> None:
        """Remove a file the site no longer has, and the folders it leaves empty (the server would
        list an empty folder's contents where the page was)."""
        path = self.target(relative)
        if self.ours(relative) and not _through_a_link(self.folder, path) and path.is_file():
            path.unlink()
            _remove_empty_folders(self.folder, path.parent)
        self.made.discard(relative)


def _written(path: Path, data: bytes) -> outputdir.Stamp:
    """Write a new file and return its stamp: the stat taken through the open file, after the
    last write, and the hash of the bytes written."""
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        stat = os.fstat(file.fileno())
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, outputdir.digest_of(data)


def _inside(folder: Path, relative: str) -> Path:
    """folder/relative, refusing a path that would leave the folder.

    Decided from the path's text (no `..`, not absolute), not by resolving links
    on disk: the folder is one this module made, and asking the file system for
    every one of 14,000 files took a second at 10,000 posts.
    """
    if leaves_folder(relative):
        raise UnsafeOutput(f"{relative} skulle hamna utanför utmappen")
    return folder / relative


def _real_folders(root: Path | str, folder: Path | str, made: set[str] | None = None) -> None:
    """Make `folder` and every folder between it and `root` a real folder. A link in the way (the
    editor's `assets/bilder -> ~/foton` in a kept or live site) is removed itself, never followed:
    the build writes and deletes only inside the folder it made, as outputdir.files_in reads it.

    `made` (folders as strings) are known to be real already. Each folder is made first and looked
    at only when something is there: in a new site almost every folder is new (one call, not two)."""
    made = set() if made is None else made
    folder = os.fspath(folder)
    if folder == os.fspath(root):
        return
    current = os.fspath(root).rstrip("/")  # "/" as the root: the first folder is "/" + part
    if not folder.startswith(current + "/"):
        raise ValueError(f"{folder} is not inside {root}")
    for part in folder[len(current) + 1:].split("/"):
        current += "/" + part
        if current in made:
            continue
        try:
            os.mkdir(current)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                os.unlink(current)  # a link or a stray file where the site has a folder
                try:
                    os.mkdir(current)
                except FileExistsError:  # another worker made it meanwhile; a link there stays refused
                    if not stat.S_ISDIR(os.lstat(current).st_mode):
                        raise
        made.add(current)


def _remove_empty_folders(root: Path, folder: Path) -> set[Path]:
    """Remove `folder` and the folders above it, up to `root`, while they are empty; return them."""
    removed = set()
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        removed.add(folder)
        folder = folder.parent
    return removed


def _through_a_link(root: Path, path: Path) -> bool:
    """Whether a folder between `root` and `path` is a link (so that `path` is outside `root`)."""
    current = root
    for part in path.parent.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


# What the marker beside a staging folder holds once the folder is sealed (Staging.seal).
_SEALED = b"sealed\n"


def _unfinished_marker(folder: Path) -> Path:
    return folder.with_name(folder.name + ".unfinished")


def _staging_is_ours(folder: Path) -> bool:
    """A staging folder carries the manifest from the moment it is made; one an earlier version
    left while it was being written has the marker beside it instead."""
    return outputdir.marked(folder) or _unfinished_marker(folder).exists()


def _own_place(first: Path, ours) -> Path:
    """`first`, or `first.2`, `first.3`...: the first that does not exist or is the generator's own.
    The same each build, so that a build finds what the one before it left."""
    place, number = first, 1
    while os.path.lexists(place) and not (place.is_dir() and not place.is_symlink() and ours(place)):
        number += 1
        place = first.with_name(f"{first.name}.{number}")
    return place


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
