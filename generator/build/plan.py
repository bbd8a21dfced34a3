"""Step 3, plan: the Site -> the list of every file the build writes.

A pure function. Each Output holds the `page` context its template receives
(contexts.py), which names its site path and template. Two outputs with the same path are an
error found here, before anything is written.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from generator.outputs import arshjul, feeds, ical, icons
from generator import urls
from generator.outputs.assets import Asset
from generator.outputs.contexts import (
    AdminPage,
    ArchivePage,
    BlogPage,
    CalendarFile,
    CmsConfigFile,
    CmsFile,
    Context,
    EventPage,
    EventsCsvFile,
    EventsJsonFile,
    EventsPage,
    EventsYearPage,
    FaviconFile,
    FeedFile,
    FocusAreaPage,
    HeadersFile,
    HomePage,
    ManifestFile,
    MunicipalitiesPage,
    MunicipalityPage,
    NotFoundPage,
    Pager,
    PeoplePage,
    PersonPage,
    PostPage,
    ProgrammePage,
    RobotsFile,
    SearchPage,
    SitemapFile,
    SubscribePage,
    TagPage,
    TagsPage,
    TextPage,
    WheelPage,
    YearPage,
)
from generator.errors import ContentError
from generator.site.model import Site

HOME_POSTS = 5
HOME_EVENTS = 3


@dataclass(frozen=True)
class Output:
    """One file the build writes: its page context (contexts.py), which knows its site path,
    template and whether the sitemap lists it."""

    page: Context
    source: str = ""  # the content file it comes from, for collision messages

    @property
    def path(self) -> str:  # site path, e.g. /blogg/2015/kalasturne/
        return self.page.path

    @property
    def template(self) -> str:  # file in templates/, or "@name" for a file Python writes
        return self.page.template

    @property
    def in_sitemap(self) -> bool:
        return self.page.in_sitemap


def paginate(items: Sequence[Any], per_page: int, url_of: Callable[[int], str]) -> list[Pager]:
    """Split `items` into pages; an empty list still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    return [Pager(n, count, items[(n - 1) * per_page: n * per_page], url_of) for n in range(1, count + 1)]


class _Subscriptions:
    """The feeds and calendars, and which list each follows: a list's pages link them."""

    def __init__(self, site: Site):
        self.feeds = feeds.post_feeds(site)
        self.calendars = ical.event_calendars(site)
        self._feed_of = {f.list_path: f for f in self.feeds}
        self._calendar_of = {c.list_path: c for c in self.calendars}

    def of(self, list_path: str) -> dict[str, Any]:
        """The `feed` and `calendar` of the list whose first page is at `list_path`, or None."""
        return {"feed": self._feed_of.get(list_path), "calendar": self._calendar_of.get(list_path)}


def plan(site: Site, assets: Sequence[Asset] = ()) -> tuple[list[Output], list[ContentError]]:
    outputs: list[Output] = []
    per_page = site.config.posts_per_page
    follow = _Subscriptions(site)
    outputs.append(Output(HomePage(
        path=urls.home(), title=site.config.title, description=site.config.description,
        posts=site.posts[:HOME_POSTS], events=site.upcoming[:HOME_EVENTS])))
    outputs += [Output(BlogPage(path=pager.url_of(pager.number), title="Blogg" + _page_suffix(pager),
                                description="Alla inlägg i innovationsbloggen, nyast först.", pager=pager,
                                **follow.of(urls.blog())))
                for pager in paginate(site.posts, per_page, urls.blog)]
    for post in site.posts:
        outputs.append(Output(PostPage(path=post.url, post=post), source=post.shown))
    outputs.append(Output(ArchivePage(path=urls.archive(), title="Arkiv", description="Blogginläggen år för år.")))
    for year in site.years:
        outputs.append(Output(YearPage(
            path=urls.year(year), title=f"Inlägg {year}", description=f"Alla blogginlägg från {year}.",
            year=year, posts=site.posts_by_year[year])))
    outputs.append(Output(TagsPage(path=urls.tags(), title="Taggar",
                                   description="Alla ämnen som blogginläggen är taggade med.")))
    for tag in site.tags:
        outputs += [Output(TagPage(path=pager.url_of(pager.number), title=f"Taggat {tag.name}" + _page_suffix(pager),
                                   description=f"Blogginlägg taggade {tag.name}.", pager=pager, tag=tag,
                                   **follow.of(tag.url)))
                    for pager in paginate(site.posts_by_tag[tag.slug], per_page, functools.partial(urls.tag, tag.slug))]
    outputs.append(Output(PeoplePage(path=urls.people(), title="Personer",
                                     description="Personerna bakom innovationsprogrammet och bloggen.")))
    for person in site.people:
        posts = site.posts_by_person.get(person.id, ())
        events = site.events_by_person.get(person.id, ())
        for pager in paginate(posts, per_page, functools.partial(urls.person, person.id)):
            outputs.append(Output(PersonPage(
                path=pager.url_of(pager.number), title=person.name + _page_suffix(pager),
                description=", ".join(x for x in (person.name, person.role, person.organisation) if x),
                person=person, pager=pager, upcoming=site.upcoming_in(events), past=site.past_in(events))))
    outputs += _event_outputs(site, follow)
    outputs += _programme_outputs(site, follow)
    for page in site.pages:
        outputs.append(Output(TextPage(path=page.url, item=page), source=page.shown))
    if site.config.search:
        outputs.append(Output(SearchPage(path=urls.search(), title="Sök",
                                         description="Sök bland inlägg, evenemang, fokusområden och sidor.")))
    outputs.append(Output(NotFoundPage(path=urls.not_found(), title="Sidan finns inte",
                                       description="Sidan du sökte finns inte här.")))
    outputs.append(Output(RobotsFile(path=urls.robots())))
    outputs.append(Output(HeadersFile(path=urls.headers())))
    if site.config.cms is not None:
        outputs += _admin_outputs(assets)
    icon_outputs, icon_errors = _icon_outputs(assets)
    outputs += icon_outputs
    outputs += _subscription_outputs(follow)
    outputs.append(Output(SitemapFile(path=urls.sitemap(),
                                      entries=[(o.path, _last_modified(o)) for o in outputs if o.in_sitemap])))
    return outputs, icon_errors + _collisions(outputs)


