"""The build cache: output with it is byte-identical to output without it, and a broken cache is never used."""
from __future__ import annotations

import os
import pickle
import shutil

import pytest

from conftest import run_cli, write
from test_incremental import EDITS, NOW, TEXT_ONLY, replace, site  # noqa: F401 - the fixture is used by name
from test_sites import files_under

EDIT = dict(EDITS)  # each edit by what it changes


def cached_build(content, templates, assets, output, cache):
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", NOW,
                  "--templates", str(templates), "--assets", str(assets), "--cache-dir", str(cache))
    assert run.code == 0, run.err
    return run


def fresh_build(content, templates, assets, output):
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", NOW,
                  "--templates", str(templates), "--assets", str(assets), "--no-cache")
    assert run.code == 0, run.err
    return files_under(output)


@pytest.mark.slow
def test_with_the_cache_every_edit_gives_the_bytes_of_a_build_without_it(site, tmp_path):
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh-0")
    for number, (what, edit) in enumerate(EDITS, start=1):
        edit(content, templates)
        cached_build(content, templates, assets, output, cache)
        expected = fresh_build(content, templates, assets, tmp_path / f"fresh-{number}")
        built = files_under(output)
        assert sorted(built) == sorted(expected), what
        assert [n for n in built if built[n] != expected[n]] == [], what


def test_a_build_with_nothing_changed_rewrites_no_file(site, tmp_path):
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    run = cached_build(content, templates, assets, output, cache)
    assert run.out.startswith("Inget har ändrats sedan förra bygget")
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_one_edit_renders_little_and_reuses_the_rest_as_hard_links(site, tmp_path):
    from generator.content.dates import parse_now, zone
    from generator.build.pipeline import Paths, build
    from generator.site.model import Options

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    paths = Paths(content, output, templates, assets)
    options = Options(now=parse_now(NOW, zone("Europe/Stockholm")))
    first = build(paths, options, cache_dir=cache)
    inodes = {p.relative_to(output): p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    EDIT["a post's body"](content, templates)
    second = build(paths, options, cache_dir=cache)
    assert first.rendered == first.outputs and second.rendered < second.outputs / 2
    kept = sum(inodes.get(p.relative_to(output)) == p.stat().st_ino for p in output.rglob("*") if p.is_file())
    assert kept >= second.outputs - second.rendered


def test_a_build_later_the_same_day_renders_only_what_an_edit_changed(site, tmp_path):
    """The clock is an input only through what it changes (the day, events ended, posts due): an
    edit built a few minutes after the last build re-renders what shows it, not every page."""
    from generator.content.dates import parse_now, zone
    from generator.build.pipeline import Paths, build
    from generator.site.model import Options

    content, templates, assets = site
    paths = Paths(content, tmp_path / "public", templates, assets)
    stockholm = zone("Europe/Stockholm")
    build(paths, Options(now=parse_now("2015-10-01T12:00", stockholm)), cache_dir=tmp_path / "cache")
    EDIT["a post's body"](content, templates)
    later = build(paths, Options(now=parse_now("2015-10-01T12:07:30", stockholm)), cache_dir=tmp_path / "cache")
    assert 0 < later.rendered < later.outputs / 2


def build_with_cache(site, output, cache, now: str = NOW, **options):
    from generator.content.dates import parse_now, zone
    from generator.build.pipeline import Paths, build
    from generator.site.model import Options

    content, templates, assets = site
    return build(Paths(content, output, templates, assets),
                 Options(now=parse_now(now, zone("Europe/Stockholm")), **options), cache_dir=cache)


def fresh_at(site, output, now: str, *more: str) -> dict:
    content, templates, assets = site
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                  "--templates", str(templates), "--assets", str(assets), "--no-cache", *more)
    assert run.code == 0, run.err
    return files_under(output)


