"""The output folder's own record: which folder the generator may replace, and what it holds.

Every folder the generator writes a site into carries a manifest file,
`.innovationsbloggen`. It is the marker that the folder is the generator's own:
a non-empty folder without it is never replaced (unless the editor says
`--force`), so a mistyped `--output` cannot empty a home folder or `content/`.

The manifest also lists each file the build wrote, with its size, modification
time, inode and a hash of its bytes, as git's index does. The next build checks
the files against it by stat alone (and reads a file only when its stat
differs): a file that was changed, removed or added by hand is made again, and a
kept staging folder (write.py) is trusted only as far as its own manifest
describes it. Each manifest has an id, which the build cache records, so the
cache's notes about a folder are used only for the very folder they describe.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import uuid
from stat import S_ISDIR, S_ISLNK
from dataclasses import dataclass, field
from pathlib import Path

from generator.urls import SEARCH_FOLDER

MANIFEST = ".innovationsbloggen"
GENERATOR = "innovationsbloggen"


# What a manifest says of one file: its size, modification time and inode (checked by stat), and the
# SHA-1 of its bytes (read when the stat differs).
Stamp = tuple[int, int, int, str]


# The manifests read in this process, by the digest of their bytes: what they said (Manifest.read).
_parsed: dict[bytes, "Manifest | None"] = {}


class UnsafeOutput(Exception):
    """The output folder is one the build must not replace."""


@dataclass
class Manifest:
    id: str = ""
    files: dict[str, Stamp] = field(default_factory=dict)  # path -> size, mtime, inode, hash
    # Every folder that holds a listed file, "" for the top: its stamp (folder_stamps) when the manifest
    # was made, or None when it could still change within the same tick of the file clock. Empty in
    # manifests of earlier versions: their folders are walked (and a stamp of another shape than
    # today's never matches: that folder is listed).
    folders: dict[str, tuple[int, ...] | None] = field(default_factory=dict)
    # The dev server's live folder (mark_live): its files are listed, each with LIVE_ENTRY, and its
    # search index is the server's own; no file is vouched for as it is.
    live: bool = False

    @classmethod
    def read(cls, folder: Path) -> "Manifest | None":
        """The manifest of a folder; None when it has none, or one that cannot be read.

        A build reads the output's and the kept folder's manifests several times (the safety
        check before and after taking the lock, the check by stat, sealing): the same bytes are
        parsed once in a process, wherever they are (the output's manifest goes with its folder to the
        staging folder at the swap). The bytes are compared, not the file's stat, which a rewrite within
        one tick of the file clock can leave as it was. Callers never change a manifest."""
        path = folder / MANIFEST
        try:
            data = path.read_bytes()
        except OSError:
            return None
        key = hashlib.sha256(data).digest()
        if key not in _parsed:
            if len(_parsed) >= 4:  # the output's, the kept folder's, and the swapped one's (the output's, moved)
                _parsed.clear()
            _parsed[key] = cls._parse(data)
        return _parsed[key]

    @classmethod
    def _parse(cls, data: bytes) -> "Manifest | None":
        try:
            stored = json.loads(data.decode("utf-8"))
            if stored.get("generator") != GENERATOR or not isinstance(stored.get("id"), str):
                return None
            files = {name: (int(size), int(mtime), int(inode), str(digest))
                     for name, (size, mtime, inode, digest) in stored["files"].items()}
            folders = {str(name): tuple(int(part) for part in stamp) if stamp is not None else None
                       for name, stamp in stored.get("folders", {}).items()}
            return cls(stored["id"], files, folders, stored.get("live") is True)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def write(self, folder: Path) -> None:
        stored = {"generator": GENERATOR, "id": self.id, "files": self.files, "folders": self.folders}
        text = json.dumps({**stored, "live": True} if self.live else stored, separators=(",", ":"), ensure_ascii=False)
        temporary = folder / f".{MANIFEST}.{os.getpid()}.tmp"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, folder / MANIFEST)


def marked(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def made_by_an_earlier_version(folder: Path) -> bool:
    """Whether a folder is a site built before outputs carried the manifest: its `_headers` file
    starts with the line only the generator writes (security.py). Such a folder is replaced as the
    generator's own, so that the first build after an upgrade needs no --force."""
    try:
        with open(folder / "_headers", encoding="utf-8") as file:
            first = file.readline()
    except (OSError, UnicodeDecodeError):
        return False
    # Versions before the manifest named the module generator/security.py (now outputs/security.py).
    return first.startswith("# Security headers for hosts that read a _headers file") \
        and ("made by generator/security.py" in first or "made by generator/outputs/security.py" in first)


