"""The search index (generator/outputs/search.py): made by Pagefind over the finished site, in Swedish,
the same bytes for the same pages, and right after every kind of build."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TESTS, run_cli, write
from test_sites import files_under

NOW = "2026-11-23T12:00"


def bundles(output: Path) -> list[Path]:
    """The bundles of the index, as pagefind/bundles.json lists them for the search page."""
    listing = json.loads((output / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    return [output / "pagefind" / name for name in listing["bundles"]]


def entry(bundle: Path) -> dict:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def page_count(output: Path) -> int:
    return sum(entry(bundle)["languages"]["sv"]["page_count"] for bundle in bundles(output))


def indexed_pages(output: Path) -> int:
    """HTML pages that ask to be indexed: posts, events, focus areas and pages."""
    return sum("data-pagefind-body" in p.read_text(encoding="utf-8") for p in output.rglob("*.html"))


def test_the_real_site_gets_a_swedish_index_of_its_articles(build, tmp_path):
    run, output = build(ROOT / "content", "--now", NOW)
    assert run.code == 0, run.err
    found = bundles(output)
    assert [b.name.split("-")[0] for b in found] == ["1av1"]  # a site this small is one bundle
    assert sorted(p.name for p in (output / "pagefind").iterdir()) == sorted(["bundles.json", *(b.name for b in found)])
    for bundle in found:
        languages = entry(bundle)["languages"]
        assert list(languages) == ["sv"]
        assert languages["sv"]["wasm"] == "sv"  # Swedish stemming
        assert (bundle / "wasm.sv.pagefind").is_file()
        assert (bundle / "pagefind.js").is_file()
    articles = indexed_pages(output)
    assert articles == 11 + 10 + 4 + 3  # posts, events, focus areas, pages
    assert page_count(output) == articles
    assert sum(len(list((b / "fragment").iterdir())) for b in found) == articles
    assert len(list((found[0] / "filter").iterdir())) == 3  # typ, fokusområde, kommun
    search_page = (output / "sok" / "index.html").read_text(encoding="utf-8")
    assert 'data-index="/pagefind/bundles.json"' in search_page
    assert "därav sökindex" in run.out


def test_the_index_is_the_same_bytes_for_the_same_pages(build, tmp_path):
    first, one = build(ROOT / "content", "--now", NOW, "--no-cache", output=tmp_path / "one")
    second, two = build(ROOT / "content", "--now", NOW, "--no-cache", output=tmp_path / "two")
    assert first.code == second.code == 0
    assert files_under(one / "pagefind") == files_under(two / "pagefind")


def test_no_search_skips_the_index_and_search_false_removes_search(build, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(TESTS / "sites" / "blog" / "content", content)
    assets = str(TESTS / "sites" / "blog" / "assets")
    run, output = build(content, "--now", "2016-03-01T12:00", "--assets", assets, "--no-search")
    assert run.code == 0, run.err
    assert not (output / "pagefind").exists()
    assert (output / "sok" / "index.html").is_file()
    assert 'action="/innovation/sok/"' in (output / "index.html").read_text(encoding="utf-8")

    write(content / "site.yaml", (content / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    run, output = build(content, "--now", "2016-03-01T12:00", "--assets", assets)
    assert run.code == 0, run.err
    assert not (output / "pagefind").exists()
    assert not (output / "sok").exists()
    assert "/sok/" not in (output / "index.html").read_text(encoding="utf-8")


def test_with_the_cache_the_index_follows_every_build(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "public", tmp_path / "cache"
    shutil.copytree(TESTS / "sites" / "blog" / "content", content)
    assets = str(TESTS / "sites" / "blog" / "assets")

    def cached(*extra: str):
        run = run_cli("build", "--content", str(content), "--output", str(output), "--now", "2016-03-01T12:00",
                      "--assets", assets, "--cache-dir", str(cache), *extra)
        assert run.code == 0, run.err
        return run

    cached()
    count = page_count(output)
    write(content / "posts" / "2016" / "2016-02-01-ny.md",
          '---\ntitle: "Ett nytt inlägg"\ndate: 2016-02-01\n---\nOm snöskotrar i fjällen.\n')
    cached()
    assert page_count(output) == count + 1
    index_file = output / "pagefind" / "bundles.json"
    inode = index_file.stat().st_ino
    run = cached()
    assert "Inget har ändrats" in run.out
    assert index_file.stat().st_ino == inode, "an unchanged build leaves the index alone"

    cached("--no-search")
    assert not (output / "pagefind").exists()
    cached()  # the pages are unchanged, but the index is missing: it is made again
    assert page_count(output) == count + 1

    (content / "posts" / "2016" / "2016-02-01-ny.md").unlink()
    cached()
    assert page_count(output) == count
    fresh = tmp_path / "fresh"
    run = run_cli("build", "--content", str(content), "--output", str(fresh), "--now", "2016-03-01T12:00",
                  "--assets", assets, "--no-cache")
    assert run.code == 0, run.err
    assert files_under(output / "pagefind") == files_under(fresh / "pagefind")


def test_search_attributes_describe_each_kind_of_article(build, tmp_path):
    site = TESTS / "sites" / "programme"
    run, output = build(site / "content", "--now", "2015-10-01T12:00", "--assets", str(site / "assets"))
    assert run.code == 0, run.err
    event = (output / "evenemang/2015/workshop/index.html").read_text(encoding="utf-8")
    assert re.search(r'<article class="h-event event" data-pagefind-body>\s*<div hidden data-pagefind-ignore '
                     r'data-pagefind-filter="typ:Evenemang" data-pagefind-meta="datum:14 oktober 2015">'
                     r'<span data-pagefind-filter="fokusområde">Kreativa byråkrater</span>'
                     r'<span data-pagefind-filter="kommun">Krokom</span></div>', event)
    area = (output / "program/kreativa-byrakrater/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="typ:Fokusområde"' in area
    for listing in ("index.html", "evenemang/index.html", "kommuner/krokom/index.html", "404.html"):
        assert "data-pagefind-body" not in (output / listing).read_text(encoding="utf-8"), listing


def test_pagefinds_private_index_layout_is_the_one_search_py_rewrites(build, tmp_path):
    """search._settle sorts Pagefind's filter indexes, which Pagefind writes in a random order, by
    rewriting its private CBOR files. This pins the layout it relies on, so that a Pagefind upgrade
    (`make lock`) that changes it fails here, by name, rather than in an editor's build."""
    from generator.outputs import search

    run, output = build(TESTS / "sites" / "blog" / "content", "--assets", str(TESTS / "sites" / "blog" / "assets"),
                        "--now", NOW, "--no-cache")
    assert run.code == 0, run.err
    for bundle in bundles(output):
        about = entry(bundle)["languages"]["sv"]
        meta = search._read(bundle / f"pagefind.{about['hash']}.pf_meta")
        # [version, pages, word index chunks, filters [[name, file hash]], sorts, metadata keys]
        assert isinstance(meta, list) and len(meta) == 6
        assert isinstance(meta[0], str) and isinstance(meta[1], list) and isinstance(meta[2], list)
        assert meta[3] and all(isinstance(name, str) and isinstance(file_hash, str) for name, file_hash in meta[3])
        assert meta[3] == sorted(meta[3]) and meta[5] == sorted(meta[5])
        for name, file_hash in meta[3]:
            filter_name, values = search._read(bundle / "filter" / f"{file_hash}.pf_filter")
            assert filter_name == name and values == sorted(values)


