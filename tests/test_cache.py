"""The build cache: output with it is byte-identical to output without it, and a broken cache is never used."""
from __future__ import annotations

import os
import pickle
import shutil

import pytest

from conftest import run_cli
from test_incremental import EDITS, NOW, site  # noqa: F401 - the fixture is used by name
from test_sites import files_under


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
    from generator.dates import parse_now, zone
    from generator.pipeline import Paths, build
    from generator.site import Options

    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    paths = Paths(content, output, templates, assets)
    options = Options(now=parse_now(NOW, zone("Europe/Stockholm")))
    first = build(paths, options, cache_dir=cache)
    inodes = {p.relative_to(output): p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    EDITS[0][1](content, templates)  # a post's body
    second = build(paths, options, cache_dir=cache)
    assert first.rendered == first.outputs and second.rendered < second.outputs / 2
    kept = sum(inodes.get(p.relative_to(output)) == p.stat().st_ino for p in output.rglob("*") if p.is_file())
    assert kept >= second.outputs - second.rendered


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
    EDITS[1][1](content, templates)  # a post's title
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
    EDITS[1][1](content, templates)  # a post's title: believing the file would keep the old site
    run = cached_build(content, templates, assets, output, cache)
    assert run.out.startswith("Byggde")
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")


def test_a_file_missing_from_the_kept_previous_site_is_made_again(site, tmp_path):
    """The previous site kept in .public.staging is changed into the next one; a file gone from it
    (removed by hand, a disk that lost it) is rendered again, never left out of the new site."""
    content, templates, assets = site
    output, cache = tmp_path / "public", tmp_path / "cache"
    cached_build(content, templates, assets, output, cache)
    EDITS[0][1](content, templates)  # a post's body
    cached_build(content, templates, assets, output, cache)
    kept = tmp_path / ".public.staging"
    assert (kept / "om/index.html").is_file()
    (kept / "om/index.html").unlink()
    shutil.rmtree(kept / "kommuner")
    shutil.rmtree(kept / "assets")
    EDITS[1][1](content, templates)  # a post's title; the page om/ and the municipalities do not change
    cached_build(content, templates, assets, output, cache)
    assert files_under(output) == fresh_build(content, templates, assets, tmp_path / "fresh")