def _admin_outputs(assets: Sequence[Asset]) -> list[Output]:
    """/admin/ for editing in the browser (generator/outputs/cms.py): the page, its configuration, the vendored
    Decap CMS and the project's own script and style for it."""
    from generator.outputs import cms

    stylesheet = next((a.output_name for a in assets if a.name == "css/site.css"), "")
    admin = urls.admin()
    outputs = [Output(AdminPage(path=admin, stylesheet=f"../assets/{stylesheet}" if stylesheet else "")),
               Output(CmsConfigFile(path=admin + "config.yml"))]
    for file in [*cms.bundle_files(), cms.SCRIPT, cms.STYLE]:
        outputs.append(Output(CmsFile(path=admin + file.name, file=str(file.relative_to(cms.ROOT)),
                                      digest=cms.digest(file))))
    return outputs


def _icon_outputs(assets: Sequence[Asset]) -> tuple[list[Output], list[ContentError]]:
    """/favicon.ico and the web manifest, for a site whose assets/ has icons/ (generator/outputs/icons.py)."""
    by_name = {asset.name: asset for asset in assets}
    if icons.SVG not in by_name:
        return [], []
    outputs, errors = [Output(ManifestFile(path=urls.manifest()))], []
    needed = [icons.FAVICON_PNG, icons.APPLE_TOUCH, *icons.MANIFEST_ICONS]
    for name in needed:
        if name not in by_name:
            errors.append(ContentError(f"assets/{icons.SVG}", 1, "", f"assets/{name} saknas: gör den med "
                                       "`python scripts/make_icons.py`"))
    if icons.FAVICON_PNG in by_name:
        try:
            favicon = icons.ico(by_name[icons.FAVICON_PNG].source.read_bytes())
            outputs.append(Output(FaviconFile(path=urls.favicon(), ico=favicon)))
        except (OSError, ValueError) as problem:
            errors.append(ContentError(f"assets/{icons.FAVICON_PNG}", 1, "", str(problem)))
    return outputs, errors


def _subscription_outputs(follow: _Subscriptions) -> list[Output]:
    """The feeds' and calendars' files, and the page that offers them all."""
    made = [Output(FeedFile(path=feed.path(kind), feed=feed, format=kind))
            for feed in follow.feeds for kind in feeds.KINDS]
    made += [Output(CalendarFile(path=c.path, events=c.events, name=c.title, subscription=True)) for c in follow.calendars]
    made.append(Output(SubscribePage(
        path=urls.subscribe(), title="Prenumerera",
        description="Följ bloggen i en flödesläsare och få programmets evenemang i din egen kalender.",
        feeds=follow.feeds, calendars=follow.calendars)))
    return made


def _event_outputs(site: Site, follow: _Subscriptions) -> list[Output]:
    outputs = [Output(EventsPage(
        path=urls.events(), title="Evenemang",
        description="Kommande och tidigare evenemang i innovationsprogrammet: idéverkstäder, workshoppar, "
                    "lärresor och möten.",
        **follow.of(urls.events())))]
    for year in site.event_years:
        outputs.append(Output(EventsYearPage(
            path=urls.events_year(year), title=f"Evenemang {year}", description=f"Alla evenemang under {year}.",
            year=year, events=site.events_by_year[year])))
    for event in site.events:
        outputs.append(Output(EventPage(path=event.url, event=event), source=event.shown))
        outputs.append(Output(CalendarFile(path=event.calendar_url, events=(event,), name=event.title),
                              source=event.shown))
    outputs.append(Output(MunicipalitiesPage(path=urls.municipalities(), title="Kommuner",
                                             description="Evenemang i Jämtland Härjedalens åtta kommuner.")))
    for municipality in site.municipalities:
        events = site.events_by_municipality.get(municipality.slug, ())
        outputs.append(Output(MunicipalityPage(
            path=municipality.url, title=municipality.name,
            description=f"Kommande och tidigare evenemang i {municipality.name}.",
            municipality=municipality, upcoming=site.upcoming_in(events), past=site.past_in(events),
            **follow.of(municipality.url))))
    opening_year = arshjul.default_year(site.now.year, site.upcoming)
    wheel_years = tuple(sorted({opening_year, *site.event_years}, reverse=True))
    for year in wheel_years:
        paths = [urls.wheel()] if year == opening_year else []
        paths += [urls.wheel(year)] if year in site.event_years else []
        for path in paths:
            outputs.append(Output(WheelPage(
                path=path, title=f"Årshjul {year}",
                description=f"Årshjulet för {year}: innovationsprogrammets evenemang månad för månad.",
                year=year, events=site.events_by_year.get(year, ()), years=wheel_years)))
    outputs.append(Output(EventsJsonFile(path=urls.events_json())))
    outputs.append(Output(EventsCsvFile(path=urls.events_csv())))
    return outputs


