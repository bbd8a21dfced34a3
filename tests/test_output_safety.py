"""The output folder and the cache: the generator replaces only what it made, the disk is the truth,
and a cache that fails costs only speed (docs/dev/output-safety.md).

Process behaviour (locks, signals, pipes) is in test_processes.py; random paths in test_fuzz_paths.py.
"""
from __future__ import annotations

import errno
import gzip
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FILE_CLOCK_TICK, ROOT, TESTS, run_cli, write
from generator.incremental import cache as cache_module
from generator.build import outputdir
from generator.build import write as write_module
from test_sites import files_under

NOW = "2016-03-01T12:00"
BLOG = TESTS / "sites/blog/content"
ASSETS = TESTS / "sites/blog/assets"  # the images the blog's posts show
DELETED_POST = "posts/2016/2016-01-15-windows.md"


@pytest.fixture
def blog(tmp_path) -> Path:
    """A copy of the blog fixture's content, to edit."""
    content = tmp_path / "project/content"
    shutil.copytree(BLOG, content)
    return content


def build(content: Path, output: Path, *more: str):
    return run_cli("build", "--assets", str(ASSETS), "--content", str(content), "--output", str(output), "--now", NOW, "--no-search", *more)


def fresh(content: Path, folder: Path) -> dict[str, bytes]:
    run = build(content, folder, "--no-cache")
    assert run.code == 0, run.err
    return files_under(folder)


def two_builds(content: Path, output: Path, *more: str) -> None:
    """Build, edit a post, build again: the first site is then kept beside the output (blue/green)."""
    assert build(content, output, *more).code == 0
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt stycke till.\n", encoding="utf-8")
    assert build(content, output, *more).code == 0


def everything_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# The output folder and the cache: where they may be.

@pytest.mark.parametrize("where, message", [
    ("content/pages", "utmappen {content}/pages ligger i innehållsmappen {content}; välj en egen mapp, t.ex. public"),
    ("content", "utmappen {content} ligger i innehållsmappen {content}; välj en egen mapp, t.ex. public"),
    ("project", "utmappen {project} innehåller innehållsmappen {content}; välj en egen mapp, t.ex. public"),
])
def test_an_output_in_or_around_the_content_is_refused_and_nothing_is_deleted(blog, where, message):
    project = blog.parent
    before = everything_under(project)
    target = {"content/pages": blog / "pages", "content": blog, "project": project}[where]
    run = build(blog, target, "--no-cache")
    assert run.code == 1
    assert run.err == "Bygget avbröts: " + message.format(content=blog, project=project) + "\n"
    assert everything_under(project) == before


@pytest.mark.parametrize("folder", ["generator", "templates", "assets", "tests", "docs"])
def test_an_output_inside_the_projects_own_folders_is_refused(blog, folder):
    target = ROOT / folder / "utmapp-som-inte-ska-finnas"
    try:
        run = build(blog, target, "--no-cache")
        assert run.code == 1
        assert "Bygget avbröts: utmappen" in run.err and "välj en egen mapp" in run.err
        assert not target.exists()
    finally:
        shutil.rmtree(target, ignore_errors=True)


