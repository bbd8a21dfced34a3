"""Templates edited as a site's web team would, then every kind of content edit: the cached build
and the dev server's folder stay byte for byte what a build without the cache makes.

Nothing in the generator describes what the templates show; what each output read
while it rendered is recorded (generator/incremental/). These edits make the
templates read more than the shipped ones do: a post's text in every card, other
posts in every footer, the clock through the upcoming events in every header.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from generator.content.dates import parse_now, zone
from generator.build.pipeline import LiveSite, Paths, build
from generator.site.model import Options
from test_incremental import EDITS, NOW, replace, site  # noqa: F401 - the fixture is used by name
from test_sites import files_under

# Whole builds in processes and across many edits: in `make test`, left out of `make test-fast`.
pytestmark = pytest.mark.slow

TEMPLATE_EDITS = {
    "a word count in cards": ("_macros.html", '<p class="p-summary">{{ post.description }}</p>',
                              '<p class="p-summary">{{ post.description }} '
                              '({{ post.body_html | striptags | wordcount }} ord)</p>'),
    "a reading time in cards": ("_macros.html", '<p class="p-summary">{{ post.description }}</p>',
                                '<p class="p-summary">{{ post.description }} <span class="reading-time">'
                                '{{ ((post.body_html | striptags | wordcount) / 200) | round(0, "ceil") | int }}'
                                ' min</span></p>'),
    "author names in cards": ("_macros.html", '{% if post.draft %} <span class="badge">Utkast</span>{% endif %}',
                              '{% if post.draft %} <span class="badge">Utkast</span>{% endif %}'
                              '{% for author in post.authors %} <span class="p-author">{{ author.name }}</span>'
                              '{% endfor %}'),
    "the three latest posts in the footer": ("base.html", "<p>{{ site.config.publisher or site.config.title }}</p>",
                                             "<p>{{ site.config.publisher or site.config.title }}</p>\n"
                                             '<ul class="latest">{% for post in site.posts[:3] %}<li><a href="'
                                             '{{ href(post.url) }}">{{ post.title }}</a></li>{% endfor %}</ul>'),
    "the number of upcoming events in the header": ("base.html", "</header>",
                                                    '<p class="upcoming">{{ site.upcoming | length }} kommande '
                                                    "evenemang</p>\n</header>"),
    "related posts by tag on post pages": ("post.html", "{{ m.tags(post) }}",
                                           '{{ m.tags(post) }}\n<ul class="related">{% for tag in post.tags %}'
                                           "{% for other in site.posts_by_tag[tag.slug][:3] %}"
                                           '{% if other.url != post.url %}<li><a href="{{ href(other.url) }}">'
                                           "{{ other.title }}</a></li>{% endif %}{% endfor %}{% endfor %}</ul>"),
    "an event's posts with their dates and length on the event page": (
        "event.html", "{{ m.cards(related, 3) }}",
        "{{ m.cards(related, 3) }}\n<ul>{% for post in related %}<li>{{ post.title }}, {{ post.date|date }}, "
        "{{ post.body_html | striptags | wordcount }} ord</li>{% endfor %}</ul>"),
}

# The clock moves as the content does: an event ends, a post's time comes, the clock is set back.
CLOCK = [("an event has ended", "2015-10-13T20:00"), ("a future post's time has come", "2016-06-01T09:00"),
         ("the clock set back", "2015-09-30T12:00")]


def steps() -> list[tuple[str, object, str]]:
    """(what, content edit or None, the clock) in order: the content edits, with the clock's among them."""
    found, now = [], NOW
    clock = iter(CLOCK)
    for number, (what, edit) in enumerate(EDITS):
        found.append((what, edit, now))
        if number % 6 == 5:
            what, now = next(clock)
            found.append((what, None, now))
    return found


@pytest.mark.parametrize("template_edit", TEMPLATE_EDITS)
def test_template_and_content_edits_give_a_fresh_builds_bytes(site, tmp_path, template_edit):
    content, templates, assets = site
    stockholm = zone("Europe/Stockholm")
    clock = [parse_now(NOW, stockholm)]
    output, cache, live = tmp_path / "public", tmp_path / "cache", tmp_path / "live"

    def options(now: datetime) -> Options:
        return Options(now=now, search=False)

    server = LiveSite(Paths(content, live, templates, assets), options(clock[0]), clock=lambda: clock[0])

    def check(what: str, number: int) -> None:
        build(Paths(content, output, templates, assets), options(clock[0]), cache_dir=cache)
        assert server.rebuild().errors == [], what
        build(Paths(content, tmp_path / f"fresh-{number}", templates, assets), options(clock[0]))
        expected = files_under(tmp_path / f"fresh-{number}")
        for name, folder in (("the cached build", output), ("the dev server", live)):
            made = files_under(folder)
            assert sorted(made) == sorted(expected), f"{template_edit}, then {what}: {name} has other files"
            stale = [path for path in made if made[path] != expected[path]]
            assert not stale, f"{template_edit}, then {what}: {name} has stale {stale}"

    check("nothing", 0)
    file, old, new = TEMPLATE_EDITS[template_edit]
    replace(templates / file, old, new)
    check("nothing else", 1)
    for number, (what, edit, now) in enumerate(steps(), start=2):
        if edit is not None:
            edit(content, templates)
        clock[0] = parse_now(now, stockholm)
        check(what, number)


def test_the_template_edits_change_what_is_built(site, tmp_path):
    """Each edit above shows on the site, so that the test above tests something."""
    content, templates, assets = site
    options = Options(now=parse_now(NOW, zone("Europe/Stockholm")), search=False)
    build(Paths(content, tmp_path / "before", templates, assets), options)
    before = files_under(tmp_path / "before")
    for number, (file, old, new) in enumerate(TEMPLATE_EDITS.values()):
        text = (templates / file).read_text(encoding="utf-8")
        replace(templates / file, old, new)
        build(Paths(content, tmp_path / f"after-{number}", templates, assets), options)
        assert files_under(tmp_path / f"after-{number}") != before, (file, new)
        (templates / file).write_text(text, encoding="utf-8")


def test_a_page_that_shows_the_time_of_the_build_is_made_at_every_build(site, tmp_path):
    """A footer that says when the site was built reads the clock itself, not a moment compared
    with it: the next build, a minute later with nothing else changed, makes it anew."""
    from conftest import run_cli

    content, templates, assets = site
    replace(templates / "base.html", "<p>{{ site.config.publisher or site.config.title }}</p>",
            "<p>{{ site.config.publisher or site.config.title }}, byggd "
            "{{ site.now.strftime('%Y-%m-%d %H:%M') }}</p>")
    output, cache = tmp_path / "public", tmp_path / "cache"
    for number, now in enumerate(["2015-10-01T12:00", "2015-10-01T12:01"]):
        run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                      "--templates", str(templates), "--assets", str(assets), "--cache-dir", str(cache),
                      "--no-search")
        assert run.code == 0 and run.out.startswith("Byggde"), run.out + run.err
        build(Paths(content, tmp_path / f"fresh-{number}", templates, assets),
              Options(now=parse_now(now, zone("Europe/Stockholm")), search=False))
        assert files_under(output) == files_under(tmp_path / f"fresh-{number}")
