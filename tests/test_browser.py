"""The built site in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

The real site is built once per test process and served by a plain http.server on
127.0.0.1, with the Content-Security-Policy the site is meant to work under (no
inline script or style; 'wasm-unsafe-eval' for Pagefind's WebAssembly search).
Any CSP violation or script error on a page fails the test. axe-core (shipped in
the axe-playwright-python package) checks WCAG 2.0/2.1 A and AA on every kind of
page in light and dark colour schemes. These tests fail, never skip, when
Chromium is missing: `make test` installs it (scripts/test-system-deps).
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import ROOT, TESTS, run_cli
from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths
from generator.commands.serve import DevServer
from generator.site.model import Options

pytestmark = pytest.mark.browser

NOW = "2026-11-23T12:00"
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "frame-src https://www.youtube-nocookie.com https://player.vimeo.com")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One page of every kind on the real site.
PAGES = {
    "home": "/",
    "post": "/blogg/2015/kalasturne/",
    "list": "/blogg/",
    "tag": "/blogg/taggar/ideverkstad/",
    "event": "/evenemang/2015/ideverkstad-hallbarhet/",
    "events": "/evenemang/",
    "municipality": "/kommuner/ostersund/",
    "focus area": "/program/kreativa-byrakrater/",
    "person": "/personer/erik-noaksson/",
    "årshjul": "/arshjul/2015/",
    "search": "/sok/?q=" + quote("idéverkstad"),
    "page": "/tillganglighet/",
    "subscribe": "/prenumerera/",
    "404": "/404.html",
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the test output stays quiet
        pass

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _built(tmp_path_factory, name: str, content: Path, *args: str) -> Path:
    output = tmp_path_factory.mktemp(name) / "public"
    run = run_cli("build", "--content", str(content), "--output", str(output), "--no-cache", *args)
    assert run.code == 0, run.err
    return output


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    server, url = _serve(_built(tmp_path_factory, "real", ROOT / "content", "--now", NOW))
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def programme_site(tmp_path_factory):
    """The programme fixture: an event with a film on YouTube."""
    site = TESTS / "sites" / "programme"
    server, url = _serve(_built(tmp_path_factory, "programme", site / "content", "--now", "2015-10-01T12:00",
                                "--assets", str(site / "assets")))
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def blog_in_a_folder(tmp_path_factory):
    """The blog fixture, whose base_url has a folder (/innovation/), served from a root one level up."""
    site = TESTS / "sites" / "blog"
    output = _built(tmp_path_factory, "blog", site / "content", "--now", "2016-03-01T12:00",
                    "--assets", str(site / "assets"))
    root = output.parent / "root"
    root.mkdir()
    output.rename(root / "innovation")
    server, url = _serve(root)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser):
    """A fresh page that records script errors and CSP violations, and never reaches past this machine."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.problems = []
    page.outside = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on("console", lambda message: page.problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)

    def local_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # nothing may leave this machine; what would have is recorded
            page.outside.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>spelare</title>")

    page.route("**/*", local_only)
    yield page
    context.close()
    assert page.problems == []
    assert page.outside == [], "a page fetched from another host"


def test_home_leads_to_a_post_an_event_and_a_focus_area(page, real_site):
    page.goto(real_site + "/")
    first_post = page.locator("#senaste ~ article h3 a").first
    title = first_post.inner_text()
    first_post.click()
    assert page.locator("h1").inner_text() == title
    assert "/blogg/" in page.url

    page.goto(real_site + "/")
    page.get_by_role("link", name="Alla evenemang").first.click()
    event = page.locator("article.h-event h3 a").first
    title = event.inner_text()
    event.click()
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("heading", name="Lägg till i kalender").is_visible()

    page.goto(real_site + "/")
    page.get_by_role("link", name="Programmets fokusområden").click()
    area = page.locator("main a[href*='/program/']").first
    title = area.inner_text()
    area.click()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".kicker").inner_text().lower() == "fokusområde"


def test_the_header_search_finds_a_post_by_an_inflected_swedish_word(page, real_site):
    page.goto(real_site + "/")
    page.get_by_label("Sök på webbplatsen").fill("idéverkstäder")  # the post's title says "Idéverkstad"
    page.get_by_label("Sök på webbplatsen").press("Enter")
    page.wait_for_selector("#sok-traffar li")
    titles = page.locator("#sok-traffar h2").all_inner_texts()
    assert "Idéverkstad: framtidens studiemiljö med hållbarhet i fokus" in titles
    assert "träffar för ”idéverkstäder”" in page.locator("#sok-status").inner_text()
    post = page.locator("#sok-traffar li", has_text="Idéverkstad: framtidens studiemiljö")
    assert post.locator(".meta").inner_text() == "Inlägg · 24 september 2015"