def test_a_folder_the_build_did_not_make_is_not_emptied(blog, tmp_path):
    home = tmp_path / "hem"
    write(home / "Documents/thesis.txt", "fyra års arbete")
    write(home / ".bashrc", "export PS1='$ '")
    run = build(blog, home)
    assert run.code == 1
    assert run.err == (f"Bygget avbröts: utmappen {home} innehåller filer som inte kommer från ett bygge; den "
                       "ersätts inte, så att inget går förlorat. Välj en tom eller ny mapp, eller lägg till --force "
                       "om allt i den verkligen får ersättas\n")
    assert everything_under(home) == {"Documents/thesis.txt": "fyra års arbete".encode(),
                                      ".bashrc": b"export PS1='$ '"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hem", "project"]  # no lock, no staging, no cache


def test_force_replaces_a_folder_the_build_did_not_make(blog, tmp_path):
    old = tmp_path / "gammal"
    write(old / "kvar-fran-forr.html", "<p>gammalt</p>")
    run = build(blog, old, "--force")
    assert run.code == 0, run.err
    assert files_under(old) == fresh(blog, tmp_path / "fresh")


def test_a_site_built_before_outputs_carried_the_manifest_is_replaced_without_force(blog, tmp_path):
    output = tmp_path / "public"
    assert build(blog, output).code == 0
    (output / outputdir.MANIFEST).unlink()  # as an earlier version left it, with its _headers line
    headers = (output / "_headers").read_text(encoding="utf-8").split("\n", 1)[1]
    (output / "_headers").write_text("# Security headers for hosts that read a _headers file (Netlify, Cloudflare "
                                      "Pages); made by generator/security.py.\n" + headers, encoding="utf-8")
    write(output / "blogg/borttaget/index.html", "<p>en sida som inte finns längre</p>")
    run = build(blog, output)
    assert run.code == 0, run.err
    assert files_under(output) == fresh(blog, tmp_path / "fresh")
    (output / outputdir.MANIFEST).unlink()
    (output / "_headers").write_text("# mina egna rubriker\n", encoding="utf-8")  # not the generator's line
    assert build(blog, output).code == 1


def test_an_empty_or_missing_folder_and_one_the_build_made_are_fine(blog, tmp_path):
    (tmp_path / "tom").mkdir()
    for folder in (tmp_path / "tom", tmp_path / "ny/djup", tmp_path / "tom"):  # the third time: its own
        run = build(blog, folder)
        assert run.code == 0, run.err
        assert (folder / outputdir.MANIFEST).is_file()


def test_an_output_that_is_a_file_is_refused_and_kept(blog, tmp_path):
    notes = write(tmp_path / "notes.txt", "anteckningar")
    for more in ((), ("--no-cache",), ("--force",)):
        run = build(blog, notes, *more)
        assert run.code == 1
        assert run.err == f"Bygget avbröts: utmappen {notes} är en fil, inte en mapp; välj en mapp, t.ex. public\n"
        assert notes.read_text() == "anteckningar"
    assert not (tmp_path / ".notes.txt.staging").exists()


@pytest.mark.parametrize("output, cache", [("public", "public/.cache"), (".cache", ".cache"),
                                           (".cache/public", ".cache"), ("public", "public")])
def test_the_cache_and_the_output_may_not_lie_in_each_other(blog, output, cache):
    project = blog.parent
    run = run_cli("build", "--assets", str(ASSETS), "--content", "content", "--output", output, "--cache-dir", cache, "--now", NOW, cwd=project)
    assert run.code == 1
    assert run.err == (f"Bygget avbröts: utmappen {output} och cachen {cache} ligger i varandra; cachen får inte "
                       "publiceras och utmappen inte ligga i cachen (välj t.ex. public och .cache)\n")
    assert sorted(p.name for p in project.iterdir()) == ["content"]


def test_the_default_output_next_to_the_default_cache_publishes_nothing_of_the_cache(blog):
    project = blog.parent
    for _ in range(2):
        run = run_cli("build", "--assets", str(ASSETS), "--content", "content", "--now", NOW, cwd=project)
        assert run.code == 0, run.err
    published = everything_under(project / "public")
    assert not [name for name in published if name.endswith(".pickle") or "cache" in name]
    assert (project / ".cache" / cache_module.FILE).is_file()


@pytest.mark.parametrize("cache", ["content", "content/.cache", "templates"])
def test_a_cache_among_the_builds_inputs_is_refused(blog, cache):
    project = blog.parent
    shutil.copytree(ROOT / "templates", project / "templates")
    run = run_cli("build", "--assets", str(ASSETS), "--content", "content", "--templates", "templates", "--cache-dir", cache, "--now", NOW,
                  cwd=project)
    assert run.code == 1
    assert run.err.startswith(f"Bygget avbröts: cachen {cache} ligger i ") and "t.ex. .cache\n" in run.err
    assert not (project / "public").exists() and not (project / cache / cache_module.FILE).exists()


def test_the_preview_is_refused_inside_the_content(blog):
    run = run_cli("serve", "--content", str(blog), "--output", str(blog / "preview"), "--port", "0")
    assert run.code == 1
    assert run.err == (f"Förhandsvisningen avbröts: utmappen {blog / 'preview'} ligger i innehållsmappen {blog}; "
                       "välj en egen mapp, t.ex. public\n")
    assert not (blog / "preview").exists()


def test_the_check_writes_only_into_a_folder_of_its_own(blog):
    project = blog.parent
    run = run_cli("check", "--content", "content", "--now", NOW, cwd=project)
    assert run.err.endswith("Rätta felen innan ändringen slås ihop.\n")  # images the fixture lacks
    assert sorted(p.name for p in project.iterdir()) == ["content"]


# The disk is the truth: the manifest.

def test_the_manifest_describes_every_file_and_is_no_page(blog, tmp_path):
    output = tmp_path / "public"
    assert build(blog, output).code == 0
    manifest = outputdir.Manifest.read(output)
    assert manifest is not None and set(manifest.files) == set(files_under(output))
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert outputdir.MANIFEST not in sitemap
    stat = (output / "index.html").stat()
    assert manifest.files["index.html"][:3] == (stat.st_size, stat.st_mtime_ns, stat.st_ino)


@pytest.mark.parametrize("cached", [True, False])
def test_a_damaged_output_is_repaired_by_the_next_build(blog, tmp_path, cached):
    output, more = tmp_path / "public", (("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",))
    for _ in range(2):
        assert build(blog, output, *more).code == 0
    (output / "index.html").write_text("förstörd", encoding="utf-8")
    (output / "om/index.html").unlink()
    write(output / "blogg/.DS_Store", "lämnad av Finder")  # a file browser's, no one's data
    run = build(blog, output, *more)
    assert run.code == 0, run.err
    assert not run.out.startswith("Inget har ändrats")
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


@pytest.mark.parametrize("cached", [True, False])
def test_a_file_the_editor_put_into_the_output_is_never_deleted(blog, tmp_path, cached):
    """A report saved into the built site by hand is the editor's: the build refuses to replace the
    folder (it removed the file at the second build after), and with --force it may."""
    output, more = tmp_path / "public", (("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",))
    for _ in range(2):
        assert build(blog, output, *more).code == 0
    write(output / "egna-filer/rapport.pdf", "editorns egen rapport")
    write(output / "blogg/anteckning.txt", "också editorns")
    for _ in range(2):
        run = build(blog, output, *more)
        assert run.code == 1 and "Traceback" not in run.err
        assert run.err == (f"Bygget avbröts: utmappen {output} innehåller filer som inte kommer från ett bygge "
                           "(blogg/anteckning.txt och 1 till); den ersätts inte, så att inget går förlorat. Flytta "
                           "filerna därifrån (en fil som ska publiceras hör hemma i assets/), välj en tom eller ny "
                           "mapp, eller lägg till --force om allt i den verkligen får ersättas\n")
        assert (output / "egna-filer/rapport.pdf").read_text(encoding="utf-8") == "editorns egen rapport"
    assert build(blog, output, *more, "--force").code == 0
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


@pytest.mark.parametrize("cached", [True, False])
def test_a_file_saved_into_the_output_during_a_build_is_set_aside_not_deleted(blog, tmp_path, monkeypatch, cached):
    """The check before the build cannot see a file saved while it runs: the swap took it away with
    the old site, which was removed (or kept, and pruned by the next build)."""
    from generator.build import pipeline

    output, more = tmp_path / "public", (("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",))
    for _ in range(2):
        assert build(blog, output, *more).code == 0
    real_step = pipeline.search.step

    def step(*args, **kwargs):  # after the new site is written, before it is swapped in
        write(output / "blogg" / "rapport.txt", "sparad under bygget")
        return real_step(*args, **kwargs)

    monkeypatch.setattr(pipeline.search, "step", step)
    post = blog / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n", encoding="utf-8")
    run = build(blog, output, *more)
    monkeypatch.undo()
    assert run.code == 0 and "Traceback" not in run.err, run.err
    aside = tmp_path / "public.sparade-filer"
    assert run.err == (f"varning: någon sparade filer i {output}/ medan bygget pågick; den förra webbplatsen finns "
                       f"kvar med dem i {aside}/. Flytta det du vill ha därifrån (en fil som ska publiceras hör "
                       "hemma i assets/) och ta sedan bort mappen\n")
    assert (aside / "blogg" / "rapport.txt").read_text(encoding="utf-8") == "sparad under bygget"
    for _ in range(2):  # later builds are right, and leave the set-aside folder alone
        assert build(blog, output, *more).code == 0
        assert files_under(output) == fresh(blog, tmp_path / "fresh")
        assert (aside / "blogg" / "rapport.txt").exists()


def _edit_and_build(content: Path, output: Path, cache: Path, number: int) -> None:
    """Add a paragraph to a post and build with the cache: an edit each time, so no build stops early."""
    post = content / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\nStycke {number}.\n", encoding="utf-8")
    run = build(content, output, "--cache-dir", str(cache))
    assert run.code == 0, run.err


def test_a_file_put_into_an_empty_folder_made_by_hand_is_repaired_too(blog, tmp_path):
    """An empty folder made in the output goes with the site into the kept folder; sealed there as it
    was, a file put into it later would change only its own times, which no manifest keeps, and
    every later build would publish that file. The kept folder's unstamped folders, left empty, are
    removed before it is sealed."""
    import os
    import time

    output = tmp_path / "public"
    edit_and_build = functools.partial(_edit_and_build, blog, output, tmp_path / "cache")
    edit_and_build(1)
    edit_and_build(2)
    (output / "om" / "tom").mkdir()  # in a folder no build here changes
    for number in (3, 4):  # the folder is carried into the kept folder and would be sealed there
        time.sleep(FILE_CLOCK_TICK)
        edit_and_build(number)
    kept = tmp_path / ".public.staging"
    for folder in (output, kept):
        if (folder / "om" / "tom").is_dir():
            time.sleep(FILE_CLOCK_TICK)
            write(folder / "om" / "tom" / "främling.html", "lades hit för hand")
    for number in (5, 6, 7):  # the output and the kept folder change places at each build
        edit_and_build(number)
        assert files_under(output) == fresh(blog, tmp_path / f"fresh-{number}")
        assert [d for d, _, _ in os.walk(output) if not os.listdir(d)] == []  # no folder left empty


def test_a_folder_emptied_by_hand_goes_as_a_fresh_build_has_none(blog, tmp_path):
    """A post deleted, its page's files removed by hand from the output and the cache reset: the
    emptied folder went with the site into the kept folder, where no file of the new site holds it
    and nothing removed it. Sealed there, it got no stamp inside a folder with one, and a file put
    into it later would change only its own times: no check would find that file. Such folders
    are removed too (found by a reviewer)."""
    import os
    import time

    output = tmp_path / "public"
    edit_and_build = functools.partial(_edit_and_build, blog, output, tmp_path / "cache")
    edit_and_build(1)
    edit_and_build(2)
    (blog / "posts/2016/2016-01-15-windows.md").unlink()
    for page in (output / "blogg/2016/windows").iterdir():
        page.unlink()
    shutil.rmtree(tmp_path / "cache")  # and the cache reset: the kept folder is checked by its manifest alone
    for number in (3, 4, 5):  # the output and the kept folder change places at each build
        time.sleep(FILE_CLOCK_TICK)
        edit_and_build(number)
        assert files_under(output) == fresh(blog, tmp_path / f"fresh-{number}")
        assert [d for d, _, _ in os.walk(output) if not os.listdir(d)] == []  # no folder left empty


def test_a_file_only_touched_still_counts_as_made(blog, tmp_path):
    output, cache = tmp_path / "public", ("--cache-dir", str(tmp_path / "cache"))
    assert build(blog, output, *cache).code == 0
    page = output / "index.html"
    page.write_bytes(page.read_bytes())  # the same bytes: a new time, the same content
    assert outputdir.verify(output).intact
    assert build(blog, output, *cache).out.startswith("Inget har ändrats")


@pytest.mark.parametrize("reset", ["cache removed", "cache damaged", "another cache key", "another output folder"])
def test_a_deleted_post_is_gone_after_the_cache_is_reset(blog, tmp_path, reset, monkeypatch):
    output, cache = tmp_path / "public", tmp_path / "cache"
    with_cache = ("--cache-dir", str(cache))
    two_builds(blog, output, *with_cache)
    assert (tmp_path / ".public.staging").is_dir()
    (blog / DELETED_POST).unlink()
    if reset == "cache removed":
        shutil.rmtree(cache)
    elif reset == "cache damaged":
        for path in cache.rglob("*.pickle"):
            path.write_bytes(b"trasig")
        (cache / cache_module.QUICK).write_text("{}")
    elif reset == "another cache key":
        monkeypatch.setattr(cache_module, "code_key", lambda: "en annan version")
    else:
        assert build(blog, tmp_path / "other", *with_cache).code == 0
    run = build(blog, output, *with_cache)
    assert run.code == 0, run.err
    expected = fresh(blog, tmp_path / "fresh")
    assert files_under(output) == expected
    assert not [name for name in files_under(output) if "windows" in name]
    run = build(blog, output, *with_cache)  # and the site swapped out, kept for the next build, is no trap either
    assert files_under(output) == expected


def test_a_deleted_post_is_not_in_the_search_index_after_the_cache_is_reset(blog, tmp_path):
    output, cache = tmp_path / "public", tmp_path / "cache"
    more = ("--now", NOW, "--cache-dir", str(cache))
    for _ in range(2):
        assert run_cli("build", "--assets", str(ASSETS), "--content", str(blog), "--output", str(output), *more).code == 0
    fragments = sorted((output / "pagefind").glob("*/fragment/*.pf_fragment"))
    assert any(b"/blogg/2016/windows/" in gzip.decompress(p.read_bytes()) for p in fragments)
    (blog / DELETED_POST).unlink()
    shutil.rmtree(cache)
    assert run_cli("build", "--assets", str(ASSETS), "--content", str(blog), "--output", str(output), *more).code == 0
    assert not (output / "blogg/2016/windows").exists()
    fragments = sorted((output / "pagefind").glob("*/fragment/*.pf_fragment"))
    assert fragments and not any(b"/blogg/2016/windows/" in gzip.decompress(p.read_bytes()) for p in fragments)


def test_the_quick_exit_checks_the_output_against_its_manifest(blog, tmp_path):
    output, with_cache = tmp_path / "public", ("--cache-dir", str(tmp_path / "cache"))
    for _ in range(2):
        assert build(blog, output, *with_cache).code == 0
    assert build(blog, output, *with_cache).out.startswith("Inget har ändrats")
    (output / "om/index.html").unlink()
    run = build(blog, output, *with_cache)
    assert run.code == 0 and not run.out.startswith("Inget har ändrats")
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def test_a_kept_staging_folder_without_its_manifest_is_not_used(blog, tmp_path):
    output, with_cache = tmp_path / "public", ("--cache-dir", str(tmp_path / "cache"))
    two_builds(blog, output, *with_cache)
    staging = tmp_path / ".public.staging"
    (staging / outputdir.MANIFEST).unlink()
    (staging / "index.html").write_text("från förr", encoding="utf-8")
    (blog / DELETED_POST).unlink()
    assert build(blog, output, *with_cache).code == 0
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


# The cache is only an optimisation.

def fail_writes_under(monkeypatch, folder: Path, error: int) -> None:
    """Every file opened for writing under `folder` fails with `error` (a full disk, a read-only one)."""
    import builtins
    import io
    import os

    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir
    inside = str(folder.resolve())

    def refused(path) -> bool:
        return str(Path(os.fsdecode(path)).resolve()).startswith(inside)

    def fake_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+") and refused(file):
            raise OSError(error, os.strerror(error), str(file))
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and refused(path):
            raise OSError(error, os.strerror(error), str(path))
        return real_os_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):
        if refused(path):
            raise OSError(error, os.strerror(error), str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
@pytest.mark.parametrize("when", ["from the start", "after a first build"])
def test_a_cache_that_cannot_be_written_costs_only_speed(blog, tmp_path, monkeypatch, error, when):
    output, cache = tmp_path / "public", tmp_path / "cache"
    with_cache = ("--cache-dir", str(cache))
    if when == "after a first build":
        assert build(blog, output, *with_cache).code == 0
        (blog / DELETED_POST).unlink()
    else:
        cache.mkdir()
    fail_writes_under(monkeypatch, cache, error)
    run = build(blog, output, *with_cache)
    monkeypatch.undo()
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    warnings = [line for line in run.err.splitlines() if line.startswith("varning: cachen")]
    assert len(warnings) == 1, run.err
    assert warnings[0].endswith("bygget görs utan den") or "bygget blev klart ändå" in warnings[0]
    assert files_under(output) == fresh(blog, tmp_path / "fresh")
    run = build(blog, output, *with_cache)  # the cache writable again: a correct site, no warning
    assert run.code == 0 and "varning" not in run.err
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def test_a_full_disk_under_the_cache_after_the_swap_leaves_a_whole_site_and_exit_0(blog, tmp_path, monkeypatch):
    """The cache is saved after the new site is swapped in: a failure there is a warning, not exit 1."""
    output, cache = tmp_path / "public", tmp_path / "cache"
    with_cache = ("--cache-dir", str(cache))
    assert build(blog, output, *with_cache).code == 0
    (blog / DELETED_POST).unlink()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module, "write_whole", full)
    run = build(blog, output, *with_cache)
    monkeypatch.undo()
    assert run.code == 0, run.err
    assert run.err.count("varning: cachen kunde inte sparas (No space left on device); bygget blev klart ändå") == 1
    assert files_under(output) == fresh(blog, tmp_path / "fresh")
    assert build(blog, output, *with_cache).code == 0
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def test_a_full_disk_under_a_new_cache_is_said_once(blog, tmp_path, monkeypatch):
    """A disk that fills during the first build fails every write into the cache (the parse results,
    the image's files, the record): one warning, which says more followed (it was one line for each,
    and CI's real full disk met two)."""
    output, cache = tmp_path / "public", tmp_path / "cache"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module, "write_whole", full)
    run = build(blog, output, "--cache-dir", str(cache))
    monkeypatch.undo()
    assert run.code == 0 and "Traceback" not in run.err, run.err
    warnings = [line for line in run.err.splitlines() if line.startswith("varning: cachen")]
    assert len(warnings) == 1, run.err
    assert re.fullmatch(r"varning: cachen kunde inte sparas \(No space left on device\); bygget blev klart ändå, men "
                        r"nästa bygge får göra mer från början \(och \d+ fel till med cachen i samma bygge\)",
                        warnings[0]), warnings
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def test_a_cache_removed_during_the_build_costs_nothing_but_time(blog, tmp_path, monkeypatch):
    from generator.outputs import render

    output, cache = tmp_path / "public", tmp_path / "cache"
    with_cache = ("--cache-dir", str(cache))
    assert build(blog, output, *with_cache).code == 0
    assert list((cache / "templates").glob("__jinja2_*"))
    (blog / DELETED_POST).unlink()
    real_render = render.render

    def render_then_remove_the_cache(*args, **kwargs):
        shutil.rmtree(cache, ignore_errors=True)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(render, "render", render_then_remove_the_cache)
    run = build(blog, output, *with_cache)
    monkeypatch.undo()
    assert run.code == 0, run.err
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def test_a_damaged_cache_is_not_used(blog, tmp_path):
    output, cache = tmp_path / "public", tmp_path / "cache"
    with_cache = ("--cache-dir", str(cache))
    assert build(blog, output, *with_cache).code == 0
    for path in cache.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] + b"\x00trasig")
    (blog / DELETED_POST).unlink()
    run = build(blog, output, *with_cache)
    assert run.code == 0, run.err
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def test_the_cache_key_covers_every_installed_distribution(tmp_path, monkeypatch):
    names = " ".join(cache_module.installed_distributions()).lower()
    for library in ("nh3", "markupsafe", "tzdata", "imagesize", "jinja2", "cmarkgfm", "pydantic"):
        assert f"/{library}-" in names, library
    cache_module.code_key.cache_clear()
    before = cache_module.code_key()
    (tmp_path / "nh3-99.0.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    cache_module.code_key.cache_clear()
    try:
        assert cache_module.code_key() != before
    finally:
        monkeypatch.undo()
        cache_module.code_key.cache_clear()
    assert cache_module.code_key() == before


def test_the_cache_key_is_the_same_however_the_generator_is_started(tmp_path):
    """build.py puts the project's folder first on sys.path, `python -m generator` and `-c` put ''
    (the current folder): the project's own egg-info there once made the key, and so every cached
    build after one started another way, differ."""
    keys = set()
    for first, cwd in ((str(ROOT), tmp_path), ("", ROOT), ("", tmp_path)):
        script = (f"import sys; sys.path[0] = {first!r}\n"
                  "from generator.incremental import cache; print(cache.code_key())")
        keys.add(subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True,
                                check=True).stdout.strip())
    assert len(keys) == 1, keys


