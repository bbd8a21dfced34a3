"""The dev server: serves the built site, rebuilds on a save, tells tabs to reload, survives broken files."""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.error
import urllib.request

import pytest

from conftest import TESTS
from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths
from generator.commands.serve import DevServer
from generator.site.model import Options

BLOG = TESTS / "sites" / "blog"


@pytest.fixture
def server(tmp_path):
    yield from _server(tmp_path)


@pytest.fixture
def server_in_bundles(tmp_path, monkeypatch):
    """The server, with the blog fixture's search index in four bundles (search.py)."""
    from generator.outputs import search

    monkeypatch.setattr(search, "PAGES_PER_BUNDLE", 2)
    yield from _server(tmp_path)


def _server(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    messages: list[str] = []
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), drafts=True, future=True))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=messages.append)
    dev.start()
    # The search index is made in the background after the first build; the tests start once it is
    # done, so that it does not compete with the timings they measure.
    deadline = time.monotonic() + 30
    while not any(m.startswith("Sökindexet") for m in messages) and time.monotonic() < deadline:
        time.sleep(0.02)
    yield dev, content, messages
    dev.stop()


def get(dev, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{dev.port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def listen(dev, path: str = "/__reload") -> queue.Queue:
    """Follow the event stream in the background; each event arrives as (name, data)."""
    events: queue.Queue = queue.Queue()

    def run():
        connection = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        name = None
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.put((name, json.loads(line[6:])))

    threading.Thread(target=run, daemon=True).start()
    return events


def wait_for(events: queue.Queue, name: str, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            event, data = events.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        if event == name:
            return data
    pytest.fail(f"no {name!r} event within {seconds} s")


def test_serves_the_site_with_drafts_and_future_posts_marked(server):
    dev, _, _ = server
    status, home = get(dev, "/")
    assert status == 200 and "Testbloggen" in home
    assert re.search(r'<script src="/__reload.js" data-version="\d+" data-sokindex="\d+" defer></script>', home)
    status, draft = get(dev, "/blogg/2016/utkast/")
    assert status == 200 and "Utkast: syns bara i förhandsvisningen." in draft
    status, future = get(dev, "/blogg/2016/framtid/")
    assert status == 200 and "Publiceras 1 juni 2016 kl. 09.00." in future
    status, missing = get(dev, "/finns-inte/")
    assert status == 404 and "Sidan finns inte" in missing


def test_a_saved_change_is_served_after_a_rebuild_and_tabs_are_told_to_reload(server):
    dev, content, _ = server
    events = listen(dev)
    assert wait_for(events, "ok") == []
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text().replace("title: Sommartid", "title: Högsommar"))
    wait_for(events, "reload")
    status, page = get(dev, "/blogg/2015/sommar/")
    assert status == 200 and "<h1 class=\"p-name\">Högsommar</h1>" in page
    _, listing = get(dev, "/blogg/taggar/larresa/")
    assert "Högsommar" in listing


def test_a_rebuild_or_a_new_search_index_while_a_page_loads_is_told_when_its_stream_opens(server):
    """A page carries the version and search index it was served with; a rebuild or an index made
    after that but before the page's event stream opened (a reload under load) is told at once,
    where a stream that began from the server's current state missed it and kept the old page."""
    dev, content, _ = server
    _, home = get(dev, "/")
    version, searchable = map(int, re.search(r'data-version="(\d+)" data-sokindex="(\d+)"', home).groups())
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text().replace("title: Sommartid", "title: Högsommar"))
    deadline = time.monotonic() + 10
    while dev.broadcast.version == version and time.monotonic() < deadline:
        time.sleep(0.02)
    assert dev.broadcast.version > version
    assert wait_for(listen(dev, f"/__reload?version={version}&sokindex={dev.broadcast.searchable}"), "reload") == []
    events = listen(dev, f"/__reload?version={dev.broadcast.version}&sokindex={searchable - 1}")
    assert wait_for(events, "ok") == [] and wait_for(events, "sokindex") == []
    current = listen(dev, f"/__reload?version={dev.broadcast.version}&sokindex={dev.broadcast.searchable}")
    assert wait_for(current, "ok") == []
    with pytest.raises(pytest.fail.Exception):
        wait_for(current, "reload", seconds=1.0)


def test_a_burst_of_saves_is_one_rebuild(server):
    dev, content, messages = server
    before = len(messages)
    post = content / "posts/2015/2015-07-02-sommar.md"
    for number in range(5):
        post.write_text(post.read_text() + f"\nRad {number}.\n")
        time.sleep(0.005)
    time.sleep(1.0)
    rebuilds = [m for m in messages[before:] if m.startswith("Byggde om")]
    assert len(rebuilds) == 1, messages[before:]


def test_after_a_save_the_search_index_remakes_in_the_background_only_the_changed_pages_bundle(server_in_bundles):
    dev, content, messages = server_in_bundles
    assert messages[1].startswith("Sökindexet är klart"), messages
    status, listing = get(dev, "/pagefind/bundles.json")
    assert status == 200, messages
    before = json.loads(listing)["bundles"]
    assert len(before) >= 3
    events = listen(dev)
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text() + "\nOm fjällvandring i Vålådalen.\n")
    wait_for(events, "reload")
    deadline = time.monotonic() + 10
    while sum(m.startswith("Sökindexet") for m in messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m for m in messages if m.startswith("Sökindexet")][1].endswith(f"1 av {len(before)} delar gjordes om)."), \
        messages
    after = json.loads(get(dev, "/pagefind/bundles.json")[1])["bundles"]
    changed = [name for name in after if name not in before]
    assert len(changed) == 1 and len(after) == len(before), (before, after)
    status, entry = get(dev, f"/pagefind/{changed[0]}/pagefind-entry.json")
    assert status == 200 and '"sv"' in entry


