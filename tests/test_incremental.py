"""Incremental rebuilds are exactly right: after every kind of edit, the live site equals a fresh build.

Other generators' incremental modes are known for stale list pages; this test
makes each kind of edit in turn and compares every file of the incrementally
rebuilt folder with a build from scratch.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TESTS, run_cli, write
from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths
from generator.site.model import Options
from test_sites import files_under

NOW = "2015-10-01T12:00"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    ("a post's body", lambda c, t: replace(c / "posts/2015/2015-07-02-sommar.md", "## Tabell", "Nytt stycke.\n\n## Tabell")),
    ("a post's first words (its description)", lambda c, t: replace(
        c / "posts/2015/2015-03-13-vinter.md", "Ett inlägg i vintertid", "Ett nytt inlägg i vintertid")),
    ("the text of a post about an event", lambda c, t: replace(
        c / "posts/2015-10-15-efter-workshoppen.md", "\n\n", "\n\nEtt nytt första stycke.\n\n")),
    ("a post's title", lambda c, t: replace(c / "posts/2015/2015-07-02-sommar.md", "title: Sommartid", "title: Högsommar")),
    ("a post's date, to another year", lambda c, t: replace(c / "posts/2015/2015-03-13-vinter.md",
                                                          "date: 2015-03-13 13:00", "date: 2014-12-24 13:00")),
    ("a post's tags", lambda c, t: replace(c / "posts/2016/nyar.md", "tags: []", "tags: [lärresa, nytt]")),
    ("a published post's tags", lambda c, t: replace(c / "posts/2015/2015-03-13-vinter.md",
                                                     "tags: [Idéverkstad, cirkulär ekonomi]", "tags: [Idéverkstad, Ny tagg]")),
    ("a new post", lambda c, t: write(c / "posts/2015/2015-09-30-nytt.md",
                                      '---\ntitle: "Nytt"\ndate: 2015-09-30\ntags: [Lärresa]\nevents: [workshop]\n---\nText\n')),
    ("a deleted post", lambda c, t: (c / "posts/2016/nyar.md").unlink()),
    ("an event's time", lambda c, t: replace(c / "events/2015/2015-10-13-scouting.yaml",
                                             'end: "2015-10-13 19:30"', 'end: "2015-10-13 20:30"')),
    ("an event cancelled", lambda c, t: replace(c / "events/2015/2015-10-14-workshop.yaml",
                                                'status: "planned"', 'status: "cancelled"')),
    ("an event moved to another municipality", lambda c, t: replace(c / "events/2015/2015-10-14-workshop.yaml",
                                                                   'municipality: "krokom"', 'municipality: "Åre"')),
    ("a focus area's title", lambda c, t: replace(c / "programme/kreativa-byrakrater.md",
                                                  'title: "Kreativa byråkrater"', 'title: "Kreativa tjänstepersoner"')),
    ("a person's name", lambda c, t: replace(c / "people.yaml", 'name: "Anna Östlund"', 'name: "Anna Ö. Östlund"')),
    ("a page's title", lambda c, t: replace(c / "pages/om.md", 'title: "Om testbloggen"', 'title: "Om oss"')),
    ("the site's title", lambda c, t: replace(c / "site.yaml", 'title: "Testbloggen"', 'title: "Bloggen"')),
    ("a template", lambda c, t: replace(t / "base.html", "Hoppa till innehållet", "Till innehållet")),
    ("an event deleted", lambda c, t: (c / "events/2015/2015-06-24-larresa.yaml").unlink()),
]

TEXT_ONLY = {"a post's body", "a post's first words (its description)", "the text of a post about an event"}


@pytest.fixture
def site(tmp_path):
    """The blog and the programme fixtures together, with their own copy of the templates."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(TESTS / "sites" / "programme" / "content", content)
    shutil.copytree(TESTS / "sites" / "blog" / "content" / "posts", content / "posts", dirs_exist_ok=True)
    shutil.copytree(TESTS / "sites" / "blog" / "content" / "pages", content / "pages")
    shutil.copy(TESTS / "sites" / "blog" / "content" / "site.yaml", content / "site.yaml")
    write(content / "people.yaml", (content / "people.yaml").read_text() + 'bo-ek:\n  name: "Bo Ek"\n')
    shutil.copytree(ROOT / "templates", templates)
    assets = tmp_path / "assets"
    shutil.copytree(TESTS / "sites" / "programme" / "assets", assets)
    shutil.copytree(TESTS / "sites" / "blog" / "assets", assets, dirs_exist_ok=True)
    return content, templates, assets


