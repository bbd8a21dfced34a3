"""Full-text search: Pagefind's index of the built site, in bundles, made as the last step of a build.

Pagefind (`pagefind[bin]` from PyPI ships its binary) reads finished HTML and
writes a static index: a small JavaScript API, a WebAssembly search engine and
the index in chunks, so that a reader's browser fetches only what a query needs.
Nothing runs on a server.

What is indexed is decided in the templates: posts, events, focus areas and
pages mark their article with `data-pagefind-body` (lists, tags and the home
page are not indexed; they only repeat what the articles say), carry the
filters `typ`, `fokusområde` and `kommun` and the metadata `datum` (see the
macro `search_data` in templates/_macros.html). The language comes from the
site's `language` (`sv`), so Pagefind stems Swedish words: a search for
"idéverkstad" also finds "idéverkstäder".

**Bundles.** Pagefind has no incremental mode, so the index is made in parts:
the indexed pages are split into a number of bundles by a hash of each page's
path, and each part is a Pagefind bundle of its own in
`pagefind/<part>-<hash>/`, where the hash is of the bundle's input: the paths of
its pages and the hashes of their HTML. `pagefind/bundles.json` lists the
bundles; the search page (assets/js/search.js) opens the first and merges the
others into it with Pagefind's `mergeIndex`, so one search, its filters and its
result list span all of them. A build makes again only the bundles whose input
changed (a page added, removed or changed): a bundle whose folder, by its name,
already holds that input is kept from the kept previous site or linked from the
current one, where the folder's manifest vouches for every file of it
(write.Staging). Without the cache every bundle is made anew, which gives the
same bytes. Pagefind runs once per bundle made, over a folder of hard links to
just that bundle's pages, as many runs at once as there are cores.

The number of bundles is the smallest power of two that keeps them at
PAGES_PER_BUNDLE pages or fewer: one for a site the size of the real one, eight
at 10,000 posts. A page stays in its bundle as pages come and go, until the
number doubles (or halves), once, when the site grows past a multiple of
PAGES_PER_BUNDLE: then every bundle is made anew. Pages are spread by a hash, not
by year or kind, so that each bundle is a fair sample of the site: Pagefind ranks
a page by how rare the query's words are in its own bundle and by the bundle's
average page length (BM25), and in a fair sample those are close to the whole
site's (docs/dev/search.md has the comparison with a single index).

The index is made over the staging folder after every page is written and
before the atomic swap (pipeline.build), so `public/` always has the index of
the pages it holds. A build that writes nothing leaves `public/` and its index
alone. The index is turned off by `search: false` in site.yaml (no search page
either) or by `--no-search` for one build. The dev server (serve.py) re-makes the
bundle of a changed page in the background after each save.

Pagefind writes its filter indexes in the order of a Rust hash map, which
changes from run to run (upstream issue #638: since 1.3 the fragments and word
index are stable, the filter and metadata indexes are not). The build's output
must be byte-identical for the same input, so `_settle` rewrites those few
files with the filter values sorted, and names them by their content as
Pagefind does. Pagefind is pinned in uv.lock; its file format is checked as it is
read (a Pagefind that writes another format stops the build with a message
instead of publishing a broken index), tests/test_search.py pins the layout, and
the browser tests search with filters through the rewritten files.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import urls

# subprocess and cbor2 are imported where an index is made: a build without one skips them.

FOLDER = urls.SEARCH_FOLDER  # inside the site: urls.search_index() is the list of bundles in it
BUNDLES = "bundles.json"  # in FOLDER: the bundles the search page merges, the first one opened first
MARK = b"data-pagefind-body"  # a page that asks to be indexed (templates/_macros.html)
_WORK = ".sidor"  # in FOLDER while a bundle is made: hard links to its pages, Pagefind's --site
PAGES_PER_BUNDLE = 2000  # at most, in each bundle (see above)


class SearchIndexFailed(Exception):
    """Pagefind could not index the site: a problem of the installation, not of the content."""


def wanted(site, options) -> bool:
    """Whether this build makes a search index: the site has search and the build did not opt out."""
    return bool(site.config.search and options.search)


def executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexFailed("pagefind är inte installerat (pip install 'pagefind[bin]'); "
                                "bygg med --no-search för att hoppa över sökindexet") from None
    return get_executable()


def bundle_count(pages: int) -> int:
    """How many bundles an index of this many pages is made in: a power of two (see above)."""
    count = 1
    while pages > count * PAGES_PER_BUNDLE:
        count *= 2
    return count


def bundle_of(relative: str, count: int) -> int:
    """The bundle a page belongs to, from its file's path in the site."""
    return int.from_bytes(hashlib.sha256(relative.encode("utf-8")).digest()[:8], "big") % count


