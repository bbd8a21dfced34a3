"""Images in pages: loaded only when the reader scrolls to them, with their space kept from the start.

Every `<img>` that Markdown makes gets `loading="lazy"`, and, when it shows a
file under assets/, its `width` and `height` read from the file's header (the
`imagesize` package reads PNG, JPEG, GIF, WebP, SVG … without decoding the
image), so the page does not jump while images arrive. CSS keeps them within
the column (`max-width: 100%; height: auto`). Images from other sites keep
only `loading="lazy"`: their size is not known at build time.
"""
from __future__ import annotations

import re

from generator import urls

_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".tif", ".tiff", ".bmp")


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


def complete(body_html: str, size_of: dict[str, tuple[int, int]]) -> str:
    """Add loading="lazy", and width and height where the image is known, to every <img> without them.

    `size_of` maps an image's src, as written in the page, to its size."""

    def add(match: re.Match) -> str:
        tag = match.group(0)
        extra = ""
        if " loading=" not in tag:
            extra += ' loading="lazy"'
        src = _SRC.search(tag)
        if src and " width=" not in tag and " height=" not in tag and src.group(1) in size_of:
            width, height = size_of[src.group(1)]
            extra += f' width="{width}" height="{height}"'
        return tag[:-1] + extra + ">" if extra else tag

    return _IMG.sub(add, body_html)
