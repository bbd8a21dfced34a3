"""Step 2, site: the loaded models -> one Site, with everything derived from them.

Posts newest first, tags, years, authors, neighbours and what is held back
(drafts, posts whose time has not come) are worked out here, once, in time
linear in the number of posts. Cross-references are resolved here: an author id
that is not in people.yaml is an error that points at its line. Templates
receive this object as `site` and never change it.
"""
from __future__ import annotations

import difflib
import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import unquote

from generator.content import markdown, places
from generator import urls
from generator.content.dates import Moment, zone
from generator.errors import ContentError
from generator.content.places import Municipality
from generator.content.texts import StoredBody, body_text

if TYPE_CHECKING:  # at run time only where build_site needs them
    from generator.content.load import Document, EventFile, Loaded
    from generator.content.models import (
        Activity,
        Download,
        EventMeta,
        FocusAreaMeta,
        Link,
        PageMeta,
        Place,
        PostMeta,
        ProgrammeItem,
        Registration,
        SiteConfig,
    )


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str


@dataclass(frozen=True)
class FeedOptions:
    items: int  # entries in each feed, newest first
    full_content: bool  # False: only the summary in each entry


@dataclass(frozen=True)
class Config:
    """site.yaml as the site uses it, once models.SiteConfig has validated it (fields as there)."""

    title: str
    base_url: str
    language: str
    timezone: str
    description: str
    publisher: str
    navigation: tuple[NavLink, ...]
    posts_per_page: int
    feeds: FeedOptions
    search: bool
    logo: str | None
    cms: Any = None  # models.CmsSettings: /admin/ is built (generator/outputs/cms.py), or None
    published_url: str = ""  # site.yaml's base_url, also when the build is for another (the dev server's)

    @classmethod
    def of(cls, config: SiteConfig, base_url: str | None) -> "Config":
        """The validated site.yaml, with the base URL given to the build instead of its own, if any."""
        from generator.content.models import SiteConfig

        return cls(
            config.title, SiteConfig._absolute_url(base_url) if base_url else config.base_url, config.language,
            config.timezone, config.description, config.publisher,
            tuple(NavLink(item.title, item.url) for item in config.navigation), config.posts_per_page,
            FeedOptions(config.feeds.items, config.feeds.full_content), config.search, config.logo, config.cms,
            config.base_url)


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None
    organisation: str | None
    email: str | None
    phone: str | None
    url: str


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    url: str | None


# The body's HTML, by either name a template may use (`post.body_html`, `post.body`): the same text
# whether it came from the build cache (where it is kept apart, in _body) or not.
_BODY_HTML = property(lambda item: body_text(item._body))


@dataclass(frozen=True)
class FocusArea:
    id: str
    source: str
    shown: str
    url: str
    title: str
    summary: str | None
    description: str
    order: int
    contact: Person | None
    activities: tuple[Activity, ...]
    _body: "str | StoredBody" = field(repr=False)  # as Post._body
    revision: str
    references: tuple  # the images and links in the body (markdown.references), for site/links.py

    body_html = body = _BODY_HTML

    def activities_with(self, status: str) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.status == status)


@dataclass(frozen=True)
class When:
    """When an event happens, in one of the shapes the programme's events have.

    shape: "timed" (13 okt 08:00–19:30), "days" (24–26 juni, or 22 juni–30 juli),
    "month" (only "november 2015" is known) or "tour" (stops with their own dates).
    `start` and `end` are aware datetimes; for events without times `end` is the
    midnight after the last day, as calendars count it.
    """

    shape: str
    start: datetime
    end: datetime
    first_day: date
    last_day: date
    has_time: bool


@dataclass(frozen=True)
class Stop:
    start: Moment
    end: Moment | None
    place: Place
    municipality: Municipality | None


