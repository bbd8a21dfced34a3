"""What each template receives as `page`: one frozen dataclass per kind of output.

plan.py makes one of these for every file the build writes. Each knows its
`kind`, its site `path` (the page's own address: templates never work it out),
the template that renders it and whether the sitemap lists it. HTML pages also
have a `title` and a `description` (the <title>, meta description and og: tags)
and, for the lists that offer them, the `feed` and `calendar` to subscribe to.

The field descriptions below (the text in `Annotated[...]`) are shown to the
people who customise templates: docs/dev/templates.md is made from them
(`python -m generator.outputs.contexts`), and tests/test_contexts.py checks it is.
"""
from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Callable, ClassVar, Sequence

from generator.outputs.feeds import Feed
from generator.outputs.ical import EventCalendar
from generator.content.places import Municipality
from generator.site.model import Event, FocusArea, Page, Person, Post, Tag


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int
    count: int
    items: Sequence[Any]
    url_of: Callable[[int], str]

    @property
    def newer_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def older_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None


# ---------------------------------------------------------------- shared

@dataclass(frozen=True, kw_only=True)
class Context:
    """Every output: what its template (or the Python that writes the file) receives as `page`. It has:"""

    kind: ClassVar[str]
    template: ClassVar[str]  # a file in templates/, or "@name" for a file Python writes (render.GENERATED)
    in_sitemap: ClassVar[bool] = False
    path: Annotated[str, "the page's own site path, e.g. /blogg/2015/kalasturne/; "
                         "`href(page.path)` links to it, `absolute(page.path)` is its full URL"]


@dataclass(frozen=True, kw_only=True)
class HtmlPage(Context):
    """Every HTML page (base.html reads these for all of them): the fields of `Context`, and:"""

    in_sitemap: ClassVar[bool] = True
    feed: Annotated[Feed | None, "the list's RSS and Atom feed, or None (lists of posts: "
                                 "the blog, a tag, a focus area)"] = None
    calendar: Annotated[EventCalendar | None, "the list's calendar to subscribe to, or None (events, "
                                              "a focus area, a municipality)"] = None

    # Every HTML page also has a `title` and a `description`: given when the page is made
    # (Titled), or properties that read those of the post, event, page or focus area it shows,
    # so that a post given a new text in place (pipeline._give_new_texts) is described anew.


@dataclass(frozen=True, kw_only=True)
class Titled(HtmlPage):
    """An HTML page whose title and description are given when it is made: the fields of `HtmlPage`, and:"""

    title: Annotated[str, "the page's title: <title>, og:title, usually the <h1>"]
    description: Annotated[str, "one sentence: the meta description and og:description"]


# ---------------------------------------------------------------- HTML pages

@dataclass(frozen=True, kw_only=True)
class HomePage(Titled):
    """The home page: the newest posts and the soonest events."""

    kind: ClassVar[str] = "home"
    template: ClassVar[str] = "home.html"
    posts: Annotated[tuple[Post, ...], "the newest posts"]
    events: Annotated[tuple[Event, ...], "the soonest upcoming events"]


@dataclass(frozen=True, kw_only=True)
class _PostList(Titled):
    """A page of a paginated list of posts."""

    template: ClassVar[str] = "list.html"
    pager: Annotated[Pager, "this page of the list: `items` (its posts), `number`, `count`, "
                            "`newer_url`, `older_url`"]


@dataclass(frozen=True, kw_only=True)
class BlogPage(_PostList):
    """A page of the blog: every post, newest first."""

    kind: ClassVar[str] = "blog"


@dataclass(frozen=True, kw_only=True)
class TagPage(_PostList):
    """A page of a tag's posts, newest first."""

    kind: ClassVar[str] = "tag"
    tag: Annotated[Tag, "the tag: `name`, `slug`, `url`"]


@dataclass(frozen=True, kw_only=True)
class PostPage(HtmlPage):
    """A post."""

    kind: ClassVar[str] = "post"
    template: ClassVar[str] = "post.html"
    post: Annotated[Post, "the post"]

    @property
    def title(self) -> str:
        """the post's title"""
        return self.post.title

    @property
    def description(self) -> str:
        """the post's description (its summary, or its first words)"""
        return self.post.description


