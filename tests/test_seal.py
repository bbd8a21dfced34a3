"""Sealing a kept previous site into the new one takes what the build left as it was from the check at
its start (Staging._unchanged), not from a stat of each file and folder: the manifest is what a stat
finds, and a change by someone between the check and the seal is found by the next check."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import FILE_CLOCK_TICK
from generator.build import outputdir
from test_incremental import site  # noqa: F401 - the fixture is used by name


def _cached_build(site, output: Path, cache: Path) -> None:
    from generator.build.pipeline import Paths, build
    from generator.content.dates import parse_now, zone
    from generator.site.model import Options

    content, templates, assets = site
    build(Paths(content, output, templates, assets),
          Options(now=parse_now("2015-10-01T12:00", zone("Europe/Stockholm")), search=False), cache_dir=cache)


def _edit(site, number: int) -> None:
    post = site[0] / "posts/2015/2015-07-02-sommar.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\nÄndring {number}.\n", encoding="utf-8")


@pytest.fixture
def edited(site, tmp_path):
    """A site built with the cache, then after edits until the build changes its kept previous site."""
    output, cache = tmp_path / "public", tmp_path / "cache"
    for number in range(3):
        _edit(site, number)
        _cached_build(site, output, cache)
    return output, cache


def test_a_sealed_manifest_is_what_a_stat_of_every_file_and_folder_finds(site, edited):
    """The manifest is what recording the whole folder anew finds, but for what was still racy when
    sealed (read again at the next check)."""
    output, _ = edited
    sealed = outputdir.Manifest.read(output)
    time.sleep(FILE_CLOCK_TICK)
    anew = outputdir.record(output, [])
    assert sealed.files.keys() == anew.files.keys()
    for name, entry in sealed.files.items():
        assert entry == anew.files[name] or (entry[1] == outputdir.RACY_TIME and entry[3] == anew.files[name][3]), name
    assert sealed.folders.keys() == anew.folders.keys()
    assert all(stamp is None or stamp == anew.folders[name] for name, stamp in sealed.folders.items())
    assert sum(stamp is not None for stamp in sealed.folders.values()) > len(sealed.folders) / 2


def test_a_file_changed_in_the_kept_folder_while_it_was_sealed_is_made_again(site, edited, monkeypatch):
    """A file the build kept as it was, changed by someone between the check and the seal: its entry is
    the one the check found, which no longer matches it, so the next build makes it again."""
    from generator.build.write import Staging

    output, cache = edited
    seal = Staging.seal
    changed = []

    def seal_after_a_change(self, written=()):
        name = sorted(self.untouched)[0]
        path = self.folder / name
        path.write_bytes(b"X" * path.stat().st_size)
        changed.append(name)
        return seal(self, written)

    monkeypatch.setattr(Staging, "seal", seal_after_a_change)
    _edit(site, 10)
    _cached_build(site, output, cache)
    monkeypatch.setattr(Staging, "seal", seal)
    assert (output / changed[0]).read_bytes().startswith(b"XXX")  # published as it was found then
    assert changed[0] not in outputdir.verify(output).good
    _cached_build(site, output, cache)  # nothing changed in the content: the output is checked and mended
    fresh = output.parent / "fresh"
    _cached_build(site, fresh, output.parent / "cache-fresh")
    assert (output / changed[0]).read_bytes() == (fresh / changed[0]).read_bytes()


def test_a_file_added_to_an_untouched_folder_while_it_was_sealed_is_found(site, edited, monkeypatch):
    """A file saved into a folder the build left as it was, between the check and the seal: the folder
    keeps the stamp the check found, so the next check lists it and finds the file, and no build
    replaces the folder that holds it."""
    from generator.build.write import Staging

    output, cache = edited
    seal = Staging.seal
    added = []

    def seal_after_an_addition(self, written=()):
        folder = sorted(outputdir.folder_of(name) for name in self.untouched if "/" in name)[0]
        (self.folder / folder / "anteckning.txt").write_text("min", encoding="utf-8")
        added.append(f"{folder}/anteckning.txt")
        return seal(self, written)

    monkeypatch.setattr(Staging, "seal", seal_after_an_addition)
    _edit(site, 20)
    _cached_build(site, output, cache)
    assert outputdir.not_listed(output) == added
