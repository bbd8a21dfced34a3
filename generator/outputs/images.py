"""Images in pages: loaded only when the reader scrolls to them, with their space kept from the start.

A photo under assets/ (PNG, JPEG, WebP; imaging.py) is shown as a `<picture>` of
its responsive variants: AVIF and WebP sources and a srcset in its own format,
with `sizes`, `width` and `height`, made by the `picture` macro of _macros.html,
lazily loaded but for the first image of a text without a lead image. Other
images under assets/ (GIF, SVG …) get `loading="lazy"` and their `width` and
`height` read from the file's header (the `imagesize` package reads them without
decoding the image), so the page does not jump while images arrive. CSS keeps
them within the column (`max-width: 100%; height: auto`). Images from other
sites keep only `loading="lazy"`: their size is not known at build time.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from typing import Callable

from generator import urls
from generator.outputs import imaging
from generator.errors import ContentError

_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')
_TITLE = re.compile(r'\stitle="([^"]*)"')
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".tif", ".tiff", ".bmp")


@dataclass
class Images:
    """The site's images, for one build: what pages show of each, and what makes its variants."""

    table: dict = field(default_factory=dict)  # site path -> imaging.Picture, or (width, height)
    jobs: list = field(default_factory=list)  # imaging.Job of each processed image
    errors: list = field(default_factory=list)  # ContentErrors: files that are no image the site can show

    def files(self) -> set[str]:
        """Every variant's path in the output folder (assets/bilder/karta.480.1a2b3c4d5e.webp)."""
        return {"assets/" + f[0] for job in self.jobs for f in job.files}


def find(assets: list, digests: dict[str, str] | None = None) -> Images:
    """Every image asset: photos described with their variants (imaging.describe), the rest sized.

    `digests` (cache.file_digests of assets/) spares hashing a regular file again; its hash is
    the same sha1 of the bytes as the one made here, so the names are those of a build without it."""
    found = Images()
    for asset in assets:
        if imaging.is_processed(asset.name):
            digest = (digests or {}).get(asset.name)
            if digest is None or asset.source.is_symlink():
                try:
                    digest = hashlib.sha1(asset.source.read_bytes()).hexdigest()
                except OSError as exc:
                    found.errors.append(ContentError(f"assets/{asset.name}", 1, "", f"filen går inte att läsa "
                                                     f"({exc.strerror or exc})"))
                    continue
            try:
                picture, job = imaging.describe(asset.name, asset.source, digest, urls.asset)
            except imaging.ImageProblem as exc:
                found.errors.append(ContentError(f"assets/{asset.name}", 1, "", str(exc)))
                continue
            found.table[urls.asset(asset.output_name)] = picture
            found.jobs.append(job)
    found.table.update(sizes([a for a in assets if not imaging.is_processed(a.name)]))
    return found


def undecodable(jobs: list, cache_folder=None) -> list[ContentError]:
    """The images that cannot be decoded (truncated, damaged) among those not in the cache.

    A build decodes its images beside the rendering and reports these after it; a build that
    stops before rendering (other errors) asks here, so that one run still names every problem."""
    found = []
    for job in jobs:
        if cache_folder is not None and imaging.cache_file(cache_folder, job.key).exists():
            continue
        try:
            imaging.decoded(job.source).close()
        except imaging.ImageProblem as exc:
            found.append(ContentError(job.shown, 1, "", str(exc)))
    return found


def sizes(assets: list) -> dict[str, tuple[int, int]]:
    """Site path of each image asset (/assets/bilder/karta.png) -> (width, height), where the header tells."""
    found = {}
    for asset in assets:
        if asset.name.lower().endswith(IMAGE_SUFFIXES):
            import imagesize  # here, not at the top: it brings urllib and http, which a site without images need not load

            width, height = imagesize.get(asset.source)
            if width > 0 and height > 0:
                found[urls.asset(asset.output_name)] = (int(width), int(height))
    return found


def size(known) -> tuple[int, int] | None:
    """An image's (width, height) from its entry in the table (a Picture or a size), or None."""
    if isinstance(known, imaging.Picture):
        return known.width, known.height
    return known


def complete(body_html: str, size_of, picture: Callable | None = None, eager_first: bool = False) -> str:
    """Show each processed image as a <picture> (made by `picture(image, alt, title, lazy)`), and add
    loading="lazy", and width and height where the image is known, to every other <img> without them.

    `size_of` maps an image's src, as written in the page, to its imaging.Picture or its size. With
    `eager_first`, the text's first image is not lazy: it is likely in view as the page opens."""
    first = [eager_first]

    def add(match: re.Match) -> str:
        lazy = not first[0]
        first[0] = False
        tag = match.group(0)
        src = _SRC.search(tag)
        known = size_of.get(html.unescape(src.group(1))) if src else None  # the table's keys are not HTML
        if picture is not None and isinstance(known, imaging.Picture) and " srcset=" not in tag:
            alt, title = _ALT.search(tag), _TITLE.search(tag)
            return str(picture(known, html.unescape(alt.group(1)) if alt else "",
                               html.unescape(title.group(1)) if title else "", lazy))
        extra = ""
        if " loading=" not in tag and lazy:
            extra += ' loading="lazy"'
        if src and " width=" not in tag and " height=" not in tag and known:
            width, height = size(known)
            extra += f' width="{width}" height="{height}"'
        return tag[:-1] + extra + ">" if extra else tag

    return _IMG.sub(add, body_html)
