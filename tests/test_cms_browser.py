"""Editing in the browser, end to end: Decap CMS at /admin/ on `serve --cms`, in Debian's Chromium.

A copy of the blog fixture is served by the dev server with the CMS (127.0.0.1 only). The test
writes a post (a tag, an author, an uploaded image with its alt text) and an event with a
programme, edits an existing post and deletes a draft, all through the forms; the files appear
under content/ and assets/, `check` finds no error and the built site shows them. axe-core checks
the parts of /admin/ the project controls: its start page and the preview with the site's CSS.
"""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import time
from datetime import datetime
import zlib
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from conftest import ROOT, TESTS
from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths
from generator.commands.serve import DevServer
from generator.site.model import Options

pytestmark = pytest.mark.browser

BLOG = TESTS / "sites" / "blog"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _png(path: Path) -> Path:
    """A small real PNG (a 4×3 grey picture): the build reads images' sizes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * 4 for _ in range(3))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def editing(tmp_path):
    content, assets = tmp_path / "content", tmp_path / "assets"
    shutil.copytree(BLOG / "content", content)
    shutil.copytree(BLOG / "assets", assets)  # links followed: the copy is the site's own
    live = LiveSite(Paths(content, tmp_path / "preview", assets=assets),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), drafts=True, future=True,
                            search=False))
    messages: list[str] = []
    dev = DevServer(live, "127.0.0.1", 0, [content, assets], report=messages.append, cms=True)
    dev.start()
    yield dev, content, assets, tmp_path
    dev.stop()


@pytest.fixture
def page(browser):
    """A fresh tab in the test process's one Chromium (conftest.browser): Playwright's sync API allows
    one at a time, and a second started beside it fails ("Sync API inside the asyncio loop")."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    tab.on("console", lambda message: tab.problems.append(message.text)
           if message.type == "error" and "Content Security Policy" in message.text else None)
    yield tab
    context.close()


