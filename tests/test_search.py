"""The search index (generator/outputs/search.py): made by Pagefind over the finished site, in Swedish,
the same bytes for the same pages, and right after every kind of build."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import ROOT, TESTS, run_cli, write
from test_sites import files_under

NOW = "2026-11-23T12:00"


def entry(output: Path) -> dict:
    return json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def indexed_pages(output: Path) -> int:
    """HTML pages that ask to be indexed: posts, events, focus areas and pages."""
    return sum("data-pagefind-body" in p.read_text(encoding="utf-8") for p in output.rglob("*.html"))


def test_the_real_site_gets_a_swedish_index_of_its_articles(build, tmp_path):
    run, output = build(ROOT / "content", "--now", NOW)
    assert run.code == 0, run.err
    languages = entry(output)["languages"]
    assert list(languages) == ["sv"]
    assert languages["sv"]["wasm"] == "sv"  # Swedish stemming
    assert (output / "pagefind" / "wasm.sv.pagefind").is_file()
    assert (output / "pagefind" / "pagefind.js").is_file()
    articles = indexed_pages(output)
    assert articles == 11 + 10 + 4 + 3  # posts, events, focus areas, pages
    assert languages["sv"]["page_count"] == articles
    assert len(list((output / "pagefind" / "fragment").iterdir())) == articles
    assert len(list((output / "pagefind" / "filter").iterdir())) == 3  # typ, fokusområde, kommun
    search_page = (output / "sok" / "index.html").read_text(encoding="utf-8")
    assert 'data-index="/pagefind/pagefind.js"' in search_page
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
    count = entry(output)["languages"]["sv"]["page_count"]
    write(content / "posts" / "2016" / "2016-02-01-ny.md",
          '---\ntitle: "Ett nytt inlägg"\ndate: 2016-02-01\n---\nOm snöskotrar i fjällen.\n')
    cached()
    assert entry(output)["languages"]["sv"]["page_count"] == count + 1
    index_file = output / "pagefind" / "pagefind-entry.json"
    inode = index_file.stat().st_ino
    run = cached()
    assert "Inget har ändrats" in run.out
    assert index_file.stat().st_ino == inode, "an unchanged build leaves the index alone"

    cached("--no-search")
    assert not (output / "pagefind").exists()
    cached()  # the pages are unchanged, but the index is missing: it is made again
    assert entry(output)["languages"]["sv"]["page_count"] == count + 1

    (content / "posts" / "2016" / "2016-02-01-ny.md").unlink()
    cached()
    assert entry(output)["languages"]["sv"]["page_count"] == count
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
    bundle = output / "pagefind"
    about = entry(output)["languages"]["sv"]
    meta = search._read(bundle / f"pagefind.{about['hash']}.pf_meta")
    # [version, pages, word index chunks, filters [[name, file hash]], sorts, metadata keys]
    assert isinstance(meta, list) and len(meta) == 6
    assert isinstance(meta[0], str) and isinstance(meta[1], list) and isinstance(meta[2], list)
    assert meta[3] and all(isinstance(name, str) and isinstance(file_hash, str) for name, file_hash in meta[3])
    assert meta[3] == sorted(meta[3]) and meta[5] == sorted(meta[5])
    for name, file_hash in meta[3]:
        filter_name, values = search._read(bundle / "filter" / f"{file_hash}.pf_filter")
        assert filter_name == name and values == sorted(values)