@dataclass(frozen=True)
class Event:
    id: str
    source: str
    shown: str
    url: str
    calendar_url: str
    title: str
    kind: str
    status: str
    summary: str | None
    description: str  # plain text, for meta descriptions
    description_html: str
    when: When
    place: Place | None
    stops: tuple[Stop, ...]
    municipalities: tuple[Municipality, ...]
    programme: tuple[ProgrammeItem, ...]
    registration: Registration | None
    organisers: tuple[Organisation, ...]
    partners: tuple[Organisation, ...]
    contacts: tuple[Person, ...]
    links: tuple[Link, ...]
    videos: tuple[Link, ...]
    downloads: tuple[Download, ...]
    documentation: tuple[tuple[str, str], ...]
    focus_areas: tuple[FocusArea, ...]
    updated: Moment | None
    revision: str

    @property
    def year(self) -> int:
        return self.when.first_day.year

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class Post:
    source: str
    shown: str
    slug: str
    url: str
    title: str
    date: Moment
    updated: Moment | None
    summary: str | None
    description: str
    tags: tuple[Tag, ...]
    authors: tuple[Person, ...]
    focus_areas: tuple[FocusArea, ...]
    events: tuple[Event, ...]
    image: str | None
    image_alt: str | None
    draft: bool
    # read from the build cache only when a page shows it (texts.StoredBody); not in the repr, which a
    # template printing the post would show: the cache's stand-in is not the text
    _body: "str | StoredBody" = field(repr=False)
    revision: str  # of the whole file
    references: tuple  # the images and links in the body (markdown.references), for site/links.py

    body_html = body = _BODY_HTML

    @property
    def year(self) -> int:
        return self.date.value.year

    @property
    def modified(self) -> Moment:
        return self.updated or self.date


@dataclass(frozen=True)
class Page:
    source: str
    shown: str
    slug: str
    url: str
    title: str
    summary: str | None
    description: str
    draft: bool
    _body: "str | StoredBody" = field(repr=False)  # as Post._body
    revision: str
    references: tuple  # the images and links in the body (markdown.references), for site/links.py

    body_html = body = _BODY_HTML


@dataclass(frozen=True)
class HeldBack:
    shown: str
    reason: str  # "utkast" or "framtida"


@dataclass(frozen=True)
class Site:
    config: Config
    base: urls.Base
    now: datetime
    posts: tuple[Post, ...]  # published, newest first
    pages: tuple[Page, ...]
    people: tuple[Person, ...]  # by name
    tags: tuple[Tag, ...]  # by name
    years: tuple[int, ...]  # newest first
    held_back: tuple[HeldBack, ...]
    events: tuple[Event, ...]  # by start
    upcoming: tuple[Event, ...]  # not yet over at `now`, soonest first
    past: tuple[Event, ...]  # over at `now`, latest first
    event_years: tuple[int, ...]  # newest first
    focus_areas: tuple[FocusArea, ...]  # in the programme's order
    municipalities: tuple[Municipality, ...]
    organisations: tuple[Organisation, ...]
    events_by_year: dict[int, tuple[Event, ...]] = field(repr=False)
    events_by_municipality: dict[str, tuple[Event, ...]] = field(repr=False)
    events_by_focus_area: dict[str, tuple[Event, ...]] = field(repr=False)
    events_by_person: dict[str, tuple[Event, ...]] = field(repr=False)
    posts_by_focus_area: dict[str, tuple[Post, ...]] = field(repr=False)
    posts_by_event: dict[str, tuple[Post, ...]] = field(repr=False)
    posts_by_tag: dict[str, tuple[Post, ...]] = field(repr=False)
    posts_by_year: dict[int, tuple[Post, ...]] = field(repr=False)
    posts_by_person: dict[str, tuple[Post, ...]] = field(repr=False)
    _neighbours: dict[str, tuple[Post | None, Post | None]] = field(repr=False)
    _targets: dict[str, str] = field(repr=False)  # content path -> site path, for relative links

    def href(self, site_path: str) -> str:
        return self.base.href(site_path)

    def absolute(self, site_path: str) -> str:
        return self.base.absolute(site_path)

    def newer(self, post: Post) -> Post | None:
        return self._neighbours[post.source][0]

    def older(self, post: Post) -> Post | None:
        return self._neighbours[post.source][1]

    def resolve_link(self, source: str, target: str) -> str:
        """Where a link written in the file `source` leads, as a link in the built site.

        Relative links are read as in a GitHub preview, from the file's own folder:
        `2015-11-02-kalasturne.md` is that post's page, `../../../assets/x.pdf` the
        asset. Links with a scheme, `#anchors` and `//host` links are kept.
        """
        if not target or target.startswith(("#", "//")) or urls.has_scheme(target):
            return target
        path, hash_, fragment = target.partition("#")
        if path.startswith("/"):
            return self.href(path) + hash_ + fragment
        joined = urls.same_name(posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path))))
        if joined in self._targets:
            return self.href(self._targets[joined]) + hash_ + fragment
        if joined.startswith("../assets/"):
            return self.href(urls.asset(joined[len("../assets/"):])) + hash_ + fragment
        return target

    def absolute_link(self, source: str, target: str) -> str:
        """Like resolve_link, but absolute (for feeds, Open Graph and JSON-LD)."""
        return self.base.absolute_href(self.resolve_link(source, target))

    def absolute_body(self, item: Post | Page | FocusArea) -> str:
        """The item's HTML with every link absolute, for feeds read far from the site."""
        def absolute(target: str) -> str:
            if target.startswith("#"):
                return self.absolute(item.url) + target
            return self.base.absolute_href(self.resolve_link(item.source, target))

        return markdown.rewrite_links(item.body_html, absolute)

    def body(self, item: Post | Page | FocusArea) -> str:
        """The item's HTML with every link resolved."""
        return self.html(item.source, item.body_html)

    def html(self, source: str, rendered: str) -> str:
        """Rendered Markdown from the file `source` with every link resolved."""
        return markdown.rewrite_links(rendered, lambda t: self.resolve_link(source, t))

    def is_past(self, event: Event) -> bool:
        return event.when.end <= self.now

    def registration_open(self, event: Event) -> bool:
        """Whether a reader can register now: the event has a registration address, is planned and
        to come, and its deadline has not passed."""
        registration = event.registration
        return bool(registration and registration.url and event.status == "planned" and not self.is_past(event)
                    and not self._deadline_passed(event))

    def registration_closed(self, event: Event) -> bool:
        """Whether a planned event still to come has a registration deadline that has passed."""
        return event.status == "planned" and not self.is_past(event) and self._deadline_passed(event)

    def _deadline_passed(self, event: Event) -> bool:
        closes = registration_closes(event)
        return closes is not None and closes <= self.now

    def upcoming_in(self, events: tuple[Event, ...]) -> tuple[Event, ...]:
        return tuple(e for e in events if not self.is_past(e))

    def past_in(self, events: tuple[Event, ...]) -> tuple[Event, ...]:
        return tuple(reversed([e for e in events if self.is_past(e)]))