def _wait_for(condition, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _log_in(page, dev):
    page.goto(f"http://127.0.0.1:{dev.port}/admin/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_test_id("inlagg").wait_for()


def _open(page, dev, where: str):
    """Open a place in the CMS with a fresh page load (a change of the hash alone is not followed
    while an entry is open)."""
    _open.count = getattr(_open, "count", 0) + 1
    page.goto(f"http://127.0.0.1:{dev.port}/admin/?{_open.count}#{where}")
    login = page.get_by_role("button", name="Logga in")
    try:
        login.wait_for(timeout=8000)
    except PlaywrightTimeout:
        return  # still logged in
    login.click()


def _select(page, label: str, option: str):
    """Pick `option` in a Decap select (react-select) whose label is `label`."""
    page.get_by_label(label).click()
    page.keyboard.type(option)
    page.get_by_text(option, exact=True).last.click()


def _publish(page):
    page.get_by_role("button", name="Publicera").first.click()
    page.get_by_text("Publicera nu").click()
    expect(page.get_by_text("Ändringar sparade", exact=False).first).to_be_visible(timeout=20000)


def test_an_editor_writes_a_post_and_an_event_edits_and_deletes(editing, page, tmp_path):
    dev, content, assets, _ = editing
    picture = _png(tmp_path / "fjallet.png")
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, dev)

    # A new post: title, date, a tag, an author, an uploaded image with its alt text, and a text.
    page.locator("a[href='#/collections/inlagg/new']").click()
    page.get_by_label("Rubriken (title)").fill("Fjällets idéverkstad")
    # Today, as the file's name will have it (Decap names new files by the day they are made).
    page.get_by_label("När inlägget publiceras (date)").fill(datetime.now().strftime("%Y-%m-%d %H:%M"))
    page.get_by_label("Taggar (tags)").fill("idéverkstad")
    _select(page, "Vem som skrev inlägget (authors)", "Anna Östlund (anna-ostlund)")
    page.get_by_role("button", name="Välj en bild").click()
    page.locator("input[type=file]").set_input_files(str(picture))
    page.get_by_text("fjallet.png").first.wait_for()
    page.get_by_role("button", name="Välj markerad").click()
    page.get_by_label("Vad bilden visar (image_alt)").fill("Ett grått fält")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("Vi träffades på fjället.")
    _publish(page)
    [post] = [p for p in content.glob("posts/*/*.md") if "fjallets-ideverkstad" in p.name]
    front = yaml.safe_load(post.read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == "Fjällets idéverkstad" and front["tags"] == ["idéverkstad"]
    assert front["authors"] == ["anna-ostlund"] and front["image_alt"] == "Ett grått fält"
    assert front["image"] == "../../../assets/bilder/fjallet.png"
    assert (assets / "bilder" / "fjallet.png").read_bytes() == picture.read_bytes()
    assert "Vi träffades på fjället." in post.read_text(encoding="utf-8")

    # A new event with a programme.
    _open(page, dev, "/collections/evenemang/new")
    page.get_by_label("Sorts evenemang (kind)").wait_for()  # the event's form, not the post's still
    page.get_by_label("Rubriken (title)").fill("Idéverkstad på fjället")
    _select(page, "Sorts evenemang (kind)", "idéverkstad")
    page.get_by_label("När evenemanget börjar (start)").fill("2016-04-12 13:00")
    page.get_by_label("När det slutar (end)").fill("2016-04-12 16:00")
    page.get_by_role("button", name="Add programmet (programme)").click()  # "Add": Decap's Swedish lacks it
    page.get_by_role("textbox", name="Tiden för punkten (time)").fill("13.00–14.00")
    page.get_by_role("textbox", name="Vad som händer (title)").fill("Fika och idéer")
    _publish(page)
    [event] = list(content.glob("events/*/*.yaml"))
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    assert data["kind"] == "idéverkstad" and data["programme"][0]["title"] == "Fika och idéer"

    # An existing post edited, a draft deleted.
    summer = content / "posts" / "2015" / "2015-07-02-sommar.md"
    _open(page, dev, "/collections/inlagg/entries/2015/2015-07-02-sommar")
    expect(page.get_by_label("Rubriken (title)")).to_have_value("Sommartid")
    page.get_by_label("Rubriken (title)").fill("Sommartid, rättad")
    _publish(page)
    assert "Sommartid, rättad" in summer.read_text(encoding="utf-8")
    draft = content / "posts" / "2016" / "2016-02-01-utkast.md"
    _open(page, dev, "/collections/inlagg/entries/2016/2016-02-01-utkast")
    expect(page.get_by_label("Rubriken (title)")).to_have_value("Ett utkast")
    page.get_by_role("button", name=re.compile("^Radera")).first.click()  # confirmed by the dialog handler
    assert _wait_for(lambda: not draft.exists())
    assert page.problems == []

    # The files build: check finds nothing, and the site shows the post and the event.
    # In processes of their own, as an editor runs them: the dev server is still rebuilding in this one.
    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--content", str(content),
                               "--assets", str(assets)], capture_output=True, text=True, timeout=300)

    run = command("check")
    assert run.returncode == 0 and "0 fel" in run.stdout, run.stdout + run.stderr
    run = command("build", "--output", str(tmp_path / "public"), "--no-search", "--no-cache")
    assert run.returncode == 0, run.stderr
    built = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "public").rglob("index.html"))
    assert "Fjällets idéverkstad" in built and "Ett grått fält" in built and "Fika och idéer" in built
    assert "Sommartid, rättad" in built


def test_a_saved_file_the_build_rejects_is_shown_over_the_cms(editing, page):
    """The form lets an image without alt text through (the rule joins two fields); the build does not,
    and its Swedish message, with the file and line, appears over the CMS, which stays as it was."""
    dev, content, _, _ = editing
    _log_in(page, dev)
    page.locator("a[href='#/collections/inlagg/new']").click()
    page.get_by_label("Rubriken (title)").fill("Bild utan text")
    page.get_by_label("När inlägget publiceras (date)").fill(datetime.now().strftime("%Y-%m-%d %H:%M"))
    page.get_by_role("button", name="Välj en bild").click()
    page.get_by_text("karta.png").first.click()
    page.get_by_role("button", name="Välj markerad").click()
    _publish(page)
    overlay = page.locator("bygg-fel")
    expect(overlay).to_contain_text("bild-utan-text.md, rad", timeout=20000)
    expect(overlay).to_contain_text("en bild behöver en alt-text")
    expect(page.get_by_label("Rubriken (title)")).to_have_value("Bild utan text")  # no reload


