"""Editing in the browser (generator/outputs/cms.py): the vendored Decap CMS, its configuration made from the
content models, and the local proxy API that `serve --cms` answers, tried with plain HTTP requests."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.request

import pytest
import yaml

from conftest import ROOT, TESTS, run_cli
from generator.outputs import cms
from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths
from generator.commands.schema import schemas
from generator.commands.serve import DevServer
from generator.site.model import Options

BLOG = TESTS / "sites" / "blog"
# The vendored bundle, as npm gave it for decap-cms@3.16.3 (cms/README.md says how to update it).
BUNDLE_SHA256 = "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8"


# ---------------------------------------------------------------- the vendored bundle

def test_bundle_is_the_pinned_version():
    package = json.loads((ROOT / "cms" / "package.json").read_text())
    lock = json.loads((ROOT / "cms" / "package-lock.json").read_text())
    assert package["dependencies"]["decap-cms"] == cms.VERSION
    assert lock["packages"]["node_modules/decap-cms"]["version"] == cms.VERSION
    main = (cms.BUNDLE / cms.MAIN).read_bytes()
    assert hashlib.sha256(main).hexdigest() == BUNDLE_SHA256
    assert (cms.BUNDLE / "decap-cms.js.LICENSE.txt").is_file() and (ROOT / "cms" / "LICENSE").is_file()


def test_integrity_is_sha384_of_the_file():
    data = b"console.log(1)"
    assert cms.integrity(data) == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


# ---------------------------------------------------------------- the configuration

def _names(fields: list[dict], prefix: str = "") -> set[str]:
    found = set()
    for field in fields:
        found.add(prefix + field["name"])
        found |= _names(field.get("fields", []), f"{prefix}{field['name']}.")
    return found


def _schema_names(document: dict, node: dict, prefix: str = "") -> set[str]:
    def resolve(node):
        if "$ref" in node:
            return resolve(document["$defs"][node["$ref"].rsplit("/", 1)[1]])
        for choice in node.get("anyOf", []):
            if choice.get("type") != "null":
                return resolve(choice)
        if node.get("type") == "array" and "items" in node:
            return resolve(node["items"])
        if isinstance(node.get("additionalProperties"), dict):
            return resolve(node["additionalProperties"])
        return node

    found = set()
    for name, child in resolve(node).get("properties", {}).items():
        found.add(prefix + name)
        found |= _schema_names(document, child, f"{prefix}{name}.")
    return found


@pytest.mark.parametrize("schema", ["post", "event", "page", "focus-area", "site", "people", "organisations"])
def test_every_model_field_has_a_form_field_and_no_other(schema):
    document = schemas()[schema]
    assert _names(cms.form(schema)) == _schema_names(document, document)


def _collection(made: dict, name: str) -> dict:
    return next(c for c in made["collections"] if c["name"] == name)


def _field(fields: list[dict], dotted: str) -> dict:
    first, _, rest = dotted.partition(".")
    field = next(f for f in fields if f["name"] == first)
    return _field(field["fields"], rest) if rest else field


def test_the_configuration_follows_the_formats():
    made = cms.config({"name": "github", "repo": "region/innovationsbloggen"},
                      cms.Choices(people={"erik-noaksson": "Erik Noaksson"}, organisations={"miun": "Mittuniversitetet"},
                                  events={"kalasturne": "Kalasturné"}))
    posts = _collection(made, "inlagg")
    assert posts["folder"] == "content/posts" and posts["format"] == "frontmatter"
    assert posts["path"] == "{{year}}/{{year}}-{{month}}-{{day}}-{{slug}}"  # as `build.py new post` names files
    fields = posts["fields"]
    assert _field(fields, "title")["required"] is True and _field(fields, "summary")["required"] is False
    assert _field(fields, "date")["widget"] == "string" and _field(fields, "date")["pattern"][0].startswith("^\\d{4}-")
    assert _field(fields, "tags")["widget"] == "list" and _field(fields, "tags")["max"] == 100
    assert _field(fields, "authors")["options"] == [{"label": "Erik Noaksson (erik-noaksson)", "value": "erik-noaksson"}]
    assert _field(fields, "image")["widget"] == "image" and _field(fields, "draft")["widget"] == "boolean"
    assert _field(fields, "focus_areas")["collection"] == "fokusomraden"
    assert _field(fields, "body")["widget"] == "markdown"
    events = _collection(made, "evenemang")
    assert events["format"] == "yaml" and events["extension"] == "yaml"
    ev = events["fields"]
    assert _field(ev, "kind")["options"][0] == "idéverkstad" and _field(ev, "kind")["required"] is True
    assert _field(ev, "place.municipality")["options"] == ["Berg", "Bräcke", "Härjedalen", "Krokom", "Ragunda",
                                                           "Strömsund", "Åre", "Östersund"]
    assert _field(ev, "programme")["widget"] == "list" and _field(ev, "programme.time")["required"] is True
    assert _field(ev, "start")["pattern"][0].startswith("^\\d{4}-")
    assert _field(ev, "organisers")["options"][0]["value"] == "miun"
    assert {f["name"] for f in _field(ev, "documentation")["fields"]} == {
        "gjort", "gett", "lärt", "listat_ut", "lotsning", "aktiviteter"}
    assert made["publish_mode"] == "editorial_workflow" and made["locale"] == "sv"


def test_labels_and_hints_are_the_guides_swedish_descriptions():
    fields = cms.form("post")
    title = _field(fields, "title")
    assert title["label"] == "Rubriken (title)" and title["hint"] == "Rubriken."
    described = schemas()["post"]["properties"]["image_alt"]["description"]
    assert _field(fields, "image_alt")["hint"] == described.replace("`", "")


def test_config_yaml_is_plain_yaml_marked_as_generated():
    text = cms.config_yaml(cms.config(cms.local_backend(), local=True))
    assert text.startswith("# Made by generator/outputs/cms.py")
    assert "&id" not in text and "*id" not in text  # no anchors: read the same by any YAML reader
    assert yaml.safe_load(text)["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}


# ---------------------------------------------------------------- the proxy, directly

@pytest.fixture
def proxy(tmp_path):
    content, assets = tmp_path / "content", tmp_path / "assets"
    shutil.copytree(BLOG / "content", content)
    (assets / "bilder").mkdir(parents=True)
    return cms.Proxy(content, assets), content, assets


@pytest.mark.parametrize("path", ["../etc/passwd", "content/../../x", "/etc/passwd", "content/posts/../../x",
                                  "templates/base.html", "generator/outputs/cms.py", "", "content\\posts", "content/./x",
                                  "content/a\0b"])
def test_paths_outside_content_and_assets_are_refused(proxy, path):
    p, _, _ = proxy
    with pytest.raises(cms.ProxyError):
        p.local(path)


def test_a_link_out_of_content_is_not_followed(proxy, tmp_path):
    p, content, _ = proxy
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("hemligt")
    (content / "posts" / "ut").symlink_to(outside)
    with pytest.raises(cms.ProxyError):
        p.local("content/posts/ut/secret.md")
    with pytest.raises(cms.ProxyError):
        p.handle({"action": "persistEntry", "params": {"entry": {"path": "content/posts/ut/new.md", "raw": "x"},
                                                          "assets": []}})
    assert not (outside / "new.md").exists()
    listed = p.handle({"action": "entriesByFolder", "params": {"folder": "content/posts", "extension": "md",
                                                               "depth": 3}})
    assert not any("secret" in entry["file"]["path"] for entry in listed)


def test_each_action(proxy):
    p, content, assets = proxy
    listed = p.handle({"action": "entriesByFolder", "params": {"folder": "content/posts", "extension": "md",
                                                               "depth": 2}})
    paths = {entry["file"]["path"] for entry in listed}
    assert paths == {f"content/{p.relative_to(content).as_posix()}" for p in (content / "posts").rglob("*.md")}
    first = sorted(paths)[0]
    raw = (content / first.removeprefix("content/")).read_bytes()
    got = p.handle({"action": "getEntry", "params": {"path": first}})
    assert got == {"data": raw.decode(), "file": {"path": first, "id": hashlib.sha256(raw).hexdigest()}}
    [by_files] = p.handle({"action": "entriesByFiles", "params": {"files": [{"path": "content/site.yaml"}]}})
    assert by_files["data"].startswith("title:") or "title:" in by_files["data"]
    missing = p.handle({"action": "getEntry", "params": {"path": "content/posts/finns-inte.md"}})
    assert missing["data"] is None
    picture = base64.b64encode(b"\x89PNG fake").decode()
    p.handle({"action": "persistEntry", "params": {
        "entry": {"path": "content/posts/2026/2026-12-03-nytt.md", "raw": "---\ntitle: Nytt\n---\n"},
        "assets": [{"path": "assets/bilder/ny.png", "content": picture, "encoding": "base64"}],
        "options": {"commitMessage": "x"}}})
    assert (content / "posts/2026/2026-12-03-nytt.md").read_text() == "---\ntitle: Nytt\n---\n"
    assert (assets / "bilder/ny.png").read_bytes() == b"\x89PNG fake"
    media = p.handle({"action": "getMedia", "params": {"mediaFolder": "assets/bilder"}})
    assert [m["path"] for m in media] == ["assets/bilder/ny.png"]
    one = p.handle({"action": "getMediaFile", "params": {"path": "assets/bilder/ny.png"}})
    assert base64.b64decode(one["content"]) == b"\x89PNG fake" and one["name"] == "ny.png"
    stored = p.handle({"action": "persistMedia", "params": {"asset": {
        "path": "assets/bilder/till.png", "content": picture, "encoding": "base64"}, "options": {}}})
    assert stored["path"] == "assets/bilder/till.png"
    p.handle({"action": "deleteFile", "params": {"path": "assets/bilder/till.png", "options": {}}})
    assert not (assets / "bilder/till.png").exists()
    p.handle({"action": "deleteFiles", "params": {"paths": ["assets/bilder/ny.png",
                                                            "content/posts/2026/2026-12-03-nytt.md"]}})
    assert not (assets / "bilder/ny.png").exists() and not (content / "posts/2026/2026-12-03-nytt.md").exists()
    assert p.handle({"action": "info", "params": {}})["publish_modes"] == ["simple"]
    assert p.handle({"action": "unpublishedEntries", "params": {}}) == []
    assert p.handle({"action": "getDeployPreview", "params": {}}) is None
    with pytest.raises(cms.ProxyError) as unknown:
        p.handle({"action": "publishUnpublishedEntry", "params": {}})
    assert unknown.value.status == 422


def test_a_renamed_entry_moves(proxy):
    p, content, _ = proxy
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "gammal.md").write_text("---\ntitle: A\n---\n")
    p.handle({"action": "getEntry", "params": {"path": "content/pages/gammal.md"}})  # opened, as Decap does
    p.handle({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "content/pages/gammal.md", "newPath": "content/pages/ny.md", "raw": "---\ntitle: B\n---\n"}],
        "assets": [], "options": {"hasSubfolders": False}}})
    assert not (content / "pages" / "gammal.md").exists()
    assert (content / "pages" / "ny.md").read_text() == "---\ntitle: B\n---\n"


# ---------------------------------------------------------------- nothing the editor wrote elsewhere is lost

VINTER = "content/posts/2015/2015-03-13-vinter.md"


def _refused(p, body: dict, status: int) -> str:
    with pytest.raises(cms.ProxyError) as refused:
        p.handle(body)
    assert refused.value.status == status, refused.value.message
    return refused.value.message


def _save(path: str, raw: str, **options) -> dict:
    return {"action": "persistEntry", "params": {"entry": {"path": path, "raw": raw}, "assets": [],
                                                 "options": options}}


def test_a_save_does_not_overwrite_a_change_made_on_disk_since_the_entry_was_opened(proxy):
    p, content, _ = proxy
    post = content / VINTER.removeprefix("content/")
    opened = p.handle({"action": "getEntry", "params": {"path": VINTER}})["data"]
    post.write_text(post.read_text(encoding="utf-8") + "\nSkrivet i en annan editor.\n", encoding="utf-8")
    changed = post.read_bytes()
    message = _refused(p, _save(VINTER, opened + "\nFrån formuläret.\n"), 409)
    assert message.startswith(f"{VINTER}: filen har ändrats på disken sedan den öppnades här") and "ladda om" in message
    assert post.read_bytes() == changed
    assert _refused(p, {"action": "deleteFile", "params": {"path": VINTER}}, 409)
    again = p.handle({"action": "getEntry", "params": {"path": VINTER}})["data"]  # the page reloaded
    p.handle(_save(VINTER, again + "\nFrån formuläret.\n"))
    p.handle(_save(VINTER, again + "\nFrån formuläret, en gång till.\n"))  # its own save is no change from elsewhere
    assert post.read_text(encoding="utf-8").endswith("Skrivet i en annan editor.\n\nFrån formuläret, en gång till.\n")
    _refused(p, _save("content/pages/om.md", "---\ntitle: Om\n---\n"), 409)  # never opened: not saved over


def test_a_file_not_saved_as_utf8_is_not_opened_in_the_form(proxy):
    p, content, _ = proxy
    latin = content / "posts/2016/2016-03-01-latin.md"
    latin.write_bytes("---\ntitle: Räksmörgås\ndate: 2016-03-01\n---\nText\n".encode("latin-1"))
    before = latin.read_bytes()
    message = _refused(p, {"action": "getEntry", "params": {"path": "content/posts/2016/2016-03-01-latin.md"}}, 422)
    assert message == ("content/posts/2016/2016-03-01-latin.md: filen är inte sparad som UTF-8 och kan inte "
                       "redigeras här; spara den som UTF-8 i din editor (i Anteckningar: Spara som, Kodning: UTF-8)")
    _refused(p, _save("content/posts/2016/2016-03-01-latin.md", "---\ntitle: R\ufffdksm\ufffdrg\ufffds\n---\n"), 409)
    assert latin.read_bytes() == before


def test_a_new_entry_or_a_new_name_does_not_replace_a_file(proxy):
    p, content, _ = proxy
    sommar = content / "posts/2015/2015-07-02-sommar.md"
    before = sommar.read_bytes()
    message = _refused(p, _save("content/posts/2015/2015-07-02-sommar.md", "---\ntitle: Ny\n---\n", newEntry=True),
                       409)
    assert message.startswith("content/posts/2015/2015-07-02-sommar.md: det finns redan en fil med det namnet")
    _refused(p, _save("content/posts/2015/2015-07-02-SOMMAR.md", "---\ntitle: Ny\n---\n", newEntry=True), 409)
    p.handle({"action": "getEntry", "params": {"path": VINTER}})
    _refused(p, {"action": "persistEntry", "params": {"dataFiles": [
        {"path": VINTER, "newPath": "content/posts/2015/2015-07-02-sommar.md", "raw": "---\ntitle: B\n---\n"}],
        "assets": [], "options": {}}}, 409)
    assert sommar.read_bytes() == before and (content / VINTER.removeprefix("content/")).exists()


@pytest.mark.parametrize("path", ["content", "assets/", "content/posts"])
def test_a_folder_is_not_written_and_no_temporary_file_is_left(proxy, tmp_path, path):
    p, _, _ = proxy
    _refused(p, _save(path, "x", newEntry=True), 403)
    _refused(p, {"action": "persistMedia", "params": {"asset": {"path": path, "content": "eA==",
                                                                "encoding": "base64"}}}, 403)
    assert [f for f in tmp_path.rglob("*") if f.name.endswith(".cms.tmp")] == []


def test_saves_at_once_never_mix_and_leave_no_temporary_file(proxy):
    from concurrent.futures import ThreadPoolExecutor

    p, content, _ = proxy
    path = "content/posts/2016/2016-03-02-samtidigt.md"
    long, short = "---\ntitle: Lång\n---\n" + "lång rad\n" * 300_000, "---\ntitle: Kort\n---\nkort\n"
    for _ in range(10):
        p.handle({"action": "getEntry", "params": {"path": path}})
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(p.handle, _save(path, raw)) for raw in (long, short)]:
                try:
                    done.result()
                except cms.ProxyError as refused:  # the second to come: the first changed the file
                    assert refused.status == 409
        assert (content / "posts/2016/2016-03-02-samtidigt.md").read_text(encoding="utf-8") in (long, short)
    assert [f for f in content.rglob("*") if f.name.endswith(".cms.tmp")] == []


def test_an_upload_replaces_only_a_picture_the_editor_was_shown(proxy):
    p, _, assets = proxy
    (assets / "bilder" / "karta.png").write_bytes(b"\x89PNG lagd hit utanf\xc3\xb6r")

    def upload(name: str) -> dict:
        return {"action": "persistMedia", "params": {"asset": {
            "path": f"assets/bilder/{name}", "content": base64.b64encode(b"\x89PNG ny").decode(),
            "encoding": "base64"}}}

    assert "ladda om" in _refused(p, upload("karta.png"), 409)  # added after the library was shown
    assert "karta.png finns redan i samma mapp" in _refused(p, upload("KARTA.png"), 409)
    assert (assets / "bilder" / "karta.png").read_bytes() == b"\x89PNG lagd hit utanf\xc3\xb6r"
    p.handle({"action": "getMedia", "params": {"mediaFolder": "assets/bilder"}})
    p.handle(upload("karta.png"))  # Decap asked the editor before replacing it
    assert (assets / "bilder" / "karta.png").read_bytes() == b"\x89PNG ny"


def test_a_save_keeps_the_files_permissions_and_writes_through_a_link_inside_content(proxy):
    p, content, _ = proxy
    post = content / VINTER.removeprefix("content/")
    post.chmod(0o600)
    text = p.handle({"action": "getEntry", "params": {"path": VINTER}})["data"]
    p.handle(_save(VINTER, text + "\nEtt stycke.\n"))
    assert post.stat().st_mode & 0o777 == 0o600
    (content / "posts" / "lank.md").symlink_to(post)
    text = p.handle({"action": "getEntry", "params": {"path": "content/posts/lank.md"}})["data"]
    p.handle(_save("content/posts/lank.md", text + "\nGenom länken.\n"))
    assert (content / "posts" / "lank.md").is_symlink() and post.read_text(encoding="utf-8").endswith("Genom länken.\n")


# ---------------------------------------------------------------- the proxy over HTTP (serve --cms)

@pytest.fixture
def cms_server(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    assets = tmp_path / "assets"
    shutil.copytree(BLOG / "assets", assets, symlinks=False)
    messages: list[str] = []
    live = LiveSite(Paths(content, tmp_path / "preview", assets=assets),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), drafts=True, future=True,
                            search=False))
    dev = DevServer(live, "127.0.0.1", 0, [content, assets], report=messages.append, cms=True)
    dev.start()
    yield dev, content, messages
    dev.stop()


def _post(dev, body, headers=None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=10)
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    connection.request("POST", "/api/v1", body=data, headers={"Content-Type": "application/json",
                                                              **(headers or {})})
    response = connection.getresponse()
    answer = json.loads(response.read() or b"null")
    connection.close()
    return response.status, answer


def test_the_api_over_http(cms_server):
    dev, content, _ = cms_server
    status, entries = _post(dev, {"action": "entriesByFolder", "params": {
        "branch": "main", "folder": "content/posts", "extension": "md", "depth": 2}})
    assert status == 200 and entries
    status, answer = _post(dev, {"action": "getEntry", "params": {"path": "../secret"}})
    assert status == 403 and "error" in answer
    status, answer = _post(dev, b"not json")
    assert status == 400


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Content-Type": "text/plain"},
                                     {"Host": "evil.example:80"}])
def test_requests_from_other_sites_are_refused(cms_server, headers):
    dev, content, _ = cms_server
    status, answer = _post(dev, {"action": "persistEntry", "params": {
        "entry": {"path": "content/pages/x.md", "raw": "x"}, "assets": []}}, headers)
    assert status == 403 and not (content / "pages" / "x.md").exists()


def test_admin_page_config_and_bundle_are_served(cms_server):
    dev, _, _ = cms_server
    base = f"http://127.0.0.1:{dev.port}/admin/"
    with urllib.request.urlopen(base, timeout=10) as response:
        page = response.read().decode()
    assert "Content-Security-Policy" in page and 'integrity="sha384-' in page and "<html data-cms" in page
    integrity = re.search(r'src="decap-cms.js" integrity="([^"]+)"', page).group(1)
    with urllib.request.urlopen(base + "decap-cms.js", timeout=30) as response:
        assert cms.integrity(response.read()) == integrity
    with urllib.request.urlopen(base + "config.yml", timeout=10) as response:
        made = yaml.safe_load(response.read())
    assert made["backend"]["name"] == "proxy" and "publish_mode" not in made
    authors = _field(_collection(made, "inlagg")["fields"], "authors")["options"]
    assert authors and all("value" in option for option in authors)  # the fixture's people


def test_serve_cms_refuses_other_hosts():
    run = run_cli("serve", "--cms", "--host", "0.0.0.0", "--content", str(BLOG / "content"))
    assert run.code == 2 and "--cms" in run.err


def test_a_file_the_build_rejects_is_reported(cms_server):
    dev, content, messages = cms_server
    status, _ = _post(dev, {"action": "persistEntry", "params": {
        "entry": {"path": "content/posts/2016/2016-02-02-trasig.md", "raw": "---\ntitle: Trasig\n---\n"},
        "assets": [], "options": {}}})
    assert status == 200
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not dev.broadcast.errors:
        time.sleep(0.05)
    [error] = [e for e in dev.broadcast.errors if "trasig" in e["path"]]
    assert error["text"].endswith("date: fältet saknas") and error["line"] >= 1


# ---------------------------------------------------------------- /admin/ in the built site

def test_admin_is_built_only_for_a_site_with_cms(tmp_path, build):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    run, output = build(content, "--assets", str(BLOG / "assets"), "--no-search", "--no-cache")
    assert run.code == 0, run.err
    assert not (output / "admin").exists() and "/admin/" not in (output / "_headers").read_text()
    with (content / "site.yaml").open("a", encoding="utf-8") as site:
        site.write('cms:\n  repo: "region-jh/innovationsbloggen"\n  auth_url: "https://inloggning.example.org"\n')
    run, output = build(content, "--assets", str(BLOG / "assets"), "--no-search", "--no-cache",
                        output=tmp_path / "with-cms")
    assert run.code == 0, run.err
    admin = output / "admin"
    page = (admin / "index.html").read_text()
    integrity = re.search(r'src="decap-cms.js" integrity="([^"]+)"', page).group(1)
    assert integrity == cms.integrity((admin / "decap-cms.js").read_bytes())
    assert {p.name for p in cms.bundle_files()} | {"cms-admin.js", "cms-admin.css", "config.yml", "index.html"} \
        == {p.name for p in admin.iterdir()}
    stylesheet = re.search(r'data-preview-style="([^"]+)"', page).group(1)
    assert (admin / stylesheet).resolve().is_file()  # the site's own CSS, for the preview
    made = yaml.safe_load((admin / "config.yml").read_text())
    assert made["backend"] == {**made["backend"], "name": "github", "repo": "region-jh/innovationsbloggen",
                               "branch": "main", "base_url": "https://inloggning.example.org"}
    headers = (output / "_headers").read_text()
    assert f"/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {cms.POLICY}" in headers
    assert "/admin/" not in (output / "sitemap.xml").read_text()
    # The public pages keep their strict policy.
    assert "'unsafe-eval'" not in (output / "index.html").read_text()


def test_a_wrong_cms_setting_is_a_swedish_error(tmp_path, build):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    with (content / "site.yaml").open("a", encoding="utf-8") as site:
        site.write('cms:\n  repo: "bara-ett-namn"\n')
    run, _ = build(content, "--assets", str(BLOG / "assets"), "--no-search", "--no-cache")
    assert run.code == 1
    assert re.search(r"site\.yaml:\d+: cms\.repo: 'bara-ett-namn' är inget förråd; skriv ägare/namn", run.err)


def test_plain_serve_has_no_api_and_no_admin(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    live = LiveSite(Paths(content, tmp_path / "preview", assets=BLOG / "assets"),
                    Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), drafts=True, future=True,
                            search=False))
    dev = DevServer(live, "127.0.0.1", 0, [content], report=lambda message: None)
    dev.start()
    try:
        status, _ = _post(dev, {"action": "persistEntry", "params": {
            "entry": {"path": "content/pages/x.md", "raw": "x"}, "assets": []}})
        assert status == 404 and not (content / "pages" / "x.md").exists()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{dev.port}/admin/config.yml", timeout=10)
        assert missing.value.code == 404
    finally:
        dev.stop()


def test_the_parts_of_an_optional_object_are_not_required_in_the_form_and_have_no_default():
    """Decap asks for an object's required fields even when it is left empty, and a default has it
    write the object into the file: the settings of a site without `cms` could not be saved."""
    fields = {f["name"]: f for f in cms.form("site")}
    for name in ("cms", "feeds"):
        assert fields[name]["required"] is False
        assert [(f["name"], f["required"], "default" in f) for f in fields[name]["fields"]] == \
            [(f["name"], False, False) for f in fields[name]["fields"]]
    [repo] = [f for f in fields["cms"]["fields"] if f["name"] == "repo"]
    assert repo["pattern"][1] == "skriv ägare/namn, som på GitHub"
    assert fields["title"]["required"] is True  # a required field of the file itself still is


def test_deleting_or_renaming_an_entry_that_is_a_link_acts_on_the_link_not_the_file_it_leads_to(proxy):
    p, content, _ = proxy
    om = content / "pages" / "om.md"
    before = om.read_bytes()
    (content / "pages" / "lank.md").symlink_to(om)
    (content / "pages" / "lank2.md").symlink_to(om)
    p.handle({"action": "getEntry", "params": {"path": "content/pages/lank.md"}})
    p.handle({"action": "deleteFile", "params": {"path": "content/pages/lank.md"}})
    assert not os.path.lexists(content / "pages" / "lank.md") and om.read_bytes() == before
    text = p.handle({"action": "getEntry", "params": {"path": "content/pages/lank2.md"}})["data"]
    p.handle({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "content/pages/lank2.md", "newPath": "content/pages/lank3.md", "raw": text}],
        "assets": [], "options": {}}})
    assert (content / "pages" / "lank3.md").is_symlink() and om.read_bytes() == before