def test_search_filters_by_kind_and_municipality(page, real_site):
    page.goto(real_site + "/sok/?q=" + quote("idéverkstad"))
    page.wait_for_selector("#sok-traffar li")
    everything = page.locator("#sok-traffar li").count()
    page.get_by_label("Typ").select_option("Evenemang")
    expect(page.locator("#sok-traffar .meta").filter(has_not_text="Evenemang")).to_have_count(0)
    events = page.locator("#sok-traffar li").count()
    assert 0 < events < everything
    page.get_by_label("Kommun").select_option("Östersund")
    expect(page).to_have_url(re.compile("kommun="))
    expect(page.locator("#sok-status")).not_to_have_text("Söker …")
    links = [a.get_attribute("href") for a in page.locator("#sok-traffar h2 a").all()]
    assert 0 < len(links) <= events
    for link in links:  # each one an event in Östersund
        html = page.request.get(real_site + link).text()
        assert 'data-pagefind-filter="typ:Evenemang"' in html
        assert '<span data-pagefind-filter="kommun">Östersund</span>' in html


def test_more_results_are_offered_only_when_there_are_more(page, real_site):
    more = page.get_by_role("button", name="Visa fler träffar")
    page.goto(real_site + "/sok/")
    expect(more).to_be_hidden()  # nothing searched yet
    page.goto(real_site + "/sok/?q=" + quote("idéverkstad"))
    expect(page.locator("#sok-status")).to_have_text(re.compile(r"^\d+ träffar"))
    found = int(page.locator("#sok-status").inner_text().split()[0])
    assert found > 10, "the query finds more than one batch of ten"
    expect(page.locator("#sok-traffar li")).to_have_count(10)
    expect(more).to_be_visible()
    while more.is_visible():
        shown = page.locator("#sok-traffar li").count()
        more.click()
        expect(page.locator("#sok-traffar li")).to_have_count(min(shown + 10, found))
    expect(page.locator("#sok-traffar li")).to_have_count(found)
    page.get_by_label("Sökord").fill("xyzzyqwerty")
    expect(page.locator("#sok-status")).to_have_text(re.compile("^Inga träffar"))
    expect(more).to_be_hidden()


def test_search_works_on_a_site_in_a_folder(page, blog_in_a_folder):
    page.goto(blog_in_a_folder + "/innovation/")
    # The fixture's small stylesheet does not style the header, so the search is in the closed menu,
    # as it is for a reader whose browser did not load the site's stylesheet: one click opens it.
    assert not page.get_by_label("Sök på webbplatsen").is_visible()
    page.get_by_text("Meny").click()
    page.get_by_label("Sök på webbplatsen").fill("sommartid")
    page.get_by_label("Sök på webbplatsen").press("Enter")
    result = page.locator("#sok-traffar h2 a").first
    result.wait_for()
    assert result.get_attribute("href").startswith("/innovation/blogg/")
    result.click()
    assert page.locator("h1").inner_text() == "Sommartid"


@pytest.fixture(scope="session")
def years_under_a_folder(tmp_path_factory):
    """The blog fixture with a post in each of three years and a page, all with the word "tjärdal", built
    with --base-url http://127.0.0.1/sub/ and served from a root one level up: the index is in several
    bundles (search.py) and the site lives in a folder."""
    content = tmp_path_factory.mktemp("years") / "content"
    shutil.copytree(BLOG / "content", content)
    for year in (2014, 2015, 2016):
        (content / "posts" / str(year)).mkdir(exist_ok=True)
        (content / "posts" / str(year) / f"{year}-02-02-tjardal.md").write_text(
            f'---\ntitle: "Tjärdalen {year}"\ndate: {year}-02-02\n---\nOm tjärdalar i skogen år {year}.\n',
            encoding="utf-8")
    (content / "pages" / "tjara.md").write_text('---\ntitle: "Om tjära"\n---\nTjärdalar förr och nu.\n',
                                              encoding="utf-8")
    from generator.outputs import search

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_BUNDLE", 2)  # its 11 articles in 8 bundles
        output = _built(tmp_path_factory, "years", content, "--now", "2016-03-01T12:00", "--assets",
                        str(BLOG / "assets"), "--base-url", "http://127.0.0.1/sub/")
    root = output.parent / "root"
    root.mkdir()
    output.rename(root / "sub")
    server, url = _serve(root)
    yield url, root / "sub"
    server.shutdown()