class PageHashes:
    """What indexed_pages found in each page (the hash of its bytes, whether it asks to be indexed),
    remembered by the file's inode, size, modification and change times, as git's index remembers
    files: a page whose stat is as remembered is not read again. By inode, not by path: the build's
    staging folder and output folder change places at every build, and their files with them.

    Only a file last changed well before it was read is remembered (cache.SETTLED): two writes
    within one tick of the file system's clock could leave the same stat. A file that is a link
    is always read. The dev server keeps one in memory; the build keeps one in its cache folder
    (PageHashes.read, save), where a file that cannot be read only means reading every page."""

    FILE = "page-hashes.pickle"

    def __init__(self, known: dict | None = None):
        self.known: dict[tuple, tuple[str, bool]] = known or {}
        self.used: dict[tuple, tuple[str, bool]] = {}  # what this walk found: all that is kept next time

    def of(self, path: str, stat: os.stat_result, started: int) -> tuple[str, bool]:
        from generator.incremental.cache import SETTLED

        key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        found = self.known.get(key)
        if found is None:
            with open(path, "rb") as file:
                data = file.read()
            found = (hashlib.sha1(data).hexdigest(), MARK in data)
            if max(stat.st_mtime_ns, stat.st_ctime_ns) >= started - SETTLED:
                return found
        self.used[key] = found
        return found

    def walked(self) -> None:
        """Forget the files not met in the last walk (deleted, or changed since)."""
        self.known, self.used = self.used, {}

    @classmethod
    def read(cls, folder: Path, key: str) -> "PageHashes":
        """What the last build kept, when this code (`key`: cache.code_key()) kept it."""
        import pickle

        try:
            with open(folder / cls.FILE, "rb") as file:
                stored = pickle.load(file)
        except Exception:  # noqa: BLE001 - a missing or broken file only means reading every page
            return cls()
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key and isinstance(stored[1], dict)):
            return cls()  # another version's, or damaged
        return cls(stored[1])

    def save(self, folder: Path, key: str) -> None:
        import pickle

        from generator.incremental.cache import write_whole

        write_whole(folder / self.FILE,
                    lambda file: pickle.dump((key, self.known), file, protocol=pickle.HIGHEST_PROTOCOL))


def indexed_pages(site_folder: Path, hashes: PageHashes | None = None) -> dict[str, str]:
    """Every HTML page under `site_folder` that asks to be indexed, by its path inside the folder,
    with the hash of its bytes (outside FOLDER). Folders that are links are not entered; a file that
    is a link is read where it leads. With `hashes`, a page already read is known by its stat."""
    hashes = hashes or PageHashes()
    started = time.time_ns()
    found: dict[str, str] = {}
    pending = [("", str(site_folder))]
    while pending:
        prefix, folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # a folder that went or cannot be read holds no page to index, as os.walk has it
            continue
        for entry in entries:
            inside = prefix + entry.name
            if entry.is_dir():  # through a link, as a folder holding pages: such a folder is not entered
                if not entry.is_symlink() and inside != FOLDER:
                    pending.append((inside + "/", entry.path))
            elif entry.name.endswith(".html"):
                stat = entry.stat()
                digest, marked = hashes.of(entry.path, stat, 0 if entry.is_symlink() else started)
                if marked:
                    found[inside] = digest
    hashes.walked()
    return found


def bundles_of(pages: dict[str, str]) -> dict[str, list[str]]:
    """The bundles' folder names, each with its pages: `<part>-<hash of its pages and their bytes>`."""
    count = bundle_count(len(pages))
    groups: dict[int, list[tuple[str, str]]] = {}
    for relative, digest in sorted(pages.items()):
        groups.setdefault(bundle_of(relative, count), []).append((relative, digest))
    named = {}
    for part, members in sorted(groups.items()):
        digest = hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).hexdigest()[:12]
        named[f"{part + 1}av{count}-{digest}"] = [relative for relative, _ in members]
    return named