def test_stopping_the_server_ends_a_search_index_still_being_made(tmp_path, monkeypatch):
    """Ctrl+C while the preview's index is made in the background: the Pagefind run is killed and
    its work folder removed, so that nothing goes on writing into the preview folder afterwards."""
    import stat

    from generator.outputs import search

    pids = tmp_path / "pids"
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!/bin/sh\necho $$ >> {pids}\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(search, "executable", lambda: fake)
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    messages: list[str] = []
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm"))))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=messages.append)
    dev.start()
    deadline = time.monotonic() + 10
    while not pids.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pids.exists(), messages
    started = time.monotonic()
    dev.stop()
    assert time.monotonic() - started < 5
    for pid in pids.read_text().split():  # killed, and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
    assert not [p.name for p in (tmp_path / "preview" / "pagefind").iterdir() if p.name.startswith(".")]
    assert not any("Sökindexet" in m for m in messages), messages


def test_stopping_the_server_waits_for_a_rebuild_under_way(tmp_path, monkeypatch):
    """stop() returned while the rebuild thread was still rendering: the rebuild went on writing into
    the folder, and in one process (the tests') recorded its reads beside the next server's, ending
    one of them with an AttributeError. A rebuild under way now ends before stop() returns."""
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), search=False))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=lambda message: None)
    dev.start()
    under_way, finished = threading.Event(), threading.Event()
    rebuild = live.rebuild

    def slow_rebuild():
        under_way.set()
        time.sleep(0.5)
        result = rebuild()
        finished.set()
        return result

    monkeypatch.setattr(live, "rebuild", slow_rebuild)
    post = next((content / "posts").rglob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nEn rad till.\n", encoding="utf-8")
    assert under_way.wait(10)
    dev.stop()
    assert finished.is_set()


def test_a_broken_file_shows_the_errors_and_keeps_the_last_good_page(server):
    dev, content, messages = server
    events = listen(dev)
    wait_for(events, "ok")
    post = content / "posts/2015/2015-07-02-sommar.md"
    good = post.read_text()
    post.write_text(good.replace("title: Sommartid", "title: [Sommartid"))
    errors = wait_for(events, "errors")
    assert [e["text"] for e in errors] == ["content/posts/2015/2015-07-02-sommar.md:2: ogiltig YAML: en lista inom "
                                           "[ ] stängs aldrig eller saknar kommatecken"]
    assert errors[0]["source"] == "title: [Sommartid" and errors[0]["mark_start"] == 7  # where the list opens
    assert any("sommar.md:2: ogiltig YAML" in m for m in messages)
    status, page = get(dev, "/blogg/2015/sommar/")
    assert status == 200 and "Sommartid" in page
    status, script = get(dev, "/__reload.js")
    assert status == 200 and "Så rättar du" in script  # the overlay
    status, style = get(dev, "/__byggfel.css")
    assert status == 200 and ":host" in style
    late = listen(dev)  # a tab opened now is shown the errors at once
    assert wait_for(late, "errors") == errors
    post.write_text(good)
    wait_for(events, "reload")


def test_a_template_error_is_told_as_one_and_the_preview_goes_on(server, monkeypatch):
    from generator.outputs.render import TemplateProblem

    dev, content, messages = server
    events = listen(dev)
    wait_for(events, "ok")
    rebuild = dev.live.rebuild

    def broken():
        raise TemplateProblem("templates/person.html: 'ingen_sadan' is undefined (vid /personer/bo-ek/)")

    monkeypatch.setattr(dev.live, "rebuild", broken)
    dev.wake.set()
    told = "Ombyggnaden avbröts: templates/person.html: 'ingen_sadan' is undefined (vid /personer/bo-ek/)"
    assert [(e["text"], e["where"]) for e in wait_for(events, "errors")] == [(told, "fel i en mall")]
    assert told + "\nSidor som hann göras om visar ändringen; resten görs om när mallen är rättad och sparad." in messages
    assert not any("Internt fel" in m for m in messages)
    monkeypatch.setattr(dev.live, "rebuild", rebuild)
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text() + "\nEtt stycke till.\n")
    wait_for(events, "reload")