def test_search_and_its_filters_span_the_bundles_of_every_year_under_a_folder(page, years_under_a_folder,
                                                                            monkeypatch):
    from generator.outputs import search

    url, output = years_under_a_folder
    monkeypatch.setattr(search, "PAGES_PER_BUNDLE", 2)
    made = search.bundles_of(search.indexed_pages(output))
    listed = __import__("json").loads((output / "pagefind" / "bundles.json").read_text(encoding="utf-8"))["bundles"]
    assert list(made) == listed and len(listed) >= 4
    holding = {page: name for name, pages in made.items() for page in pages}
    found = {holding[f"blogg/{year}/tjardal/index.html"] for year in (2014, 2015, 2016)} | {holding["tjara/index.html"]}
    assert len(found) >= 3, "the pages searched for are in several bundles"
    page.goto(url + "/sub/sok/?q=" + quote("tjärdalar"))
    expect(page.locator("#sok-status")).to_have_text("4 träffar för ”tjärdalar”.")
    expect(page.locator("#sok-traffar h2 a")).to_have_count(4)  # the list follows the status line
    links = sorted(a.get_attribute("href") for a in page.locator("#sok-traffar h2 a").all())
    assert links == ["/sub/blogg/2014/tjardal/", "/sub/blogg/2015/tjardal/", "/sub/blogg/2016/tjardal/", "/sub/tjara/"]
    page.get_by_label("Typ").select_option("Inlägg")
    expect(page.locator("#sok-status")).to_have_text("3 träffar för ”tjärdalar”.")
    expect(page.locator("#sok-traffar h2 a")).to_have_count(3)
    links = sorted(a.get_attribute("href") for a in page.locator("#sok-traffar h2 a").all())
    assert links == ["/sub/blogg/2014/tjardal/", "/sub/blogg/2015/tjardal/", "/sub/blogg/2016/tjardal/"]
    page.get_by_label("Typ").select_option("Sida")
    expect(page.locator("#sok-status")).to_have_text("1 träff för ”tjärdalar”.")
    expect(page.locator("#sok-traffar h2 a")).to_have_count(1)
    page.locator("#sok-traffar h2 a").click()
    assert page.locator("h1").inner_text() == "Om tjära"
    assert page.url == url + "/sub/tjara/"


def test_a_word_just_saved_in_the_preview_is_found_by_its_search(page, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    messages: list[str] = []
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), base_url="http://127.0.0.1/",
                            drafts=True, future=True))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=messages.append)
    dev.start()
    try:
        url = f"http://127.0.0.1:{dev.port}"
        deadline = time.monotonic() + 30
        while not any(m.startswith("Sökindexet") for m in messages) and time.monotonic() < deadline:
            time.sleep(0.05)  # the first index is made in the background after the first build
        page.goto(url + "/sok/?q=" + quote("sommartid"))
        expect(page.locator("#sok-traffar li").first).to_be_visible()
        page.goto(url + "/sok/?q=" + quote("kolmilorna"))  # the search page open as the editor saves
        expect(page.locator("#sok-status")).to_have_text("Inga träffar för ”kolmilorna”.")
        post = content / "posts/2015/2015-07-02-sommar.md"
        post.write_text(post.read_text(encoding="utf-8") + "\nVi besökte kolmilorna i Klövsjö.\n", encoding="utf-8")
        saved = time.monotonic()
        # The page reloads after the rebuild, and again once the index is made again (serve.py).
        expect(page.locator("#sok-status")).to_have_text("1 träff för ”kolmilorna”.", timeout=15000)
        expect(page.locator("#sok-traffar h2 a")).to_have_count(1)
        print(f"searchable {time.monotonic() - saved:.1f} s after the save")
        assert time.monotonic() - saved < 10, messages
        assert page.locator("#sok-traffar h2 a").get_attribute("href") == "/blogg/2015/sommar/"
        assert "kolmilorna" in page.locator("#sok-traffar mark").first.inner_text().lower()
    finally:
        dev.stop()


def test_without_javascript_the_search_page_says_so_and_offers_the_archive(browser, real_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_site + "/sok/")
    notice = page.locator("#sok-utan-js")
    assert notice.is_visible()
    assert "JavaScript" in notice.inner_text()
    assert notice.get_by_role("link", name="arkivet, år för år").is_visible()
    assert not page.locator("#sok").is_visible()
    context.close()


