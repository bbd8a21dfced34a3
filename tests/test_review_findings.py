"""Reproductions of review findings (h-review): each test states what a user does and fails
while the finding stands. Cached builds must equal --no-cache builds; the generator must not
touch files it did not make."""
from __future__ import annotations

import os
import shutil

from conftest import ROOT, TESTS, run_cli
from test_sites import files_under


def _project(tmp_path):
    content, templates, assets = tmp_path / "content", tmp_path / "templates", tmp_path / "assets"
    shutil.copytree(TESTS / "sites" / "blog" / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    shutil.copytree(TESTS / "sites" / "blog" / "assets", assets)
    return content, templates, assets


def _build(content, templates, assets, output, *extra):
    run = run_cli("build", "--content", str(content), "--output", str(output), "--templates", str(templates),
                  "--assets", str(assets), "--no-search", *extra)
    assert run.code == 0, run.err
    return files_under(output)


def test_a_template_in_a_linked_folder_edited_is_not_left_stale_by_the_cache(tmp_path):
    """A theme keeps shared partials in a linked folder (templates/delat -> ../tema/delat). The
    cache's file digests do not enter linked folders, so an edit to the partial is never seen:
    the quick exit says "unchanged" and the site keeps the old text."""
    content, templates, assets = _project(tmp_path)
    shared = tmp_path / "tema" / "delat"
    shared.mkdir(parents=True)
    (shared / "fot.html").write_text("<p>Gammal fot</p>\n", encoding="utf-8")
    (templates / "delat").symlink_to(shared)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", '{% include "delat/fot.html" %}</body>', 1),
                    encoding="utf-8")
    cache = tmp_path / "cache"
    _build(content, templates, assets, tmp_path / "public", "--cache-dir", str(cache), "--now", "2016-06-01")
    (shared / "fot.html").write_text("<p>Ny fot, längre text</p>\n", encoding="utf-8")
    cached = _build(content, templates, assets, tmp_path / "public", "--cache-dir", str(cache), "--now", "2016-06-01")
    fresh = _build(content, templates, assets, tmp_path / "fresh", "--no-cache", "--now", "2016-06-01")
    stale = sorted(name for name in fresh if cached.get(name) != fresh[name])
    assert not stale, f"{len(stale)} stale files, e.g. {stale[:3]}"


def test_arithmetic_with_the_clock_in_a_template_is_recorded(tmp_path):
    """A template edited to say how old a post is (`site.now - post.date.value`): the subtraction
    is a datetime operator, which Now does not override and __getattribute__ does not see, so the
    read of the clock is not recorded and a later cached build keeps the old age."""
    content, templates, assets = _project(tmp_path)
    post = templates / "post.html"
    text = post.read_text(encoding="utf-8")
    marker = '{% if post.date.value > site.now %}'
    assert marker in text
    post.write_text(text.replace(marker, '<p class="age">{{ (site.now - post.date.value).days }} dagar</p>' + marker, 1),
                    encoding="utf-8")
    cache = tmp_path / "cache"
    _build(content, templates, assets, tmp_path / "public", "--cache-dir", str(cache), "--now", "2016-06-01")
    cached = _build(content, templates, assets, tmp_path / "public", "--cache-dir", str(cache), "--now", "2016-06-20")
    fresh = _build(content, templates, assets, tmp_path / "fresh", "--no-cache", "--now", "2016-06-20")
    stale = sorted(name for name in fresh if cached.get(name) != fresh[name])
    assert not stale, f"{len(stale)} stale files, e.g. {stale[:3]}"


def test_a_linked_folder_in_the_kept_previous_site_is_not_written_through(tmp_path):
    """The editor links a folder of the published site to a folder of their own (public/assets/bilder
    -> ~/foton). Two cached builds later that site is the kept staging folder: Staging.link and
    write follow the link (mkdir/exists/unlink/replace through it), so the build deletes and
    replaces the editor's own files outside the output, and prune then removes the link, so the
    published site has no images at all."""
    content, templates, assets = _project(tmp_path)
    cache, public = tmp_path / "cache", tmp_path / "public"
    _build(content, templates, assets, public, "--cache-dir", str(cache), "--now", "2016-06-01")
    photos = tmp_path / "foton"
    photos.mkdir()
    names = sorted(path.name for path in (public / "assets" / "bilder").iterdir())
    own = {name: b"the editor's own photo " + name.encode() for name in names}
    own["semester.jpg"] = b"not the site's"
    for name, data in own.items():
        (photos / name).write_bytes(data)
    shutil.rmtree(public / "assets" / "bilder")
    (public / "assets" / "bilder").symlink_to(photos)
    post = content / "posts" / "2015" / "2015-07-02-sommar.md"
    for number in (1, 2):
        post.write_text(post.read_text(encoding="utf-8") + f"\nÄndring {number}.\n", encoding="utf-8")
        built = _build(content, templates, assets, public, "--cache-dir", str(cache), "--now", "2016-06-01")
    fresh = _build(content, templates, assets, tmp_path / "fresh", "--no-cache", "--now", "2016-06-01")
    assert {name: (photos / name).read_bytes() for name in os.listdir(photos)} == own, "files outside the output changed"
    assert sorted(built) == sorted(fresh), "the published site is not whole"