@dataclass(frozen=True)
class Options:
    now: datetime
    base_url: str | None = None
    drafts: bool = False  # show drafts, marked as such
    future: bool = False  # show posts dated after `now`, marked as such
    search: bool = True  # make the search index (search.py); --no-search turns it off for one build

    @property
    def settings(self) -> str:
        """Every option but the clock. What `now` changes on the site (the day, the upcoming events,
        the posts whose time has come) is read from the Site itself, so a build a minute later
        does not count as built with other settings."""
        return repr((self.base_url, self.drafts, self.future, self.search))


def build_site(loaded: Loaded, options: Options, asset_names: frozenset[str] = frozenset()
               ) -> tuple[Site | None, list[ContentError]]:
    """The Site, and the errors of the content: the loader's, and those in cross-references (items with
    such errors are left out of the Site)."""
    if loaded.config is None:
        return None, list(loaded.errors)
    config = Config.of(loaded.config, options.base_url)
    tz = zone(config.timezone)
    now = options.now.astimezone(tz)
    check = _References(loaded)
    if config.logo and config.logo not in asset_names:
        line = loaded.config_lines.lines.get("logo", 1) if loaded.config_lines else 1
        check.errors.append(ContentError(loaded.config_shown, line, "logo", f"filen assets/{config.logo} finns inte"
                                         + _asset_hint(config.logo, asset_names)))
    held: list[HeldBack] = []

    people = {pid: Person(pid, p.name, p.role, p.organisation, p.email, p.phone, urls.person(pid))
              for pid, p in loaded.people.items()}
    organisations = {oid: Organisation(oid, o.name, o.url) for oid, o in loaded.organisations.items()}
    focus_areas: dict[str, FocusArea] = {}
    registries = {"people": people, "organisations": organisations}
    for doc in loaded.focus_areas:
        area = _focus_area(doc, doc.meta, people, check)  # type: ignore[arg-type]
        if area is not None:
            focus_areas[area.id] = area
    # Ids of every file, also of those that could not be read: a reference to a broken
    # file is not reported as unknown (the file's own errors are).
    # Each with its item, whose title is matched too when an id is not known (None for a broken file).
    registries["programme"] = {area_id: focus_areas.get(area_id) for area_id in (
        urls.slug(source.rsplit("/", 1)[-1].removesuffix(".md")) for source in loaded.found.get("focus_area", []))}
    events: dict[str, Event] = {}
    for event_file in loaded.events:
        event = _event(event_file, tz, people, organisations, focus_areas, registries, asset_names, check)
        if event is None:
            continue
        if event.id in events:
            check.errors.append(ContentError(event.shown, 1, "", f"evenemanget har samma namn ({event.id}) som "
                                             f"{events[event.id].shown}; byt filnamn"))
            continue
        events[event.id] = event
    registries["events"] = {event_id: events.get(event_id) for event_id in (
        urls.post_slug(source.rsplit("/", 1)[-1]) for source in loaded.found.get("event", []))}
    for unread in loaded.unread:  # not published, but what its other fields name is checked all the same
        check.references(unread, unread.kind, registries, lambda name, item=unread: _written_ids_of(item, name))
        for index, file_name in _written_downloads(unread):
            check.asset(unread, "downloads.file", ("downloads", index, "file"), file_name, asset_names)
        if unread.kind == "post" and "image" in unread.valid and unread.lines.get("image") is not None:
            check.image(unread, str(unread.lines["image"]))

    posts: list[Post] = []
    tag_names = _tag_names(loaded.posts)
    tags_by_slug = {slug: Tag(slug, name, urls.tag(slug)) for slug, name in tag_names.items()}
    for doc in loaded.posts:
        meta: PostMeta = doc.meta  # type: ignore[assignment]
        ok = check.references(doc, "post", registries, lambda name, meta=meta: getattr(meta, name))
        ok &= check.image(doc, meta.image)
        if not ok or any(f not in focus_areas for f in meta.focus_areas) or any(e not in events for e in meta.events):
            continue
        if meta.draft and not options.drafts:
            held.append(HeldBack(doc.shown, "utkast"))
            continue
        if meta.date.value > now and not options.future:
            held.append(HeldBack(doc.shown, "framtida"))
            continue
        posts.append(_post(doc, meta, people, tags_by_slug, focus_areas, events))
    pages = []
    for doc in loaded.pages:
        meta_page: PageMeta = doc.meta  # type: ignore[assignment]
        if meta_page.draft and not options.drafts:
            held.append(HeldBack(doc.shown, "utkast"))
            continue
        reserved = urls.generated_folder(urls.page(doc.slug))
        if reserved:
            check.errors.append(ContentError(doc.shown, 1, "", f"adressen {urls.page(doc.slug)} är upptagen: "
                                                               f"där lägger webbplatsen {reserved}; byt filnamn"))
            continue
        pages.append(_page(doc, meta_page))

    posts.sort(key=lambda p: (-p.date.value.timestamp(), p.source))
    by_tag: dict[str, list[Post]] = defaultdict(list)
    by_year: dict[int, list[Post]] = defaultdict(list)
    by_person: dict[str, list[Post]] = defaultdict(list)
    posts_by_focus: dict[str, list[Post]] = defaultdict(list)
    posts_by_event: dict[str, list[Post]] = defaultdict(list)
    neighbours: dict[str, tuple[Post | None, Post | None]] = {}
    for index, post in enumerate(posts):
        for tag in post.tags:
            by_tag[tag.slug].append(post)
        by_year[post.year].append(post)
        for author in post.authors:
            by_person[author.id].append(post)
        for area in post.focus_areas:
            posts_by_focus[area.id].append(post)
        for event in post.events:
            posts_by_event[event.id].append(post)
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        neighbours[post.source] = (newer, older)
    tags = sorted({t.slug: t for p in posts for t in p.tags}.values(), key=lambda t: (t.name.lower(), t.slug))

    ordered_events = sorted(events.values(), key=lambda e: (e.when.start, e.when.end, e.id))
    events_by_year: dict[int, list[Event]] = defaultdict(list)
    by_municipality: dict[str, list[Event]] = defaultdict(list)
    events_by_focus: dict[str, list[Event]] = defaultdict(list)
    events_by_person: dict[str, list[Event]] = defaultdict(list)
    for event in ordered_events:
        events_by_year[event.year].append(event)
        for municipality in event.municipalities:
            by_municipality[municipality.slug].append(event)
        for area in event.focus_areas:
            events_by_focus[area.id].append(event)
        for person in event.contacts:
            events_by_person[person.id].append(event)
    targets = {urls.same_name(item.source): item.url for item in (*posts, *pages, *events.values(),
                                                                   *focus_areas.values())}

    site = Site(
        config=config, base=urls.Base(config.base_url), now=now,
        posts=tuple(posts),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        people=tuple(sorted(people.values(), key=lambda p: (p.name, p.id))),
        tags=tuple(tags),
        years=tuple(sorted(by_year, reverse=True)),
        held_back=tuple(sorted(held, key=lambda h: h.shown)),
        events=tuple(ordered_events),
        upcoming=tuple(e for e in ordered_events if e.when.end > now),
        past=tuple(sorted((e for e in ordered_events if e.when.end <= now),
                          key=lambda e: (e.when.end, e.when.start, e.id), reverse=True)),
        event_years=tuple(sorted(events_by_year, reverse=True)),
        focus_areas=tuple(sorted(focus_areas.values(), key=lambda f: (f.order, f.title))),
        municipalities=places.MUNICIPALITIES,
        organisations=tuple(sorted(organisations.values(), key=lambda o: (o.name, o.id))),
        events_by_year=_frozen(events_by_year),
        events_by_municipality=_frozen(by_municipality),
        events_by_focus_area=_frozen(events_by_focus),
        events_by_person=_frozen(events_by_person),
        posts_by_focus_area=_frozen(posts_by_focus),
        posts_by_event=_frozen(posts_by_event),
        posts_by_tag=_frozen(by_tag),
        posts_by_year=_frozen(by_year),
        posts_by_person=_frozen(by_person),
        _neighbours=neighbours,
        _targets=targets,
    )
    return site, check.all_errors(loaded.errors)