def files_in(folder: Path, under: str = "", folders: set[str] | None = None) -> dict[str, os.stat_result]:
    """Every file under a folder (links not followed), by its path inside it, with its stat;
    the manifest itself is not one of them. With `under` ("pagefind/"), only those in that subfolder.
    `folders`, when given, gets every folder found below the one walked (as "a/b", no slash at the end)."""
    found: dict[str, os.stat_result] = {}

    def walk(directory: str, prefix: str) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if folders is not None:
                        folders.add(prefix + entry.name)
                    walk(entry.path, prefix + entry.name + "/")
                elif not (prefix == "" and entry.name == MANIFEST):
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False)
            except OSError:
                continue

    walk(os.path.join(folder, under), under)
    return found


def digest_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _digest(path: Path) -> str:
    try:
        return digest_of(path.read_bytes())
    except OSError:
        return ""


def same_stat(stat: os.stat_result, entry: tuple) -> bool:
    """Whether a file's stat is the one a manifest's entry gives it (size, modification time, inode)."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == entry[:3]


def _same_bytes(folder: Path, name: str, stat: os.stat_result, entry: tuple) -> bool:
    """Whether a file whose stat differs from its entry's still has the bytes the entry's hash says."""
    return stat.st_size == entry[0] and _digest(folder / name) == entry[3]


@dataclass
class Verified:
    """A folder as checked against its manifest."""

    id: str  # the manifest's id; "" without one
    good: set[str]  # the files that are as the manifest says
    intact: bool  # every file as the manifest says, none missing, none added
    present: dict[str, os.stat_result] = field(default_factory=dict)  # every file found in the folder
    listed: frozenset = frozenset()  # every file the manifest lists
    # Folders found that the manifest has no stamp for (made since, by hand or by an earlier build),
    # or every folder of one whose manifest has no stamps: see Staging.prune.
    unstamped: frozenset = frozenset()
    # Folders found with the very stamp the manifest gives them: they hold what they held (Staging.seal).
    settled: frozenset = frozenset()
    # The good files found with the very stat the manifest gives them (not only the same bytes).
    by_stat: frozenset = frozenset()

    def whole(self, inside: str) -> bool:
        """Whether the folder `inside` (a path in the site, ending in /) held exactly the files the
        manifest lists under it, each as the manifest says, and at least one."""
        listed = {name for name in self.listed if name.startswith(inside)}
        present = {name for name in self.present if name.startswith(inside)}
        return bool(listed) and listed == present and listed <= self.good


def verify(folder: Path) -> Verified:
    """Check a folder against its manifest by stat; a file whose stat differs is read and hashed,
    so that a file only touched (same bytes) still counts as right."""
    manifest = Manifest.read(folder)
    if manifest is None:
        return Verified("", set(), False)
    unstamped: set[str] = set()
    settled: set[str] = set()
    present = files_in(folder, folders=unstamped) if not manifest.folders \
        else _present(folder, manifest, unstamped, settled=settled)
    good, by_stat = set(), set()
    for name, entry in manifest.files.items():
        stat = present.get(name)
        if stat is None:
            continue
        if same_stat(stat, entry):
            by_stat.add(name)
        elif not _same_bytes(folder, name, stat, entry):
            continue
        good.add(name)
    return Verified(manifest.id, good, good == present.keys() == manifest.files.keys(), present,
                    frozenset(manifest.files), frozenset(unstamped), frozenset(settled), frozenset(by_stat))


class CheckedAsAsked:
    """A folder checked against its manifest one file at a time, as a build asks, where verify() checks
    them all: the current site, of which a build with the cache links only the outputs it reuses (a
    few after a one-post edit, of 14,000). A file counts under the same rule as in verify(): listed,
    found through real folders the manifest has stamps for (never through a link put in a folder's
    place), and as the manifest says by stat, or by the hash of its bytes when its stat differs.
    Each answer is given once, from the folder as it is when first asked."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest = Manifest.read(folder)  # read now: the build's record names this folder by its id
        self.id = self.manifest.id if self.manifest is not None else ""
        self.listed = frozenset(self.manifest.files) if self.manifest is not None else frozenset()
        self._good: dict[str, bool] = {}
        self._real: dict[str, bool] = {}
        self._all: Verified | None = None

    @property
    def verified(self) -> Verified:
        """Every file checked at once (verify()); also where the manifest has no folder stamps."""
        if self._all is None:
            self._all = verify(self.folder)
        return self._all

    @property
    def intact(self) -> bool:
        return self.verified.intact

    def holds(self, name: str) -> bool:
        """Whether the folder has this file as its manifest says."""
        if self.manifest is None or not self.manifest.folders:
            return name in self.verified.good
        known = self._good.get(name)
        if known is None:
            entry = self.manifest.files.get(name)
            known = False
            if entry is not None and self._is_real(folder_of(name)):
                try:
                    stat = os.lstat(os.path.join(self.folder, name))
                except OSError:
                    stat = None
                known = stat is not None and not S_ISDIR(stat.st_mode) and (
                    same_stat(stat, entry) or _same_bytes(self.folder, name, stat, entry))
            self._good[name] = known
        return known

    def whole(self, inside: str) -> bool:
        """Verified.whole(): the folder `inside` (ending in /) holds exactly the files the manifest lists
        under it, each as the manifest says, and at least one."""
        if self.manifest is None or not self.manifest.folders:
            return self.verified.whole(inside)
        listed = {name for name in self.listed if name.startswith(inside)}
        if not listed or not self._is_real(inside.rstrip("/")):
            return False
        return listed == files_in(self.folder, inside).keys() and all(self.holds(name) for name in listed)

    def _is_real(self, name: str) -> bool:
        """Whether a folder inside the site ("" the top) is a real folder with a stamp in the manifest,
        and so is every folder above it."""
        known = self._real.get(name)
        if known is None:
            known = name in self.manifest.folders and (name == "" or self._is_real(folder_of(name)))
            if known:
                try:
                    known = S_ISDIR(os.lstat(os.path.join(self.folder, name)).st_mode)
                except OSError:
                    known = False
            self._real[name] = known
        return known


