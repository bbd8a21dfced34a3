"""Responsive images (generator/imaging.py, images.py): the variants, their markup, the share image,
the cache of processed images, broken and oversized files, and byte-for-byte repeatable output."""
from __future__ import annotations

import html
import io
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, features

from conftest import ROOT, run_cli, write
from generator.build import parallel
from generator.build.pipeline import LiveSite, Paths, build
from generator.content.dates import parse_now, zone
from generator.outputs import imaging
from generator.site.model import Options
from test_sites import files_under

NOW = "2016-01-10T12:00"
MODERN = ("avif", "webp") if features.check("avif") else ("webp",)


def photo(path: Path, size: tuple[int, int], fmt: str = "JPEG", seed: int = 0, **save) -> Path:
    """A picture with some detail (a flat colour would compress to nothing)."""
    image = Image.new("RGB", size, (20 + seed, 90, 160))
    draw = ImageDraw.Draw(image)
    for i in range(0, size[0], max(1, size[0] // 12)):
        draw.ellipse([i, (i * 7 + seed * 13) % size[1], i + size[0] // 6, (i * 7 + seed * 13) % size[1] + size[1] // 4],
                     fill=((i * 3 + seed) % 256, (i * 5) % 256, 200 - (i % 200)))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **save)
    return path


@pytest.fixture
def site(tmp_path):
    """A site with a post that has a lead image and two in its text, and a post with text images only."""
    content, assets = tmp_path / "content", tmp_path / "assets"
    write(content / "site.yaml", 'title: "Bilder"\nbase_url: "https://example.org/"\n')
    write(content / "posts/2015/2015-06-01-foto.md",
          '---\ntitle: "Foto"\ndate: 2015-06-01\nimage: "../../../assets/bilder/foto.jpg"\n'
          'image_alt: "Ett foto av sjön"\n---\nText.\n\n![Liten karta](../../../assets/bilder/liten.png)\n\n'
          '![Fotot igen](../../../assets/bilder/foto.jpg "Sjön")\n')
    write(content / "posts/2015/2015-07-01-text.md",
          '---\ntitle: "Bara text"\ndate: 2015-07-01\n---\n![Först](../../../assets/bilder/liten.png)\n\n'
          'Mellan.\n\n![Sedan](../../../assets/bilder/foto.jpg)\n')
    photo(assets / "bilder/foto.jpg", (2000, 1000))
    photo(assets / "bilder/liten.png", (300, 200), "PNG", seed=3)
    shutil.copytree(ROOT / "assets" / "css", assets / "css")
    shutil.copytree(ROOT / "assets" / "js", assets / "js")
    return content, assets


def cli_build(content: Path, assets: Path, output: Path, *extra: str):
    run = run_cli("build", "--content", str(content), "--output", str(output), "--assets", str(assets),
                  "--now", NOW, "--no-search", *extra)
    return run


def variants(output: Path, stem: str) -> dict[str, tuple[str, tuple[int, int]]]:
    """name -> (format, size) of every file made from assets/bilder/<stem>.*"""
    found = {}
    for path in sorted((output / "assets/bilder").glob(f"{stem}.*.*.*")):
        with Image.open(path) as image:
            found[path.name] = (image.format, image.size)
    return found


def test_each_photo_is_made_in_several_widths_and_formats_never_wider_than_it_is(site, tmp_path):
    content, assets = site
    run = cli_build(content, assets, tmp_path / "public", "--no-cache")
    assert run.code == 0, run.err
    made = variants(tmp_path / "public", "foto")
    kinds = {(name.split(".")[1], name.rsplit(".", 1)[1]): value for name, value in made.items()}
    for fmt, pillow in (*((m, m.upper()) for m in MODERN), ("jpg", "JPEG")):
        assert kinds[("480", fmt)] == (pillow, (480, 240))
        assert kinds[("960", fmt)] == (pillow, (960, 480))
        assert kinds[("1600", fmt)] == (pillow, (1600, 800))  # not 2000: the largest width is 1600
        assert kinds[("kort-320", fmt)] == (pillow, (320, 180))
        assert kinds[("kort-640", fmt)] == (pillow, (640, 360))
    assert kinds[("delning", "jpg")] == ("JPEG", (1200, 630))
    assert len(made) == 5 * (len(MODERN) + 1) + 1
    small = {(n.split(".")[1], n.rsplit(".", 1)[1]): v for n, v in variants(tmp_path / "public", "liten").items()}
    assert small[("300", "png")] == ("PNG", (300, 200))  # never upscaled, and in its own format
    assert small[("300", "webp")] == ("WEBP", (300, 200))
    assert not [k for k in small if k[0] in ("480", "960", "1600")]
    assert (tmp_path / "public/assets/bilder/foto.jpg").read_bytes() == (assets / "bilder/foto.jpg").read_bytes(), \
        "the original stays where editors link to it"
    assert not (tmp_path / "public/assets/css/site.480").exists()


def test_the_variants_carry_no_metadata_and_stand_upright(site, tmp_path):
    content, assets = site
    exif = Image.Exif()
    exif[0x010F] = "Kameratillverkaren"  # Make
    exif[0x0112] = 6  # Orientation: the camera was turned; shown rotated 90°
    photo(assets / "bilder/staende.jpg", (2000, 1000), exif=exif.tobytes())
    assert cli_build(content, assets, tmp_path / "public", "--no-cache").code == 0
    made = variants(tmp_path / "public", "staende")
    assert made and all(size[0] < size[1] or "kort" in name or "delning" in name for name, (_, size) in made.items())
    assert {size for name, (_, size) in made.items() if ".1000." in name} == {(1000, 2000)}
    for path in (tmp_path / "public/assets/bilder").glob("*.*.*.*"):
        with Image.open(path) as image:
            assert "exif" not in image.info and not image.getexif(), path.name
            assert not [key for key in image.info if key not in ("dpi", "jfif", "jfif_version", "jfif_unit",
                                                                  "jfif_density", "progressive", "progression",
                                                                  "loop", "background", "duration")], \
                (path.name, image.info)


def test_markup_has_sources_srcset_sizes_width_height_and_lazy_loading_below_the_fold(site, tmp_path):
    content, assets = site
    assert cli_build(content, assets, tmp_path / "public", "--no-cache").code == 0
    page = (tmp_path / "public/blogg/2015/foto/index.html").read_text()
    pictures = re.findall(r"<picture>.*?</picture>", page)
    assert len(pictures) == 3  # the lead image and the two in the text
    lead, small, again = pictures
    sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)" sizes="([^"]+)">', lead)
    assert [s[0] for s in sources] == [f"image/{m}" for m in MODERN]
    for _, srcset, sizes in sources:
        assert re.fullmatch(r"/assets/bilder/foto\.480\.\w+\.\w+ 480w, /assets/bilder/foto\.960\.\w+\.\w+ 960w, "
                            r"/assets/bilder/foto\.1600\.\w+\.\w+ 1600w", srcset)
        assert sizes
    img = re.search(r"<img[^>]*>", lead).group(0)
    assert 'class="u-photo"' in img and 'alt="Ett foto av sjön"' in img
    assert 'width="1600" height="800"' in img
    assert re.search(r'src="/assets/bilder/foto\.960\.\w+\.jpg"', img)
    assert re.search(r'srcset="/assets/bilder/foto\.480\.\w+\.jpg 480w, ', img)
    assert "loading=" not in img, "the lead image is in view as the page opens"
    assert 'loading="lazy"' in small and 'width="300" height="200"' in small and 'alt="Liten karta"' in small
    assert 'loading="lazy"' in again and 'title="Sjön"' in again
    text_only = (tmp_path / "public/blogg/2015/text/index.html").read_text()
    first, second = re.findall(r"<picture>.*?</picture>", text_only)
    assert "loading=" not in first and 'loading="lazy"' in second, "a text without a lead image: its first is eager"


def test_og_image_is_a_1200_by_630_share_image(site, tmp_path):
    content, assets = site
    assert cli_build(content, assets, tmp_path / "public", "--no-cache").code == 0
    page = (tmp_path / "public/blogg/2015/foto/index.html").read_text()
    url = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert re.fullmatch(r"https://example\.org/assets/bilder/foto\.delning\.\w+\.jpg", url)
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    with Image.open(tmp_path / "public" / url.removeprefix("https://example.org/")) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_cards_show_the_posts_thumbnail(site, tmp_path):
    content, assets = site
    assert cli_build(content, assets, tmp_path / "public", "--no-cache").code == 0
    home = (tmp_path / "public/index.html").read_text()
    thumbs = re.findall(r'<picture>(?:(?!</picture>).)*class="card-image".*?</picture>', home)
    assert len(thumbs) == 1, "only the post with an image has one"
    assert re.search(r'srcset="/assets/bilder/foto\.kort-320\.\w+\.jpg 320w, /assets/bilder/foto\.kort-640\.\w+\.jpg'
                     r' 640w"', thumbs[0])
    assert 'width="320" height="180"' in thumbs[0] and 'loading="lazy"' in thumbs[0] and 'alt="Ett foto av sjön"' in thumbs[0]


def test_two_builds_give_the_same_bytes(site, tmp_path):
    content, assets = site
    assert cli_build(content, assets, tmp_path / "a", "--no-cache").code == 0
    assert cli_build(content, assets, tmp_path / "b", "--no-cache").code == 0
    first, second = files_under(tmp_path / "a"), files_under(tmp_path / "b")
    assert first == second
    assert any(name.endswith(".webp") for name in first)


@pytest.fixture
def counted(monkeypatch):
    """How often an image is processed: in this process, so that the calls can be counted."""
    calls = []
    real = imaging.process
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    monkeypatch.setattr(imaging, "process", lambda job: calls.append(job.shown) or real(job))
    return calls


def test_an_unchanged_image_is_never_processed_twice(site, tmp_path, counted):
    content, assets = site
    cache = tmp_path / "cache"
    assert cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache)).code == 0
    assert sorted(counted) == ["assets/bilder/foto.jpg", "assets/bilder/liten.png"]
    counted.clear()
    write(content / "posts/2015/2015-08-01-ny.md", '---\ntitle: "Ny"\ndate: 2015-08-01\n---\nText.\n')
    assert cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache)).code == 0
    assert cli_build(content, assets, tmp_path / "other", "--cache-dir", str(cache)).code == 0
    assert counted == [], "the cache gave every variant, to both output folders"
    (assets / "bilder/kopia.jpg").write_bytes((assets / "bilder/foto.jpg").read_bytes())
    assert cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache)).code == 0
    assert counted == [], "a copy under another name has the same content digest"
    assert cli_build(content, assets, tmp_path / "fresh", "--no-cache").code == 0
    assert files_under(tmp_path / "public") == files_under(tmp_path / "fresh")


