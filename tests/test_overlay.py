"""The preview's error box in a real browser (Chromium through Playwright, as in test_browser.py):
opaque and readable over any site style, every error with its file, line, the line itself with the
place marked and the fix, usable at 360 CSS pixels, and axe-clean in light and dark."""
from __future__ import annotations

import shutil
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import TESTS
from generator.dates import parse_now, zone
from generator.pipeline import LiveSite, Paths
from generator.serve import DevServer
from generator.site import Options
from test_browser import WCAG, browser  # noqa: F401 - the session's Chromium

pytestmark = pytest.mark.browser
BLOG = TESTS / "sites" / "blog"


@pytest.fixture
def broken_preview(tmp_path):
    """The blog fixture served by the dev server, then two files broken by an editor."""
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), drafts=True, future=True,
                            search=False))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=lambda message: None)
    dev.start()
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8").replace("tags:", "tag:", 1), encoding="utf-8")
    other = content / "posts/2015/2015-03-13-vinter.md"
    lines = other.read_text(encoding="utf-8").split("\n")
    lines[1] = 'title: "Vinter i Åre'
    other.write_text("\n".join(lines), encoding="utf-8")
    dev.wake.set()
    deadline = time.monotonic() + 20
    while len(dev.broadcast.errors) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(dev.broadcast.errors) == 2, dev.broadcast.errors
    yield f"http://127.0.0.1:{dev.port}"
    dev.stop()


def _open(browser, url, scheme="light"):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport={"width": 360, "height": 640}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url + "/blogg/")
    page.wait_for_selector("bygg-fel .fel >> nth=1")
    page.wait_for_function("document.querySelector('bygg-fel').shadowRoot.querySelector('link').sheet !== null")
    return context, page, problems


def test_every_error_shows_its_file_line_the_marked_place_and_the_fix(browser, broken_preview):  # noqa: F811
    context, page, problems = _open(browser, broken_preview)
    items = page.locator("bygg-fel .fel")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    vinter, sommar = sorted(texts)
    assert vinter.startswith("content/posts/2015/2015-03-13-vinter.md, rad 2\n")
    assert "ett citattecken stängs aldrig" in vinter and 'title: "Vinter i Åre' in vinter
    assert "Så rättar du: avsluta texten med samma citattecken" in vinter
    assert sommar.startswith("content/posts/2015/2015-07-02-sommar.md, rad 6, fältet tag\n")
    assert "Så rättar du: menade du 'tags'?" in sommar
    marks = page.locator("bygg-fel mark").all_inner_texts()
    assert sorted(marks) == ['"', "tag"]  # the quote that never closes; the field's name
    assert page.locator("bygg-fel h2").inner_text() == "2 fel i innehållet"
    assert page.evaluate("document.querySelector('bygg-fel').shadowRoot.activeElement.tagName") == "H2"
    context.close()
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_box_is_opaque_fits_360_pixels_and_axe_finds_nothing(browser, broken_preview, scheme):  # noqa: F811
    context, page, problems = _open(browser, broken_preview, scheme)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('bygg-fel').shadowRoot.querySelector('.ruta')).backgroundColor")
    assert background in ("rgb(255, 255, 255)", "rgb(22, 22, 22)")  # opaque: no alpha
    size = page.evaluate("(() => { const r = document.querySelector('bygg-fel').shadowRoot.querySelector('.ruta');"
                         " return [r.scrollWidth, r.clientWidth, r.getBoundingClientRect().width]; })()")
    assert size[0] <= size[1] and size[2] == 360, size  # long lines scroll inside their own box
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    in_box = [v for v in results.response["violations"]
              if any(isinstance(n["target"][0], list) and n["target"][0][0] in ("bygg-fel", "#__byggfel")
                     for n in v["nodes"])]
    assert in_box == [], results.generate_report()
    context.close()
    assert problems == []