# The time in a manifest's entry for a file that was racily clean when recorded (see record()).
RACY_TIME = -1


def folder_stamps(folder: Path, files, clock: int | None,
                  known: dict[str, tuple[int, ...]] | None = None) -> dict[str, tuple[int, ...] | None]:
    """The stamps of the top folder and of every folder holding one of `files`: a file added to or
    removed from a folder changes its modification and change times, so a folder whose stamp is
    unchanged holds the files it held, and the next check need not list it.

    The change time is in the stamp because no tool can set it back: `rsync -a` or `cp -a` into the
    site, or `touch -d`, set a folder's modification time back after adding files to it.

    A folder whose times are not before the file clock's now (`_file_clock`) could still change
    within the same tick of that clock, its times left as they are: it gets no stamp (None), and
    the next check lists it. Git's index treats a file as "racily clean" by the same rule. `clock` is
    that now, read before the folders are looked at (None: none could be read, no stamps). A folder in
    `known` keeps the stamp given there (record()'s `unchanged`)."""
    names = {""} | folders_holding(files)
    stamps: dict[str, tuple[int, ...] | None] = {}
    for name in sorted(names):
        if known and name in known and clock is not None:
            stamps[name] = known[name]
            continue
        try:
            stat = os.lstat(os.path.join(folder, name))
        except OSError:
            continue
        if S_ISDIR(stat.st_mode):
            settled = clock is not None and max(stat.st_mtime_ns, stat.st_ctime_ns) < clock
            stamps[name] = _stamp(stat) if settled else None
    return stamps