def _build_after_mounting(content: Path, output: Path, mount: str, *more: str,
                          after: str = "true") -> subprocess.CompletedProcess:
    """A build in a mount namespace of its own (Linux: a user namespace), between the shell commands
    `mount` and `after`; what they printed, with `status=<the build's exit status>` on stdout."""
    assert shutil.which("unshare") and subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True).returncode == 0, \
        "this test mounts a file system in a user namespace (util-linux unshare, Linux)"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--output", str(output),
               "--assets", str(ASSETS), "--now", NOW, "--no-search", *more]
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                           f"{mount} && {' '.join(command)}; echo status=$?; {after}"],
                          capture_output=True, text=True, timeout=120)


def test_a_real_full_disk_under_the_cache(blog, tmp_path):
    """The cache on a 1 MB file system of its own, full after the first build (Linux: a tmpfs mounted
    in a user namespace); the site is right and the build says so once."""
    output, cache = tmp_path / "public", tmp_path / "cache"
    cache.mkdir()
    done = _build_after_mounting(blog, output, f"mount -t tmpfs -o size=256k tmpfs {cache} && "
                                               f"head -c 200000 /dev/zero > {cache}/fyllnad", "--cache-dir", str(cache))
    assert "status=0" in done.stdout, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("varning: cachen") == 1, done.stderr
    assert files_under(output) == fresh(blog, tmp_path / "fresh")
    assert json.loads((output / outputdir.MANIFEST).read_text())["generator"] == "innovationsbloggen"