def test_paths_outside_the_site_folder_are_refused(server, tmp_path):
    dev, _, _ = server
    (tmp_path / "hemlig.txt").write_text("hemligt")
    for path in ("/../hemlig.txt", "/%2e%2e/hemlig.txt", "/blogg/../../hemlig.txt"):
        connection = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
        assert response.status in (403, 404) and "hemligt" not in body, path


def test_a_too_long_name_or_a_null_byte_is_answered_without_a_traceback(server, capfd):
    dev, _, _ = server
    for path, status in (("/" + "a" * 300 + "/", 404), ("/blogg/" + "%C3%A5" * 200, 404),
                         ("/%00", 400), ("/blogg/%00/index.html", 400)):
        connection = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == status, path
    assert get(dev, "/")[0] == 200
    time.sleep(0.2)
    assert "Traceback" not in capfd.readouterr().err


def test_binds_loopback_by_default():
    from generator.cli import parser

    args = parser().parse_args(["serve"])
    assert (args.host, args.port, args.output) == ("127.0.0.1", 8000, ".cache/preview")


def test_more_ways_out_of_the_site_folder_are_refused(server, tmp_path):
    dev, _, _ = server
    (tmp_path / "hemlig.txt").write_text("hemligt")
    (tmp_path / "preview" / "lank.txt").symlink_to(tmp_path / "hemlig.txt")
    for path in ("//etc/passwd", "/%2e%2e%2fhemlig.txt", "/..%2fhemlig.txt", "/blogg/%2e%2e/%2e%2e/hemlig.txt",
                 "/..\\hemlig.txt", "/%2E%2E/%2E%2E/etc/passwd", "/lank.txt", "/./../hemlig.txt",
                 "http://127.0.0.1/../hemlig.txt", "/blogg/..%5c..%5chemlig.txt"):
        connection = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        assert response.status in (403, 404) and "hemligt" not in body and "root:" not in body, path


def test_the_server_listens_on_loopback_only_by_default(server):
    dev, _, _ = server
    assert dev.http.server_address[0] == "127.0.0.1"


def test_pages_with_the_reload_script_satisfy_the_sites_csp(server):
    dev, _, _ = server
    _, home = get(dev, "/")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'' in home
    scripts = re.findall(r"<script\b[^>]*>", home)
    assert re.fullmatch(r'<script src="/__reload.js" data-version="\d+" data-sokindex="\d+" defer>',
                        "".join(scripts)), scripts  # one script, from the site itself: 'self'
    _, script = get(dev, "/__reload.js")
    assert "eval(" not in script and "innerHTML" not in script and "setAttribute(\"style\"" not in script


def test_a_client_that_disconnects_mid_response_does_not_harm_the_server(server, tmp_path, capfd):
    dev, _, _ = server
    (tmp_path / "preview" / "stor.bin").write_bytes(os.urandom(16 * 1024 * 1024))
    for number in range(20):
        client = socket.create_connection(("127.0.0.1", dev.port), timeout=5)
        client.sendall(b"GET /stor.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        if number % 2:
            client.recv(1024)  # the headers have started to arrive
        # Close at once, with a reset instead of an orderly goodbye.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    status, home = get(dev, "/")
    assert status == 200 and "Testbloggen" in home
    with urllib.request.urlopen(f"http://127.0.0.1:{dev.port}/stor.bin", timeout=10) as response:
        assert len(response.read()) == 16 * 1024 * 1024
    time.sleep(0.2)
    assert "Traceback" not in capfd.readouterr().err  # the editor's terminal stays quiet


def test_a_flood_of_quick_requests_is_answered_and_the_server_lives_on(server):
    dev, _, _ = server
    paths = ["/", "/blogg/", "/blogg/2015/sommar/", "/finns-inte/", "/__reload.js", "/blogg/rss.xml"]

    def fetch(number: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=20)
        try:
            connection.request("GET", paths[number % len(paths)])
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(fetch, range(1000)))
    assert len(statuses) == 1000 and set(statuses) == {200, 404}
    assert statuses.count(404) == sum(1 for n in range(1000) if paths[n % len(paths)] == "/finns-inte/")
    status, home = get(dev, "/")
    assert status == 200 and "Testbloggen" in home