def _file_clock(folder: Path) -> int | None:
    """The time the file system gives a file made in `folder` now: its own clock, in its own ticks
    (a few milliseconds on Linux, two seconds on FAT; a network disk's clock may differ from this
    computer's), which a folder's times are then compared with. None when no file can be made there."""
    probe = os.path.join(folder, f".{MANIFEST}.{os.getpid()}.klocka")
    try:
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    try:
        return os.fstat(handle).st_mtime_ns
    finally:
        os.close(handle)
        os.unlink(probe)


def folders_holding(files) -> set[str]:
    """Every folder that holds one of these files (paths inside the site), at any depth, as "a/b"."""
    names: set[str] = set()
    for name in files:
        while "/" in name:
            name = name.rsplit("/", 1)[0]
            if name in names:
                break
            names.add(name)
    return names


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def _present(folder: Path, manifest: Manifest, unstamped: set[str],
             stat_listed: bool = True, settled: set[str] | None = None) -> dict[str, os.stat_result]:
    """What files_in(folder) gives, found by stat from the manifest, as git's untracked cache does:
    the listed files are stat'ed one by one, and a folder is listed only when its stamp changed
    (a file or folder added or removed there, by hand or by a build), or had none. A file is found
    only through real folders, as files_in finds it: never through a link put in a folder's place.
    Without `stat_listed`, only what the listed folders hold: every file the manifest does not list,
    and some it does.

    A folder found that has no stamp is added to `unstamped` (with the folders inside it): a file
    added to it later would change only its own times, which no manifest keeps, so it must not
    be sealed into a manifest as it is (Staging.prune removes it when empty). `settled`, when given,
    gets the folders found with the stamp the manifest gives them."""
    root = os.path.join(folder, "")
    real: set[str] = set()
    changed: list[str] = []
    for name in sorted(manifest.folders):  # a folder after the one above it
        # A folder counts only when the one above it is real too (not a link put in its place).
        if name and folder_of(name) not in real:
            continue
        try:
            stat = os.lstat(root + name)
        except OSError:
            continue
        if S_ISDIR(stat.st_mode):
            real.add(name)
            stamp = manifest.folders[name]
            if stamp is None or _stamp(stat) != stamp:
                changed.append(name)
            elif settled is not None:
                settled.add(name)
    present: dict[str, os.stat_result] = {}
    for name in manifest.files if stat_listed else ():
        if folder_of(name) not in real:
            continue
        try:
            stat = os.lstat(root + name)
        except OSError:
            continue
        if not S_ISDIR(stat.st_mode):
            present[name] = stat
    for name in changed:
        if name not in real:
            continue
        prefix = name + "/" if name else ""
        try:
            with os.scandir(os.path.join(folder, name)) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            inside = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if inside not in real:  # a folder the manifest does not know: all of it
                        unstamped.add(inside)
                        present.update(files_in(folder, inside + "/", unstamped))
                elif inside not in present and not (name == "" and entry.name == MANIFEST):
                    present[inside] = entry.stat(follow_symlinks=False)
            except OSError:
                continue
    return present


def folder_of(name: str) -> str:
    """The folder that holds a file or folder inside the site; "" for the top."""
    return name.rsplit("/", 1)[0] if "/" in name else ""


