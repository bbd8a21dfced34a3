"""Full-text search: Pagefind's index of the built site, made as the last step of a build.

Pagefind (`pagefind[bin]` from PyPI ships its binary) reads the finished HTML
and writes a static index into `pagefind/` inside the site: a small JavaScript
API, a WebAssembly search engine and the index in chunks, so that a reader's
browser fetches only what a query needs. Nothing runs on a server.

What is indexed is decided in the templates: posts, events, focus areas and
pages mark their article with `data-pagefind-body` (lists, tags and the home
page are not indexed; they only repeat what the articles say), carry the
filters `typ`, `fokusområde` and `kommun` and the metadata `datum` (see the
macro `search_data` in templates/_macros.html). The language comes from the
site's `language` (`sv`), so Pagefind stems Swedish words: a search for
"idéverkstad" also finds "idéverkstäder".

The index is made over the staging folder after every page is written and
before the atomic swap (pipeline.build), so `public/` always has the index of
the pages it holds. A build that writes nothing leaves `public/` and its index
alone. The index is turned off by `search: false` in site.yaml (no search page
either) or by `--no-search` for one build (benchmarks compare with generators
that make no index).

Pagefind writes its filter indexes in the order of a Rust hash map, which
changes from run to run (upstream issue #638: since 1.3 the fragments and word
index are stable, the filter and metadata indexes are not). The build's output
must be byte-identical for the same input, so `_settle` rewrites those few
files with the filter values sorted, and names them by their content as
Pagefind does. Its file format is checked as it is read; a Pagefind that writes
another format stops the build with a message instead of publishing a broken
index, and the browser tests search with filters through the rewritten files.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import time
from pathlib import Path

from generator import urls

# subprocess and cbor2 are imported where an index is made: a build without one skips them.

FOLDER = urls.SEARCH_FOLDER  # inside the site: urls.search_index() is the script in it


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


def index(site_folder: Path, language: str) -> float:
    """Index every HTML page under `site_folder` into site_folder/pagefind/, anew; returns the seconds it took."""
    import subprocess

    started = time.perf_counter()
    remove(site_folder)
    command = [str(executable()), "--site", str(site_folder), "--output-subdir", FOLDER,
               "--force-language", language, "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SearchIndexFailed(f"pagefind kunde inte bygga sökindexet: {(done.stderr or done.stdout).strip()}")
    _settle(site_folder / FOLDER)
    return time.perf_counter() - started


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
    return (site_folder / FOLDER / "pagefind-entry.json").is_file()


def step(site_folder: Path, site, options) -> float:
    """The build's search step over a complete site folder: index it, or make sure it has no stale index."""
    if wanted(site, options):
        return index(site_folder, site.config.language)
    remove(site_folder)
    return 0.0


def current(site_folder: Path, site, options) -> bool:
    """Whether a site folder's index matches what this build wants (there exactly when search is on),
    so that a build with unchanged pages may leave the folder alone."""
    return present(site_folder) == wanted(site, options)