def test_a_damaged_cache_entry_is_made_again_and_a_cache_that_cannot_be_written_costs_only_speed(
        site, tmp_path, counted, monkeypatch):
    content, assets = site
    cache = tmp_path / "cache"
    assert cli_build(content, assets, tmp_path / "fresh", "--no-cache").code == 0
    assert cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache)).code == 0
    entries = sorted((cache / "images").rglob("*"))
    entries = [e for e in entries if e.is_file()]
    assert len(entries) == 2
    data = bytearray(entries[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    entries[0].write_bytes(bytes(data))
    entries[1].write_bytes(b"")
    counted.clear()
    shutil.rmtree(tmp_path / "public")
    run = cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache))
    assert run.code == 0, run.err
    assert len(counted) == 2
    assert files_under(tmp_path / "public") == files_under(tmp_path / "fresh")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(imaging, "keep", full)
    shutil.rmtree(cache / "images")
    shutil.rmtree(tmp_path / "public")
    run = cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache))
    assert run.code == 0, run.err
    assert "cachen kunde inte spara bilden assets/bilder/foto.jpg (No space left on device)" in run.out + run.err
    assert files_under(tmp_path / "public") == files_under(tmp_path / "fresh")


def test_a_read_only_cache_or_an_image_cache_in_the_way_builds_without_it(site, tmp_path, monkeypatch):
    from generator.incremental import cache as cache_module

    content, assets = site
    assert cli_build(content, assets, tmp_path / "fresh", "--no-cache").code == 0
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "images").write_text("a file where the images' folder goes")
    run = cli_build(content, assets, tmp_path / "public", "--cache-dir", str(cache))
    assert run.code == 0, run.err
    assert "cachen kunde inte spara bilden assets/bilder/foto.jpg" in run.out + run.err
    assert files_under(tmp_path / "public") == files_under(tmp_path / "fresh")
    monkeypatch.setattr(cache_module, "usable", lambda folder: "Read-only file system")  # as for root too
    run = cli_build(content, assets, tmp_path / "other", "--cache-dir", str(cache))
    assert run.code == 0, run.err
    assert files_under(tmp_path / "other") == files_under(tmp_path / "fresh")


