"""The persistent build cache in .cache/ (or --cache-dir): what a build can reuse from the last one.

It keeps, between builds:
- every content file's parse result (validated model), keyed by the file's
  bytes, in 16 shard files (parsed-NN.pickle), read only when asked for
  (read_shards) and of which a build rewrites only those that changed; the
  rendered Markdown beside each shard (bodies-NN.pickle), read only when a page
  shows it (texts.StoredBody);
- every output's fingerprint (incremental/) in the output folder and in the
  previous site kept in the staging folder, so that an output still right is not
  rendered again but kept or hard-linked from the current site into the new one;
- every file's hash beside its size, times and inode (FileStats), so that an
  unchanged file is not read again; and the compiled templates (templates/).
Output with the cache is byte-identical to output without it (tested). The
cache is only used when it was written by the same generator code, the same
Python and the same versions of every installed distribution; a cache that
cannot be read (corrupt, truncated, from another version) is thrown away and
rebuilt, never used. A cache that cannot be written (read-only, a full disk,
removed during the build) costs only speed: the build goes on without it and
says so (pipeline.build).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK, S_ISREG

FILE = "build-cache.pickle"


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """The generator's own code, the Python running it and every installed distribution's version:
    a cache from any other is not used."""
    digest = hashlib.sha1()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".css"):  # static/: the overlay, /admin/'s style
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    for name in installed_distributions():
        digest.update(b"\0" + name.encode())
    return digest.hexdigest()


def installed_distributions() -> list[str]:
    """The name and version of every distribution importable here, as the installers record them in
    the names of their metadata folders (nh3-0.2.17.dist-info): listing sys.path's folders is a
    millisecond, where reading every distribution's metadata would be many.

    The project's own folder is left out: Python puts it first on sys.path when build.py runs (as
    '' with `python -m generator` or `-c`), and the metadata the installer leaves there
    (innovationsbloggen.egg-info) is the generator's, whose code code_key hashes itself; counted,
    it made the key differ by how the generator was started, and a cached build then rendered
    everything again. Folders are named by their real path for the same reason."""
    project = os.path.realpath(Path(__file__).resolve().parents[2])
    found = set()
    for entry in sys.path:
        folder = os.path.realpath(entry or ".")
        if folder == project:
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found.update(f"{folder}/{name}" for name in names if name.endswith((".dist-info", ".egg-info")))
    return sorted(found)


SHARDS = 16  # the parse results are kept in this many files, so that one edit rewrites one of them


def shard_of(relative: str) -> int:
    """Which shard file holds the parse result of a content file (its path inside content/): from
    its path, the same in every run."""
    return zlib.crc32(relative.encode()) % SHARDS


# What the main file must hold, and of what type, to be used.
_PARTS = {"fingerprints": dict, "assets": dict, "staging": dict, "staging_assets": dict, "output_id": str,
          "staging_id": str}


@dataclass
class BuildCache:
    folder: Path
    key: str
    output: str  # the output folder the fingerprints describe
    parsed: dict = field(default_factory=dict)  # load task -> (hash of the file's bytes, result), of the shards read
    fingerprints: dict[str, str] = field(default_factory=dict)  # site path -> fingerprint
    assets: dict[str, str] = field(default_factory=dict)  # output name -> hash of the asset's bytes
    staging: dict[str, str] = field(default_factory=dict)  # the same, for the previous site kept in staging
    staging_assets: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # why an existing cache was thrown away
    stored_shards: dict = field(default_factory=dict)  # shard -> {task: hash} as read, to write only changed ones
    shards_read: set = field(default_factory=set)  # the shard numbers read_shards() has read (or tried to)
    output_id: str = ""  # the manifest id (outputdir.py) of the output folder that `fingerprints` describe,
    staging_id: str = ""  # and of the kept folder that `staging` describes

    @classmethod
    def open(cls, folder: Path, output: Path) -> "BuildCache":
        key, output_name = code_key(), str(output.resolve())
        path = folder / FILE
        if not path.exists():
            return cls(folder, key, output_name)
        try:
            with open(path, "rb") as file:
                stored = pickle.load(file)
            if not isinstance(stored, dict) or stored.get("key") != key:
                return cls(folder, key, output_name, problem="cachen kommer från en annan version och byggs om")
            if not all(isinstance(stored.get(name), kind) for name, kind in _PARTS.items()):
                return cls(folder, key, output_name, problem="cachen gick inte att läsa och byggs om")
            if stored["output"] != output_name:
                return cls(folder, key, output_name)
            return cls(folder, key, output_name, {}, stored["fingerprints"], stored["assets"],
                       stored["staging"], stored["staging_assets"], output_id=stored["output_id"],
                       staging_id=stored["staging_id"])
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a broken cache is never used
            return cls(folder, key, output_name, problem="cachen gick inte att läsa och byggs om")

    def forget_folders(self) -> None:
        """Forget what the output and kept folders hold, when a build was stopped between swapping
        them and saving this: every output is then made anew (the parse results stay)."""
        self.fingerprints, self.assets, self.staging, self.staging_assets = {}, {}, {}, {}

    def match_folders(self, output_id: str, staging_id: str) -> None:
        """Keep what this cache says about the output and the kept folder only for the very folders
        it was said of: a folder since built by another build (without the cache, by another
        cache) has another manifest id."""
        if not output_id or output_id != self.output_id:
            self.fingerprints, self.assets = {}, {}
        if not staging_id or staging_id != self.staging_id:
            self.staging, self.staging_assets = {}, {}

    def read_shards(self, relatives=None) -> None:
        """Read into `parsed` the parse results of the shards that hold these content files (paths
        inside content/), or of every shard. A shard that cannot be read only means parsing its
        files again; one written by other code is not used."""
        wanted = set(range(SHARDS)) if relatives is None else {shard_of(r) for r in relatives}
        if self.problem:  # the cache was thrown away: its shards too
            self.shards_read |= wanted
        for number in sorted(wanted - self.shards_read):
            self.shards_read.add(number)
            entries = _read_shard(self.folder, self.key, number)
            if entries is not None:
                self.parsed.update(entries)
                self.stored_shards[number] = {task: entry[0] for task, entry in entries.items()}

    def save(self) -> None:
        """Write the cache: each file whole or not at all, and only the parse shards that changed.

        A parse result is keyed by its file's hash, so a shard from an earlier or a
        later build is still right for every entry in it: a build killed between
        two of these writes leaves a cache that is valid, only less complete.
        """
        shards: dict[int, dict] = {number: {} for number in self.shards_read}
        for task, entry in self.parsed.items():
            shards[shard_of(task[2])][task] = entry  # task[2]: the file's path inside content/
        for number, entries in shards.items():
            hashes = {task: entry[0] for task, entry in entries.items()}
            if self.stored_shards.get(number) != hashes:
                self.parsed.update(self._write_shard(number, entries))
                self.stored_shards[number] = hashes
        state = {"key": self.key, "output": self.output, "fingerprints": self.fingerprints, "assets": self.assets,
                 "staging": self.staging, "staging_assets": self.staging_assets, "output_id": self.output_id,
                 "staging_id": self.staging_id}
        write_whole(self.folder / FILE, lambda file: pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL))

    def _write_shard(self, number: int, entries: dict) -> dict:
        """One shard: the parse results, and beside them (read only when needed) the Markdown bodies.

        Returns the parse results as written, with each body a StoredBody."""
        from generator.content.load import Document
        from generator.content.texts import StoredBody

        bodies_file = str(self.folder / f"bodies-{number:02}.pickle")
        bodies, kept = {}, {}
        for task, (digest, (item, *problems)) in entries.items():  # problems: errors and warnings
            if isinstance(item, Document):
                key = (task[2], digest)
                bodies[key] = item.body_html  # read now, if it is stored, before its file is written anew
                item = dataclasses.replace(item, body=StoredBody(bodies_file, key, task))
            kept[task] = (digest, (item, *problems))
        # A build killed between the two writes leaves the old parse results beside the new
        # bodies: those it names that the new file lacks are rendered again (StoredBody).
        # As UTF-8 bytes, made for the writing and dropped after it: pickling a text keeps its UTF-8 form
        # with it in memory for as long as the text lives, and these live for the whole build.
        write_whole(Path(bodies_file), lambda file: pickle.dump(
            {key: text.encode("utf-8", "surrogatepass") for key, text in bodies.items()}, file,
            protocol=pickle.HIGHEST_PROTOCOL))
        StoredBody.loaded[bodies_file] = bodies
        state = {"key": self.key, "parsed": kept}
        write_whole(self.folder / f"parsed-{number:02}.pickle",
                     lambda file: pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL))
        return kept


def _read_shard(folder: Path, key: str, number: int) -> dict | None:
    """The parse results in one shard, if this code wrote it; None when it cannot be read."""
    try:
        with open(folder / f"parsed-{number:02}.pickle", "rb") as file:
            stored = pickle.load(file)
        if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored["parsed"], dict):
            return stored["parsed"]
    except Exception:  # noqa: BLE001 - a missing or broken shard only means parsing its files again
        pass
    return None


# The quick check: a build whose inputs are all unchanged stops before reading any content.

QUICK = "unchanged.json"


# A file whose size, times and inode are as remembered is not read again, as in git's index. The
# change time (ctime) is in it because no tool can set it back, as `cp -p` or rsync set mtime back.
# A remembered hash is trusted only for a file last changed well before it was hashed: two saves
# within one tick of the file system's clock could otherwise leave the same times and size.
SETTLED = 2_000_000_000  # nanoseconds


class FileStats:
    """Hashes of files with the size and modification time they had, kept in the cache folder."""

    FILE = "file-stats.pickle"

    def __init__(self, folder: Path | None = None):
        self.path = folder / self.FILE if folder else None
        self.known: dict[str, tuple] = {}  # absolute path -> (size, mtime_ns, ctime_ns, inode, hash)
        self.seen: set[str] = set()  # the files asked about: those not asked about are gone
        self.changed = False
        if self.path:
            try:
                with open(self.path, "rb") as file:
                    known = pickle.load(file)
                self.known = known if isinstance(known, dict) else {}
            except Exception:  # noqa: BLE001 - a missing or broken index only means reading every file
                self.known = {}

    def digest(self, path: str, started: int, entry: os.DirEntry | None = None, follow_links: bool = False) -> str:
        """A hash of the file at `path`: of its bytes (remembered by its stat), or for a link (unless
        `follow_links`) of where it leads and the bytes there; for a pipe or the like, _special_digest."""
        try:
            if entry is not None:
                stat = entry.stat(follow_symlinks=follow_links)
            else:
                stat = os.stat(path) if follow_links else os.lstat(path)
        except OSError:
            return "unreadable"
        if not S_ISREG(stat.st_mode):
            if S_ISLNK(stat.st_mode) and _leads_to_a_file(path):  # read through the link, as load reads it:
                # by its bytes, as a file is (its size and time can stay the same across an edit)
                linked = self.digest(path, started, follow_links=True)
                return hashlib.sha1(f"{_link_target(path)}\0{linked}".encode()).hexdigest()
            return _special_digest(path)
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        self.seen.add(path)
        remembered = self.known.get(path)
        if remembered is not None and remembered[:4] == key:
            return remembered[4]
        try:
            with open(path, "rb") as file:
                digest = hashlib.sha1(file.read()).hexdigest()
        except OSError:
            return "unreadable"
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < started - SETTLED:
            self.known[path] = (*key, digest)
            self.changed = True
        elif remembered is not None:
            del self.known[path]
            self.changed = True
        return digest

    def save(self) -> None:
        if self.path and (self.changed or self.known.keys() - self.seen):
            self.known = {path: value for path, value in self.known.items() if path in self.seen}
            write_whole(self.path, lambda file: pickle.dump(self.known, file, protocol=pickle.HIGHEST_PROTOCOL))
            self.changed = False


def file_digests(folder: Path, stats: FileStats | None = None, follow_links: bool = False) -> dict[str, str]:
    """Every file under a folder, by its path inside it (a/b.md), with a hash of its bytes.

    With `stats`, a file unchanged in size and modification time is not read. Folders
    are listed as os.walk lists them (a linked folder is not entered), with os.scandir,
    whose entries give each file's stat without another join of its path.

    With `follow_links` (the templates folder), linked folders are entered and linked
    files hashed by the bytes they lead to: Jinja's FileSystemLoader opens a template
    through any link (a theme's shared partials in templates/delat -> ../tema/delat),
    so what the build records of a template must be what Jinja read. A link to a folder
    the walk is already inside is not entered again: it would never end.
    """
    import time

    stats = stats or FileStats()
    started = time.time_ns()
    digests: dict[str, str] = {}

    def walk(directory: str, prefix: str, inside: frozenset) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                digests[prefix + entry.name] = stats.digest(entry.path, started, entry, follow_links)
            elif not entry.is_symlink() or (follow_links and os.path.realpath(entry.path) not in inside):
                folders.append(entry)
        for entry in folders:
            real = os.path.realpath(entry.path) if follow_links else ""
            walk(entry.path, prefix + entry.name + "/", inside | {real})

    walk(str(folder), "", frozenset({os.path.realpath(folder)}) if follow_links else frozenset())
    return digests


def _link_target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:  # removed or replaced since it was listed: as a file that cannot be read
        return "unreadable"


def _leads_to_a_file(path: str) -> bool:
    try:
        return S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _special_digest(path: str) -> str:
    """What stands in for the bytes of a symbolic link or a special file (a pipe), which are not
    read (that could leave the folder, or block): the link's target, and the type, size and time
    of what it leads to."""
    target = _link_target(path) if os.path.islink(path) else "special"
    try:
        seen = os.stat(path)
        shown = f"{seen.st_mode}:{seen.st_size}:{seen.st_mtime_ns}"
    except OSError:
        shown = "missing"
    return hashlib.sha1(f"{target}\0{shown}".encode()).hexdigest()


def write_whole(path: Path, write) -> None:
    """Write a file whole or not at all: a temporary file, renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
    with open(temporary, "wb") as file:
        write(file)
    os.replace(temporary, path)


def inputs_key(content: dict[str, str], templates: dict[str, str], assets: dict[str, str], output: Path,
               settings: str) -> str:
    """Everything a build reads, except the clock: every file's name and bytes, the code, the settings.

    The arguments are file_digests() of the three folders, which the build then
    uses again, so that no file is read and hashed twice.
    """
    digest = hashlib.sha1()
    digest.update(code_key().encode())
    digest.update(f"{output.resolve()}\0{settings}".encode())
    for files in (content, templates, assets):
        digest.update(b"\1" + repr(sorted(files.items())).encode())
    return digest.hexdigest()


def read_unchanged(folder: Path, key: str, now) -> tuple[dict, str] | None:
    """The summary of the last build and the manifest id of the output it made, when its inputs
    were `key` and the clock is between that build's `now` and the next moment at which the
    output would change (a post's time, an event's end, midnight): a clock set back can make
    another site."""
    import json
    from datetime import datetime

    try:
        stored = json.loads((folder / QUICK).read_text(encoding="utf-8"))
        made_at, valid_until = (datetime.fromisoformat(stored[name]) for name in ("made_at", "valid_until"))
        if stored["key"] != key or not made_at <= now < valid_until:
            return None
        return stored["summary"], str(stored["output_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_unchanged(folder: Path, key: str, made_at, valid_until, summary: dict, output_id: str) -> None:
    import json

    text = json.dumps({"key": key, "made_at": made_at.isoformat(), "valid_until": valid_until.isoformat(),
                       "summary": summary, "output_id": output_id}, ensure_ascii=False)
    write_whole(folder / QUICK, lambda file: file.write(text.encode("utf-8")))


def usable(folder: Path) -> str:
    """Why the cache folder cannot be used (made, written in), or "" when it can."""
    probe = folder / f".probe.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""