def test_axe_finds_nothing_on_the_parts_the_project_controls(editing, page):
    dev, _, _, _ = editing
    axe = Axe()
    # The start page, before the CMS has started (scripts blocked: what a reader without JavaScript sees).
    page.route("**/*.js", lambda route: route.abort())
    page.goto(f"http://127.0.0.1:{dev.port}/admin/")
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.violations_count == 0, result.generate_report()
    page.unroute("**/*.js")
    # The preview of a post: the site's own CSS on the site's own structure.
    _log_in(page, dev)
    page.goto(f"http://127.0.0.1:{dev.port}/admin/#/collections/inlagg/entries/2015/2015-07-02-sommar")
    preview = page.frame_locator("#preview-pane")
    preview.locator("article.h-entry").wait_for()
    frame = next(f for f in page.frames if f.name == "preview-pane" or "preview" in (f.name or ""))
    # The text itself (.e-content) is rendered by Decap's own Markdown renderer, not by the project.
    result = axe.run(frame, context={"include": [["article"]], "exclude": [[".e-content"]]},
                     options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.violations_count == 0, result.generate_report()


def test_a_post_changed_on_disk_after_it_was_opened_is_not_saved_over(editing, page):
    """An editor has a post open in the form while the same file changes on disk (a text editor,
    `git pull`): the save is refused with the proxy's message, the change on disk stays, and after
    a reload the form shows it and saves."""
    dev, content, _, _ = editing
    summer = content / "posts" / "2015" / "2015-07-02-sommar.md"
    _log_in(page, dev)
    _open(page, dev, "/collections/inlagg/entries/2015/2015-07-02-sommar")
    expect(page.get_by_label("Rubriken (title)")).to_have_value("Sommartid")
    summer.write_text(summer.read_text(encoding="utf-8") + "\nSkrivet i en annan editor.\n", encoding="utf-8")
    changed = summer.read_bytes()
    page.get_by_label("Rubriken (title)").fill("Sommartid, från formuläret")
    page.get_by_role("button", name="Publicera").first.click()
    page.get_by_text("Publicera nu").click()
    expect(page.get_by_text("filen har ändrats på disken sedan den öppnades här", exact=False).first) \
        .to_be_visible(timeout=20000)
    assert summer.read_bytes() == changed
    _open(page, dev, "/collections/inlagg/entries/2015/2015-07-02-sommar")
    expect(page.get_by_label("Rubriken (title)")).to_have_value("Sommartid")
    page.get_by_label("Rubriken (title)").fill("Sommartid, från formuläret")
    _publish(page)
    text = summer.read_text(encoding="utf-8")
    assert "Sommartid, från formuläret" in text and "Skrivet i en annan editor." in text


def test_an_editor_changes_the_sites_settings(editing, page):
    """The settings save on a site without the optional `cms` and `feeds` (the region's own has
    neither): Decap asked for `cms.repo` before, and saved nothing. The proxy knows the version
    the form was given, so the save is no conflict, and the file still passes `check`."""
    dev, content, assets, _ = editing
    _log_in(page, dev)
    _open(page, dev, "/collections/installningar/entries/site")
    page.get_by_label("Webbplatsens namn (title)").wait_for()
    page.get_by_label("Webbplatsens namn (title)").fill("Testbloggen, ny")
    _publish(page)
    saved = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    assert saved["title"] == "Testbloggen, ny"
    assert "cms" not in saved and "feeds" not in saved  # parts the editor did not fill in stay out
    assert page.problems == []
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(content),
                          "--assets", str(assets)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "0 fel" in run.stdout, run.stdout + run.stderr + (content / "site.yaml").read_text()


def test_an_svg_with_a_script_opened_in_the_preview_cannot_use_the_cms(editing, page):
    """An SVG (a partner's logo) is a document that can run a script. Served as it was, opened in a tab
    it ran with the server's own origin and could use the CMS's API as the editor does (here: open
    site.yaml, then delete it). Served with `Content-Security-Policy: sandbox`, it runs no script."""
    import urllib.request

    dev, content, assets, tmp_path = editing
    api = ('(action, params) => fetch("/api/v1", {method: "POST", headers: {"Content-Type": "application/json"}, '
           'body: JSON.stringify({action, params})})')
    (assets / "bilder" / "partner.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>'
        f'const api = {api}; api("getEntry", {{path: "content/site.yaml"}})'
        '.then(() => api("deleteFile", {path: "content/site.yaml"})).then(r => document.title = "svar " + r.status);'
        '</script></svg>', encoding="utf-8")
    preview = tmp_path / "preview"
    assert _wait_for(lambda: list(preview.glob("assets/bilder/partner*.svg")))
    [served] = preview.glob("assets/bilder/partner*.svg")
    address = f"http://localhost:{dev.port}/{served.relative_to(preview).as_posix()}"  # as /admin/ is opened
    with urllib.request.urlopen(address) as response:
        assert response.headers["Content-Security-Policy"] == "sandbox"
    page.goto(address)
    page.wait_for_timeout(2000)
    assert page.title() == "" and (content / "site.yaml").is_file()
