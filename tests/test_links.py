"""Broken links and images stop every build, also one that keeps its last plan (only texts changed)."""
import shutil

from conftest import TESTS

BLOG = TESTS / "sites" / "blog"
POST = "posts/2015/2015-07-02-sommar.md"


def _site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    return content


def _build(build, content, tmp_path):
    return build(content, "--assets", str(BLOG / "assets"), "--now", "2016-03-01T12:00",
                 "--cache-dir", str(tmp_path / "cache"), "--no-search")


def test_a_broken_link_in_an_edited_text_stops_a_build_that_keeps_its_plan(build, tmp_path):
    content = _site(tmp_path)
    first, _ = _build(build, content, tmp_path)
    assert first.code == 0, first.err
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSe [vintern](2015-03-31-vinter.md).\n", encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    assert ("sommar.md:" in run.err and "länken 2015-03-31-vinter.md leder till en fil som inte finns "
            "(länkar räknas från filens egen mapp) (menade du '2015-03-13-vinter.md'?)" in run.err)


def test_a_heading_renamed_in_an_edited_text_breaks_the_links_to_it(build, tmp_path):
    content = _site(tmp_path)
    linking = content / "posts/2015/2015-03-13-vinter.md"
    linking.write_text(linking.read_text(encoding="utf-8") + "\nSe [tabellen](2015-07-02-sommar.md#tabell).\n",
                       encoding="utf-8")
    first, _ = _build(build, content, tmp_path)
    assert first.code == 0, first.err
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8").replace("## Tabell", "## Tabellen"), encoding="utf-8")
    run, _ = _build(build, content, tmp_path)
    assert run.code == 1
    assert ("vinter.md:" in run.err and "länken 2015-07-02-sommar.md#tabell leder till ett ankare som inte finns: "
            "#tabell (menade du '#tabellen'?)" in run.err)


def test_an_edited_text_with_whole_links_builds_and_renders_only_what_shows_it(build, tmp_path):
    from generator.build.pipeline import Paths, build as build_site
    from generator.site.model import Options
    from generator.content.dates import parse_now, zone

    content = _site(tmp_path)
    paths = Paths(content, tmp_path / "public", assets=BLOG / "assets")
    options = Options(now=parse_now("2016-03-01T12:00", zone("Europe/Stockholm")), search=False)
    build_site(paths, options, cache_dir=tmp_path / "cache")
    post = content / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSe [tabellen](#tabell).\n", encoding="utf-8")
    report = build_site(paths, options, cache_dir=tmp_path / "cache")
    assert 0 < report.rendered < report.outputs / 4
