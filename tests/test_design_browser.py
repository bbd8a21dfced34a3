"""The design in Chromium (docs/dev/design.md): every kind of page at 360, 768 and 1280 CSS px.

Each page is photographed (full page, PNG) into an artefact folder for review: the folder is named
in the test output (`screenshots: …`), or set it with DESIGN_SCREENSHOTS=/some/folder. The tests
assert what a reader would notice: no horizontal scroll; a header exactly as high on every page at
each width (a menu item in bold, or a missing search box, must not move it); no two pieces of text
on top of each other, in the header or in the page; the menu button working without JavaScript;
axe-core finding nothing in light and dark; a print layout without the site's chrome.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT, TESTS
from test_browser import NOW, PAGES, WCAG, _built, _serve

pytestmark = pytest.mark.browser

WIDTHS = (360, 768, 1280)
PROGRAMME = TESTS / "sites" / "programme"
# The programme fixture's events in every shape, styled with the site's real stylesheet.
PROGRAMME_PAGES = {
    "home with events": "/",
    "event with registration": "/evenemang/2015/workshop/",
    "multi-day programme": "/evenemang/2015/larresa/",
    "tour": "/evenemang/2015/turne/",
    "cancelled event": "/evenemang/2016/installt/",
    "postponed event": "/evenemang/2016/uppskjuten/",
    "events": "/evenemang/",
}


@pytest.fixture(scope="module")
def screenshots(request, tmp_path_factory) -> Path:
    folder = Path(os.environ.get("DESIGN_SCREENSHOTS") or tmp_path_factory.mktemp("design-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:  # past pytest's output capture, so that the folder is named in the run's output
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"screenshots: {folder}")
    print(f"screenshots: {folder}")  # and in the captured output of a failing test (e.g. under xdist)
    return folder


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The real site, and the programme fixture with the real stylesheet (its own assets are plain)."""
    assets = tmp_path_factory.mktemp("programme-assets") / "assets"
    shutil.copytree(PROGRAMME / "assets", assets)
    shutil.copytree(ROOT / "assets", assets, dirs_exist_ok=True)
    real, real_url = _serve(_built(tmp_path_factory, "real-design", ROOT / "content", "--now", NOW))
    programme, programme_url = _serve(_built(tmp_path_factory, "programme-design", PROGRAMME / "content",
                                             "--now", "2015-10-01T12:00", "--assets", str(assets)))
    yield {"real": (real_url, PAGES), "programme": (programme_url, PROGRAMME_PAGES)}
    real.shutdown()
    programme.shutdown()