def test_pagefind_is_pinned_in_the_lock_at_the_version_whose_layout_is_tested():
    """_settle and the test above rely on Pagefind's private files; the lock pins the version they were
    checked with, so that a new Pagefind comes only through `make lock`, which runs this file."""
    import importlib.metadata
    import tomllib

    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {p["name"]: p["version"] for p in lock["package"] if p["name"] in ("pagefind", "pagefind-bin")}
    assert locked == {"pagefind": "1.5.2", "pagefind-bin": "1.5.2"}
    assert importlib.metadata.version("pagefind-bin") == locked["pagefind-bin"]


def test_a_site_is_split_into_a_power_of_two_bundles_by_a_hash_of_each_pages_path(monkeypatch):
    from generator.outputs import search

    monkeypatch.setattr(search, "PAGES_PER_BUNDLE", 2000)
    assert [search.bundle_count(n) for n in (0, 28, 2000, 2001, 4000, 4001, 10_000)] == [1, 1, 1, 2, 2, 4, 8]
    pages = {f"blogg/{n // 1250 + 2015}/post-{n:05d}/index.html": "x" for n in range(10_000)}
    sizes = [len(members) for members in search.bundles_of(pages).values()]
    assert len(sizes) == 8 and sum(sizes) == 10_000 and min(sizes) > 1100 and max(sizes) < 1400  # even
    assert search.bundle_of("blogg/2015/post-00001/index.html", 8) == search.bundle_of(
        "blogg/2015/post-00001/index.html", 8)  # the same page, the same bundle: no per-run salt