def cold_build(content: Path, templates: Path, assets: Path, output: Path, now: str = NOW) -> dict[str, bytes]:
    # The live site has no search index of its own (the dev server makes one once, beside the rebuilds).
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                  "--templates", str(templates), "--assets", str(assets), "--no-search")
    assert run.code == 0, run.err
    return files_under(output)


@pytest.mark.slow
def test_every_kind_of_edit_gives_exactly_a_fresh_build(site, tmp_path):
    content, templates, assets = site
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    first = builder.rebuild()
    assert first.errors == []
    assert files_under(live) == cold_build(content, templates, assets, tmp_path / "cold-0")
    for number, (what, edit) in enumerate(EDITS, start=1):
        edit(content, templates)
        report = builder.rebuild()
        assert report.errors == [], what
        expected = cold_build(content, templates, assets, tmp_path / f"cold-{number}")
        built = files_under(live)
        assert sorted(built) == sorted(expected), f"after {what}: other files"
        stale = [name for name in built if built[name] != expected[name]]
        assert not stale, f"after {what}: stale {stale}"
        if what in TEXT_ONLY:
            assert report.rendered < len(expected) / 2, "an edit to one post re-renders only what shows it"


def test_nothing_is_rendered_or_written_when_nothing_changed(site, tmp_path):
    content, templates, assets = site
    builder = LiveSite(Paths(content, tmp_path / "live", templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    builder.rebuild()
    again = builder.rebuild()
    assert (again.rendered, again.written, again.removed) == (0, 0, 0)


def test_the_first_edit_after_the_first_build_asks_no_more_than_the_next_edits(site, tmp_path, monkeypatch):
    """The groups of reads the check passes over as a whole (the pages' data by kind, one field of
    the Site) are digested when recorded, not only when checked: the first edit after the first build
    asked every page's data one by one, at 10,000 posts the slowest save of a dev server session."""
    from generator.incremental import World

    content, templates, assets = site
    builder = LiveSite(Paths(content, tmp_path / "live", templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    builder.rebuild()
    asked = []
    ask = World.value_of
    monkeypatch.setattr(World, "value_of", lambda self, locator: asked.append(locator) or ask(self, locator))
    counts = []
    for number in range(3):
        dict(EDITS)["a post's body"](content, templates)
        builder.rebuild()
        counts.append(len(asked))
        asked.clear()
    assert counts[0] == counts[1] == counts[2], counts


def test_a_broken_file_writes_nothing_and_keeps_the_last_good_site(site, tmp_path):
    content, templates, assets = site
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    builder.rebuild()
    before = files_under(live)
    replace(content / "posts/2015/2015-07-02-sommar.md", "title: Sommartid", "title: [Sommartid")
    report = builder.rebuild()
    assert [str(e) for e in report.errors] == [
        "content/posts/2015/2015-07-02-sommar.md:2: ogiltig YAML: en lista inom [ ] stängs aldrig "
        "eller saknar kommatecken"]
    assert files_under(live) == before


def test_a_rebuild_that_fails_while_rendering_leaves_nothing_stale_once_the_edit_is_undone(site, tmp_path):
    """A template error stops a rebuild after some pages were written with the new text; undoing both
    edits must make those pages again, although every input is then as the last good rebuild read it."""
    content, templates, assets = site
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    assert builder.rebuild().errors == []
    post, person = content / "posts/2015/2015-07-02-sommar.md", templates / "person.html"
    post_text, person_text = post.read_text(encoding="utf-8"), person.read_text(encoding="utf-8")
    replace(post, "title: Sommartid", "title: Nytt-sommarnamn")
    replace(person, "{% block main %}", "{% block main %}{{ ingen_sådan_variabel }}")
    with pytest.raises(Exception):
        builder.rebuild()
    assert any(b"Nytt-sommarnamn" in data for data in files_under(live).values()), "some pages were written"
    write(post, post_text)
    write(person, person_text)
    assert builder.rebuild().errors == []
    built, expected = files_under(live), cold_build(content, templates, assets, tmp_path / "cold")
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []


def test_a_page_deleted_while_rebuilds_fail_is_gone_once_they_succeed_again(site, tmp_path):
    """A failed rebuild forgets its record of the pages; a post deleted before the next good rebuild
    is then in no record, and its page must still go (it stayed in the preview before)."""
    content, templates, assets = site
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    assert builder.rebuild().errors == []
    person = templates / "person.html"
    person_text = person.read_text(encoding="utf-8")
    replace(person, "{% block main %}", "{% block main %}{{ ingen_sådan_variabel }}")
    with pytest.raises(Exception):
        builder.rebuild()
    (content / "posts/2015/2015-03-13-vinter.md").unlink()
    replace(content / "pages/om.md", "Läs [vinterinlägget](../posts/2015/2015-03-13-vinter.md).", "")
    with pytest.raises(Exception):
        builder.rebuild()
    write(person, person_text)
    assert builder.rebuild().errors == []
    built, expected = files_under(live), cold_build(content, templates, assets, tmp_path / "cold")
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []


# Edits to nyar.md, which is dated after NOW: it is not on the site, so they change no page.
NOT_ON_THE_SITE = {"a post's tags", "a deleted post"}


def test_an_edit_to_what_no_page_shows_renders_nothing(site, tmp_path):
    content, templates, assets = site
    builder = LiveSite(Paths(content, tmp_path / "live", templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    builder.rebuild()
    for what, edit in EDITS:
        edit(content, templates)
        report = builder.rebuild()
        if what in NOT_ON_THE_SITE:
            assert (report.rendered, report.written, report.removed) == (0, 0, 0), what


def test_lists_are_rendered_again_only_when_what_they_show_of_a_post_changed(site, tmp_path):
    """A list shows a post's card (its front matter and first words) and a year page its title and
    date, as the shipped templates are written: an edit further down the text renders the post's
    page and the feeds that carry its text again, not the lists; an edit to its first words
    renders its cards too. Nothing says so but what the templates read while they rendered."""
    content, templates, assets = site
    builder = LiveSite(Paths(content, tmp_path / "live", templates, assets),
                       Options(now=parse_now(NOW, zone("Europe/Stockholm"))))
    builder.rebuild()

    def rendered_by(edit: str) -> set[str]:
        dict(EDITS)[edit](content, templates)
        return set(builder.rebuild().made)

    lists = {"/", "/blogg/", "/blogg/2015/", "/blogg/taggar/ideverkstad/", "/personer/anna-ostlund/"}
    body = rendered_by("a post's body")  # sommar.md, past its first words
    assert "/blogg/2015/sommar/" in body and "/blogg/rss.xml" in body
    assert not body & (lists | {"/blogg/sida/2/"}), body
    first_words = rendered_by("a post's first words (its description)")  # vinter.md
    assert {"/blogg/2015/vinter/", "/", "/blogg/taggar/ideverkstad/", "/personer/anna-ostlund/"} <= first_words
    assert "/blogg/2015/" not in first_words  # the year page shows only titles and dates


def test_the_dev_server_reads_the_clock_at_each_rebuild_and_knows_when_it_next_matters(site, tmp_path):
    """`serve` does not fix `now` when it starts: each rebuild reads the clock, and the server knows
    the moment at which the passing time changes the site (here an event ends), to rebuild then."""
    content, templates, assets = site
    stockholm = zone("Europe/Stockholm")
    clock = [parse_now("2015-10-13T09:00", stockholm)]
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets), Options(now=clock[0]), clock=lambda: clock[0])
    builder.rebuild()
    clock[0] = parse_now("2015-10-13T10:00", stockholm)
    assert not builder.due()
    clock[0] = parse_now("2015-10-13T20:00", stockholm)  # the scouting tour ended at 19.30
    assert builder.due()
    builder.rebuild()
    assert not builder.due()
    assert files_under(live) == cold_build(content, templates, assets, tmp_path / "cold", "2015-10-13T20:00")


def test_the_clock_moving_either_way_gives_what_a_fresh_build_at_that_time_gives(site, tmp_path):
    """A rebuild asks again only the comparisons with moments between the last recorded rebuild's
    now and its own (Dependencies.reusable): the clock moving forward past an event's end, set back
    (a computer's clock corrected), landing exactly on a compared moment, and moving while a
    rebuild failed (which records nothing) each give the site a fresh build at that time gives."""
    content, templates, assets = site
    stockholm = zone("Europe/Stockholm")
    clock = [parse_now("2015-10-13T09:00", stockholm)]
    live = tmp_path / "live"
    builder = LiveSite(Paths(content, live, templates, assets), Options(now=clock[0]), clock=lambda: clock[0])
    assert builder.rebuild().errors == []
    broken = content / "posts/2015/2015-10-02-trasig.md"
    for number, (moment, fails_first) in enumerate([("2015-10-13T20:00", False), ("2015-10-13T09:00", False),
                                                    ("2015-10-13T19:30", False), ("2015-10-16T12:00", True),
                                                    ("2015-06-01T12:00", False)]):
        if fails_first:
            write(broken, "---\ntitle: Trasig\ndate: inte ett datum\n---\nText\n")
            clock[0] = parse_now("2015-10-14T12:00", stockholm)
            assert builder.rebuild().errors
            broken.unlink()
        clock[0] = parse_now(moment, stockholm)
        assert builder.rebuild().errors == []
        assert files_under(live) == cold_build(content, templates, assets, tmp_path / f"cold-{number}", moment), moment


def test_what_python_helpers_read_is_recorded_like_what_templates_read(site):
    """A helper a template calls (here the JSON-LD of a post) is recorded by the same code as the
    template: the reads are caught at the content objects, not declared by the helper."""
    from generator.outputs import structured
    from generator.incremental import recording
    from generator.build.pipeline import read_and_plan

    content, templates, assets = site
    planned = read_and_plan(Paths(content, content.parent / "unused", templates, assets),
                            Options(now=parse_now(NOW, zone("Europe/Stockholm"))), None)
    post = next(p for p in planned.site.posts if p.authors)
    with recording.Recording():
        _, reads = recording.render_recorded(lambda: structured.blog_posting(planned.site, post), ("page", "/x/"))
    assert ("attr", ("Post", post.source), "title") in reads
    assert ("attr", ("Person", post.authors[0].id), "name") in reads
    assert ("attr", ("Config",), "language") in reads
    assert not any(read[0] == "attr" and read[2] == "body" for read in reads), "the post's text is not read"


def test_page_data_of_any_shape_is_compared_by_what_it_holds():
    """The plan's page data may be a dict, a dataclass or an object with slots: the record compares
    what it holds (content objects by their identity), never where it is in memory."""
    from dataclasses import dataclass

    from generator.incremental.recording import digest

    @dataclass(frozen=True)
    class TagPage:
        path: str
        number: int

    class Slotted:
        __slots__ = ("path", "items")

        def __init__(self, path, items):
            self.path, self.items = path, items

    class Plain:
        def __init__(self, path):
            self.path = path

    for make in (lambda p: {"path": p}, lambda p: TagPage(p, 1), lambda p: Slotted(p, (1, 2)), Plain):
        assert digest(make("/a/")) == digest(make("/a/")) != digest(make("/b/"))


def test_a_digest_changes_with_anything_inside_the_value_it_is_made_of():
    """Digests are made by pickling, with a dataclass inside a value digested on its own once a build
    (a feed shared by many pages): what is inside still counts, at any depth, and a value pickle cannot
    take (a function made inside another) is digested all the same."""
    from dataclasses import dataclass

    from generator.incremental.recording import digest
    from generator.outputs.contexts import Pager

    def page(items, number=1):
        return Pager(number, 3, items, _url_of)

    memo: dict = {}
    shared, again = page(("a", "b")), page(("a", "b"))  # the next build's, made the same way
    assert digest([shared, shared], memo) == digest([again, again], {})
    assert digest([shared, shared], memo) != digest([shared, page(("a", "c"))], memo)
    assert digest((page(("a",)),)) != digest((page(("a",), 2),)) != digest((page(("a", ["x"])),))
    assert digest({"b": 1, "a": 2}) == digest({"b": 1, "a": 2}) and digest({1, 2}) == digest({2, 1})

    @dataclass(frozen=True)
    class Local:  # made inside a function: pickle cannot name its class
        value: object

    assert digest(Local(lambda: 1)) == digest(Local(lambda: 1))
    assert digest([Local("a")]) != digest([Local("b")])


def test_digesting_a_text_or_the_pages_data_leaves_them_as_they_were():
    """A build with the cache digests every text its outputs read (a post's body) and all pages' data,
    and keeps both for the whole build: the digest adds nothing to them. Pickled, a text would keep
    its UTF-8 form beside it, and a dataclass would get the __dict__ Python makes when asked for it."""
    import gc
    import sys

    from generator.incremental.recording import digest
    from generator.outputs.contexts import Pager

    text = "Årshjulet för länets innovationsarbete. " * 200
    page = Pager(1, 3, ("a", "b"), _url_of)
    size, held = sys.getsizeof(text), [type(item) for item in gc.get_referents(page)]
    digest(text), digest(page), digest([("/blogg/", page)], {}, nested=False)
    assert sys.getsizeof(text) == size
    assert [type(item) for item in gc.get_referents(page)] == held and dict not in held
    assert digest(text) == digest(text.encode().decode()) != digest(text + ".")


def test_the_bodies_the_cache_keeps_are_the_texts_as_rendered_and_no_larger(site, tmp_path):
    """The parse cache writes the posts' bodies to its folder and keeps them for the build: written
    as UTF-8 bytes, each text in memory stays as it was, and a later build reads back the same text."""
    import sys

    from generator.content.texts import StoredBody

    content, templates, assets = site
    arguments = ["build", "--content", str(content), "--output", str(tmp_path / "out"), "--now", NOW,
                 "--templates", str(templates), "--assets", str(assets), "--no-search",
                 "--cache-dir", str(tmp_path / "cache")]
    StoredBody.loaded.clear()
    assert run_cli(*arguments).code == 0
    written = {key: text for bodies in StoredBody.loaded.values() for key, text in bodies.items()}
    assert written and all(sys.getsizeof(text) == sys.getsizeof(text.encode().decode()) for text in written.values())
    StoredBody.loaded.clear()
    (content / "posts/2016/nyar.md").unlink()  # the next build reads its bodies from the cache folder
    assert run_cli(*arguments).code == 0
    read = {key: StoredBody(file, key, ()).text() for file in StoredBody.loaded for key in written
            if key in StoredBody.loaded[file]}
    assert read and all(read[key] == written[key] for key in read)


def test_the_records_of_all_outputs_share_one_object_for_each_read():
    """The records come from the workers as copies; those of every output that read the same thing
    are kept as one object (the records of a large site are most of a cached build's memory)."""
    from generator.incremental.recording import Shared

    shared = Shared()
    first = shared.reads(frozenset({("attr", ("Post", "content/posts/a.md"), "title"), ("page", "/a/")}))
    again = shared.reads(frozenset({("attr", ("Post", "content/posts/a.md"), "title")}))
    assert sorted(first) == [("attr", ("Post", "content/posts/a.md"), "title"), ("page", "/a/")]
    assert next(r for r in first if r[0] == "attr") is again[0]


def _url_of(number: int) -> str:
    return f"/blogg/sida/{number}/"


def test_every_use_of_the_clock_is_recorded_and_arithmetic_gives_plain_moments():
    """Operators reach datetime's own code without an attribute read: each is recorded as a read of
    the exact time (the output renders at every build), and their results are plain datetimes, so
    that a later comparison records no moment that is not the clock's."""
    from datetime import datetime, timedelta, timezone

    from generator.incremental import Dependencies, recording

    moment = datetime(2016, 6, 1, 12, tzinfo=timezone.utc)
    now = recording.Now.of(moment)
    post_date = datetime(2016, 5, 1, tzinfo=timezone.utc)
    uses = {
        "now - post": lambda: now - post_date, "post - now": lambda: post_date - now,
        "now + week": lambda: now + timedelta(days=7), "week + now": lambda: timedelta(days=7) + now,
        "now - week": lambda: now - timedelta(days=7), "hash": lambda: hash(now),
        "timestamp": lambda: now.timestamp(), "replace": lambda: now.replace(hour=0), "repr": lambda: repr(now),
    }
    for name, use in uses.items():
        reads = recording._reads = set()
        try:
            result = use()
        finally:
            recording._reads = None
        assert reads == {("clock", "exact")}, name
        assert not isinstance(result, recording.Now), name
    reads = recording._reads = set()
    try:
        assert (now + timedelta(days=7) > post_date) is True
    finally:
        recording._reads = None
    assert ("clock", "cmp", post_date) not in reads  # the shifted moment is not the clock: no comparison of it
    record = _record_of([("clock", "exact")])
    assert record.next_change(moment) == moment  # an output that read the exact time: no quick exit


def _record_of(locators: list[tuple]):
    """A record of these reads, as Dependencies.record keeps them (numbered, and by group_of)."""
    from generator.incremental import Dependencies, group_of

    record = Dependencies.empty()
    record.locators = list(locators)
    for number, locator in enumerate(record.locators):
        record.members.setdefault(group_of(locator), []).append(number)
    return record


def test_comparing_the_clock_with_a_moment_without_a_zone_records_nothing_to_trip_on():
    """`now == naive` is False at any time (and `now < naive` a TypeError in the template itself):
    no moment is recorded, so the next build's check and its next change never compare a naive
    moment with the clock. A comparison with a moment in any zone records that moment, never a use
    of the exact time (which would render the page at every build)."""
    from datetime import datetime, timedelta, timezone

    import pytest

    from generator.content.dates import zone
    from generator.incremental import Dependencies, recording

    moment = datetime(2016, 6, 1, 12, tzinfo=zone("Europe/Stockholm"))  # a zone as the site's, not UTC
    now, naive = recording.Now.of(moment), datetime(2016, 6, 1, 12)
    reads = recording._reads = set()
    try:
        assert (now == naive) is False and (now != naive) is True
        with pytest.raises(TypeError):
            now < naive  # noqa: B015
        assert (now == moment) is True
        assert (now < datetime(2017, 1, 1, tzinfo=zone("Europe/Stockholm"))) is True
        assert (now > datetime(2016, 6, 1, 9, tzinfo=timezone(timedelta(hours=2)))) is True  # another zone
    finally:
        recording._reads = None
    assert reads == {("clock", "cmp", moment), ("clock", "cmp", datetime(2017, 1, 1, tzinfo=zone("Europe/Stockholm"))),
                     ("clock", "cmp", datetime(2016, 6, 1, 9, tzinfo=timezone(timedelta(hours=2))))}
    record = _record_of(sorted(reads))
    assert record.next_change(moment) is not None


def test_a_new_dev_server_session_removes_what_the_last_one_made_that_the_site_no_longer_has(site, tmp_path):
    """The dev server's folder (.cache/preview) outlives the server: a page of a post deleted
    while no server ran is removed by the next session's first rebuild, and the folder is then
    a fresh build's; the search index the server makes beside it is left to the server."""
    content, templates, assets = site
    live = tmp_path / "live"
    options = Options(now=parse_now(NOW, zone("Europe/Stockholm")))
    write(content / "posts/2015/2015-05-01-tillfallig.md", '---\ntitle: "Tillfällig"\ndate: 2015-05-01\n---\n\nText.\n')
    LiveSite(Paths(content, live, templates, assets), options).rebuild()
    assert (live / "blogg/2015/tillfallig/index.html").is_file()
    (live / "pagefind").mkdir()
    (live / "pagefind" / "pagefind.js").write_text("// the server's index", encoding="utf-8")
    (content / "posts/2015/2015-05-01-tillfallig.md").unlink()
    assert LiveSite(Paths(content, live, templates, assets), options).rebuild().errors == []
    assert not (live / "blogg/2015/tillfallig").exists()
    assert (live / "pagefind" / "pagefind.js").is_file()
    shutil.rmtree(live / "pagefind")
    assert files_under(live) == cold_build(content, templates, assets, tmp_path / "cold")