def _frozen(groups: dict) -> dict:
    return {key: tuple(values) for key, values in groups.items()}


# The fields that name other content by id, by kind of file: (field, where the ids are defined, message).
REFERENCES = {
    "post": (("authors", "people", "okänd person"), ("focus_areas", "programme", "okänt fokusområde"),
             ("events", "events", "okänt evenemang")),
    "focus_area": (("contact", "people", "okänd person"),),
    "event": (("contacts", "people", "okänd person"), ("organisers", "organisations", "okänd organisation"),
              ("partners", "organisations", "okänd organisation"), ("focus_areas", "programme", "okänt fokusområde")),
}


def _written_ids_of(item, field_name: str) -> list[str]:
    """The ids a field of a file that did not validate names, also when some are no ids (a name written
    for an id: _References.ids tells which id was meant); none when the field is not text."""
    value = item.lines.get(field_name)
    ids = [value] if isinstance(value, str) else value
    if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        return []
    return [i.strip() for i in ids]  # as models.Id reads them


def _written_downloads(item) -> list[tuple[int, str]]:
    """(index, file) of each download an event that did not validate names, when the field had no error."""
    value = item.lines.get("downloads") if item.kind == "event" and "downloads" in item.valid else None
    if not isinstance(value, list):
        return []
    return [(index, entry["file"].strip()) for index, entry in enumerate(value)
            if isinstance(entry, dict) and isinstance(entry.get("file"), str)]