def test_a_cached_build_runs_pagefind_only_for_the_bundles_whose_pages_changed(tmp_path, monkeypatch):
    """A build with the cache makes again only the bundles that hold a changed, added or removed
    page, and the result is byte for byte a build without the cache."""
    from generator.outputs import search
    from generator.build.pipeline import Paths, build as build_site
    from generator.content.dates import parse_now, zone
    from generator.site.model import Options

    monkeypatch.setattr(search, "PAGES_PER_BUNDLE", 2)  # the blog fixture's 7 articles in 4 bundles
    content, output, cache = tmp_path / "content", tmp_path / "public", tmp_path / "cache"
    shutil.copytree(TESTS / "sites" / "blog" / "content", content)
    assets = TESTS / "sites" / "blog" / "assets"
    options = Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")))

    def made() -> list[str]:
        before = {b.name for b in bundles(output)} if (output / "pagefind").exists() else set()
        report = build_site(Paths(content, output, assets=assets), options, cache_dir=cache)
        assert set(report.search_made) <= {b.name for b in bundles(output)} - before
        return [name.split("-")[0] for name in report.search_made]

    def same_as_a_fresh_build(name: str) -> None:
        fresh = tmp_path / name
        run = run_cli("build", "--content", str(content), "--output", str(fresh), "--now", "2016-03-01T12:00",
                      "--assets", str(assets), "--no-cache")
        assert run.code == 0, run.err
        assert files_under(output) == files_under(fresh)

    first = made()
    assert len(first) >= 3 and all(name.endswith("av4") for name in first)  # a bundle with no page is not made
    assert made() == []  # nothing changed: the build stops early
    winter = content / "posts" / "2015" / "2015-03-13-vinter.md"
    winter.write_text(winter.read_text(encoding="utf-8") + "\nOm pimpelfiske på Storsjön.\n", encoding="utf-8")
    assert len(made()) == 1  # the edited post's bundle only
    same_as_a_fresh_build("fresh-edit")
    assert made() == []
    write(content / "posts" / "2016" / "2016-02-10-ny.md",
          '---\ntitle: "Ett nytt inlägg"\ndate: 2016-02-10\n---\nOm snöskotrar i fjällen.\n')
    assert 1 <= len(made()) <= 3  # the new post's bundle, and its neighbours', whose links to it are new
    same_as_a_fresh_build("fresh-added")
    (content / "posts" / "2016" / "2016-02-10-ny.md").unlink()
    assert made() == []  # the bundles are again those of the site before, kept in the staging folder
    same_as_a_fresh_build("fresh-removed")
    about = next((content / "pages").glob("*.md"))
    about.write_text(about.read_text(encoding="utf-8") + "\nMer om oss.\n", encoding="utf-8")
    assert len(made()) == 1
    same_as_a_fresh_build("fresh-page")