@dataclass(frozen=True, kw_only=True)
class ArchivePage(Titled):
    """Every year with posts (from `site.years`)."""

    kind: ClassVar[str] = "archive"
    template: ClassVar[str] = "archive.html"


@dataclass(frozen=True, kw_only=True)
class YearPage(Titled):
    """The posts of one year."""

    kind: ClassVar[str] = "year"
    template: ClassVar[str] = "year.html"
    year: Annotated[int, "the year"]
    posts: Annotated[tuple[Post, ...], "the year's posts, newest first"]


@dataclass(frozen=True, kw_only=True)
class TagsPage(Titled):
    """Every tag (from `site.tags`)."""

    kind: ClassVar[str] = "tags"
    template: ClassVar[str] = "tags.html"


@dataclass(frozen=True, kw_only=True)
class PeoplePage(Titled):
    """Every person (from `site.people`)."""

    kind: ClassVar[str] = "people"
    template: ClassVar[str] = "people.html"


@dataclass(frozen=True, kw_only=True)
class PersonPage(Titled):
    """A person, their events and a page of their posts."""

    kind: ClassVar[str] = "person"
    template: ClassVar[str] = "person.html"
    person: Annotated[Person, "the person"]
    pager: Annotated[Pager, "this page of the person's posts"]
    upcoming: Annotated[tuple[Event, ...], "upcoming events with the person as contact"]
    past: Annotated[tuple[Event, ...], "past events with the person as contact"]


@dataclass(frozen=True, kw_only=True)
class EventsPage(Titled):
    """Upcoming and past events (from `site.upcoming` and `site.past`)."""

    kind: ClassVar[str] = "events"
    template: ClassVar[str] = "events.html"


@dataclass(frozen=True, kw_only=True)
class EventsYearPage(Titled):
    """The events of one year."""

    kind: ClassVar[str] = "events_year"
    template: ClassVar[str] = "events_year.html"
    year: Annotated[int, "the year"]
    events: Annotated[tuple[Event, ...], "the year's events, by start"]


@dataclass(frozen=True, kw_only=True)
class EventPage(HtmlPage):
    """An event."""

    kind: ClassVar[str] = "event"
    template: ClassVar[str] = "event.html"
    event: Annotated[Event, "the event"]

    @property
    def title(self) -> str:
        """the event's title"""
        return self.event.title

    @property
    def description(self) -> str:
        """the event's description, as plain text"""
        return self.event.description


@dataclass(frozen=True, kw_only=True)
class MunicipalitiesPage(Titled):
    """The eight municipalities (from `site.municipalities`)."""

    kind: ClassVar[str] = "municipalities"
    template: ClassVar[str] = "municipalities.html"


@dataclass(frozen=True, kw_only=True)
class MunicipalityPage(Titled):
    """A municipality and its events."""

    kind: ClassVar[str] = "municipality"
    template: ClassVar[str] = "municipality.html"
    municipality: Annotated[Municipality, "the municipality: `name`, `slug`, `url`"]
    upcoming: Annotated[tuple[Event, ...], "its upcoming events"]
    past: Annotated[tuple[Event, ...], "its past events"]


@dataclass(frozen=True, kw_only=True)
class WheelPage(Titled):
    """The årshjul of a year: at its own address, and at url_for('wheel') for the current year."""

    kind: ClassVar[str] = "wheel"
    template: ClassVar[str] = "wheel.html"
    year: Annotated[int, "the year"]
    events: Annotated[tuple[Event, ...], "the year's events, by start"]
    years: Annotated[tuple[int, ...], "every year that has an årshjul, newest first"]


@dataclass(frozen=True, kw_only=True)
class ProgrammePage(Titled):
    """The focus areas (from `site.focus_areas`)."""

    kind: ClassVar[str] = "programme"
    template: ClassVar[str] = "programme.html"


@dataclass(frozen=True, kw_only=True)
class FocusAreaPage(HtmlPage):
    """A focus area of the programme, its activities, events and posts."""

    kind: ClassVar[str] = "focus_area"
    template: ClassVar[str] = "focus_area.html"
    area: Annotated[FocusArea, "the focus area"]
    posts: Annotated[tuple[Post, ...], "its posts, newest first"]
    upcoming: Annotated[tuple[Event, ...], "its upcoming events"]
    past: Annotated[tuple[Event, ...], "its past events"]

    @property
    def title(self) -> str:
        """the focus area's title"""
        return self.area.title

    @property
    def description(self) -> str:
        """the focus area's description"""
        return self.area.description