@pytest.mark.parametrize("mount", ["mount --bind {output} {output}", "mount -t tmpfs tmpfs {output}"])
@pytest.mark.parametrize("cached", [True, False])
def test_an_output_that_is_a_mount_point_is_refused_and_kept(blog, tmp_path, mount, cached):
    """An output folder that is a mount point (a Docker volume, a disk of its own) cannot be swapped
    for the new site: the build says so in Swedish before it builds, with no traceback, and the folder
    is as it was (found by a reviewer: the rename's OSError at the swap was a traceback)."""
    output, more = tmp_path / "public", (("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",))
    output.mkdir()
    if "--bind" in mount:  # a built site, shared into the container
        assert build(blog, output, *more).code == 0
    post = blog / "posts/2015/2015-07-02-sommar.md"  # an edit: no quick "nothing changed" exit
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt stycke till.\n", encoding="utf-8")
    listing = f"cd {output} && find . -type f -exec sha1sum {{}} + | sort"
    before = subprocess.run(["sh", "-c", listing], capture_output=True, text=True, check=True).stdout
    done = _build_after_mounting(blog, output, mount.format(output=output), *more, after=listing)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stdout.startswith("status=1\n") and done.stdout.removeprefix("status=1\n") == before
    assert done.stderr == (f"Bygget avbröts: utmappen {output} går inte att byta ut mot den nya webbplatsen: den är "
                           "en monteringspunkt (en egen disk, eller en mapp som delas in, t.ex. en Docker-volym). "
                           "Montera mappen ovanför i stället, så att utmappen blir en vanlig mapp i den, eller välj "
                           f"en annan utmapp. Inget i {output}/ har ändrats.\n")
    made = ["cache"] if cached and "--bind" in mount else []  # by the build before the mount: this one made nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["project", "public"] + made)