class _References:
    """Checks ids written in content against what exists, collecting an error for each unknown one."""

    def __init__(self, loaded: Loaded):
        self.errors: list[ContentError] = []
        # The loader's "no id" errors, each with the id meant added (ids); all_errors puts them in its place.
        self.refined: dict[ContentError, ContentError] = {}
        # Where each kind of id is defined, as messages name it (the content folder as given).
        root = loaded.people_shown.rsplit("/", 1)[0]
        self.people, self.organisations = loaded.people_shown, loaded.organisations_shown
        self.programme, self.events = f"{root}/programme/", f"{root}/events/"
        # The ids written in each registry, valid or not; None for one that could not be read at all.
        # A reference to such an id is no error of its own: the registry's error says what to fix, and
        # a typo there made every post, event and focus area that names the person "unknown".
        self.written = {shown: _written_ids(lines, shown, loaded.errors) for shown, lines in (
            (self.people, loaded.people_lines), (self.organisations, loaded.organisations_lines))}

    def references(self, item, kind: str, registries: dict, ids_in: Callable[[str], list]) -> bool:
        """True when every id that the fields of an item of `kind` name is known (REFERENCES);
        `ids_in(field)` gives a field's ids, `registries` what exists by REFERENCES' names."""
        ok = True
        for field_name, registry, what in REFERENCES.get(kind, ()):
            where = {"people": self.people, "organisations": self.organisations,
                     "programme": self.programme, "events": self.events}[registry]
            ok &= self.ids(item, field_name, ids_in(field_name), registries[registry], where, what)
        return ok

    def ids(self, item, field_name: str, ids, known: dict, where: str, what: str) -> bool:
        """True when every id in `ids` is known; otherwise an error for each unknown one, at its line,
        saying which id was meant (_meant). `known`: each id with its item, whose name or title is
        matched too (None for a file that could not be read).

        `what` starts the message, e.g. "okänd person" or "okänt evenemang".
        """
        ok = True
        written = self.written.get(where, set())
        for index, item_id in enumerate(ids):
            if item_id in known:
                continue
            ok = False
            loc = tuple(field_name.split(".")) + (index,)
            if not _is_id(item_id):  # the loader has said it is no id: it is told which one is meant
                self._refine(item, field_name, loc, _meant(item_id, known))
                continue
            if written is None or item_id in written:
                continue
            message = f"{what} {item_id!r}: finns inte i {where}"
            meant = _meant(item_id, known)
            if meant:
                message += f" (menade du {meant!r}?)"
            self.errors.append(ContentError(item.shown, _line_of(item.lines, loc), field_name, message))
        return ok

    def _refine(self, item, field_name: str, loc: tuple, meant: str | None) -> None:
        """The loader's error for a value at `loc` that is no id, with the id meant added."""
        from generator.content.models import id_message

        if meant is None:
            return
        value = item.lines.get(field_name)
        said = ContentError(item.shown, _line_of(item.lines, loc), field_name,
                            id_message(value[loc[-1]] if isinstance(value, list) else value))  # as written
        self.refined[said] = ContentError(said.path, said.line, said.field, f"{said.message}; menade du {meant!r}?")

    def all_errors(self, loaded_errors: list[ContentError]) -> list[ContentError]:
        """The loader's errors, those of a name written for an id saying the id, and the references' errors."""
        return [self.refined.get(error, error) for error in loaded_errors] + self.errors

    def image(self, doc, image: str | None) -> bool:
        """A post's image is a file under assets/ (one on another site is the links check's to tell)."""
        inside = image_in_assets(doc.source, image)
        if not inside:
            from generator.content.models import image_message

            self.errors.append(ContentError(doc.shown, _line_of(doc.lines, ("image",)), "image",
                                            image_message(doc.source)))
        return inside

    def asset(self, item, field_name: str, loc: tuple, file_name: str, asset_names: frozenset[str]) -> bool:
        if urls.same_name(file_name) in asset_names:
            return True
        self.errors.append(ContentError(item.shown, _line_of(item.lines, loc), field_name,
                                        f"filen assets/{file_name} finns inte" + _asset_hint(file_name, asset_names)))
        return False


