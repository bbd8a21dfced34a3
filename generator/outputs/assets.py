"""The site's assets: CSS and JavaScript get a content hash in their name, the rest keep theirs.

A hashed name (`css/site.1a2b3c4d5e.css`) can be cached by browsers for ever and
changes whenever the file does. Images and downloads keep their names, because
editors link to them from content.
"""
from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from generator import urls

HASHED = (".css", ".js")


@dataclass(frozen=True)
class Asset:
    source: Path
    name: str  # path under assets/ as written in templates and content, e.g. css/site.css
    output_name: str  # path under assets/ in the built site


def find_assets(folder: Path) -> list[Asset]:
    return assets_and_problems(folder)[0]


def assets_and_problems(folder: Path) -> tuple[list[Asset], list[tuple[str, str]]]:
    """Every asset, and (path under assets/, Swedish message) for each file that cannot be one: a
    link that leads nowhere, or something that is not a regular file (a pipe would block the
    build). A link to a file elsewhere is an asset: the web team may share files between sites."""
    found, problems = [], []
    if not folder.is_dir():
        return found, problems
    named: set[str] = set()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file_name in sorted(files):
            if file_name.startswith("."):
                continue
            path = Path(root, file_name)
            name = urls.same_name(path.relative_to(folder).as_posix())  # as linked, and as written in the site
            problem = _not_an_asset(path) or (_SAME_NAME.format(name.rsplit("/", 1)[-1]) if name in named else "")
            named.add(name)
            if problem:
                problems.append((name, problem))
            else:
                found.append(Asset(path, name, _hashed_name(path, name)))
    return found, problems


# Linux keeps a Mac's Älv.png (å as a and a ring, NFD) beside a typed one (NFC); the site has one name for both.
_SAME_NAME = ("en annan fil heter också {}, med å, ä eller ö skrivna på ett annat sätt (som en Mac gör); "
              "webbplatsen kan bara ha en av dem: ta bort eller byt namn på den ena")


def _not_an_asset(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "filen är en symbolisk länk som inte leder till någon fil; ta bort den"
    if not path.is_file():
        return "det här är ingen vanlig fil; här hör bara bilder, stilmallar, skript och filer att ladda ner hemma"
    return ""


def _hashed_name(path: Path, name: str) -> str:
    if not name.endswith(HASHED):
        return name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}"


def site_paths(assets: list[Asset]) -> dict[str, str]:
    """Name as written (css/site.css) -> site path of the built file (/assets/css/site.<hash>.css)."""
    return {a.name: urls.asset(a.output_name) for a in assets}


def nearest(written: str, names) -> str | None:
    """The asset an editor most likely meant by a name that is none (a path under assets/): the same
    name in other capitals (`Program.PDF`), with `assets/` or `../` written into it, or the only
    asset with that file name in another folder. None when there is no such one."""
    tail = written.rsplit("assets/", 1)[-1]
    lower = tail.lower()
    same = [tail] if tail in names else sorted(name for name in names if name.lower() == lower)
    if not same:
        file_name = posixpath.basename(lower)
        same = [name for name in names if posixpath.basename(name).lower() == file_name]
        if len(same) != 1:
            return None
    return same[0] if same[0] != written else None