def test_the_add_to_calendar_link_downloads_a_calendar_that_parses(page, real_site):
    page.goto(real_site + PAGES["event"])
    title = page.locator("h1").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner kalenderfil (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == [title]
    assert download.value.suggested_filename.endswith(".ics")


def test_a_film_is_fetched_from_its_host_only_after_a_click(page, programme_site):
    page.goto(programme_site + "/evenemang/2015/workshop/")
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0
    assert page.outside == []
    page.get_by_role("link", name="Film från förra året").click()
    frame = page.locator("iframe.video-frame")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    assert frame.get_attribute("title") == "Film: Film från förra året"
    frame.element_handle().content_frame().wait_for_load_state()
    assert any(url.startswith("https://www.youtube-nocookie.com/") for url in page.outside)
    page.outside.clear()  # asked for by the click


def test_the_skip_link_is_the_first_stop_and_visible_when_focused(page, real_site):
    page.goto(real_site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getBoundingClientRect().top]")
    assert focused[0] == "skip-link" and focused[1] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall"


@pytest.mark.parametrize("kind", PAGES)
def test_no_horizontal_scrolling_at_320_css_pixels(browser, real_site, kind):
    """WCAG 1.4.10 reflow: 400 % zoom of a 1280 px window is a 320 CSS px wide viewport."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(real_site + PAGES[kind])
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1], f"{kind}: {widths[0]} px wide content in a {widths[1]} px viewport"


def test_a_tag_of_one_long_word_does_not_make_a_phone_scroll_sideways(browser, tmp_path):
    """A chip is as wide as its tag's name: one long word broke out of a 390 px screen."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    post = content / "posts" / "2015" / "2015-05-21-workshop-infor-larresan.md"
    text = post.read_text(encoding="utf-8")
    assert 'tags: ["lärresa"]' in text
    post.write_text(text.replace('tags: ["lärresa"]', 'tags: ["lärresa", "Regionalutvecklingsförvaltningens'
                                 'innovationsprogram2025"]'), encoding="utf-8")
    run = run_cli("build", "--content", str(content), "--output", str(tmp_path / "public"), "--no-cache",
                  "--no-search", "--now", NOW)
    assert run.code == 0, run.err
    server, url = _serve(tmp_path / "public")
    try:
        context = browser.new_context(viewport={"width": 390, "height": 800})
        page = context.new_page()
        page.goto(url + "/blogg/2015/workshop-infor-larresan/")
        page.wait_for_load_state("networkidle")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        context.close()
    finally:
        server.shutdown()
    assert widths[0] <= widths[1], f"{widths[0]} px wide content in a {widths[1]} px viewport"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_wcag_violations(page, real_site, kind, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(real_site + PAGES[kind])
    if kind == "search":
        page.wait_for_selector("#sok-traffar li")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{kind} ({scheme}):\n{results.generate_report()}"


# The preview's error box (serve.py, static/reload.js and byggfel.css): opaque and readable over any
# site style, every error with its file, line, the line itself with the place marked and the fix,
# usable at 360 CSS pixels, and axe-clean in light and dark.
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


def _open(browser, url, scheme="light"):
    context = browser.new_context(viewport={"width": 360, "height": 640}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url + "/blogg/")
    page.wait_for_selector("bygg-fel .fel >> nth=1")
    page.wait_for_function("() => document.querySelector('bygg-fel').shadowRoot.querySelector('link').sheet !== null")
    return context, page, problems


def test_every_error_shows_its_file_line_the_marked_place_and_the_fix(browser, broken_preview):
    context, page, problems = _open(browser, broken_preview)
    items = page.locator("bygg-fel .fel")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    vinter, sommar = sorted(texts)
    assert vinter.startswith("content/posts/2015/2015-03-13-vinter.md, rad 2\n")
    assert "ett citattecken stängs aldrig" in vinter and 'title: "Vinter i Åre' in vinter
    assert "Så rättar du: avsluta texten med samma citattecken" in vinter
    assert sommar.startswith("content/posts/2015/2015-07-02-sommar.md, rad 6, fältet tag\n")
    assert "Så rättar du: menade du 'tags'?\n\nSkriv fältet som i förslaget." in sommar  # the guide's advice too
    marks = page.locator("bygg-fel mark").all_inner_texts()
    assert sorted(marks) == ['"', "tag"]  # the quote that never closes; the field's name
    assert page.locator("bygg-fel h2").inner_text() == "2 fel i innehållet"
    assert page.evaluate("document.querySelector('bygg-fel').shadowRoot.activeElement.className") == "ruta"
    context.close()
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_box_is_opaque_fits_360_pixels_and_axe_finds_nothing(browser, broken_preview, scheme):
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
    assert in_box == [], [(v["id"], [n["target"] for n in v["nodes"]], v["nodes"][0]["failureSummary"]) for v in in_box]
    context.close()
    assert problems == []


def test_a_warning_shows_in_a_panel_at_the_foot_and_the_page_stays_usable(browser, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8").replace("title: Sommartid", "title: ”Sommartid”"),
                    encoding="utf-8")
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), drafts=True, future=True,
                            search=False))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=lambda message: None)
    dev.start()
    try:
        context = browser.new_context(viewport={"width": 360, "height": 640})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{dev.port}/blogg/2015/sommar/")
        page.wait_for_selector("#__byggvarning summary")
        assert page.locator("h1").first.inner_text() == "Sommartid"  # read as meant
        assert page.locator("#__byggfel").count() == 0  # nothing stopped: no box over the page
        summary = page.locator("#__byggvarning summary")
        assert summary.inner_text() == "1 varning i innehållet – sidan är byggd, men titta på dem"
        summary.click()
        warning = page.locator("#__byggvarning .fel").inner_text()
        assert warning.startswith("content/posts/2015/2015-07-02-sommar.md, rad 2, fältet title\n")
        assert "typografiska citattecken (”…”) runt värdet i tecken 8" in warning
        assert page.locator("#__byggvarning mark").inner_text() == "”"
        height = page.evaluate("document.getElementById('__byggvarning').getBoundingClientRect().height")
        assert height <= 0.6 * 640 + 1
        page.wait_for_function("() => document.getElementById('__byggvarning').shadowRoot.querySelector('link').sheet")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
        in_panel = [v["id"] for v in results.response["violations"]
                    if any(isinstance(n["target"][0], list) and n["target"][0][0] == "#__byggvarning"
                           for n in v["nodes"])]
        assert in_panel == []
        context.close()
    finally:
        dev.stop()