@pytest.mark.parametrize("cached", [True, False])
def test_an_output_that_cannot_be_renamed_at_the_swap_is_kept(blog, tmp_path, monkeypatch, cached):
    """An output folder that becomes a mount point during the build (or cannot be renamed for another
    reason) is found at the swap: a Swedish message, exit status 1, and the folder as it was."""
    output, more = tmp_path / "public", (("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",))
    assert build(blog, output, *more).code == 0
    before = files_under(output)
    post = blog / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt stycke till.\n", encoding="utf-8")
    rename = os.rename

    def busy(source, target):
        if Path(source) == output:  # where the output's rename, or its exchange, fails as a mount point's does
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(source))
        rename(source, target)
    monkeypatch.setattr(write_module, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", busy)
    done = build(blog, output, *more)
    assert (done.code, done.err) == (1, f"Bygget avbröts: {outputdir.not_swappable(output)}\n")
    assert files_under(output) == before
    monkeypatch.setattr(os, "rename", rename)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["project", "public"] + (["cache"] if cached else []))
    assert build(blog, output, *more).code == 0
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGTERM", "SIGINT"])
@pytest.mark.parametrize("cached", [True, False])
def test_a_file_saved_during_a_build_stopped_just_after_the_swap_is_not_lost(blog, tmp_path, stop, cached):
    """A file saved into the output while a build runs goes with the old site at the swap, and is set
    aside only a moment later: a build stopped in that moment (SIGKILL; SIGTERM or Ctrl+C, whose
    clean-up removed the swapped folder) left it in the swapped folder, which it or the next build
    removed as its own (found by a reviewer). The next build sets that folder aside, and says so."""
    output, more = tmp_path / "public", (("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",))
    for _ in range(2):
        assert build(blog, output, *more).code == 0
    post = blog / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n", encoding="utf-8")
    script = f"""
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
sys.argv = ["build.py", "build", "--content", {str(blog)!r}, "--output", {str(output)!r}, "--assets", {str(ASSETS)!r},
            "--now", {NOW!r}, "--no-search", *{list(more)!r}]
from generator.build import pipeline, write
real_step, real_exchange = pipeline.search.step, write._exchange
def step(*args, **kwargs):  # after the new site is written, before it is swapped in
    Path({str(output / "blogg" / "rapport.txt")!r}).write_text("sparad under bygget", encoding="utf-8")
    return real_step(*args, **kwargs)
def exchange(a, b):  # the swap done, the build is stopped
    done = real_exchange(a, b)
    os.kill(os.getpid(), signal.{stop})
    return done
pipeline.search.step, write._exchange = step, exchange
from generator.cli import run
run()
"""
    stopped = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert stopped.returncode != 0 and "Traceback" not in stopped.stderr, stopped.stderr
    run = build(blog, output, *more)
    assert run.code == 0 and "Traceback" not in run.err, run.err
    saved = [path for path in tmp_path.rglob("rapport.txt") if path.read_text(encoding="utf-8") == "sparad under bygget"]
    assert saved, f"the file saved during the build is gone; {stopped.stderr}{run.err}"
    aside = tmp_path / "public.sparade-filer"
    assert saved == [aside / "blogg" / "rapport.txt"]
    assert f"den förra webbplatsen finns kvar med dem i {aside}/" in stopped.stderr + run.err
    assert files_under(output) == fresh(blog, tmp_path / "fresh")