def test_a_damaged_bundle_in_the_site_is_made_again(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "public", tmp_path / "cache"
    shutil.copytree(TESTS / "sites" / "blog" / "content", content)
    assets = str(TESTS / "sites" / "blog" / "assets")
    args = ("build", "--content", str(content), "--output", str(output), "--now", "2016-03-01T12:00",
            "--assets", assets, "--cache-dir", str(cache))
    assert run_cli(*args).code == 0
    fresh = files_under(output)
    first = bundles(output)[0]
    next((first / "fragment").iterdir()).unlink()  # a file of a bundle removed by hand
    winter = content / "posts" / "2015" / "2015-03-13-vinter.md"
    text = winter.read_text(encoding="utf-8")
    winter.write_text(text + "\nEn rad.\n", encoding="utf-8")
    assert run_cli(*args).code == 0
    winter.write_text(text, encoding="utf-8")  # back as it was: the first bundle's name is wanted again
    assert run_cli(*args).code == 0
    assert files_under(output) == fresh


def _blog_without_search(tmp_path: Path) -> Path:
    """The blog fixture built without a search index, for tests that make one their own way."""
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(TESTS / "sites" / "blog" / "content"), "--output", str(output),
                  "--assets", str(TESTS / "sites" / "blog" / "assets"), "--now", "2016-03-01T12:00",
                  "--no-cache", "--no-search")
    assert run.code == 0, run.err
    return output


def _fake_pagefind(tmp_path: Path, monkeypatch, script: str) -> None:
    """Have search.py run this shell script as Pagefind."""
    import stat

    from generator.outputs import search

    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh" + script + "\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(search, "executable", lambda: fake)


def test_a_failing_pagefind_run_stops_the_others_and_leaves_no_work_folder(tmp_path, monkeypatch):
    """The bundles are made side by side (one Pagefind run per core): when one run fails, the build
    stops with its message at once, the runs still going are killed and no work folder is left."""
    import os
    import time

    import pytest

    from generator.build import parallel
    from generator.outputs import search

    output = _blog_without_search(tmp_path)
    pids = tmp_path / "pids"
    _fake_pagefind(tmp_path, monkeypatch, f"""
if mkdir {tmp_path}/first 2>/dev/null; then sleep 0.5; echo "trasig indata"; exit 3; fi
echo $$ >> {pids}
exec sleep 30""")
    monkeypatch.setattr(search, "PAGES_PER_BUNDLE", 2)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    started = time.perf_counter()
    with pytest.raises(search.SearchIndexFailed, match="pagefind kunde inte bygga sökindexet: trasig indata"):
        search.index(output, "sv")
    assert time.perf_counter() - started < 10  # the sleeping run was not waited for
    assert not [p.name for p in (output / "pagefind").iterdir() if p.name.startswith(".")]
    for pid in pids.read_text().split():  # `exec sleep` kept the pid: killed, and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


def test_runs_with_a_niceness_give_every_run_less_of_the_processor():
    """The dev server makes its index in the background with Runs(niceness=10): Pagefind gets
    the processor after a rebuild does."""
    import os
    import sys

    from generator.outputs import search

    status, output = search.Runs(niceness=10).run([sys.executable, "-c", "import os; print(os.nice(0))"])
    assert status == 0
    assert int(output) == min(19, os.nice(0) + 10)
    status, output = search.Runs().run([sys.executable, "-c", "import os; print(os.nice(0))"])
    assert int(output) == os.nice(0)


def test_a_failed_index_does_not_stop_the_next_one_made_with_the_same_runs(tmp_path, monkeypatch):
    """The dev server makes every index of a session with one Runs: one failed Pagefind run (a
    page removed by a rebuild meanwhile, a full disk) must not refuse every later index as
    "avbröts"; only the server's own stop does."""

    import pytest

    from generator.outputs import search

    output = _blog_without_search(tmp_path)
    _fake_pagefind(tmp_path, monkeypatch, f"""
if mkdir {tmp_path}/first 2>/dev/null; then echo "trasig indata"; exit 3; fi
exec {search.executable()} \"$@\"""")
    runs = search.Runs()
    with pytest.raises(search.SearchIndexFailed, match="trasig indata"):
        search.index(output, "sv", runs=runs)
    made = search.index(output, "sv", runs=runs)
    assert made.made and (output / "pagefind" / made.made[0] / "pagefind-entry.json").is_file()
    runs.stop()
    with pytest.raises(search.SearchIndexFailed, match="sökindexet avbröts"):
        search.index(output, "sv", runs=runs)


