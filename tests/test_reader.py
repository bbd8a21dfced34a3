"""Weight and privacy for readers on a weak connection: a light home page, one small stylesheet,
no web fonts or third-party requests, images that load late with their size known, and films
that contact their host only after a click."""
from __future__ import annotations

import gzip
import re

import pytest

from conftest import ROOT, TESTS
from generator.outputs import images, video

NOW = "2026-11-23T12:00"
# What makes a browser fetch something by itself: scripts, stylesheets, images, frames, media.
_FETCHED = re.compile(r'<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\ssrc="([^"]*)"'
                      r'|<link\b[^>]*\srel="(?:stylesheet|preload|icon|modulepreload)"[^>]*\shref="([^"]*)"')


@pytest.fixture
def real(build):
    run, output = build(ROOT / "content", "--now", NOW, "--no-search")
    assert run.code == 0, run.err
    return output


def test_the_home_page_with_its_css_is_under_50_kb_compressed(real):
    html = (real / "index.html").read_bytes()
    css = [p.read_bytes() for p in (real / "assets" / "css").glob("site.*.css")]
    assert len(css) == 1, "one stylesheet"
    transferred = len(gzip.compress(html, 6)) + len(gzip.compress(css[0], 6))
    assert transferred < 50 * 1024, f"{transferred} bytes"
    assert len(gzip.compress(css[0], 6)) < 8 * 1024, "the stylesheet stays small"


def test_no_page_fetches_anything_from_another_host_and_there_are_no_web_fonts(real, build, tmp_path):
    site = TESTS / "sites" / "programme"
    run, programme = build(site / "content", "--now", "2015-10-01T12:00", "--assets", str(site / "assets"),
                           output=tmp_path / "programme")
    assert run.code == 0, run.err
    pages = [*real.rglob("*.html"), *programme.rglob("*.html")]
    assert len(pages) > 60
    for page in pages:
        text = page.read_text(encoding="utf-8")
        fetched = [a or b for a, b in _FETCHED.findall(text)]
        outside = [url for url in fetched if re.match(r"(?:[a-z]+:)?//", url)]
        assert outside == [], f"{page}: {outside}"
        assert "<iframe" not in text and " style=" not in text and "<style" not in text, page
        assert not re.search(r"<script(?![^>]*\s(?:src|type=\"application/ld\+json\"))", text), page
        assert not re.search(r"\son[a-z]+=", text), f"{page}: an inline event handler"
    css = next((real / "assets" / "css").glob("site.*.css")).read_text(encoding="utf-8")
    assert "@font-face" not in css and "url(" not in css and "@import" not in css


def test_a_film_on_youtube_or_vimeo_is_a_link_that_becomes_a_player_after_a_click(build, tmp_path):
    site = TESTS / "sites" / "programme"
    run, output = build(site / "content", "--now", "2015-10-01T12:00", "--assets", str(site / "assets"))
    assert run.code == 0, run.err
    page = (output / "evenemang/2015/workshop/index.html").read_text(encoding="utf-8")
    assert ('<a class="video-load" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener" '
            'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ">Film från förra året</a>') in page
    assert re.search(r'<script src="/assets/js/video\.[0-9a-f]{10}\.js" defer></script>', page)
    others = (output / "evenemang/2015/larresa/index.html").read_text(encoding="utf-8")
    assert "video." not in others, "pages without films load no script"


@pytest.mark.parametrize(("url", "host", "src"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://m.youtube.com/watch?v=abc_DEF-123&t=10", "YouTube", "https://www.youtube-nocookie.com/embed/abc_DEF-123"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://player.vimeo.com/video/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
])
def test_known_film_addresses_get_a_privacy_friendly_player(url, host, src):
    assert video.embed(url) == video.Embed(host, src)


@pytest.mark.parametrize("url", [
    "https://video.example.org/film", "https://www.youtube.com/channel/UC123456", "https://www.youtube.com/watch",
    "https://www.youtube.com/watch?v=<script>", "https://vimeo.com/channels/staff", "mailto:film@example.org",
])
def test_other_addresses_stay_plain_links(url):
    assert video.embed(url) is None


def test_images_load_lazily_with_the_size_of_their_file(tmp_path):
    from generator.outputs.assets import find_assets

    sizes = images.sizes(find_assets(TESTS / "sites" / "blog" / "assets"))
    assert sizes == {"/assets/bilder/diagram.png": (2, 2), "/assets/bilder/karta.png": (4, 3)}
    html = ('<p><img src="/assets/bilder/karta.png" alt="Karta"> <img src="https://example.org/x.png" alt="X">'
            ' <img src="/assets/bilder/diagram.png" alt="D" width="20" height="20" loading="eager"></p>')
    assert images.complete(html, sizes) == (
        '<p><img src="/assets/bilder/karta.png" alt="Karta" loading="lazy" width="4" height="3">'
        ' <img src="https://example.org/x.png" alt="X" loading="lazy">'
        ' <img src="/assets/bilder/diagram.png" alt="D" width="20" height="20" loading="eager"></p>')
