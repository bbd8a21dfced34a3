"""Templates and content as a helper fuzzing the cached build found them to go stale: after each
change the cached build and the dev server's folder are byte for byte a build without the cache.

Each case failed before its fix: an include named `./_del.html`, a template module's top-level
code, `post.body` printed, `|last` on a dict of the site, and a content file reached through a
link edited with its size and time kept; and, found in a review, a dict of the site or the clock
printed by `|pprint`, `|tojson`, `|urlencode`, `.items()` or its repr.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write
from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths, build
from generator.site.model import Options
from test_incremental import NOW, replace, site  # noqa: F401 - the fixture is used by name
from test_sites import files_under

FOOTER = "<p>{{ site.config.publisher or site.config.title }}</p>"


class Builds:
    """The cached build and the dev server side by side, each checked against a build without the cache."""

    def __init__(self, site, tmp_path: Path):
        self.content, self.templates, self.assets = site
        self.tmp_path, self.number = tmp_path, 0
        self.options = Options(now=parse_now(NOW, zone("Europe/Stockholm")), search=False)
        self.server = LiveSite(Paths(self.content, tmp_path / "live", self.templates, self.assets), self.options,
                               clock=lambda: self.options.now)

    def paths(self, output: Path, shown_content: str = "content") -> Paths:
        return Paths(self.content, output, self.templates, self.assets, shown_content)

    def check(self, what: str, shown_content: str = "content") -> None:
        """The cached build and the dev server against a build without the cache; with another
        `shown_content` (how the command was given the content folder), the cached build alone
        (the dev server keeps the one it was started with)."""
        build(self.paths(self.tmp_path / "public", shown_content), self.options, cache_dir=self.tmp_path / "cache")
        made = [("the cached build", self.tmp_path / "public")]
        if shown_content == "content":
            assert self.server.rebuild().errors == [], what
            made.append(("the dev server", self.tmp_path / "live"))
        self.number += 1
        fresh = self.tmp_path / f"fresh-{self.number}"
        build(self.paths(fresh, shown_content), self.options)
        expected = files_under(fresh)
        for name, folder in made:
            made = files_under(folder)
            assert sorted(made) == sorted(expected), f"{what}: {name} has other files"
            stale = [path for path in made if made[path] != expected[path]]
            assert not stale, f"{what}: {name} has stale {stale[:5]}"


@pytest.fixture
def builds(site, tmp_path) -> Builds:
    return Builds(site, tmp_path)


@pytest.mark.parametrize("name", ["./_del.html", "/_del.html", "_del.html"])
def test_an_included_template_named_in_any_way_the_loader_accepts(builds, name):
    replace(builds.templates / "base.html", FOOTER, FOOTER + f'\n{{% include "{name}" %}}')
    write(builds.templates / "_del.html", "<p>ett</p>\n")
    builds.check("an include")
    write(builds.templates / "_del.html", "<p>två</p>\n")
    builds.check("the included file changed")


def test_what_a_template_modules_top_level_code_read_counts_for_every_page_that_imports_it(builds):
    """Jinja keeps an imported template's module; its top-level code ran for one page only."""
    macros = builds.templates / "_macros.html"
    macros.write_text("{% set VIDEO_JS = asset('js/video.js') %}\n" + macros.read_text(encoding="utf-8"),
                      encoding="utf-8")
    replace(macros, '<ul class="tags">', '<ul class="tags" data-js="{{ VIDEO_JS }}">')
    builds.check("a template module reading an asset")
    with open(builds.assets / "js" / "video.js", "a", encoding="utf-8") as script:
        script.write("// en ändring\n")
    builds.check("the asset changed")


def test_a_posts_body_printed_by_its_field_name(builds):
    """`post.body` was the field the build cache keeps apart: it printed a StoredBody object."""
    builds.check("the cache filled")
    replace(builds.templates / "post.html", "{{ m.tags(post) }}",
            '{{ m.tags(post) }}\n<div class="raw">{{ post.body | safe }}</div><pre>{{ post }}</pre>')
    builds.check("post.body on post pages")
    replace(builds.content / "posts/2015/2015-07-02-sommar.md", "## Tabell", "Nytt stycke.\n\n## Tabell")
    builds.check("a post's body changed")


@pytest.mark.parametrize("shown", ["site.posts_by_year | last", "site.posts_by_year | first",
                                   "site.posts_by_year.keys() | list | sort | join(',')", "site.posts_by_year",
                                   "site.posts_by_year.items()", "site.posts_by_year | pprint",
                                   "site.posts_by_year | urlencode", "{'mål': site._targets} | tojson"])
def test_a_dict_of_the_site_reversed_or_listed(builds, shown):
    """The recorded stand-in for a dict could not be reversed (`|last`): the cached build failed. Nor
    did it print as a dict where the code looks at a value's type, not at what it answers: `|pprint`
    (keys sorted), `|tojson` and `|urlencode` (an error), `.items()` (ItemsView(...))."""
    replace(builds.templates / "base.html", FOOTER, FOOTER + f"\n<p>{{{{ {shown} }}}}</p>")
    builds.check(shown)
    replace(builds.content / "posts/2015/2015-03-13-vinter.md", "date: 2015-03-13 13:00", "date: 2014-12-24 13:00")
    builds.check("a post moved to another year")


def test_the_clock_printed_as_python_writes_it(builds):
    """`site.now` is a recording stand-in for a datetime while pages render with the cache: its repr
    said Now(2015, …) where a build without the cache says datetime.datetime(2015, …)."""
    replace(builds.templates / "base.html", FOOTER, FOOTER + "\n<pre>{{ [site.now] }} {{ site.now | pprint }}</pre>")
    builds.check("the clock printed by its repr")


def test_a_posts_file_as_messages_name_it_when_the_content_folder_is_given_otherwise(builds):
    """`post.shown` names the post's file from the content folder as the build command was given it
    (`--content ./content`): the cached build kept the pages, and its quick check the whole site,
    of a build given `content`, for the file was the same."""
    replace(builds.templates / "post.html", "{{ m.tags(post) }}", "{{ m.tags(post) }}\n<p>{{ post.shown }}</p>")
    builds.check("post.shown on post pages")
    builds.check("the content folder given as ./content", "./content")


def test_a_content_file_through_a_link_edited_with_its_size_and_time_kept(builds):
    page = builds.content / "pages" / "om.md"
    (builds.content / "pages" / "om-oss.md").symlink_to("om.md")
    builds.check("a page linked under a second name")
    before = page.stat()
    text = page.read_text(encoding="utf-8")
    changed = text.replace("Om testbloggen", "Om testbloggXn")
    assert changed != text and len(changed.encode()) == len(text.encode())
    page.write_text(changed, encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    builds.check("the linked page edited, its size and time kept")