def _live_site(content: Path, live: Path):
    from generator.build.pipeline import LiveSite, Paths
    from generator.content.dates import parse_now, zone
    from generator.site.model import Options

    return LiveSite(Paths(content, live, assets=ASSETS), Options(now=parse_now(NOW, zone("Europe/Stockholm"))))


def test_a_file_saved_into_the_dev_servers_folder_is_never_removed(blog, tmp_path):
    """`serve --output public`, and a file saved into public/ meanwhile: the server's folder vouched
    for every file in it, so the next session, and a build into the folder, removed the file as the
    generator's (found by a reviewer). The folder's manifest lists what the server made; the file is
    kept by the server, and a build is refused with its name, as for a built site."""
    live = tmp_path / "public"
    server = _live_site(blog, live)
    assert server.rebuild().errors == []
    manifest = outputdir.Manifest.read(live)
    assert manifest.live and "blogg/2016/windows/index.html" in manifest.files
    assert set(manifest.files.values()) == {outputdir.LIVE_ENTRY}  # listed, never taken as they are by a build
    write(live / "rapport.pdf", "redaktörens")
    write(live / "blogg/2016/windows/bilaga.txt", "också redaktörens")
    (blog / DELETED_POST).unlink()  # the post's folder goes, and with it all the server made there
    assert server.rebuild().errors == []
    assert not (live / "blogg/2016/windows/index.html").exists()
    assert _live_site(blog, live).rebuild().errors == []  # a new session sweeps what the last one made
    assert (live / "rapport.pdf").read_text() == "redaktörens"
    served = run_cli("serve", "--content", str(blog), "--output", str(live), "--assets", str(ASSETS), "--no-wait")
    assert served.code == 1  # refused before it serves, as a build is
    assert served.err.startswith(f"Förhandsvisningen avbröts: utmappen {live} innehåller filer som inte kommer från "
                                 "ett bygge (blogg/2016/windows/bilaga.txt och 1 till)")
    assert (live / "rapport.pdf").read_text() == "redaktörens"
    assert (live / "blogg/2016/windows/bilaga.txt").read_text() == "också redaktörens"
    assert sorted(outputdir.not_listed(live)) == ["blogg/2016/windows/bilaga.txt", "rapport.pdf"]
    done = build(blog, live)
    assert done.code == 1
    assert done.err.startswith(f"Bygget avbröts: utmappen {live} innehåller filer som inte kommer från ett bygge "
                               "(blogg/2016/windows/bilaga.txt och 1 till)")
    assert (live / "rapport.pdf").read_text() == "redaktörens"