def _programme_outputs(site: Site, follow: _Subscriptions) -> list[Output]:
    outputs = [Output(ProgrammePage(
        path=urls.programme(), title="Innovationsprogrammet",
        description="Innovationsprogrammets fokusområden och de aktiviteter som föreslås fram till 2025."))]
    for area in site.focus_areas:
        outputs.append(Output(FocusAreaPage(
            path=area.url, area=area, posts=site.posts_by_focus_area.get(area.id, ()),
            upcoming=site.upcoming_in(site.events_by_focus_area.get(area.id, ())),
            past=site.past_in(site.events_by_focus_area.get(area.id, ())), **follow.of(area.url)),
            source=area.shown))
    return outputs


def _last_modified(output: Output) -> str | None:
    page = output.page
    if isinstance(page, PostPage):
        return page.post.modified.value.date().isoformat()
    if isinstance(page, EventPage) and page.event.updated:
        return page.event.updated.value.date().isoformat()
    return None


def _page_suffix(pager: Pager) -> str:
    return "" if pager.number == 1 else f", sida {pager.number} av {pager.count}"


def _date_of(output: Output) -> str:
    moment = getattr(getattr(output.page, "post", None), "date", None)
    return moment.value.isoformat() if moment is not None else ""


def _newer(first: Output, second: Output) -> bool:
    """True when `first` is the newer of two content files with one address: the later date (a post
    copied to make a new one), else the later file name. The newer file is the one to rename: the
    other may be published, and its address linked from elsewhere."""
    return (_date_of(first), first.source) > (_date_of(second), second.source)


def _shared_address(output: Output, earlier: Output) -> ContentError:
    """Two content files with one address, said at the newer; with equal dates (or none, as pages have)
    the file names cannot tell which is the copy (Samma.md and samma.md), and the message does not
    pretend to."""
    date = _date_of(output)
    if date == _date_of(earlier):
        return ContentError(output.source, 1, "", f"adressen {output.path} används också av {earlier.source}"
                                                  f"{', med samma datum' if date else ''}; byt namn på den av "
                                                  "filerna som är ny (den andra kan redan vara publicerad och länkad)")
    return ContentError(output.source, 1, "", f"adressen {output.path} används redan av {earlier.source}; byt namn "
                                              "på den här filen, inte på den andra (dess adress kan redan vara "
                                              "publicerad och länkad)")


def _collisions(outputs: list[Output]) -> list[ContentError]:
    """Two outputs that would write the same file: the newer content file is the error, and a
    content file that takes an address the site makes itself. So is a file name that makes no
    address (`!!.md`): it could only write outside its folder or nowhere."""
    first: dict[str, Output] = {}
    errors = []
    for output in outputs:
        key = urls.output_path(output.path)
        if urls.leaves_folder(key):  # reported for its file; what the site makes from it goes with it
            if output.source:
                errors.append(ContentError(output.source, 1, "",
                                           "filnamnet ger ingen adress; det behöver minst en bokstav a–z "
                                           "eller en siffra (utöver datumet)"))
        elif key in first:
            earlier = first[key]
            if output.source and earlier.source:  # two content files: the newer one is the copy
                if _newer(earlier, output):
                    first[key], earlier, output = output, output, earlier
                errors.append(_shared_address(output, earlier))
            elif output.source or not earlier.source:
                by = earlier.source or _made_by_the_site(earlier)
                errors.append(ContentError(output.source or by, 1, "",
                                           f"adressen {output.path} används redan av {by}; byt filnamn"))
            else:  # a page of the site's own, planned after the content file that takes its address
                errors.append(ContentError(earlier.source, 1, "", f"adressen {output.path} används redan av "
                                                                  f"{_made_by_the_site(output)}; byt filnamn"))
        else:
            first[key] = output
    return errors


def _made_by_the_site(output: Output) -> str:
    title = getattr(output.page, "title", None)  # HTML pages have one; robots.txt, feeds … do not
    return f"sidan ”{title}” som webbplatsen själv gör" if title else "en sida som webbplatsen själv gör"