def test_the_dev_server_command_collects_garbage_between_rebuilds(monkeypatch, tmp_path):
    """`build` runs with the cyclic collector off (cli.run); `serve` runs for hours and must not."""
    import gc

    from generator import cli

    seen = {}

    class Server:
        def __init__(self, live, *args, **kwargs):
            seen["enabled"] = gc.isenabled()
            raise OSError(98, "upptagen")

    monkeypatch.setattr("generator.commands.serve.DevServer", Server)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text('title: "T"\nbase_url: "https://example.org/"\n', encoding="utf-8")
    gc.disable()
    try:
        assert cli.main(["serve", "--content", str(tmp_path / "content"), "--port", "0"]) == 1
    finally:
        gc.enable()
    assert seen["enabled"] is True


def test_an_edit_in_a_linked_folder_of_templates_is_served(tmp_path):
    """A theme's shared partials in templates/delat -> ../tema/delat: the build reads them through
    the link, so the server watches where the link leads and serves the edit."""
    from conftest import ROOT

    content, templates, shared = tmp_path / "content", tmp_path / "templates", tmp_path / "tema" / "delat"
    shutil.copytree(BLOG / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    shared.mkdir(parents=True)
    (shared / "fot.html").write_text("<p>Gammal fot</p>\n", encoding="utf-8")
    (templates / "delat").symlink_to(shared)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", '{% include "delat/fot.html" %}</body>', 1),
                    encoding="utf-8")
    live = LiveSite(Paths(content, tmp_path / "preview", templates, BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), search=False))
    dev = DevServer(live, "127.0.0.1", 0, [content, templates], report=lambda message: None)
    dev.start()
    try:
        events = listen(dev)
        assert wait_for(events, "ok") == []
        assert "Gammal fot" in get(dev, "/")[1]
        (shared / "fot.html").write_text("<p>Ny fot</p>\n", encoding="utf-8")
        wait_for(events, "reload")
        assert "Ny fot" in get(dev, "/")[1]
    finally:
        dev.stop()


def test_a_file_saved_where_the_site_puts_a_page_is_told_as_the_folders_and_moving_it_rebuilds(server):
    """A file saved by hand in the preview's folder where the site then puts a page stops the rebuild
    (test_output_safety). The terminal and the overlay called that "fel i innehållet", which sent the
    editor looking through the content; they name the folder, and moving the file, which the server
    does not watch, is enough for it to rebuild: no save is needed."""
    dev, content, messages = server
    events = listen(dev)
    wait_for(events, "ok")
    saved = dev.live.paths.output / "nytt" / "index.html"
    saved.parent.mkdir()
    saved.write_text("<p>redaktörens</p>", encoding="utf-8")
    (content / "pages" / "nytt.md").write_text("---\ntitle: Nytt\n---\n\nEn ny sida.\n", encoding="utf-8")
    errors = wait_for(events, "errors")
    assert [(e["where"], e["path"]) for e in errors] == [("fel i förhandsvisningens mapp", str(saved))]
    assert any(m.startswith(f"{saved}:1: filen finns redan i förhandsvisningens mapp") and
               "\nFel i förhandsvisningens mapp (1): webbläsaren visar felen;" in m for m in messages), messages
    status, script = get(dev, "/__reload.js")
    assert status == 200 and "e.where" in script and "Flytta filen därifrån, så försvinner rutan." in script
    saved.rename(dev.live.paths.output.parent / "sparad.html")
    wait_for(events, "reload")
    status, page = get(dev, "/nytt/")
    assert status == 200 and "En ny sida." in page
    assert (dev.live.paths.output.parent / "sparad.html").read_text(encoding="utf-8") == "<p>redaktörens</p>"


def test_errors_in_the_content_are_still_told_as_the_contents(server):
    dev, content, messages = server
    events = listen(dev)
    wait_for(events, "ok")
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text().replace("title: Sommartid", "title: [Sommartid"))
    errors = wait_for(events, "errors")
    assert [e["where"] for e in errors] == ["fel i innehållet"]
    assert any("\nFel i innehållet (1): webbläsaren visar felen;" in m for m in messages), messages
