"""The site's icons: /favicon.ico and the web manifest, from the files in assets/icons/.

assets/icons/favicon.svg is the one drawing; scripts/make_icons.py makes the PNGs from it
(favicon-32.png, apple-touch-icon.png, icon-192.png, icon-512.png), which are committed.
Pages link the SVG, the 32 px PNG and the Apple touch icon (templates/base.html). Browsers,
feed readers and crawlers still ask for /favicon.ico at the site's root: the build writes it
here by wrapping favicon-32.png in an ICO container, which since Windows Vista may hold a PNG
as it is (one ICONDIR header, one ICONDIRENTRY, the PNG's bytes). A site without
assets/icons/favicon.svg gets none of this.
"""
from __future__ import annotations

import json
import struct

from generator import urls

SVG = "icons/favicon.svg"
FAVICON_PNG = "icons/favicon-32.png"
APPLE_TOUCH = "icons/apple-touch-icon.png"
MANIFEST_ICONS = {"icons/icon-192.png": "192x192", "icons/icon-512.png": "512x512"}
THEME = "#005a8c"  # the icon's blue, --accent in assets/css/site.css
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def ico(png: bytes) -> bytes:
    """An .ico file holding one PNG image."""
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError(f"assets/{FAVICON_PNG} är ingen PNG-bild")
    width, height = struct.unpack(">II", png[16:24])
    if not (0 < width <= 256 and 0 < height <= 256):
        raise ValueError(f"assets/{FAVICON_PNG} är {width} × {height} px: en favicon får vara högst 256 × 256")
    header = struct.pack("<HHH", 0, 1, 1)  # reserved, type 1 (icon), one image
    # width and height 0 mean 256; no palette; one plane; 32 bits a pixel; its size; where it starts
    entry = struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def manifest(site) -> bytes:
    """The web manifest (W3C Web Application Manifest): the site's name, colours and icons."""
    data = {
        "name": site.config.title,
        "short_name": site.config.title,
        "description": site.config.description or site.config.title,
        "lang": site.config.language,
        "start_url": site.href("/"),
        "scope": site.href("/"),
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [{"src": site.href(urls.asset(name)), "sizes": sizes, "type": "image/png"}
                  for name, sizes in MANIFEST_ICONS.items()]
                 + [{"src": site.href(urls.asset(SVG)), "sizes": "any", "type": "image/svg+xml"}],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