def test_a_run_ends_when_the_process_that_started_it_is_killed(tmp_path):
    """SIGKILL (kill -9, the OOM killer) gives a build no chance to end its Pagefind runs: the kernel
    ends them, so that none goes on writing into a folder the next build removes."""
    import os
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "pid"
    script = f"""
import sys, threading
sys.path.insert(0, {str(ROOT)!r})
from generator.outputs import search
started = threading.Thread(target=search.Runs().run, args=(["sh", "-c", "echo $$ > {pid_file}; exec sleep 30"],))
started.start()
started.join()
"""
    starter = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 10
    while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.02)
    run = int(pid_file.read_text())
    starter.kill()
    starter.wait()

    def running() -> bool:  # a zombie waiting for its new parent to reap it has ended too
        try:
            return Path(f"/proc/{run}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    while running() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not running()


def test_pages_read_at_an_earlier_index_are_known_by_their_stat_and_never_taken_for_changed_ones(tmp_path, monkeypatch):
    """The search step reads every page of a 10,000-post site for its hash: with `PageHashes` a page
    whose inode, size and times are as when it was read is not read again. Whatever changes in the
    folder, the pages found are those a fresh read finds."""
    import os

    from generator.incremental import cache
    from generator.outputs import search

    site = tmp_path / "site"
    marked = '<main data-pagefind-body>{}</main>'
    for number in range(6):
        write(site / f"blogg/{number}/index.html", marked.format(f"inlägg {number}"))
    write(site / "om/index.html", "<main>ingen sökbar sida</main>")
    write(site / "pagefind/1av1-x/index.html", marked.format("sökindexets egen"))
    (tmp_path / "elsewhere").mkdir()
    write(tmp_path / "elsewhere/index.html", marked.format("genom en länk"))
    os.symlink(tmp_path / "elsewhere", site / "lankad")
    hashes = search.PageHashes()
    monkeypatch.setattr(cache, "SETTLED", -10**30)  # every file counts as settled: remembered at once
    assert search.indexed_pages(site, hashes) == search.indexed_pages(site)
    assert sorted(search.indexed_pages(site)) == [f"blogg/{n}/index.html" for n in range(6)]
    assert len(hashes.known) == 7  # also the page that asks not to be indexed

    def same_as_a_fresh_read() -> None:
        assert search.indexed_pages(site, hashes) == search.indexed_pages(site)

    page = site / "blogg/1/index.html"
    before = page.stat()
    page.write_text(marked.format("inlägg X"), encoding="utf-8")  # the same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    same_as_a_fresh_read()
    (site / "blogg/2/index.html").unlink()
    write(site / "blogg/7/index.html", marked.format("nytt"))
    (site / "blogg/3/index.html").write_text("<main>inte längre sökbar</main>", encoding="utf-8")
    write(site / "om/index.html", marked.format("nu sökbar"))
    same_as_a_fresh_read()
    assert search.indexed_pages(site, hashes) == {
        name: search.indexed_pages(site)[name] for name in
        ["blogg/0/index.html", "blogg/1/index.html", "blogg/4/index.html", "blogg/5/index.html",
         "blogg/7/index.html", "om/index.html"]}

    monkeypatch.undo()  # as it is: a file written a moment ago is read at every index until it has settled
    fresh = search.PageHashes()
    search.indexed_pages(site, fresh)
    assert fresh.known == {}
    monkeypatch.setattr(cache, "SETTLED", -10**30)
    found = search.indexed_pages(site, fresh)
    assert len(fresh.known) == 7
    monkeypatch.setattr(search, "open", lambda *args: pytest.fail(f"read again: {args[0]}"), raising=False)
    assert search.indexed_pages(site, fresh) == found


def test_what_the_search_step_read_of_the_pages_is_kept_in_the_cache_folder(tmp_path):
    from generator.outputs import search

    import pickle

    hashes = search.PageHashes({(1, 2, 3, 4, 5): ("abc", True)})
    hashes.save(tmp_path, "this code")
    assert search.PageHashes.read(tmp_path, "this code").known == {(1, 2, 3, 4, 5): ("abc", True)}
    assert search.PageHashes.read(tmp_path, "other code").known == {}  # another version's: its shape may differ
    for damaged in (b"not a pickle", pickle.dumps({(1, 2, 3, 4, 5): ("abc", True, "x")}), pickle.dumps(("this code",))):
        (tmp_path / search.PageHashes.FILE).write_bytes(damaged)
        assert search.PageHashes.read(tmp_path, "this code").known == {}
