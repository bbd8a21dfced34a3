"""Each output's `page` is a typed, frozen context (generator/outputs/contexts.py) that knows its own address,
and docs/dev/templates.md describes exactly those contexts."""
from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import ROOT, TESTS
from generator.outputs import contexts
from generator import urls
from generator.content.dates import parse_now, zone
from generator.build.pipeline import Paths, read_and_plan
from generator.outputs.render import GENERATED
from generator.site.model import Options

DOC = ROOT / "docs" / "dev" / "templates.md"


def plan_of(content, now: str, **paths):
    options = Options(now=parse_now(now, zone("Europe/Stockholm")), drafts=True)
    found = read_and_plan(Paths(content, ROOT / "unused", **paths), options, None)
    assert not found.errors
    return found


@pytest.fixture(scope="module")
def planned():
    return plan_of(ROOT / "content", "2015-10-01T12:00")


@pytest.fixture(scope="module")
def paginated():
    """The fixture blog: two posts a page, so lists of posts have several pages."""
    return plan_of(TESTS / "sites" / "blog" / "content", "2016-03-01T12:00", assets=TESTS / "sites" / "blog" / "assets")


def test_every_output_has_a_context_of_its_kind_with_its_own_path(planned):
    kinds = set()
    for output in planned.outputs:
        page = output.page
        assert type(page) in contexts.KINDS, output.path
        assert output.path == page.path and output.template == page.template
        kinds.add(type(page))
    assert kinds == set(contexts.KINDS), "the real content makes every kind of output"
    pages = [o for o in planned.outputs if o.template.endswith(".html")]
    assert all(isinstance(o.page, contexts.HtmlPage) and o.page.title and o.page.description for o in pages)


def test_contexts_cannot_be_changed(planned):
    page = planned.outputs[0].page
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.title = "Annat"


@pytest.mark.parametrize("site", ["planned", "paginated"])
def test_lists_have_their_feed_and_calendar_from_the_start(site, request):
    by_path = {o.path: o.page for o in request.getfixturevalue(site).outputs}
    blog = [p for p in by_path.values() if isinstance(p, contexts.BlogPage)]
    assert blog and all(p.feed.list_path == urls.blog() and p.calendar is None for p in blog)
    for page in by_path.values():
        if isinstance(page, contexts.TagPage):
            assert page.feed.list_path == page.tag.url, page.path
        elif isinstance(page, contexts.FocusAreaPage):
            assert (page.feed.list_path, page.calendar.list_path) == (page.area.url, page.area.url)
        elif isinstance(page, contexts.MunicipalityPage):
            assert (page.feed, page.calendar.list_path) == (None, page.municipality.url)
        elif isinstance(page, contexts.EventsPage):
            assert (page.feed, page.calendar.list_path) == (None, urls.events())
        elif not isinstance(page, contexts.BlogPage) and isinstance(page, contexts.HtmlPage):
            assert (page.feed, page.calendar) == (None, None), page.path
    if site == "paginated":  # the later pages of a list offer its feed too
        assert [p.pager.number for p in blog] == [1, 2, 3]


def test_a_post_page_is_described_by_its_post(planned):
    """A post page's title and description are read from its post, not copied into the page."""
    for page in (o.page for o in planned.outputs if isinstance(o.page, contexts.PostPage)):
        assert (page.title, page.description) == (page.post.title, page.post.description)


def test_every_kind_names_a_template_that_exists_and_every_page_template_is_used():
    used = set()
    for kind in contexts.KINDS:
        assert isinstance(kind.kind, str) and kind.kind, kind
        if kind.template.startswith("@"):
            assert kind.template[1:] in GENERATED, kind
        else:
            assert (ROOT / "templates" / kind.template).is_file(), kind
            used.add(kind.template)
    templates = {p.name for p in (ROOT / "templates").iterdir() if p.is_file()}
    assert templates - used == {"base.html", "_macros.html"}, "every other template renders some kind of page"
    assert len({kind.kind for kind in contexts.KINDS}) == len(contexts.KINDS)


def test_the_template_reference_in_the_docs_is_that_of_the_code():
    """docs/dev/templates.md holds the output of `python -m generator.outputs.contexts` between its markers."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- contexts: start.*?-->\n(.*?)<!-- contexts: end -->", text, re.S)
    assert found, "docs/dev/templates.md has lost its markers"
    assert found.group(1) == contexts.reference() + "\n", \
        "the page contexts changed: run `python -m generator.outputs.contexts` and put its output between the markers"


def test_every_url_for_name_is_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in urls.NAMED if f"`{name}`" not in text]
    assert missing == [], "docs/dev/templates.md lists every name url_for knows"