@dataclass(frozen=True, kw_only=True)
class TextPage(HtmlPage):
    """A page from content/pages/ (Om, Tillgänglighet …)."""

    kind: ClassVar[str] = "page"
    template: ClassVar[str] = "page.html"
    item: Annotated[Page, "the page: `title`, `description`, `draft`, its body through `|body`"]

    @property
    def title(self) -> str:
        """the page's title"""
        return self.item.title

    @property
    def description(self) -> str:
        """the page's description"""
        return self.item.description


@dataclass(frozen=True, kw_only=True)
class SearchPage(Titled):
    """The search page (only when `search` is on in site.yaml)."""

    kind: ClassVar[str] = "search"
    template: ClassVar[str] = "search.html"


@dataclass(frozen=True, kw_only=True)
class NotFoundPage(Titled):
    """What the host shows for an address that leads nowhere."""

    kind: ClassVar[str] = "404"
    template: ClassVar[str] = "404.html"
    in_sitemap: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class SubscribePage(Titled):
    """Every feed and calendar in one place."""

    kind: ClassVar[str] = "subscribe"
    template: ClassVar[str] = "subscribe.html"
    feeds: Annotated[list[Feed], "every feed: the blog's, each focus area's, each tag's"]
    calendars: Annotated[list[EventCalendar], "every calendar: all events, each focus area's, each municipality's"]


# ---------------------------------------------------------------- other files

@dataclass(frozen=True, kw_only=True)
class RobotsFile(Context):
    """robots.txt."""

    kind: ClassVar[str] = "robots"
    template: ClassVar[str] = "robots.txt"


@dataclass(frozen=True, kw_only=True)
class FaviconFile(Context):
    """/favicon.ico, written by generator/outputs/icons.py from assets/icons/favicon-32.png."""

    kind: ClassVar[str] = "favicon"
    template: ClassVar[str] = "@favicon"
    ico: Annotated[bytes, "the file"]


@dataclass(frozen=True, kw_only=True)
class ManifestFile(Context):
    """The web manifest, written by generator/outputs/icons.py, for a site with assets/icons/."""

    kind: ClassVar[str] = "manifest"
    template: ClassVar[str] = "@manifest"


@dataclass(frozen=True, kw_only=True)
class HeadersFile(Context):
    """Security headers for hosts that read a _headers file."""

    kind: ClassVar[str] = "headers"
    template: ClassVar[str] = "_headers"


@dataclass(frozen=True, kw_only=True)
class AdminPage(Context):
    """/admin/: the page that starts Decap CMS, written by generator/outputs/cms.py (site.yaml `cms`)."""

    kind: ClassVar[str] = "admin"
    template: ClassVar[str] = "@cms_admin"
    stylesheet: Annotated[str, "the site's style sheet, relative to /admin/, for the CMS's preview"]


@dataclass(frozen=True, kw_only=True)
class CmsConfigFile(Context):
    """/admin/config.yml: the CMS's configuration, made from the content models by generator/outputs/cms.py."""

    kind: ClassVar[str] = "cms_config"
    template: ClassVar[str] = "@cms_config"


@dataclass(frozen=True, kw_only=True)
class CmsFile(Context):
    """A file of the vendored Decap CMS (cms/dist/), or the project's own cms-admin.js and .css."""

    kind: ClassVar[str] = "cms_file"
    template: ClassVar[str] = "@cms_file"
    file: Annotated[str, "the file's path, from the project's folder"]
    digest: Annotated[str, "the file's SHA-256: the cache sees a changed file (it is not under content/)"]


@dataclass(frozen=True, kw_only=True)
class SitemapFile(Context):
    """sitemap.xml."""

    kind: ClassVar[str] = "sitemap"
    template: ClassVar[str] = "sitemap.xml"
    entries: Annotated[list[tuple[str, str | None]], "(site path, last modified day or None) of every page "
                                                     "in the sitemap"]


