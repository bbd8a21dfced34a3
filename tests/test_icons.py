"""The site's icons: /favicon.ico wrapped from the committed PNG, the web manifest, the links in every
page, the logo slot in site.yaml; a site without assets/icons/ gets none of them."""
from __future__ import annotations

import json
import shutil
import struct

import pytest

from conftest import ROOT, write
from generator.outputs import icons

ICONS = ROOT / "assets" / "icons"


def assets_folder(tmp_path, with_icons: bool = True):
    """The project's assets (the CSS and scripts every page needs), with or without icons/."""
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets", assets)
    if not with_icons:
        shutil.rmtree(assets / "icons")
    return assets


def test_the_ico_holds_the_32_pixel_png_as_it_is():
    png = (ICONS / "favicon-32.png").read_bytes()
    ico = icons.ico(png)
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    width, height, colours, _, planes, bits, size, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert (reserved, kind, count) == (0, 1, 1)
    assert (width, height, colours, planes, bits, size, offset) == (32, 32, 0, 1, 32, len(png), 22)
    assert ico[22:] == png


def test_what_is_not_a_small_png_is_refused():
    with pytest.raises(ValueError, match="ingen PNG-bild"):
        icons.ico(b"GIF89a")
    too_big = icons.PNG_SIGNATURE + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 512, 512)
    with pytest.raises(ValueError, match="högst 256 × 256"):
        icons.ico(too_big)


def test_the_committed_icons_are_made_from_the_svg_at_their_sizes():
    for name, size in {"favicon-32.png": 32, "apple-touch-icon.png": 180, "icon-192.png": 192,
                       "icon-512.png": 512}.items():
        data = (ICONS / name).read_bytes()
        assert data.startswith(icons.PNG_SIGNATURE) and struct.unpack(">II", data[16:24]) == (size, size), name


def test_a_site_with_icons_links_them_and_writes_favicon_and_manifest(build, minimal_site, tmp_path):
    run, output = build(minimal_site, "--assets", str(assets_folder(tmp_path)))
    assert run.code == 0, run.err
    assert (output / "favicon.ico").read_bytes() == icons.ico((ICONS / "favicon-32.png").read_bytes())
    manifest = json.loads((output / "manifest.webmanifest").read_text())
    assert manifest["name"] == "Minsta" and manifest["theme_color"] == icons.THEME
    assert [i["src"] for i in manifest["icons"]] == ["/assets/icons/icon-192.png", "/assets/icons/icon-512.png",
                                                     "/assets/icons/favicon.svg"]
    home = (output / "index.html").read_text()
    for link in ('<link rel="icon" href="/assets/icons/favicon.svg" type="image/svg+xml">',
                 '<link rel="apple-touch-icon" href="/assets/icons/apple-touch-icon.png">',
                 '<link rel="manifest" href="/manifest.webmanifest">'):
        assert link in home


def test_a_site_without_icons_gets_none(build, minimal_site, tmp_path):
    run, output = build(minimal_site, "--assets", str(assets_folder(tmp_path, with_icons=False)))
    assert run.code == 0, run.err
    assert not (output / "favicon.ico").exists() and not (output / "manifest.webmanifest").exists()
    assert 'rel="icon"' not in (output / "index.html").read_text()


def test_a_missing_derived_icon_is_an_error_that_says_how_to_make_it(build, minimal_site, tmp_path):
    assets = assets_folder(tmp_path)
    (assets / "icons" / "icon-512.png").unlink()
    run, _ = build(minimal_site, "--assets", str(assets))
    assert run.code == 1
    assert ("assets/icons/favicon.svg:1: assets/icons/icon-512.png saknas: gör den med "
            "`python scripts/make_icons.py`") in run.err
    assert "Traceback" not in run.err


def test_the_logo_is_shown_before_the_title_with_the_publisher_as_its_text(build, minimal_site, tmp_path):
    write(minimal_site / "site.yaml", 'title: "Minsta"\nbase_url: "https://example.org/"\n'
          'publisher: "Region Jämtland Härjedalen"\nlogo: "bilder/logotyp.svg"\n')
    assets = assets_folder(tmp_path)
    write(assets / "bilder" / "logotyp.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>')
    run, output = build(minimal_site, "--assets", str(assets))
    assert run.code == 0, run.err
    assert ('<img class="site-logo" src="/assets/bilder/logotyp.svg" alt="Region Jämtland Härjedalen" height="40">'
            'Minsta</a>') in (output / "index.html").read_text()


def test_a_logo_that_is_not_there_is_an_error_at_its_line(build, minimal_site, tmp_path):
    write(minimal_site / "site.yaml", 'title: "Minsta"\nbase_url: "https://example.org/"\nlogo: "saknas.svg"\n')
    run, _ = build(minimal_site, "--assets", str(assets_folder(tmp_path)))
    assert run.code == 1
    assert "site.yaml:3: logo: filen assets/saknas.svg finns inte" in run.err
