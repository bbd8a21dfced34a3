"""The output folder's check against its manifest (outputdir.verify) finds what a walk of the whole
folder finds, while it lists only the folders whose stamp changed (git's untracked cache)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import FILE_CLOCK_TICK

from generator.build import outputdir

HOUR_AGO = time.time_ns() - 3600 * 10**9


def site(folder: Path) -> outputdir.Manifest:
    """A small built site whose folders were last modified an hour ago, with its manifest (made once
    their change time, which setting the time back moves to now, is no longer racy)."""
    for name in ("index.html", "blogg/index.html", "blogg/2015/a/index.html", "blogg/2015/b/index.html",
                 "taggar/x/index.html", "assets/css/site.css"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    for path in sorted((p for p in [folder, *folder.rglob("*")] if p.is_dir()), reverse=True):
        os.utime(path, ns=(HOUR_AGO, HOUR_AGO))
    time.sleep(FILE_CLOCK_TICK)
    manifest = outputdir.record(folder, [])
    manifest.write(folder)
    return manifest


def test_the_manifest_stamps_every_folder_that_holds_a_file(tmp_path):
    manifest = site(tmp_path)
    assert set(manifest.folders) == {"", "blogg", "blogg/2015", "blogg/2015/a", "blogg/2015/b", "taggar",
                                     "taggar/x", "assets", "assets/css"}
    assert manifest.folders["blogg/2015/a"] is not None  # changed long ago: its stamp is kept


def test_a_folder_changed_in_the_file_clocks_present_tick_has_no_stamp_and_is_always_listed(tmp_path, monkeypatch):
    """A folder changed in the tick of the file clock in which the manifest is made could change again
    in that tick with its times unchanged: it gets no stamp. The tick is made certain here; in a
    build it is a matter of milliseconds."""
    (tmp_path / "ny").mkdir()
    (tmp_path / "ny" / "index.html").write_text("x")
    changed = os.stat(tmp_path / "ny")
    monkeypatch.setattr(outputdir, "_file_clock", lambda folder: max(changed.st_mtime_ns, changed.st_ctime_ns))
    manifest = outputdir.record(tmp_path, [])
    assert manifest.folders["ny"] is None


def test_a_folder_changed_a_tick_before_is_stamped_at_once(tmp_path):
    """The file system's own clock says when a folder can no longer change unseen, not a second of
    this computer's: the folders of a build sealed a moment after they were written are stamped, so
    the next build need not list them (a pause of one second left most of them unstamped)."""
    (tmp_path / "ny").mkdir()
    (tmp_path / "ny" / "index.html").write_text("x")
    time.sleep(FILE_CLOCK_TICK)
    manifest = outputdir.record(tmp_path, [])
    assert manifest.folders["ny"] is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ny"]  # the file made to read the clock is gone


def test_a_folder_whose_time_lies_ahead_of_the_file_clock_has_no_stamp(tmp_path):
    """A time set ahead (a copy with another computer's times, a clock put right since) is not before
    the clock's now: no stamp, the folder listed at every check until the clock passes it."""
    (tmp_path / "ny").mkdir()
    (tmp_path / "ny" / "index.html").write_text("x")
    ahead = time.time_ns() + 3600 * 10**9
    os.utime(tmp_path / "ny", ns=(ahead, ahead))
    time.sleep(FILE_CLOCK_TICK)
    assert outputdir.record(tmp_path, []).folders["ny"] is None


def test_no_stamps_where_the_file_clock_cannot_be_read(tmp_path, monkeypatch):
    (tmp_path / "ny").mkdir()
    (tmp_path / "ny" / "index.html").write_text("x")
    time.sleep(FILE_CLOCK_TICK)
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *rest: (_ for _ in ()).throw(PermissionError(13, "nej"))
                        if str(path).endswith(".klocka") else real_open(path, *rest))
    assert set(outputdir.record(tmp_path, []).folders.values()) == {None}