def test_the_dev_servers_folder_without_files_of_others_is_built_over(blog, tmp_path):
    """What the server made, its search index and a file it was writing when it was stopped are
    the generator's: a build replaces the folder with a fresh site, and a new session starts."""
    live = tmp_path / "public"
    assert _live_site(blog, live).rebuild().errors == []
    write(live / "pagefind/pagefind.js", "// the server's index")
    write(live / "blogg/.index.html.4242.tmp", "halvskriven")
    assert outputdir.not_listed(live) == []
    assert _live_site(blog, live).rebuild().errors == []
    assert not (live / "blogg/.index.html.4242.tmp").exists()  # swept as the server's own
    done = build(blog, live)
    assert done.code == 0, done.err
    assert files_under(live) == fresh(blog, tmp_path / "fresh")


def test_a_dev_servers_folder_of_an_earlier_version_is_the_generators(blog, tmp_path):
    """Before its files were listed, the server's folder had a manifest listing none, which vouched
    for all it held: its files are taken as the server's, and a page it no longer has is swept."""
    live = tmp_path / "public"
    assert _live_site(blog, live).rebuild().errors == []
    outputdir.Manifest("gammal", {}).write(live)
    write(live / "blogg/2014/borttagen/index.html", "<p>en sida från förr</p>")
    assert outputdir.not_listed(live) == []
    assert _live_site(blog, live).rebuild().errors == []
    assert not (live / "blogg/2014/borttagen").exists()
    assert outputdir.Manifest.read(live).live


def test_a_file_of_the_editors_named_like_a_temporary_one_is_kept_by_the_server_and_a_build(blog, tmp_path):
    """Only the temporary file of a file the server listed (`.index.html.<process>.tmp` beside it) or of its
    manifest is the server's: an editor's `.anteckningar.2024.tmp` was swept by the next session, and a
    build into the folder replaced it with the folder, as a file the server was writing."""
    live = tmp_path / "public"
    assert _live_site(blog, live).rebuild().errors == []
    write(live / ".anteckningar.2024.tmp", "redaktörens")
    write(live / "blogg/.innovationsbloggen.7.klocka", "också redaktörens")
    write(live / "blogg/.index.html.4242.tmp", "halvskriven")  # the server's: blogg/index.html is listed
    write(live / "..innovationsbloggen.4242.tmp", "{")  # the server's: its manifest, being written
    assert outputdir.not_listed(live) == [".anteckningar.2024.tmp", "blogg/.innovationsbloggen.7.klocka"]
    assert _live_site(blog, live).rebuild().errors == []
    assert (live / ".anteckningar.2024.tmp").read_text() == "redaktörens"
    assert (live / "blogg/.innovationsbloggen.7.klocka").read_text() == "också redaktörens"
    assert not (live / "blogg/.index.html.4242.tmp").exists()
    assert not (live / "..innovationsbloggen.4242.tmp").exists()
    done = build(blog, live)
    assert done.code == 1
    assert (live / ".anteckningar.2024.tmp").read_text() == "redaktörens"