def test_broken_truncated_and_huge_images_are_swedish_messages_in_one_run(site, tmp_path):
    content, assets = site
    (assets / "bilder/trasig.png").write_bytes(b"inte en bild alls")
    whole = (assets / "bilder/foto.jpg").read_bytes()
    (assets / "bilder/avkortad.jpg").write_bytes(whole[: len(whole) // 2])
    Image.new("1", (8000, 6000)).save(assets / "bilder/bomb.png")  # 48 million pixels in a few kilobytes
    write(content / "posts/2015/2015-08-01-fel.md", '---\ntitle: "Fel"\ndate: 2015-08-01\nauthors: [ingen]\n---\n')
    run = cli_build(content, assets, tmp_path / "public", "--no-cache")
    assert run.code == 1
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert ("assets/bilder/trasig.png:1: filen går inte att läsa som en bild (den är trasig eller inte det format "
            "filändelsen säger); spara om den som PNG, JPEG eller WebP") in lines
    assert ("assets/bilder/avkortad.jpg:1: bildfilen tar slut mitt i bilden (den är avkortad); spara om den och "
            "lägg upp den igen") in lines
    assert ("assets/bilder/bomb.png:1: bilden är för stor (8000 × 6000 bildpunkter); högst 40 miljoner bildpunkter "
            "går att bygga med: förminska den, t.ex. till 3000 bildpunkter bred, och lägg upp den igen") in lines
    assert any("authors" in line and "ingen" in line for line in lines), "with the content's own errors"
    from generator.commands import guide

    for line in lines:
        if line.startswith("assets/"):
            assert guide.row_for(line.split(":1: ", 1)[1]) is not None, f"docs/felmeddelanden.md lacks {line}"
    assert not (tmp_path / "public").exists()
    # Alone, a truncated image is found while it is made, beside the rendering: still one message, nothing published.
    (content / "posts/2015/2015-08-01-fel.md").unlink()
    (assets / "bilder/trasig.png").unlink()
    (assets / "bilder/bomb.png").unlink()
    run = cli_build(content, assets, tmp_path / "public", "--no-cache")
    assert run.code == 1 and "Traceback" not in run.err
    assert [line for line in run.err.splitlines() if line.startswith("assets/")] == [
        "assets/bilder/avkortad.jpg:1: bildfilen tar slut mitt i bilden (den är avkortad); spara om den och lägg "
        "upp den igen"]
    assert not (tmp_path / "public").exists()


def test_a_truncated_png_is_a_swedish_message_not_a_traceback(site, tmp_path):
    """Pillow reads a PNG's EXIF (its orientation), which can come after the pixels, by decoding it:
    a cut-off PNG failed while the build was still planning (found by trying it as an editor)."""
    import os

    content, assets = site
    noise = io.BytesIO()
    Image.frombytes("RGB", (600, 400), os.urandom(600 * 400 * 3)).save(noise, format="PNG")
    (assets / "bilder/avkortad.png").write_bytes(noise.getvalue()[:200_000])
    run = cli_build(content, assets, tmp_path / "public", "--no-cache")
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert [line for line in run.err.splitlines() if line.startswith("assets/")] == [
        "assets/bilder/avkortad.png:1: bildfilen tar slut mitt i bilden (den är avkortad); spara om den och lägg "
        "upp den igen"]
    assert not (tmp_path / "public").exists()


def test_an_image_changed_on_disk_renders_again_what_shows_it(site, tmp_path):
    """The cached build and the dev server after an image is replaced: byte for byte a fresh build."""
    content, assets = site
    cache, output, live = tmp_path / "cache", tmp_path / "public", tmp_path / "live"
    options = Options(now=parse_now(NOW, zone("Europe/Stockholm")), search=False)
    paths = Paths(content, output, ROOT / "templates", assets)
    build(paths, options, cache_dir=cache)
    server = LiveSite(Paths(content, live, ROOT / "templates", assets), options)
    assert server.rebuild().errors == []
    photo(assets / "bilder/foto.jpg", (1200, 900), seed=7)  # another picture, another size
    photo(assets / "bilder/liten.png", (300, 200), "PNG", seed=9)  # same size, other pixels
    report = build(paths, options, cache_dir=cache)
    assert 0 < report.rendered < report.outputs, "only the pages that show the images"
    assert server.rebuild().errors == []
    assert cli_build(content, assets, tmp_path / "fresh", "--no-cache").code == 0
    fresh = files_under(tmp_path / "fresh")
    assert files_under(output) == fresh
    assert files_under(live) == fresh
    assert 'width="1200" height="900"' in fresh["blogg/2015/foto/index.html"].decode()


def test_heavy_items_go_to_the_workers_one_by_one_and_the_order_is_kept():
    assert parallel.map_all(_square, range(20), heavy=5) == [n * n for n in range(20)]
    assert parallel.map_all(_square, range(3), heavy=3) == [0, 1, 4]


def _square(n: int) -> int:
    return n * n


def test_file_names_with_spaces_and_swedish_letters_give_working_links(tmp_path):
    """An editor's "Karta över Åre & Bräcke.png": a space ends an address in srcset, and feeds, Open Graph and
    the sitemap need URLs, so every link to the file is percent-encoded (the file keeps its name)."""
    content, assets = tmp_path / "content", tmp_path / "assets"
    write(content / "site.yaml", 'title: "Bilder"\nbase_url: "https://example.org/"\n')
    write(content / "posts/2015/2015-06-01-foto.md",
          '---\ntitle: "Foto"\ndate: 2015-06-01\nimage: "../../../assets/bilder/Karta över Åre & Bräcke.png"\n'
          'image_alt: "En karta"\n---\nText.\n\n![Samma](<../../../assets/bilder/Karta över Åre & Bräcke.png>)\n\n'
          '![Igen](../../../assets/bilder/Karta%20%C3%B6ver%20%C3%85re%20&%20Br%C3%A4cke.png)\n\n'
          '[Rapporten](<../../../assets/filer/Rapport 2015 & 2016.pdf>)\n')
    photo(assets / "bilder/Karta över Åre & Bräcke.png", (1000, 600), "PNG")
    write(assets / "filer/Rapport 2015 & 2016.pdf", "%PDF-1.4\n")
    shutil.copytree(ROOT / "assets" / "css", assets / "css")
    shutil.copytree(ROOT / "assets" / "js", assets / "js")
    run = cli_build(content, assets, tmp_path / "public", "--no-cache")
    assert run.code == 0, run.err
    public = tmp_path / "public"
    page = (public / "blogg/2015/foto/index.html").read_text()
    pictures = re.findall(r"<picture>.*?</picture>", page)
    assert len(pictures) == 3, "the lead image and both links in the text are the processed image"
    addresses = re.findall(r'(?:src|href|content)="((?:/|https://)[^"]*(?:Karta|Rapport)[^"]*)"', page)
    for srcset in re.findall(r'srcset="([^"]*)"', page):
        candidates = srcset.split(", ")
        assert all(re.fullmatch(r"\S+ \d+w", c) for c in candidates), srcset
        addresses += [c.split(" ")[0] for c in candidates]
    assert len(addresses) > 10
    for address in addresses:
        assert re.fullmatch(r"[A-Za-z0-9/:.%_~&;+=-]+", address), address
        local = urllib.parse.unquote(html.unescape(address).removeprefix("https://example.org/").lstrip("/"))
        assert (public / local).is_file(), address
    assert "/assets/bilder/Karta%20%C3%B6ver%20%C3%85re%20&amp;%20Br%C3%A4cke.960." in page
    assert re.search(r'href="/assets/filer/Rapport%202015%20&amp;%202016\.pdf"', page)
    feed = (public / "blogg/atom.xml").read_text()
    assert "Karta%20%C3%B6ver%20%C3%85re%20&amp;%20Br%C3%A4cke" in feed and "Karta över Åre & Bräcke." not in feed


def test_an_iphone_heic_or_a_tiff_as_an_image_is_an_error_as_browsers_cannot_show_it(tmp_path):
    content, assets = tmp_path / "content", tmp_path / "assets"
    write(content / "site.yaml", 'title: "Bilder"\nbase_url: "https://example.org/"\n')
    write(content / "posts/2015/2015-06-01-foto.md",
          '---\ntitle: "Foto"\ndate: 2015-06-01\nimage: "../../../assets/bilder/IMG_0042.HEIC"\nimage_alt: "Sjön"\n'
          '---\nText.\n\n![Skanning](../../../assets/bilder/skanning.tif)\n')
    write(assets / "bilder/IMG_0042.HEIC", "inte en riktig bild")
    photo(assets / "bilder/skanning.tif", (60, 40), "TIFF")
    run = cli_build(content, assets, tmp_path / "public", "--no-cache")
    assert run.code == 1
    assert [line.replace(str(tmp_path) + "/", "") for line in run.err.splitlines()[:2]] == [
        "content/posts/2015/2015-06-01-foto.md:4: image: bilden ../../../assets/bilder/IMG_0042.HEIC är i formatet "
        "HEIC, som webbläsare inte kan visa; spara den som JPEG eller PNG och länka till den filen",
        "content/posts/2015/2015-06-01-foto.md:9: bilden ../../../assets/bilder/skanning.tif är i formatet TIF, som "
        "webbläsare inte kan visa; spara den som JPEG eller PNG och länka till den filen"]