# What the page looks like to the tests: the header's height, the page's width, and every pair of
# visible pieces of text (or controls) whose boxes overlap although neither contains the other.
MEASURE = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && e.checkVisibility(); };
  const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (e.innerText || e.value || '').trim().slice(0, 30) + '"';
  const overlaps = items => { const found = [];
    const boxes = items.map(e => [e, e.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 2 && h > 2) found.push(name(a) + ' × ' + name(b));
    }
    return found; };
  const header = document.querySelector('.site-header');
  const headerItems = [...header.querySelectorAll('.site-title, .site-menu summary, .site-nav a, .site-search input, .site-search button')].filter(visible);
  const navLinks = [...header.querySelectorAll('.site-nav a')].filter(visible);
  const clipped = [...header.querySelectorAll('.site-title, .site-nav ul, .site-nav a')].filter(visible)
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(name);
  const outside = headerItems.filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > document.documentElement.clientWidth; }).map(name);
  const text = [...document.querySelectorAll('main h1, main h2, main h3, main h4, main p, main li, main dt, main dd, main th, main td, main caption, main .button, main .badge, main .card, main img, main input, main select, main button, main figcaption')].filter(visible);
  return {
    header: header.getBoundingClientRect().height,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    headerOverlaps: overlaps(headerItems),
    navLines: new Set(navLinks.map(a => Math.round(a.getBoundingClientRect().top))).size,
    navShown: navLinks.length,
    menuButton: !!header.querySelector('.site-menu summary') && visible(header.querySelector('.site-menu summary')),
    clipped, outside,
    textOverlaps: overlaps(text),
  };
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_at_each_width(browser, sites, screenshots, width):
    problems = []
    for site, (url, pages) in sites.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        heights = {}
        for kind, path in pages.items():
            page.goto(url + path)
            if kind == "search":
                page.wait_for_selector("#sok-traffar li")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(screenshots / f"{width}-{site}-{kind.replace(' ', '-')}.png"), full_page=True)
            seen = page.evaluate(MEASURE)
            heights[kind] = seen["header"]
            where = f"{site} {kind} at {width} px"
            if seen["scrollWidth"] > seen["clientWidth"]:
                problems.append(f"{where}: scrolls sideways ({seen['scrollWidth']} > {seen['clientWidth']})")
            for found in ("headerOverlaps", "clipped", "outside", "textOverlaps"):
                if seen[found]:
                    problems.append(f"{where}: {found}: {seen[found]}")
            if seen["navShown"] and seen["navLines"] != 1:
                problems.append(f"{where}: the menu wraps onto {seen['navLines']} lines")
            if site == "real":  # a site with a menu: a button on narrow screens, the whole menu on wide ones
                wide = width >= 1280
                if seen["menuButton"] == wide or (seen["navShown"] > 0) != wide:
                    problems.append(f"{where}: menu button shown {seen['menuButton']}, menu items shown {seen['navShown']}")
        context.close()
        if len(set(heights.values())) != 1:
            problems.append(f"{site} at {width} px: the header's height differs between pages: {heights}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [320, 895, 896, 1600])
def test_the_header_is_steady_at_the_edges_of_the_range_and_of_the_breakpoint(browser, sites, width):
    """320 and 1600 px, and either side of the 56 rem (896 px) breakpoint: one header height on every
    page, the menu on one line, nothing in the header overlapping or clipped."""
    url, pages = sites["real"]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    heights, problems = {}, []
    for kind, path in pages.items():
        page.goto(url + path)
        seen = page.evaluate(MEASURE)
        heights[kind] = seen["header"]
        for found in ("headerOverlaps", "clipped", "outside"):
            if seen[found]:
                problems.append(f"{kind}: {found}: {seen[found]}")
        if seen["navShown"] and seen["navLines"] != 1:
            problems.append(f"{kind}: the menu wraps")
        if seen["scrollWidth"] > seen["clientWidth"]:
            problems.append(f"{kind}: scrolls sideways")
    context.close()
    assert len(set(heights.values())) == 1, heights
    assert problems == []


def test_the_menu_button_works_without_javascript(browser, sites, screenshots):
    url = sites["real"][0]
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/blogg/")
    header = page.locator(".site-header").bounding_box()["height"]
    menu = page.get_by_role("navigation", name="Huvudmeny")
    assert not menu.is_visible()
    page.locator(".site-menu summary").click()
    assert menu.is_visible() and page.get_by_label("Sök på webbplatsen").is_visible()
    assert page.locator(".site-header").bounding_box()["height"] == header, "the open menu lies over the page"
    links = menu.get_by_role("link").all()
    assert len(links) == 8 and all(link.bounding_box()["height"] >= 44 for link in links), "finger-sized"
    assert menu.locator("[aria-current]").inner_text() == "Blogg"
    page.screenshot(path=str(screenshots / "360-real-menu-open.png"))
    menu.get_by_role("link", name="Evenemang").click()
    assert page.locator("h1").inner_text() == "Evenemang"
    context.close()


def test_on_a_wide_screen_the_menu_is_open_without_a_click_and_reachable_by_keyboard_and_screen_readers(browser, sites):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["real"][0] + "/")
    assert not page.locator(".site-menu summary").is_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Start", "the summary takes no tab stop"
    # The <details> has no `open` attribute: its content must still be in the accessibility tree.
    tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    exposed = {(n["role"]["value"], n.get("name", {}).get("value")) for n in tree if not n.get("ignored")}
    assert {("navigation", "Huvudmeny"), ("link", "Prenumerera"), ("searchbox", "Sök på webbplatsen")} <= exposed
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_nothing_on_the_new_components(browser, sites, width, scheme):
    """The programme fixture's pages (the headline card, badges, banners, the button, a programme a day)
    and the open menu on a phone, in both colour schemes; the real site's pages are checked by
    tests/test_browser.py."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    checks = [(sites["programme"][0] + path, False) for path in PROGRAMME_PAGES.values()]
    checks.append((sites["real"][0] + "/", width < 1280))
    for url, open_menu in checks:
        page.goto(url)
        if open_menu:
            page.locator(".site-menu summary").click()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
        assert results.violations_count == 0, f"{url} ({scheme}, {width} px):\n{results.generate_report()}"
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_facts_box_stacks_on_a_phone_and_the_registration_button_is_a_finger_target(browser, sites, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(sites["programme"][0] + "/evenemang/2015/workshop/")
    term, value = (page.locator(".facts dt").first.bounding_box(), page.locator(".facts dd").first.bounding_box())
    if width < 512:  # stacked: the value under its term
        assert value["x"] == term["x"] and value["y"] >= term["y"] + term["height"] - 1
    else:  # side by side
        assert value["x"] > term["x"] + term["width"] and abs(value["y"] - term["y"]) < 2
    button = page.get_by_role("link", name="Anmäl dig", exact=True)
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)", "looks like a button"
    assert page.locator(".registration time").inner_text() == "7 oktober 2015"
    context.close()


def test_a_printed_programme_has_no_menu_and_every_day(browser, sites, screenshots):
    context = browser.new_context()
    page = context.new_page()
    page.goto(sites["programme"][0] + "/evenemang/2015/larresa/")
    page.emulate_media(media="print")
    assert page.locator(".timetable caption").all_inner_texts() == ["24 juni 2015", "25 juni 2015", "26 juni 2015"]
    assert all(caption.is_visible() for caption in page.locator(".timetable caption").all())
    assert not page.locator(".add-to-calendar").is_visible()
    page.pdf(path=str(screenshots / "print-multi-day-programme.pdf"))
    page.goto(sites["real"][0] + "/evenemang/2015/charles-landry/")
    assert not page.get_by_role("navigation", name="Huvudmeny").is_visible()
    assert page.locator(".timetable").is_visible()
    assert page.locator(".timetable td").first.evaluate("td => getComputedStyle(td).whiteSpace") == "nowrap"
    context.close()