def test_a_file_saved_into_a_built_folder_before_the_servers_first_good_rebuild_is_kept(blog, tmp_path):
    """`serve` into a built site starts with an error in the content: until it is fixed the server
    writes nothing, and a file saved into the folder meanwhile was taken, at the first good rebuild,
    as the server's (all the folder held) and swept. A built folder's files are those its manifest lists."""
    live = tmp_path / "public"
    assert build(blog, live).code == 0
    broken = blog / "posts/2016/2016-02-01-trasig.md"
    write(broken, "---\ntitle: Trasig\ndate: inte ett datum\n---\n\nText.\n")
    server = _live_site(blog, live)
    assert server.rebuild().errors != []
    write(live / "rapport.pdf", "redaktörens")
    broken.unlink()
    assert server.rebuild().errors == []
    assert (live / "rapport.pdf").read_text() == "redaktörens"
    assert outputdir.not_listed(live) == ["rapport.pdf"]


def test_a_file_saved_into_a_new_folder_before_the_servers_first_good_rebuild_is_kept(blog, tmp_path):
    """The same in a folder the server makes: it is the server's, listing no file, from the start."""
    from generator.commands.serve import DevServer

    live = tmp_path / "public"
    broken = blog / "posts/2016/2016-02-01-trasig.md"
    write(broken, "---\ntitle: Trasig\ndate: inte ett datum\n---\n\nText.\n")
    site = _live_site(blog, live)
    server = DevServer(site, "127.0.0.1", 0, [blog], report=lambda message: None)
    try:
        assert server.rebuild().errors != []
        write(live / "rapport.pdf", "redaktörens")
        broken.unlink()
        assert server.rebuild().errors == []
    finally:
        server.http.server_close()
    assert (live / "rapport.pdf").read_text() == "redaktörens"
    assert outputdir.not_listed(live) == ["rapport.pdf"]


def test_a_file_saved_where_the_site_later_puts_a_page_is_not_overwritten_by_the_server(blog, tmp_path):
    """A file saved into the server's folder by hand at a path where the site then gets a page (a new
    page `nytt`, over a saved `nytt/index.html`) was claimed by the server and overwritten. It is kept,
    and the rebuild says why in Swedish and writes nothing, as one with an error in the content does;
    once the file is moved, the page is written."""
    live = tmp_path / "public"
    server = _live_site(blog, live)
    assert server.rebuild().errors == []
    write(live / "nytt/index.html", "<p>redaktörens</p>")
    write(blog / "pages/nytt.md", "---\ntitle: Nytt\n---\n\nEn ny sida.\n")
    report = server.rebuild()
    assert [(e.path, e.message) for e in report.errors] == [(str(live / "nytt/index.html"), (
        "filen finns redan i förhandsvisningens mapp men kommer inte från förhandsvisningen, och webbplatsen "
        "har nu en egen fil här; den skrivs inte över. Flytta filen därifrån, så skrivs webbplatsens"))]
    assert (live / "nytt/index.html").read_text() == "<p>redaktörens</p>"
    assert "nytt/index.html" not in outputdir.Manifest.read(live).files
    (live / "nytt/index.html").rename(tmp_path / "sparad.html")
    assert server.rebuild().errors == []
    assert "En ny sida." in (live / "nytt/index.html").read_text()
    assert files_under(live) == fresh(blog, tmp_path / "fresh")


def test_serve_with_force_takes_all_the_folder_holds_as_its_own(blog, tmp_path):
    """`serve --force`: everything in the folder may be replaced, as the user said, so a file saved
    there where the site gets a page is replaced by the page, not reported."""
    from generator.commands.serve import DevServer

    live = tmp_path / "public"
    assert build(blog, live).code == 0
    write(live / "nytt/index.html", "<p>får ersättas</p>")
    write(blog / "pages/nytt.md", "---\ntitle: Nytt\n---\n\nEn ny sida.\n")
    server = DevServer(_live_site(blog, live), "127.0.0.1", 0, [blog], report=lambda message: None, force=True)
    try:
        assert server.rebuild().errors == []
    finally:
        server.http.server_close()
    assert "En ny sida." in (live / "nytt/index.html").read_text()


def test_a_server_folder_that_cannot_be_marked_is_told_as_the_folder_not_the_port(blog, tmp_path, monkeypatch):
    """The dev server marks its folder as its own when the session starts; a failure there (a full
    disk) said "Kan inte starta servern på 127.0.0.1:…", which points at the port."""
    live = tmp_path / "public"

    def full(folder, made):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / outputdir.MANIFEST))

    monkeypatch.setattr(outputdir, "write_live", full)
    run = run_cli("serve", "--content", str(blog), "--output", str(live), "--port", "0", "--no-search")
    assert run.code == 1
    assert run.err.strip() == f"Förhandsvisningen startades inte: {live / outputdir.MANIFEST}: No space left on device"