@dataclass
class Reuse:
    """Where a bundle already made may come from instead of Pagefind (names are folder names in FOLDER).

    `keep(name)`: the folder in the site folder itself may stay (a kept previous site's, vouched
    for by its manifest; or the dev server's own live folder). `link(name)`: the current site has
    it, whole, and links it into the site folder. Nothing reused by default: every bundle is made."""

    keep: Callable[[str], bool] = lambda name: False
    link: Callable[[str], bool] = lambda name: False


@dataclass
class Made:
    seconds: float = 0.0
    made: list[str] = field(default_factory=list)  # the bundles Pagefind made
    kept: list[str] = field(default_factory=list)  # the bundles kept or linked


def index(site_folder: Path, language: str, reuse: Reuse | None = None, live: bool = False,
          runs: Runs | None = None, hashes: PageHashes | None = None) -> Made:
    """Make site_folder/pagefind/ hold the bundles of the pages in the folder: each one kept or
    linked when `reuse` allows, else made by Pagefind; and nothing else. With `live` (the dev
    server's folder) the bundles of the list before stay too, until the next time: a search page
    opened just before still finds the bundles its list named. `runs` lets another thread stop
    the Pagefind runs (the dev server, which makes the index in the background, when it stops)."""
    started = time.perf_counter()
    reuse = reuse or Reuse()
    folder = site_folder / FOLDER
    bundles = bundles_of(indexed_pages(site_folder, hashes))
    folder.mkdir(exist_ok=True)
    before = _listed(folder) if live else []
    result = Made()
    for name in bundles:
        if (folder / name).is_dir() and reuse.keep(name):
            result.kept.append(name)
            continue
        _remove(folder / name)
        if reuse.link(name):
            result.kept.append(name)
            continue
        result.made.append(name)
    _make_all(site_folder, [(folder / name, bundles[name]) for name in result.made], language, runs)
    listing = json.dumps({"bundles": list(bundles)}, separators=(",", ":")).encode()
    temporary = folder / f".{BUNDLES}.{os.getpid()}.tmp"
    temporary.write_bytes(listing)
    os.replace(temporary, folder / BUNDLES)
    # Only now, so that a search page open in the dev server's preview finds what its list names:
    for entry in list(folder.iterdir()):  # an earlier layout, a bundle no longer wanted, leftovers
        if entry.name != BUNDLES and entry.name not in before and (
                entry.name not in bundles or not entry.is_dir() or entry.is_symlink()):
            _remove(entry)
    result.seconds = time.perf_counter() - started
    return result