def test_a_folder_beside_the_output_that_the_generator_did_not_make_is_kept(tmp_path):
    """The editor keeps a backup of an old site beside the output as `.public.old` (or has a folder
    `.public.staging` of their own). Staging.remove_leftovers removes both with rmtree without
    asking whether they carry the generator's marker: a build deletes them."""
    content, templates, assets = _project(tmp_path)
    for name in (".public.old", ".public.staging"):
        own = tmp_path / name
        own.mkdir()
        (own / "viktigt.txt").write_text("mina anteckningar", encoding="utf-8")
    _build(content, templates, assets, tmp_path / "public", "--no-cache", "--now", "2016-06-01")
    assert (tmp_path / ".public.old" / "viktigt.txt").exists()
    assert (tmp_path / ".public.staging" / "viktigt.txt").exists()


def test_a_build_stopped_between_the_two_renames_leaves_a_whole_site(tmp_path, monkeypatch):
    """Where renameat2's exchange is missing (not Linux, or a file system without it), publish
    renames public -> .public.old, then .public.staging -> public. A build stopped between them
    (Ctrl+C, SIGTERM, an error) runs abandon(), which removes the staging folder (the complete new
    site): there is then no public/ at all, and the next build's remove_leftovers removes
    .public.old (the old site) before it renders."""
    from generator.build import write

    content, templates, assets = _project(tmp_path)
    public = tmp_path / "public"
    _build(content, templates, assets, public, "--no-cache", "--now", "2016-06-01")
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    renames, real_rename = [], os.rename

    def stopped_at_the_second(source, target):
        renames.append(source)
        if len(renames) == 2:
            raise OSError("stopped here, as SIGTERM would")
        real_rename(source, target)

    monkeypatch.setattr(write.os, "rename", stopped_at_the_second)
    try:
        run_cli("build", "--content", str(content), "--output", str(public), "--templates", str(templates),
                "--assets", str(assets), "--no-search", "--no-cache", "--now", "2016-06-01")
    except OSError:
        pass
    assert len(renames) == 2
    assert public.is_dir() and (public / "index.html").is_file(), "no site at all after the stopped build"


def test_the_dev_server_uses_a_template_edited_within_one_tick_of_the_file_clock(tmp_path):
    """LiveSite keeps one Jinja environment; Jinja decides whether a template changed by its
    modification time alone, the incremental record by its bytes. An edit that keeps the time
    (a file system with whole-second times, two saves in one second; an editor or `cp -p`
    restoring it) has the outputs rendered again, and recorded as made with the new template,
    from the old compiled one: the preview stays stale until that template is edited again."""
    from generator.content.dates import parse_now, zone
    from generator.build.pipeline import LiveSite, Paths
    from generator.site.model import Options

    content, templates, assets = _project(tmp_path)
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets), Options(now=parse_now("2016-06-01", zone("Europe/Stockholm"))))
    assert builder.rebuild().errors == []
    base = templates / "base.html"
    times = os.stat(base)
    text = base.read_text(encoding="utf-8")
    assert "</body>" in text
    base.write_text(text.replace("</body>", "<p>ny rad</p></body>", 1), encoding="utf-8")
    os.utime(base, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert builder.rebuild().errors == []
    assert b"<p>ny rad</p>" in (live / "index.html").read_bytes()


def test_a_web_root_holding_a_copied_site_and_the_editors_files_is_not_replaced_without_force(tmp_path):
    """The editor publishes by copying the built site into their web root, which also holds their
    own files (`cp -a public/. /var/www/html/`). The copy brings the manifest, and a folder with a
    manifest counts as the generator's own (outputdir.marked: the file exists), so a later
    `build --output /var/www/html` replaces the folder and the editor's files are gone, without
    --force. The manifest lists what the generator made: files it does not list were not made."""
    content, templates, assets = _project(tmp_path)
    _build(content, templates, assets, tmp_path / "public", "--no-cache", "--now", "2016-06-01")
    web_root = tmp_path / "html"
    shutil.copytree(tmp_path / "public", web_root)
    (web_root / "uploads").mkdir()
    (web_root / "uploads" / "rapport.pdf").write_bytes(b"%PDF the editor's own")
    run = run_cli("build", "--content", str(content), "--output", str(web_root), "--templates", str(templates),
                  "--assets", str(assets), "--no-search", "--no-cache", "--now", "2016-06-01")
    assert (web_root / "uploads" / "rapport.pdf").exists() or run.code != 0