@pytest.mark.slow
def test_after_an_edit_to_posts_texts_alone_little_is_rendered(site, tmp_path):
    """An edit to a post's text renders what shows that text again, not the site; every build
    gives the bytes of a fresh build, and reports the site's counts."""
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    first = build_with_cache(site, output, cache)
    assert first.rendered == first.outputs
    for number, (what, edit) in enumerate(EDITS):
        edit(content, templates)
        report = build_with_cache(site, output, cache)
        if what in TEXT_ONLY:
            assert 0 < report.rendered < report.outputs / 4, what
        assert files_under(output) == fresh_at(site, tmp_path / f"fresh-{number}", NOW), what
        assert report.posts == len(list((output / "blogg").glob("20*/*/index.html"))), what


UTKAST = "posts/2016/2016-02-01-utkast.md"


def edit_text(content, relative: str = "posts/2015/2015-07-02-sommar.md") -> None:
    with open(content / relative, "a", encoding="utf-8") as file:
        file.write("\nEtt stycke till.\n")


# A post's text edited together with something else, or at another time.
SITUATIONS = {
    "a draft's text": (lambda c, t: edit_text(c, UTKAST), NOW, {}),
    "a text and a template": (lambda c, t: (edit_text(c), replace(t / "base.html", "Hoppa", "Hoppa direkt")), NOW, {}),
    "a text and an event": (lambda c, t: (edit_text(c), replace(
        c / "events/2015/2015-10-14-workshop.yaml", 'status: "planned"', 'status: "cancelled"')), NOW, {}),
    "a text and a new file": (lambda c, t: (edit_text(c), write(c / "posts/2015/2015-09-30-ny.md",
                                                                 '---\ntitle: "Ny"\ndate: 2015-09-30\n---\nText\n')), NOW, {}),
    "a text, and an event has ended since": (lambda c, t: edit_text(c), "2015-10-13T20:00", {}),
    "a text, and the clock went back": (lambda c, t: edit_text(c), "2015-09-30T12:00", {}),
    "a text, built with drafts": (lambda c, t: edit_text(c), NOW, {"drafts": True}),
}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_a_text_edit_with_other_changes_gives_a_fresh_builds_bytes(site, tmp_path, situation):
    content, templates, assets = site
    edit, now, options = SITUATIONS[situation]
    output, cache = tmp_path / "public", tmp_path / "cache"
    build_with_cache(site, output, cache, "2015-10-13T09:00" if "ended" in situation else NOW)
    edit(content, templates)
    build_with_cache(site, output, cache, now, **options)
    assert files_under(output) == fresh_at(site, tmp_path / "fresh", now, *(["--drafts"] if options else []))


@pytest.mark.parametrize("kind", ["a link out of content/", "a named pipe"])
def test_a_post_that_became_a_link_or_a_pipe_is_refused_as_without_the_cache(site, tmp_path, kind):
    """A post replaced by a link leading out of content/ (its front matter the same) or by a pipe
    is refused with an error (a pipe's read would block the build), as a build without the cache
    refuses it."""
    import os

    from generator.errors import BuildFailed

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    build_with_cache(site, output, cache)
    before = files_under(output)
    post = content / "posts/2015/2015-07-02-sommar.md"
    text = post.read_text(encoding="utf-8")
    post.unlink()
    if kind == "a named pipe":
        os.mkfifo(post)
    else:
        (tmp_path / "outside.md").write_text(text + "\nText utanför content.\n", encoding="utf-8")
        post.symlink_to(tmp_path / "outside.md")
    with pytest.raises(BuildFailed) as failed:
        build_with_cache(site, output, cache)
    # The refused post's own error says why links to it lead nowhere: they are not reported again.
    assert [e.path for e in failed.value.errors] == ["content/posts/2015/2015-07-02-sommar.md"]
    assert files_under(output) == before


def test_a_time_without_a_zone_is_the_machines_local_time(site, tmp_path):
    from datetime import datetime

    from generator.build.pipeline import Paths, build
    from generator.site.model import Options

    content, templates, assets = site
    paths = Paths(content, tmp_path / "public", templates, assets)
    options = Options(now=datetime(2015, 10, 1, 12, 0))
    build(paths, options, cache_dir=tmp_path / "cache")
    edit_text(content)
    again = build(paths, options, cache_dir=tmp_path / "cache")
    assert 0 < again.rendered < again.outputs / 4