CHANGES = {
    "a file added to a folder": lambda f: (f / "blogg/2015/a/extra.html").write_text("x"),
    "a file removed": lambda f: (f / "blogg/2015/b/index.html").unlink(),
    "a file changed": lambda f: (f / "blogg/index.html").write_text("ändrad"),
    "a folder added": lambda f: ((f / "blogg/2016/c").mkdir(parents=True),
                                 (f / "blogg/2016/c/index.html").write_text("x")),
    "a folder removed": lambda f: shutil.rmtree(f / "taggar/x"),
    "a folder replaced by a link": lambda f: (shutil.copytree(f / "blogg", f.parent / "kopia"),
                                              shutil.rmtree(f / "blogg"), (f / "blogg").symlink_to(f.parent / "kopia")),
    "a file replaced by a folder": lambda f: ((f / "index.html").unlink(), (f / "index.html").mkdir(),
                                              (f / "index.html" / "inne.html").write_text("x")),
    "a file replaced by a link": lambda f: ((f / "assets/css/site.css").unlink(),
                                            (f / "assets/css/site.css").symlink_to("/etc/hostname")),
    "a temporary file at the top": lambda f: (f / ".index.html.123.tmp").write_text("x"),
    # rsync -a, cp -a or touch -d set a folder's modification time back after adding to it
    "a file added, the folder's time set back": lambda f: ((f / "blogg/2015/a/extra.html").write_text("x"),
                                                          os.utime(f / "blogg/2015/a", ns=(HOUR_AGO, HOUR_AGO))),
    "a folder added, the time set back": lambda f: ((f / "taggar/y").mkdir(), (f / "taggar/y/index.html").write_text("x"),
                                                   os.utime(f / "taggar", ns=(HOUR_AGO, HOUR_AGO))),
    "nothing": lambda f: None,
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_check_finds_what_a_walk_of_the_folder_finds(tmp_path, change):
    folder = tmp_path / "public"
    folder.mkdir()
    manifest = site(folder)
    CHANGES[change](folder)
    checked = outputdir.verify(folder)
    walked = outputdir.files_in(folder)
    assert checked.present.keys() == walked.keys()
    assert checked.intact == (change == "nothing")
    assert checked.good == {name for name in manifest.files
                            if name in walked and outputdir.same_stat(walked[name], manifest.files[name])}


ASKED_CHANGES = {
    **CHANGES,
    "a file touched, its bytes kept": lambda f: os.utime(f / "blogg/2015/a/index.html"),
    "a file written again with other bytes of the same size": lambda f: (f / "index.html").write_text("INDEX.HTML"),
    "the folder above a file replaced by a link": lambda f: (
        shutil.copytree(f / "blogg/2015", f.parent / "kopia2015"), shutil.rmtree(f / "blogg/2015"),
        (f / "blogg/2015").symlink_to(f.parent / "kopia2015")),
    "a folder the manifest has no stamp for": lambda f: ((f / "taggar/y").mkdir(),),
}


@pytest.mark.parametrize("change", ASKED_CHANGES)
def test_a_folder_checked_file_by_file_as_asked_answers_as_the_whole_check(tmp_path, change):
    """The current site is checked only for the files a build links from it (CheckedAsAsked): each
    answer is the one verify() gives for the whole folder, whatever was done to it by hand."""
    folder = tmp_path / "public"
    folder.mkdir()
    manifest = site(folder)
    ASKED_CHANGES[change](folder)
    whole = outputdir.verify(folder)
    asked = outputdir.CheckedAsAsked(folder)
    assert asked.id == manifest.id and asked.listed == frozenset(manifest.files)
    for name in [*manifest.files, "blogg/2015/a/extra.html", "index.html/inne.html", "finns-inte.html"]:
        assert asked.holds(name) == (name in whole.good), name
    for inside in ("blogg/", "blogg/2015/", "blogg/2015/a/", "taggar/", "taggar/x/", "assets/css/", "saknas/"):
        assert asked.whole(inside) == whole.whole(inside), inside
    assert outputdir.CheckedAsAsked(folder).intact == whole.intact


def test_a_folder_checked_as_asked_without_stamps_or_manifest_is_checked_whole(tmp_path):
    site(tmp_path)
    outputdir.Manifest("gammal", outputdir.Manifest.read(tmp_path).files).write(tmp_path)  # no folder stamps
    (tmp_path / "blogg/2015/a/index.html").write_text("ändrad")
    asked = outputdir.CheckedAsAsked(tmp_path)
    assert not asked.holds("blogg/2015/a/index.html") and asked.holds("blogg/2015/b/index.html")
    assert not asked.whole("blogg/") and asked.whole("taggar/")
    (tmp_path / outputdir.MANIFEST).unlink()
    none = outputdir.CheckedAsAsked(tmp_path)
    assert none.id == "" and not none.holds("index.html") and not none.whole("taggar/") and not none.intact


def test_a_manifest_of_an_earlier_version_without_folders_is_checked_by_a_walk(tmp_path):
    site(tmp_path)
    outputdir.Manifest("gammal", outputdir.Manifest.read(tmp_path).files).write(tmp_path)
    (tmp_path / "blogg/2015/a/extra.html").write_text("x")
    os.utime(tmp_path / "blogg/2015/a", ns=(HOUR_AGO, HOUR_AGO))  # even a folder whose time was set back
    checked = outputdir.verify(tmp_path)
    assert "blogg/2015/a/extra.html" in checked.present and not checked.intact


def test_folders_without_a_stamp_are_reported_with_the_folders_inside_them(tmp_path):
    folder = tmp_path / "public"
    folder.mkdir()
    site(folder)
    (folder / "blogg/2015/a/tom").mkdir()
    (folder / "ny/djup").mkdir(parents=True)
    (folder / "ny/djup/index.html").write_text("x")
    assert outputdir.verify(folder).unstamped == {"blogg/2015/a/tom", "ny", "ny/djup"}
    outputdir.Manifest("gammal", outputdir.Manifest.read(folder).files).write(folder)  # no stamps at all
    assert outputdir.verify(folder).unstamped >= {"blogg/2015/a/tom", "ny", "ny/djup", "blogg", "taggar/x"}


def test_a_manifest_rewritten_with_the_same_stat_is_read_anew(tmp_path):
    """Manifest.read parses the same bytes once in a process; a manifest rewritten in place with
    the same size and times (and inode) as before is still read as it is now, not as it was."""
    (tmp_path / "a.html").write_text("a")
    first = outputdir.Manifest("a" * 32, {"a.html": (1, 2, 3, "x")})
    first.write(tmp_path)
    assert outputdir.Manifest.read(tmp_path) == first
    path = tmp_path / outputdir.MANIFEST
    before = path.stat()
    second = path.read_bytes().replace(b"a" * 32, b"b" * 32)
    with open(path, "r+b") as file:  # the same inode and size
        file.write(second)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) == \
        (before.st_ino, before.st_size, before.st_mtime_ns)
    assert outputdir.Manifest.read(tmp_path).id == "b" * 32
    path.write_text("{}")
    assert outputdir.Manifest.read(tmp_path) is None
    path.unlink()
    assert outputdir.Manifest.read(tmp_path) is None