def _listed(folder: Path) -> list[str]:
    """The bundles a folder's list names; none when it has no list that can be read."""
    try:
        names = json.loads((folder / BUNDLES).read_text(encoding="utf-8"))["bundles"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [name for name in names if isinstance(name, str) and "/" not in name and not name.startswith(".")]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _make_all(site_folder: Path, bundles: list[tuple[Path, list[str]]], language: str,
              runs: Runs | None = None) -> None:
    """Make these bundles, as many at once as there are cores.

    Pagefind spends much of a run on one core (reading the pages, writing the index), so two
    runs side by side finish sooner than one after the other; each is its own process of about
    100 MB at 10,000 posts. When the build stops (an error in one run, Ctrl+C, SIGTERM), the
    runs still going are killed and none is started."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from generator.build.parallel import workers

    if not bundles:
        return
    # This call's own runs: a failed one stops them, and only them (the dev server's handle goes on
    # to its next index); a stop of the caller's `runs` stops them too.
    runs = Runs(within=runs)
    # Run in the pool even one at a time: this thread then only waits, and a stop that comes
    # here (Ctrl+C, SIGTERM) always reaches the runs through runs.stop().
    with ThreadPoolExecutor(min(workers(), len(bundles))) as pool:
        futures = []
        try:
            futures += [pool.submit(_make, site_folder, bundle, pages, language, runs) for bundle, pages in bundles]
            for future in as_completed(futures):  # a failed run is seen at once, not in its turn
                future.result()
        except BaseException:
            runs.stop()
            for future in futures:
                future.cancel()
            raise


class Runs:
    """The Pagefind processes running, so that a stopped build (or dev server) can end them; once
    stopped, no run starts. A Runs made `within` another is stopped with it, and can be stopped
    on its own (one index whose run failed) while the other goes on. With `niceness`, the runs
    get less of the processor than the rest of the machine (the dev server's index in the
    background, which must not slow a rebuild after a save): they are started through `nice`, so
    that every thread of Pagefind has it."""

    def __init__(self, niceness: int = 0, within: "Runs | None" = None):
        import threading

        self.within = within
        # One lock for a Runs and those within it: a run starts, or is refused, wholly before or
        # after a stop of any of them.
        self.lock = within.lock if within else threading.Lock()
        self.running: set = set()  # the processes started through this Runs or one within it
        self.stopped = False
        self.niceness = within.niceness if within else niceness

    def _chain(self) -> list["Runs"]:
        chain, runs = [], self
        while runs is not None:
            chain.append(runs)
            runs = runs.within
        return chain

    def run(self, command: list[str]) -> tuple[int, str]:
        """Run a command to its end: its exit status and what it wrote."""
        import subprocess

        nice = shutil.which("nice") if self.niceness else None
        if nice:
            command = [nice, "-n", str(self.niceness), *command]
        # Where the system has it (util-linux, Linux), the kernel kills the run when the thread that
        # started it ends: a build or a dev server killed outright (SIGKILL, the OOM killer) leaves no
        # Pagefind writing on into its folder while the next build removes that folder.
        setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
        if setpriv:
            command = [setpriv, "--pdeathsig", "KILL", "--", *command]
        chain = self._chain()
        with self.lock:
            if any(runs.stopped for runs in chain):
                raise SearchIndexFailed("sökindexet avbröts")
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for runs in chain:
                runs.running.add(process)
        try:
            output, _ = process.communicate()
        finally:
            with self.lock:
                for runs in chain:
                    runs.running.discard(process)
        return process.returncode, output

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for process in self.running:
                process.kill()


def _make(site_folder: Path, bundle: Path, pages: list[str], language: str, runs: Runs) -> None:
    """Run Pagefind over just these pages (hard links to them in a work folder), into `bundle`."""
    work = site_folder / FOLDER / f"{_WORK}-{os.getpid()}-{bundle.name}"
    _remove(work)
    try:
        for relative in pages:
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_folder / relative, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(site_folder / relative, target)
        command = [str(executable()), "--site", str(work), "--output-path", str(bundle),
                   "--force-language", language, "--silent"]
        status, output = runs.run(command)
        if status != 0:
            _remove(bundle)
            raise SearchIndexFailed(f"pagefind kunde inte bygga sökindexet: {output.strip()}")
        _settle(bundle)
    finally:
        _remove(work)


_SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexFailed(f"okänt format i {path.name} från pagefind; bygg med --no-search")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write(folder: Path, prefix: str, value, suffix: str, digits: int) -> str:
    """Write a Pagefind file named by its content, as Pagefind names them; returns its hash name."""
    import cbor2

    data = gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(data)
    return name


def _settle(bundle: Path) -> None:
    """Make Pagefind's filter and metadata indexes the same bytes for the same pages (see above)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, about in entry["languages"].items():
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(meta_path)
        # [version, pages, word index chunks, filters [[name, file]], sorts, metadata keys]
        if not (isinstance(meta, list) and len(meta) == 6 and all(len(f) == 2 for f in meta[3])):
            raise SearchIndexFailed("okänt format i pagefinds metadata; bygg med --no-search")
        filters = []
        for name, file_hash in meta[3]:
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(old)
            old.unlink()
            filters.append([name, _write(bundle / "filter", language, [filter_name, sorted(values)], ".pf_filter", 7)])
        meta[3] = sorted(filters)
        meta[5] = sorted(meta[5])
        meta_path.unlink()
        about["hash"] = _write(bundle, f"pagefind.{language}", meta, ".pf_meta", 10).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def remove(site_folder: Path) -> None:
    """Remove the index, e.g. from a kept staging folder, or from a site built without search."""
    shutil.rmtree(site_folder / FOLDER, ignore_errors=True)


def present(site_folder: Path) -> bool:
    return (site_folder / FOLDER / BUNDLES).is_file()


def step(site_folder: Path, site, options, reuse: Reuse | None = None, hashes: PageHashes | None = None) -> Made:
    """The build's search step over a complete site folder: index it, or make sure it has no stale index."""
    if wanted(site, options):
        return index(site_folder, site.config.language, reuse, hashes=hashes)
    remove(site_folder)
    return Made()


def current(site_folder: Path, site, options) -> bool:
    """Whether a site folder's index matches what this build wants (there exactly when search is on),
    so that a build with unchanged pages may leave the folder alone."""
    return present(site_folder) == wanted(site, options)
