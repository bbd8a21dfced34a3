"""The persistent build cache in .cache/ (or --cache-dir): what a build can reuse from the last one.

It keeps, between builds:
- every content file's parse result (validated model and rendered Markdown),
  keyed by the file's bytes;
- every output's fingerprint (incremental.py) from the last build, so an output
  whose fingerprint is unchanged is not rendered again but hard-linked from the
  current site into the new one.
Output with the cache is byte-identical to output without it (tested). The
cache is only used when it was written by the same generator code and the same
library versions; a cache that cannot be read (corrupt, truncated, from another
version) is thrown away and rebuilt, never used.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

FILE = "build-cache.pickle"
LIBRARIES = ("cmarkgfm", "jinja2", "pyyaml", "pydantic", "babel", "icalendar", "feedgen", "python-slugify")


def code_key() -> str:
    """The generator's own code and its libraries' versions: a cache from any other is not used."""
    digest = hashlib.sha1()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js"):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


_PARTS = ("parsed", "fingerprints", "assets", "staging", "staging_assets")


@dataclass
class BuildCache:
    folder: Path
    key: str
    output: str  # the output folder the fingerprints describe
    parsed: dict = field(default_factory=dict)  # load task -> (hash of the file's bytes, result)
    fingerprints: dict[str, str] = field(default_factory=dict)  # site path -> fingerprint
    assets: dict[str, str] = field(default_factory=dict)  # output name -> hash of the asset's bytes
    staging: dict[str, str] = field(default_factory=dict)  # the same, for the previous site kept in staging
    staging_assets: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # why an existing cache was thrown away

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
            if not all(isinstance(stored.get(name), dict) for name in _PARTS):
                return cls(folder, key, output_name, problem="cachen gick inte att läsa och byggs om")
            if stored["output"] != output_name:
                return cls(folder, key, output_name, stored["parsed"])
            return cls(folder, key, output_name, stored["parsed"], stored["fingerprints"], stored["assets"],
                       stored["staging"], stored["staging_assets"])
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a broken cache is never used
            return cls(folder, key, output_name, problem="cachen gick inte att läsa och byggs om")

    def save(self) -> None:
        """Write the cache whole or not at all (a temporary file renamed over the old one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{FILE}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump({"key": self.key, "output": self.output, "parsed": self.parsed,
                         "fingerprints": self.fingerprints, "assets": self.assets,
                         "staging": self.staging, "staging_assets": self.staging_assets}, file,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / FILE)


# The quick check: a build whose inputs are all unchanged stops before reading any content.

QUICK = "unchanged.json"


def file_digests(folder: Path) -> dict[str, str]:
    """Every file under a folder, by its path inside it (a/b.md), with a hash of its bytes."""
    digests = {}
    root_length = len(os.path.join(str(folder), ""))
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            digests[path[root_length:].replace(os.sep, "/")] = _digest(path)
    return digests


def _digest(path: str) -> str:
    """A hash of a regular file's bytes. A symbolic link or a special file (a pipe) is not read,
    which could leave the folder or block: its target and the target's size and time stand in."""
    if os.path.islink(path) or not os.path.isfile(path):
        try:
            stat = os.stat(path)
            seen = f"{stat.st_mode}:{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            seen = "missing"
        target = os.readlink(path) if os.path.islink(path) else "special"
        return hashlib.sha1(f"{target}\0{seen}".encode()).hexdigest()
    try:
        with open(path, "rb") as file:
            return hashlib.sha1(file.read()).hexdigest()
    except OSError:
        return "unreadable"


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


def read_unchanged(folder: Path, key: str, now) -> dict | None:
    """The summary of the last build, when its inputs were `key` and the clock has not reached
    the next moment at which the output would change (a post's time, an event's end, midnight)."""
    import json
    from datetime import datetime

    try:
        stored = json.loads((folder / QUICK).read_text(encoding="utf-8"))
        if stored["key"] != key or now >= datetime.fromisoformat(stored["valid_until"]):
            return None
        return stored["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_unchanged(folder: Path, key: str, valid_until, summary: dict) -> None:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{QUICK}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps({"key": key, "valid_until": valid_until.isoformat(), "summary": summary},
                                    ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / QUICK)
