"""Make the site's icons from assets/icons/favicon.svg, with Chromium: run again after changing it.

    python scripts/make_icons.py [--chromium /usr/bin/chromium]

Writes, beside the SVG: favicon-32.png (the build wraps it as /favicon.ico), apple-touch-icon.png
(180 px, on the icon's own blue with no transparent corners: iOS fills those with black and
rounds the corners itself) and icon-192.png and icon-512.png for the web manifest. No Python
library draws SVG without a C graphics stack, and the PNGs change only when the SVG does, so they
are made here once and committed, not at every build.
"""
from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "assets" / "icons"
BLUE = "005a8cff"
TRANSPARENT = "00000000"
SIZES = {"favicon-32.png": (32, TRANSPARENT), "apple-touch-icon.png": (180, BLUE),
         "icon-192.png": (192, TRANSPARENT), "icon-512.png": (512, TRANSPARENT)}


def render(chromium: str, svg: Path, size: int, background: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder, "icon.html")
        colour = "transparent" if background == TRANSPARENT else "#" + background[:6]
        page.write_text(f"<!DOCTYPE html><html><head><style>html,body{{margin:0;background:{colour}}}"
                        f"img{{display:block;width:{size}px;height:{size}px}}</style></head>"
                        f'<body><img src="{svg.as_uri()}"></body></html>')
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--default-background-color={background}", f"--window-size={size},{size}",
                        f"--screenshot={target}", page.as_uri()], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    for name, (size, background) in SIZES.items():
        render(args.chromium, ICONS / "favicon.svg", size, background, ICONS / name)
        print(f"assets/icons/{name}: {size} × {size} px")


if __name__ == "__main__":
    main()