def test_a_file_written_in_the_file_clocks_present_tick_is_read_at_the_next_check(tmp_path, monkeypatch):
    """A file written in the tick in which its manifest is made could be written again in that tick
    with its size and time kept (an editor's program saving a page of the same length): its entry
    has no time that a stat can match, and the check reads it, as git's index does with such a file."""
    page = tmp_path / "index.html"
    page.write_text("gammal")
    written = os.stat(page)
    monkeypatch.setattr(outputdir, "_file_clock", lambda folder: max(written.st_mtime_ns, written.st_ctime_ns))
    manifest = outputdir.record(tmp_path, [])
    manifest.write(tmp_path)
    assert manifest.files["index.html"][1] == outputdir.RACY_TIME
    assert outputdir.verify(tmp_path).intact  # the same bytes: read, and found right
    page.write_text("nyare!")  # six bytes, as before, in the same inode
    os.utime(page, ns=(written.st_atime_ns, written.st_mtime_ns))
    assert os.stat(page).st_size == written.st_size and os.stat(page).st_ino == written.st_ino
    assert "index.html" not in outputdir.verify(tmp_path).good


def test_a_file_written_a_tick_before_keeps_its_time(tmp_path):
    (tmp_path / "index.html").write_text("x")
    time.sleep(FILE_CLOCK_TICK)
    assert outputdir.record(tmp_path, []).files["index.html"][1] == os.stat(tmp_path / "index.html").st_mtime_ns