@dataclass(frozen=True, kw_only=True)
class FeedFile(Context):
    """A feed's RSS or Atom file, written by generator/outputs/feeds.py."""

    kind: ClassVar[str] = "feed"
    template: ClassVar[str] = "@feed"
    feed: Annotated[Feed, "the feed"]
    format: Annotated[str, "rss or atom"]


@dataclass(frozen=True, kw_only=True)
class CalendarFile(Context):
    """An iCalendar file, written by generator/outputs/ical.py: a list's, or one event's."""

    kind: ClassVar[str] = "calendar"
    template: ClassVar[str] = "@calendar"
    events: Annotated[tuple[Event, ...], "its events"]
    name: Annotated[str, "the calendar's name"]
    subscription: Annotated[bool, "a list's calendar, which apps subscribe to, not one event's file"] = False


@dataclass(frozen=True, kw_only=True)
class EventsJsonFile(Context):
    """Every event as open data, written by generator/outputs/opendata.py."""

    kind: ClassVar[str] = "events_json"
    template: ClassVar[str] = "@events_json"


@dataclass(frozen=True, kw_only=True)
class EventsCsvFile(Context):
    """Every event as open data, written by generator/outputs/opendata.py."""

    kind: ClassVar[str] = "events_csv"
    template: ClassVar[str] = "@events_csv"


SHARED = (Context, HtmlPage, Titled)
KINDS: tuple[type[Context], ...] = (
    HomePage, BlogPage, TagPage, PostPage, ArchivePage, YearPage, TagsPage, PeoplePage, PersonPage,
    EventsPage, EventsYearPage, EventPage, MunicipalitiesPage, MunicipalityPage, WheelPage, ProgrammePage,
    FocusAreaPage, TextPage, SearchPage, NotFoundPage, SubscribePage,
    RobotsFile, HeadersFile, FaviconFile, ManifestFile, SitemapFile, FeedFile, CalendarFile, EventsJsonFile, EventsCsvFile,
)


# ---------------------------------------------------------------- the reference in docs/dev/templates.md

def reference() -> str:
    """The Markdown reference of every context, for docs/dev/templates.md."""
    lines = []
    for shared in SHARED:
        lines += [f"- `{shared.__name__}`: {_first_line(shared)}", *_attribute_lines(shared, None, "  ")]
    lines.append("")
    for kind in KINDS:
        made = (f"Written by Python (`{kind.template}`)" if kind.template.startswith("@")
                else f"Rendered by `templates/{kind.template}`")
        shared = next(b for b in kind.__mro__ if b in SHARED)
        own = _attribute_lines(kind, shared)
        lines += [f"### `{kind.kind}`: {kind.__name__}", "", _first_line(kind), "",
                  made + ("" if kind.in_sitemap else "; not in the sitemap") + f". The fields of `{shared.__name__}`"
                  + (", and:" if own else ", no others."), *([""] + own if own else []), ""]
    return "\n".join(lines)


def _first_line(cls: type) -> str:
    return (cls.__doc__ or "").strip().splitlines()[0]


def _attribute_lines(cls: type, shared: type | None, indent: str = "") -> list[str]:
    """The fields and properties of `cls`, one Markdown list item each: beyond those of the
    shared base `shared`, or (None) those it declares itself."""
    if shared is None:
        inherited = {f.name for b in cls.__mro__[1:] if dataclasses.is_dataclass(b) for f in dataclasses.fields(b)}
        bases: tuple[type, ...] = (cls,)
    else:
        inherited = {f.name for f in dataclasses.fields(shared)}
        bases = tuple(reversed(cls.__mro__[:cls.__mro__.index(shared)]))
    hints = typing.get_type_hints(cls, include_extras=True)
    lines = [f"{indent}- `page.{f.name}` ({_type_name(hints[f.name].__origin__)}): {hints[f.name].__metadata__[0]}"
             for f in dataclasses.fields(cls) if f.name not in inherited]
    lines += [f"{indent}- `page.{name}` (str): {value.__doc__}"
              for base in bases for name, value in base.__dict__.items() if isinstance(value, property)]
    return lines


def _type_name(hint: object) -> str:
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return re.sub(r"\b(?:[a-z_]+\.)+([A-Za-z_]+)", r"\1", repr(hint)).replace("NoneType", "None")


if __name__ == "__main__":
    print(reference())