def test_a_text_edit_later_the_same_day_renders_little_and_is_right(site, tmp_path):
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    build_with_cache(site, output, cache, "2015-10-13T09:00")
    edit_text(content)
    later = build_with_cache(site, output, cache, "2015-10-13T11:00")
    assert 0 < later.rendered < later.outputs / 4
    assert files_under(output) == fresh_at(site, tmp_path / "fresh", "2015-10-13T11:00")


def test_a_text_edit_that_breaks_the_front_matter_is_reported_and_writes_nothing(site, tmp_path):
    from generator.errors import BuildFailed

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    build_with_cache(site, output, cache)
    before = files_under(output)
    edit_text(content)
    replace(content / "posts/2015/2015-07-02-sommar.md", "title: Sommartid", "title: [Sommartid")
    with pytest.raises(BuildFailed) as failed:
        build_with_cache(site, output, cache)
    assert [str(e) for e in failed.value.errors] == [
        "content/posts/2015/2015-07-02-sommar.md:2: ogiltig YAML: en lista inom [ ] stängs aldrig "
        "eller saknar kommatecken"]
    assert files_under(output) == before


def test_a_build_stopped_between_the_swap_and_saving_the_cache_misleads_no_later_build(site, tmp_path, monkeypatch):
    """After the swap the cache still describes the folders as they were; a build stopped before
    it saved the cache leaves its marker, and the next build trusts neither folder nor the
    unchanged-inputs check (which here would keep the stopped build's site for the old inputs)."""
    from generator.incremental.memory import BuildMemory

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    build_with_cache(site, output, cache)
    post = content / "posts/2015/2015-07-02-sommar.md"
    before = post.read_text(encoding="utf-8")
    EDIT["a post's title"](content, templates)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(BuildMemory, "remember", stopped)
        with pytest.raises(KeyboardInterrupt):
            build_with_cache(site, output, cache)
    assert b"H\xc3\xb6gsommar" in (output / "blogg/2015/sommar/index.html").read_bytes()  # swapped in
    post.write_text(before, encoding="utf-8")  # back to the inputs the cache knows
    report = build_with_cache(site, output, cache)
    assert not report.unchanged
    assert files_under(output) == fresh_at(site, tmp_path / "fresh", NOW)
    assert not (tmp_path / ".public.staging.unfinished").exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another version", "missing"])