def record(folder: Path, known: list[Manifest], listed: tuple[set[str], tuple[str, ...]] | None = None,
           written: list[Stamp] = (), unchanged: "Unchanged | None" = None) -> Manifest:
    """A new manifest of everything in a folder, with a new id. A file whose stat is as in one of
    the `known` manifests (a hard link to the current site, a file of the kept folder left as it
    was), or as in a stamp of what was `written` into the folder, keeps that hash; only the
    others are read. Every file is stat'ed here all the same: the manifest says what is on disk
    now, and a file changed since it was written does not match its stamp.

    `listed` (files, subfolders), when the caller knows every file the folder can hold: those
    files are asked for by stat and only the subfolders walked, instead of the whole folder.

    A file whose times are not before the file clock's now (`_file_clock`) could be written again in
    the same tick with its size and time kept: it is read and hashed, and its entry's time is
    RACY_TIME, which no stat matches, so that the next check reads it again (git's index does
    the same with such a file's size).

    `unchanged` (with `listed`): files and folders the caller saw as a manifest says them, and has not
    touched since; they keep that entry and stamp without a stat. An entry or stamp so kept can only be
    older than the disk, never newer: a file or folder changed since by anyone no longer matches it, and
    the next check reads the file or lists the folder, as for any change by hand."""
    clock = _file_clock(folder)
    same_files, same_folders = unchanged if unchanged is not None and listed is not None else ({}, {})
    remembered: dict[tuple, str] = {}
    for manifest in known:
        for entry in manifest.files.values():
            remembered[entry[:3]] = entry[3]
    for stamp in written:
        remembered[stamp[:3]] = stamp[3]
    files = {}
    found = files_in(folder) if listed is None else _stat_listed(folder, *listed, known=same_files)
    for name, stat in sorted(found.items()):
        if stat is None:  # as the caller saw it
            files[name] = same_files[name]
            continue
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if clock is not None and max(stat.st_mtime_ns, stat.st_ctime_ns) < clock:
            files[name] = (*key, remembered.get(key) or _digest(folder / name))
        else:
            files[name] = (stat.st_size, RACY_TIME, stat.st_ino, _digest(folder / name))
    return Manifest(uuid.uuid4().hex, files, folder_stamps(folder, files, clock, same_folders))


# What a caller of record() saw as a manifest says, and has not touched since: files (path -> their
# entry) and folders (path -> their stamp).
Unchanged = tuple[dict[str, Stamp], dict[str, tuple[int, ...]]]


def _stat_listed(folder: Path, names: set[str], subfolders: tuple[str, ...],
                 known: dict[str, Stamp] | None = None) -> dict[str, os.stat_result | None]:
    """The listed files by stat, and every file in the subfolders by a walk; None for a file in `known`."""
    found: dict[str, os.stat_result | None] = {}
    for name in names:
        if known and name in known:
            found[name] = None
            continue
        try:
            stat = os.lstat(os.path.join(folder, name))
        except OSError:
            continue
        if not S_ISDIR(stat.st_mode):
            found[name] = stat
    for under in subfolders:
        found.update(files_in(folder, under))
    return found


def not_listed(folder: Path) -> list[str]:
    """The files in a folder with a manifest that the manifest does not list: the editor's own,
    put there by hand (a report saved into the site) or beside a copied site in a web root
    (`cp -a public/. /var/www/html/`). The build makes none of them, so it replaces no folder that
    holds one: it would delete them (docs/dev/output-safety.md).

    Found as the check by stat finds them: only the folders whose stamp changed are listed. A link
    holds none of the editor's data (replacing the folder removes the link, not what it points
    to), nor do the files a computer's file browser leaves (FILE_BROWSER_LEFTOVERS); the dev
    server's live folder, whose manifest vouches for no file, is all the generator's."""
    manifest = Manifest.read(folder)
    if manifest is None or not (manifest.files or manifest.live):  # an empty manifest of a version before `live`
        return []
    present = files_in(folder) if not manifest.folders else _present(folder, manifest, set(), stat_listed=False)
    return sorted(name for name, stat in present.items()
                  if name not in manifest.files and not S_ISLNK(stat.st_mode) and not _left_by_a_file_browser(name)
                  # the dev server's search index, which it makes beside its pages, and a file it was
                  # writing when it was stopped
                  and not (manifest.live and (name.startswith(SEARCH_FOLDER + "/")
                                              or left_by_a_write(name, manifest.files))))