def test_icons_are_served_and_no_page_asks_for_a_missing_file(page, real_site):
    """/favicon.ico (which browsers, feed readers and crawlers ask for without being told), the icons the
    pages link and the web manifest's icons all answer 200, and no page of any kind loads a missing file."""
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    for path in PAGES.values():
        page.goto(real_site + path)
    assert missing == []
    favicon = page.request.get(real_site + "/favicon.ico")
    assert favicon.status == 200 and favicon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO header
    page.goto(real_site + "/")
    linked = page.eval_on_selector_all("link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]",
                                       "links => links.map(l => [l.rel, l.href])")
    assert sorted(rel for rel, _ in linked) == ["apple-touch-icon", "icon", "icon", "manifest"]
    for _, href in linked:
        assert page.request.get(href).status == 200, href
    manifest = page.request.get(dict((rel, href) for rel, href in linked)["manifest"]).json()
    assert manifest["name"] == "Innovationsbloggen" and manifest["icons"]
    for icon in manifest["icons"]:
        assert page.request.get(real_site + icon["src"]).status == 200, icon


@pytest.mark.parametrize("width", [390, 1280])
def test_the_arshjul_can_be_used_with_a_finger(browser, real_site, width):
    """On a phone the list under the wheel is where events are picked: every link there is at least
    44 × 44 px, and the wheel's marks, drawn too small for a finger, take no taps. At full size each
    mark's target circle is 44 px across."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(real_site + "/arshjul/2015/")
    boxes = [link.bounding_box() for link in page.locator(".wheel-list a, .wheel-years a").all()]
    assert boxes and all(box["width"] >= 44 and box["height"] >= 44 for box in boxes), boxes
    marks = page.locator(".wheel svg a")
    numbers = page.locator(".wheel-list .number-badge").all_inner_texts()
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    events = marks.evaluate_all("marks => marks.map(m => m.getAttribute('href'))")
    assert set(events) == set(page.locator(".wheel-list a").evaluate_all("links => links.map(l => l.getAttribute('href'))"))
    pointer = marks.first.evaluate("mark => getComputedStyle(mark).pointerEvents")
    if width < 640:
        assert pointer == "none"
    else:
        assert pointer != "none"
        targets = [t.bounding_box() for t in page.locator(".wheel .target").all()]
        assert all(t["width"] >= 44 and t["height"] >= 44 for t in targets)
    context.close()