def test_a_damaged_record_of_what_outputs_read_is_not_used(site, tmp_path, damage):
    """Without a trustworthy record of what each output read, every output is rendered (and
    recorded) anew; the next edit renders little again."""
    from generator.incremental import Dependencies

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    build_with_cache(site, output, cache)
    record = cache / "dependencies.pickle"
    data = record.read_bytes()
    if damage == "missing":
        record.unlink()
    elif damage == "garbage":
        record.write_bytes(b"\x80\x05garbage")
    elif damage == "truncated":
        record.write_bytes(data[: len(data) // 2])
    else:
        stored = pickle.loads(data)
        assert isinstance(stored, Dependencies)
        stored.key = "another version"
        record.write_bytes(pickle.dumps(stored))
    edit_text(content)
    report = build_with_cache(site, output, cache)
    assert report.rendered == report.outputs
    assert files_under(output) == fresh_at(site, tmp_path / "fresh", NOW)
    edit_text(content)
    assert 0 < build_with_cache(site, output, cache).rendered < report.outputs / 4
    assert files_under(output) == fresh_at(site, tmp_path / "fresh-2", NOW)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-version", "parts-missing", "wrong-types"])
def test_a_corrupt_or_foreign_cache_is_thrown_away_and_rebuilt(site, tmp_path, damage):
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    file = cache / "build-cache.pickle"
    if damage == "garbage":
        file.write_bytes(b"not a pickle at all")
    elif damage == "truncated":
        file.write_bytes(file.read_bytes()[:100])
    elif damage == "other-version":
        stored = pickle.loads(file.read_bytes())
        stored["key"] = "another version"
        stored["fingerprints"] = {path: "wrong" for path in stored["fingerprints"]}
        file.write_bytes(pickle.dumps(stored))
    else:  # the right version, but not what this version writes
        stored = pickle.loads(file.read_bytes())
        if damage == "parts-missing":
            stored = {"key": stored["key"]}
        else:
            stored.update(parsed=["not", "a", "mapping"], fingerprints="x", staging=None)
        file.write_bytes(pickle.dumps(stored))
    EDIT["a post's title"](content, templates)
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")
    assert pickle.loads(file.read_bytes())["key"] != "another version"
    assert not [p for p in os.listdir(cache) if p.endswith(".tmp")]


def test_an_unchanged_build_still_follows_the_clock(site, tmp_path):
    """Nothing in the files changed, but an event has ended and a post's time has come: rebuild."""
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"

    def at(now: str) -> str:
        run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                      "--templates", str(templates), "--assets", str(assets), "--cache-dir", str(cache))
        assert run.code == 0, run.err
        return run.out

    assert at("2015-10-13T09:00").startswith("Byggde")
    assert at("2015-10-13T10:00").startswith("Inget har ändrats")  # the same day, nothing ended
    assert at("2015-10-13T20:00").startswith("Byggde")  # the scouting tour ended at 19.30
    fresh = run_cli("build", "--content", str(content), "--output", str(tmp_path / "fresh"),
                    "--now", "2015-10-13T20:00", "--templates", str(templates), "--assets", str(assets),
                    "--no-cache")
    assert fresh.code == 0
    assert files_under(output) == files_under(tmp_path / "fresh")
    assert at("2016-06-01T09:00").startswith("Byggde")  # a future post's time has come
    assert (output / "blogg/2016/framtid/index.html").is_file()
    assert at("2015-09-30T12:00").startswith("Byggde")  # the clock set back: the post is future again
    assert files_under(output) == fresh_at((content, templates, assets), tmp_path / "back", "2015-09-30T12:00")


def test_file_stats_spare_reading_unchanged_files_and_notice_every_change(tmp_path, monkeypatch):
    import time

    from generator.incremental import cache

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("första", encoding="utf-8")
    (folder / "b.md").write_text("andra", encoding="utf-8")
    stats_folder = tmp_path / "cache"
    first = cache.file_digests(folder, cache.FileStats(stats_folder))
    assert first["a.md"] == cache.file_digests(folder)["a.md"]  # the same hash as reading the file

    # A file changed within the last moments is hashed but not remembered: a second save in the
    # same tick of the clock could leave its size and times as they were.
    stats = cache.FileStats(stats_folder)
    cache.file_digests(folder, stats)
    assert stats.known == {}
    # The file system's change time (ctime) cannot be set back, so let the clock move past it.
    monkeypatch.setattr(time, "time_ns", lambda real=time.time_ns: real() + 3 * cache.SETTLED)
    stats = cache.FileStats(stats_folder)
    cache.file_digests(folder, stats)
    stats.save()
    assert len(stats.known) == 2

    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    again = cache.file_digests(folder, cache.FileStats(stats_folder))
    assert again == first and not [p for p in opened if p.endswith(".md")], "unchanged files are not read"

    # Same size, and the modification time set back as `cp -p` or rsync would: the change time
    # still differs, so the file is read again.
    (folder / "a.md").write_text("FÖRSTA", encoding="utf-8")
    os.utime(folder / "a.md", ns=(stats.known[str(folder / "a.md")][1],) * 2)
    changed = cache.file_digests(folder, cache.FileStats(stats_folder))
    assert changed["a.md"] != first["a.md"] and changed["b.md"] == first["b.md"]
    assert [p for p in opened if p.endswith(".md")] == [str(folder / "a.md")]


def test_file_stats_forget_files_that_are_gone(tmp_path, monkeypatch):
    import time

    from generator.incremental import cache

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("a", encoding="utf-8")
    (folder / "b.md").write_text("b", encoding="utf-8")
    monkeypatch.setattr(time, "time_ns", lambda real=time.time_ns: real() + 3 * cache.SETTLED)
    stats = cache.FileStats(tmp_path / "cache")
    cache.file_digests(folder, stats)
    stats.save()
    (folder / "b.md").unlink()
    stats = cache.FileStats(tmp_path / "cache")
    assert cache.file_digests(folder, stats) == {"a.md": stats.known[str(folder / "a.md")][4]}
    stats.save()
    assert list(cache.FileStats(tmp_path / "cache").known) == [str(folder / "a.md")]


def test_parse_results_are_kept_in_shards_and_an_edit_rewrites_one(site, tmp_path):
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    shards = sorted(cache.glob("parsed-*.pickle"))
    assert shards, "the parse results are in shard files"

    def rewritten_by(edit: str) -> int:
        before = {shard: shard.stat().st_mtime_ns for shard in shards}
        EDIT[edit](content, templates)
        cached_build(content, templates, assets, output, cache)
        return sum(shard.stat().st_mtime_ns != before[shard] for shard in shards)

    assert rewritten_by("a post's body") == 1  # the edited post's shard
    assert rewritten_by("a post's title") == 1  # the same post: the same shard


def test_a_damaged_shard_is_parsed_again(site, tmp_path):
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    for shard in cache.glob("parsed-*.pickle"):
        shard.write_bytes(shard.read_bytes()[:50])
    EDIT["a post's title"](content, templates)
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")
    assert all(pickle.loads(shard.read_bytes())["parsed"] is not None for shard in cache.glob("parsed-*.pickle"))
@pytest.mark.parametrize("damage", ["garbage", "truncated", "another key"])
def test_a_damaged_quick_check_file_is_ignored(site, tmp_path, damage):
    """`unchanged.json` lets a build stop early; damaged, it is not believed and the build runs."""
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    quick = cache / "unchanged.json"
    stored = quick.read_text(encoding="utf-8")
    quick.write_text({"garbage": "\x00{[", "truncated": stored[: len(stored) // 2],
                      "another key": stored.replace('"key": "', '"key": "0', 1)}[damage], encoding="utf-8")
    EDIT["a post's title"](content, templates)  # believing the file would keep the old site
    run = cached_build(content, templates, assets, output, cache)
    assert run.out.startswith("Byggde")
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")


def test_a_file_missing_from_the_kept_previous_site_is_made_again(site, tmp_path):
    """The previous site kept in .public.staging is changed into the next one; a file gone from it
    (removed by hand, a disk that lost it) is rendered again, never left out of the new site."""
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    EDIT["a post's body"](content, templates)
    cached_build(content, templates, assets, output, cache)
    kept = tmp_path / ".public.staging"
    assert (kept / "om/index.html").is_file()
    (kept / "om/index.html").unlink()
    shutil.rmtree(kept / "kommuner")
    shutil.rmtree(kept / "assets")
    EDIT["a post's title"](content, templates)  # the page om/ and the municipalities do not change
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["garbage", "missing"])
def test_a_damaged_bodies_file_means_rendering_those_posts_again(site, tmp_path, damage):
    """The parse results name where each Markdown body is kept; a body that cannot be read there
    is rendered again from its file, and the site is the same as without the cache."""
    from generator.content.load import StoredBody

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    bodies = sorted(cache.glob("bodies-*.pickle"))
    assert bodies, "the bodies are kept apart from the parse results"
    for file in bodies:
        if damage == "garbage":
            file.write_bytes(b"\x80\x04 not a pickle")
        else:
            file.unlink()
    replace(templates / "post.html", "</article>", "</article>\n")  # every post page is rendered again
    StoredBody.loaded.clear()  # what this test process read already, as a new build's process has not
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")


def test_templates_are_hashed_through_links_as_jinja_reads_them_and_a_loop_ends(tmp_path):
    """Jinja's FileSystemLoader opens templates through linked folders and files, so their digests
    must be of the bytes behind the links; a link back up the tree is entered once, not forever."""
    import hashlib

    from generator.incremental import cache

    theme, templates = tmp_path / "tema", tmp_path / "templates"
    (theme / "delat").mkdir(parents=True)
    templates.mkdir()
    (theme / "delat" / "fot.html").write_text("<p>fot</p>", encoding="utf-8")
    (theme / "sida.html").write_text("<p>sida</p>", encoding="utf-8")
    (templates / "delat").symlink_to(theme / "delat")
    (templates / "sida.html").symlink_to(theme / "sida.html")
    (templates / "runt").symlink_to(templates)  # a loop: templates/runt/runt/... never ends
    digests = cache.file_digests(templates, follow_links=True)
    assert digests["delat/fot.html"] == hashlib.sha1(b"<p>fot</p>").hexdigest()
    assert digests["sida.html"] == hashlib.sha1(b"<p>sida</p>").hexdigest()
    assert "runt/delat/fot.html" not in digests and "runt/runt/sida.html" not in digests
    assert "delat/fot.html" not in cache.file_digests(templates)  # content and assets: links are not entered


def test_files_added_to_the_kept_previous_site_are_not_published_and_the_manifest_lists_what_is(site, tmp_path):
    """A build no longer walks the kept folder after rendering (Staging.prune and seal work from
    what it found there when it checked it, and what the build wrote): a file added to the kept
    folder by hand, or a temporary file a killed write left, is still removed before the swap,
    and the new manifest lists exactly the files published."""
    from generator.build import outputdir

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    EDIT["a post's body"](content, templates)
    cached_build(content, templates, assets, output, cache)
    kept = tmp_path / ".public.staging"
    (kept / "tillagd.html").write_text("för hand", encoding="utf-8")
    (kept / "om" / ".index.html.4242.tmp").write_text("halv", encoding="utf-8")
    (kept / "ny-mapp").mkdir()
    (kept / "ny-mapp" / "fil.txt").write_text("x", encoding="utf-8")
    EDIT["a post's title"](content, templates)
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")
    manifest = outputdir.Manifest.read(output)
    assert set(manifest.files) == set(outputdir.files_in(output))
    assert outputdir.verify(output).intact


def test_an_edit_built_in_another_process_renders_what_one_process_would(site, tmp_path):
    """What the cache records is compared across processes, each with its own hash seed (the order
    of a set of strings differs between them, pydantic's record of the fields set is one): an edit
    built by the next `build` command renders what it renders when every command has the same
    seed. The site has a `cms:` section and events with places, programmes and registration."""
    import subprocess
    import sys
    from pathlib import Path

    content, templates, assets = site
    write(content / "site.yaml", (content / "site.yaml").read_text(encoding="utf-8")
          + 'cms:\n  repo: "region/innovation"\n  auth_url: "https://auth.example.org"\n')
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from pathlib import Path\n"
        "from generator.content.dates import parse_now, zone\n"
        "from generator.build.pipeline import Paths, build\n"
        "from generator.site.model import Options\n"
        "paths = Paths(*(Path(a) for a in sys.argv[2:6]))\n"
        "report = build(paths, Options(now=parse_now(sys.argv[7], zone('Europe/Stockholm'))), cache_dir=Path(sys.argv[6]))\n"
        "print(report.rendered, report.outputs)\n")
    root = Path(__file__).resolve().parents[1]

    def rendered_by_builds(seeds: str, copy: Path) -> list[int]:
        shutil.copytree(content, copy / "content")
        counts = []
        for number, seed in enumerate(seeds):
            if number:
                EDIT["a post's body"](copy / "content", templates)
            done = subprocess.run([sys.executable, "-c", script, str(root), str(copy / "content"),
                                   str(copy / "public"), str(templates), str(assets), str(copy / "cache"), NOW],
                                  env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            counts.append(int(done.stdout.split()[0]))
        return counts

    one_seed = rendered_by_builds("111", tmp_path / "one-seed")
    assert 0 < one_seed[2] < one_seed[0] / 4
    assert rendered_by_builds("123", tmp_path / "seeds") == one_seed