# What macOS Finder and Windows Explorer write into a folder that is only looked at: no one's data.
FILE_BROWSER_LEFTOVERS = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def _left_by_a_file_browser(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base in FILE_BROWSER_LEFTOVERS or base.startswith("._")  # ._x: macOS's resource forks on other disks


# The temporary file a write renames into place (`.index.html.<process>.tmp`), as a process of the
# generator names it.
_BEING_WRITTEN = re.compile(r"\.(.+)\.[0-9]+\.tmp")


def left_by_a_write(name: str, listed) -> bool:
    """Whether a file is one the generator was writing into a live folder when it was stopped: the
    temporary file of a file `listed` as the server's (listed before it is written), or of the
    folder's manifest. Another file so named is the editor's."""
    folder, _, base = name.rpartition("/")
    found = _BEING_WRITTEN.fullmatch(base)
    if found is None:
        return False
    target = f"{folder}/{found[1]}" if folder else found[1]
    return target in listed or target == MANIFEST


# What a live folder's manifest says of each file the dev server made there: listed as the generator's,
# with no size, time or hash that a file could match, so that no build takes it as it is.
LIVE_ENTRY: Stamp = (-1, RACY_TIME, 0, "")


def mark_live(folder: Path, everything: bool = False) -> set[str]:
    """Mark a folder the dev server writes into as it goes, and return the files in it that are the
    generator's: those its live manifest lists, or a built site's manifest. A folder without a list
    (none, or an empty manifest) is checked before (cli: no file in it a build did not make, or --force)
    and marked when the session starts (DevServer), so all it holds is the generator's; so is all of a
    live folder of a version before its files were listed. With `everything` (`serve --force`: all of
    it may be replaced, the user said) every file in the folder is taken as the generator's."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.read(folder)
    if manifest is not None and (manifest.live or manifest.files) and not everything:
        made = set(manifest.files)  # a file saved into a built site since it was checked is the editor's
        if not manifest.live:
            write_live(folder, made)
        return made
    made = set(files_in(folder)) - {MANIFEST}
    write_live(folder, made)
    return made


def write_live(folder: Path, made: set[str]) -> None:
    """The live folder's manifest, listing the files the dev server made there: written before they
    are, so that a server stopped at any moment leaves none of its files unlisted."""
    Manifest(uuid.uuid4().hex, {name: LIVE_ENTRY for name in sorted(made)}, live=True).write(folder)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def not_swappable(output: Path, problem: OSError | None = None) -> str:
    """Why the new site cannot take the output folder's place: a mount point (told before the build by
    check_places, or found at the swap, EBUSY), or another `problem` at the swap."""
    if problem is None or problem.errno in (errno.EBUSY, errno.EXDEV):
        return (f"utmappen {output} går inte att byta ut mot den nya webbplatsen: den är en monteringspunkt (en "
                "egen disk, eller en mapp som delas in, t.ex. en Docker-volym). Montera mappen ovanför i stället, "
                f"så att utmappen blir en vanlig mapp i den, eller välj en annan utmapp. Inget i {output}/ har ändrats.")
    return (f"utmappen {output} går inte att byta ut mot den nya webbplatsen ({problem.strerror or problem}); "
            f"kontrollera att du får ändra både den och mappen den ligger i. Inget i {output}/ har ändrats.")


# The project's own folders. No output may lie in any of them (a build replaces its whole output
# folder); a cache, which only adds its own files, may not lie where the build reads its input or code.
PROJECT_FOLDERS = ("generator", "templates", "assets", "content", ".git", "tests", "docs", "schemas", "benchmarks")
READ_BY_THE_BUILD = ("generator", "templates", "assets", "content", ".git")


def check_places(output: Path | None, cache: Path | None, sources: dict[str, Path], project: Path,
                 force: bool = False, added: bool = True, swapped: bool = True) -> None:
    """Refuse an output folder or a cache that would overwrite or publish what is not the
    generator's own. `sources` names the folders the build reads (content, templates, assets).

    The output and the cache may lie inside none of the sources nor the project's own folders
    (PROJECT_FOLDERS, READ_BY_THE_BUILD), may not contain any of them (nor the project itself),
    and may not lie inside each other; the
    output must be a folder (or not exist yet), and when it holds files it must carry the
    manifest, unless `force`; with `added`, one with a manifest may hold no file it does not list
    (not_listed: a walk of the changed folders, made once, under the build's lock). With `swapped` (a
    build, which swaps the new site in; not the dev server, which writes into its folder), the output
    may not be a mount point, which cannot be renamed: told now rather than after the whole build."""
    root = project.resolve()
    sources = {f"{name}mappen {path}": path.resolve() for name, path in sources.items()}
    for what, place, folders, example in (("utmappen", output, PROJECT_FOLDERS, "public"),
                                          ("cachen", cache, READ_BY_THE_BUILD, ".cache")):
        if place is None:
            continue
        named = {**sources, **{f"projektets mapp {root / name}": root / name for name in folders}}
        where = place.resolve()
        if where.exists() and not where.is_dir():
            raise UnsafeOutput(f"{what} {place} är en fil, inte en mapp; välj en mapp, t.ex. {example}")
        existing = next(folder for folder in (where, *where.parents) if folder.exists())  # "/" at the latest
        if not existing.is_dir():
            raise UnsafeOutput(f"{what} {place} kan inte skapas: {existing} är en fil, inte en mapp; "
                               f"välj en mapp, t.ex. {example}")
        for label, protected in named.items():
            if _inside(where, protected):
                raise UnsafeOutput(f"{what} {place} ligger i {label}; välj en egen mapp, t.ex. {example}")
            if _inside(protected, where):
                raise UnsafeOutput(f"{what} {place} innehåller {label}; välj en egen mapp, t.ex. {example}")
        if _inside(root, where):
            raise UnsafeOutput(f"{what} {place} innehåller hela projektet; välj en egen mapp, t.ex. {example}")
        if (where / ".git").exists():
            raise UnsafeOutput(f"{what} {place} är ett git-förråd; välj en egen mapp, t.ex. {example}")
    if output is not None and swapped and os.path.ismount(output.resolve()):
        raise UnsafeOutput(not_swappable(output))
    if output is not None and cache is not None:
        out, kept = output.resolve(), cache.resolve()
        if _inside(out, kept) or _inside(kept, out):
            raise UnsafeOutput(f"utmappen {output} och cachen {cache} ligger i varandra; cachen får inte "
                               "publiceras och utmappen inte ligga i cachen (välj t.ex. public och .cache)")
    if output is not None and not force:
        where = output.resolve()
        if where.is_dir() and not marked(where) and any(where.iterdir()) \
                and not made_by_an_earlier_version(where):
            raise UnsafeOutput(f"utmappen {output} innehåller filer som inte kommer från ett bygge; den ersätts "
                               "inte, så att inget går förlorat. Välj en tom eller ny mapp, eller lägg till "
                               "--force om allt i den verkligen får ersättas")
        foreign = not_listed(where) if added and marked(where) else []
        if foreign:
            more = f" och {len(foreign) - 1} till" if len(foreign) > 1 else ""
            raise UnsafeOutput(f"utmappen {output} innehåller filer som inte kommer från ett bygge ({foreign[0]}{more}); "
                               "den ersätts inte, så att inget går förlorat. Flytta filerna därifrån (en fil som "
                               "ska publiceras hör hemma i assets/), välj en tom eller ny mapp, eller lägg till "
                               "--force om allt i den verkligen får ersättas")