def _is_id(text: str) -> bool:
    """models.is_id; only unknown ids are asked about, so the models are imported only then."""
    from generator.content.models import is_id

    return is_id(text)


def _meant(written: str, known: dict) -> str | None:
    """The id an editor most likely meant by `written`: that of the one item whose name or title it is
    (in any capitals, or once both are made addresses with urls.slug), the id it makes as an address
    ("anna-östlund", "Cirkulär ekonomi"), or else the id nearest to it (difflib). None when two items
    have that name: guessing one of them would send the editor to the wrong person."""
    names = {item_id: _name_of(item) for item_id, item in known.items()}
    slug = urls.slug(written)
    by_name = [item_id for item_id, name in names.items() if name and name.casefold() == written.casefold()]
    by_slug = [slug] if slug in known else [item_id for item_id, name in names.items() if name and urls.slug(name) == slug]
    for found in (by_name, by_slug):
        if found:
            return found[0] if len(found) == 1 else None
    close = difflib.get_close_matches(written if _is_id(written) else slug, list(known), n=1)
    return close[0] if close else None


def _name_of(item) -> str | None:
    """What an item of a registry is called: a person's or organisation's name, a focus area's or event's title."""
    return getattr(item, "name", None) or getattr(item, "title", None)


def image_in_assets(source: str, image: str | None) -> bool:
    """Whether a post's image, as written in the file `source`, names a file under assets/; an address
    on another site counts (the links check tells why it is not shown), as does no image."""
    if image is None or urls.has_scheme(image):
        return True
    path = unquote(image.partition("#")[0].partition("?")[0])
    if path.startswith("/"):
        return path.startswith("/assets/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path)).startswith("../assets/")


def _asset_hint(file_name: str, asset_names) -> str:
    """" (menade du 'filer/program.pdf'?)" when an asset is near the name written (assets.nearest)."""
    from generator.outputs.assets import nearest

    near = nearest(file_name, asset_names)
    return f" (menade du {near!r}?)" if near else ""


def _written_ids(lines, shown: str, errors: list[ContentError]) -> set[str] | None:
    if lines is not None:
        return set(lines)
    return None if any(error.path == shown for error in errors) else set()


def _line_of(lines, loc: tuple) -> int:
    """The line in a file's front matter of the field at `loc` (yamltext, imported only for an error)."""
    from generator.content.yamltext import line_of

    return line_of(lines, loc, 1)


def _tag_names(documents: list[Document]) -> dict[str, str]:
    """Each tag's display name: tags that make the same slug are one tag, shown as most posts write it."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for doc in documents:
        for name in doc.meta.tags:  # type: ignore[union-attr]
            spellings[urls.tag_slug(name)][name] += 1
    return {s: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for s, c in spellings.items()}


def _post(doc: Document, meta: PostMeta, people: dict[str, Person], tags: dict[str, Tag],
          focus_areas: dict[str, "FocusArea"], events: dict[str, Event]) -> Post:
    slug = doc.slug
    tag_slugs = dict.fromkeys(urls.tag_slug(t) for t in meta.tags)  # ordered, without repeats
    description = description_of(meta.summary, doc.excerpt)
    return Post(
        source=doc.source, shown=doc.shown, slug=slug,
        url=urls.post(meta.date.value.year, slug),
        title=meta.title, date=meta.date, updated=meta.updated, summary=meta.summary,
        description=description,
        tags=tuple(tags[s] for s in tag_slugs if s),
        authors=tuple(people[a] for a in meta.authors),
        focus_areas=tuple(focus_areas[f] for f in dict.fromkeys(meta.focus_areas)),
        events=tuple(events[e] for e in dict.fromkeys(meta.events)),
        image=meta.image, image_alt=meta.image_alt, draft=meta.draft,
        _body=doc.body, revision=doc.revision, references=doc.references,
    )


def description_of(summary: str | None, excerpt: str) -> str:
    """What lists and meta tags say of a post, page or focus area: its summary, or its first words."""
    return (summary or "").strip() or excerpt


def _page(doc: Document, meta: PageMeta) -> Page:
    slug = doc.slug
    return Page(
        source=doc.source, shown=doc.shown, slug=slug, url=urls.page(slug), title=meta.title,
        summary=meta.summary,
        description=description_of(meta.summary, doc.excerpt),
        draft=meta.draft, _body=doc.body, revision=doc.revision, references=doc.references,
    )


def _focus_area(doc: Document, meta: FocusAreaMeta, people: dict[str, Person], check: _References
                ) -> FocusArea | None:
    if not check.references(doc, "focus_area", {"people": people}, lambda name: [meta.contact] if meta.contact else []):
        return None
    area_id = doc.slug
    return FocusArea(
        id=area_id, source=doc.source, shown=doc.shown, url=urls.focus_area(area_id), title=meta.title,
        summary=meta.summary,
        description=description_of(meta.summary, doc.excerpt),
        order=meta.order, contact=people.get(meta.contact) if meta.contact else None,
        activities=tuple(sorted(meta.activities, key=lambda a: (a.year or 9999, a.title))),
        _body=doc.body, revision=doc.revision, references=doc.references,
    )


def _event(file: EventFile, tz, people, organisations, focus_areas, registries, asset_names, check: _References
           ) -> Event | None:
    meta: EventMeta = file.meta
    ok = check.references(file, "event", registries, lambda name: getattr(meta, name))
    for index, download in enumerate(meta.downloads):
        ok &= check.asset(file, "downloads.file", ("downloads", index, "file"), download.file, asset_names)
    if not ok or any(f not in focus_areas for f in meta.focus_areas):
        return None
    event_id = urls.post_slug(file.source.rsplit("/", 1)[-1])
    when = _when(meta, tz)
    stops = tuple(Stop(s.start, s.end, s.place, _municipality(s.place)) for s in meta.stops)
    return Event(
        id=event_id, source=file.source, shown=file.shown,
        url=urls.event(when.first_day.year, event_id),
        calendar_url=urls.event_calendar(when.first_day.year, event_id),
        title=meta.title, kind=meta.kind, status=meta.status, summary=meta.summary,
        description=(meta.summary or "").strip() or markdown.excerpt(file.description_html),
        description_html=file.description_html, when=when, place=meta.place, stops=stops,
        municipalities=_municipalities_of(meta, stops),
        programme=tuple(sorted(meta.programme, key=lambda i: ((i.date.day if i.date else when.first_day),
                                                               i.start_time))),
        registration=meta.registration,
        organisers=tuple(organisations[o] for o in meta.organisers),
        partners=tuple(organisations[o] for o in meta.partners),
        contacts=tuple(people[c] for c in meta.contacts),
        links=tuple(meta.links), videos=tuple(meta.videos), downloads=tuple(meta.downloads),
        documentation=file.documentation_html,
        focus_areas=tuple(focus_areas[f] for f in dict.fromkeys(meta.focus_areas)),
        updated=meta.updated, revision=file.revision,
    )


def _when(meta: EventMeta, tz) -> When:
    from generator.content.models import event_days

    first, last = event_days(meta)
    midnight_after = datetime.combine(last + timedelta(days=1), time(0, 0), tz)
    if meta.month:
        return When("month", datetime.combine(first, time(0, 0), tz), midnight_after, first, last, False)
    if meta.stops:
        timed = all(s.start.has_time for s in meta.stops)
        start = min(s.start.value for s in meta.stops)
        end = max((s.end or s.start).value for s in meta.stops) if timed else midnight_after
        return When("tour", start, end, first, last, timed)
    assert meta.start is not None
    if meta.start.has_time:
        return When("timed", meta.start.value, (meta.end or meta.start).value, first, last, True)
    return When("days", meta.start.value, midnight_after, first, last, False)


@dataclass(frozen=True)
class EventOutline:
    """What an event's warnings read (pipeline.warnings) of an event file the site leaves out for an
    error, as its Event would have it: the file's other problems are told in the same run."""

    shown: str
    status: str
    when: When
    registration: Registration | None
    documentation: tuple[str, ...]  # the questions after the event that are answered


def outline(meta: EventMeta, shown: str, tz) -> EventOutline:
    from generator.content.load import QUESTIONS

    answered = tuple(name for name, _ in QUESTIONS
                     if meta.documentation and (getattr(meta.documentation, name) or "").strip())
    return EventOutline(shown, meta.status, _when(meta, tz), meta.registration, answered)


def _municipality(place: Place | None) -> Municipality | None:
    return places.municipality(place.municipality) if place and place.municipality else None


def _municipalities_of(meta: EventMeta, stops: tuple[Stop, ...]) -> tuple[Municipality, ...]:
    """Every municipality an event takes place in: its place, its stops, and `municipalities`."""
    if places.ALL in meta.municipalities:
        return places.MUNICIPALITIES
    found = {m.slug for m in [_municipality(meta.place), *(s.municipality for s in stops)] if m}
    found |= {places.municipality(name).slug for name in meta.municipalities}
    return tuple(m for m in places.MUNICIPALITIES if m.slug in found)


def registration_closes(event: Event) -> datetime | None:
    """When an event's registration deadline passes, or None: a deadline with a time closes then; a
    day without one closes when the day is over, in the site's time zone (the day the page shows)."""
    deadline = event.registration.deadline if event.registration else None
    if deadline is None:
        return None
    return deadline.value if deadline.has_time else \
        datetime.combine(deadline.day + timedelta(days=1), time(0), deadline.value.tzinfo)
