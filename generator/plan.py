"""Step 3, plan: the Site -> the list of every file the build writes.

A pure function. Each Output names its site path, the template that renders it
and the `page` data the template receives. Two outputs with the same path are an
error found here, before anything is written.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from generator import feeds, ical, urls
from generator.errors import ContentError
from generator.site import Site

HOME_POSTS = 5
HOME_EVENTS = 3


@dataclass(frozen=True)
class Output:
    path: str  # site path, e.g. /blogg/2015/kalasturne/
    template: str  # file in templates/
    page: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # the content file it comes from, for collision messages
    in_sitemap: bool = True


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


def paginate(items: Sequence[Any], per_page: int, url_of: Callable[[int], str]) -> list[Pager]:
    """Split `items` into pages; an empty list still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    return [Pager(n, count, items[(n - 1) * per_page: n * per_page], url_of) for n in range(1, count + 1)]


def plan(site: Site) -> tuple[list[Output], list[ContentError]]:
    outputs: list[Output] = []
    per_page = site.config.posts_per_page
    outputs.append(Output(urls.home(), "home.html", {
        "kind": "home", "title": site.config.title, "description": site.config.description,
        "posts": site.posts[:HOME_POSTS], "events": site.upcoming[:HOME_EVENTS],
    }))
    outputs += _list_pages(site.posts, per_page, urls.blog, "Blogg", "blog",
                           "Alla inlägg i innovationsbloggen, nyast först.")
    for post in site.posts:
        outputs.append(Output(post.url, "post.html", {
            "kind": "post", "title": post.title, "description": post.description, "post": post,
        }, source=post.shown))
    outputs.append(Output(urls.archive(), "archive.html", {
        "kind": "archive", "title": "Arkiv", "description": "Blogginläggen år för år.",
    }))
    for year in site.years:
        outputs.append(Output(urls.year(year), "year.html", {
            "kind": "year", "title": f"Inlägg {year}", "description": f"Alla blogginlägg från {year}.",
            "year": year, "posts": site.posts_by_year[year],
        }))
    outputs.append(Output(urls.tags(), "tags.html", {
        "kind": "tags", "title": "Taggar", "description": "Alla ämnen som blogginläggen är taggade med.",
    }))
    for tag in site.tags:
        outputs += _list_pages(site.posts_by_tag[tag.slug], per_page, functools.partial(urls.tag, tag.slug),
                               f"Taggat {tag.name}", "tag", f"Blogginlägg taggade {tag.name}.", tag=tag)
    outputs.append(Output(urls.people(), "people.html", {
        "kind": "people", "title": "Personer", "description": "Personerna bakom innovationsprogrammet och bloggen.",
    }))
    for person in site.people:
        posts = site.posts_by_person.get(person.id, ())
        for pager in paginate(posts, per_page, functools.partial(urls.person, person.id)):
            outputs.append(Output(pager.url_of(pager.number), "person.html", {
                "kind": "person", "title": person.name + _page_suffix(pager),
                "description": ", ".join(x for x in (person.name, person.role, person.organisation) if x),
                "person": person, "pager": pager,
                "upcoming": site.upcoming_in(site.events_by_person.get(person.id, ())),
                "past": site.past_in(site.events_by_person.get(person.id, ())),
            }))
    outputs += _event_outputs(site)
    outputs += _programme_outputs(site)
    for page in site.pages:
        outputs.append(Output(page.url, "page.html", {
            "kind": "page", "title": page.title, "description": page.description, "item": page,
        }, source=page.shown))
    if site.config.search:
        outputs.append(Output(urls.search(), "search.html", {
            "kind": "search", "title": "Sök",
            "description": "Sök bland inlägg, evenemang, fokusområden och sidor.",
        }))
    outputs.append(Output(urls.not_found(), "404.html", {
        "kind": "404", "title": "Sidan finns inte", "description": "Sidan du sökte finns inte här.",
    }, in_sitemap=False))
    outputs.append(Output(urls.robots(), "robots.txt", {"kind": "robots"}, in_sitemap=False))
    outputs.append(Output(urls.headers(), "_headers", {"kind": "headers"}, in_sitemap=False))
    outputs += _subscriptions(site, outputs)
    sitemap = Output(urls.sitemap(), "sitemap.xml", {"kind": "sitemap"}, in_sitemap=False)
    sitemap.page["entries"] = [(o.path, _last_modified(o)) for o in outputs if o.in_sitemap]
    outputs.append(sitemap)
    return outputs, _collisions(outputs)


def _subscriptions(site: Site, outputs: list[Output]) -> list[Output]:
    """Feeds and calendars, the subscribe page, and the links that let browsers discover them."""
    post_feeds = feeds.post_feeds(site)
    calendars = ical.event_calendars(site)
    feed_of = {f.list_path: f for f in post_feeds}
    calendar_of = {c.list_path: c for c in calendars}
    for output in outputs:
        pager = output.page.get("pager")
        list_path = pager.url_of(1) if pager else output.path
        if list_path in feed_of and output.template.endswith(".html"):
            output.page["feed"] = feed_of[list_path]
        if list_path in calendar_of and output.template.endswith(".html"):
            output.page["calendar"] = calendar_of[list_path]
    made = [Output(feed.path(kind), "@feed", {"feed": feed, "format": kind}, in_sitemap=False)
            for feed in post_feeds for kind in feeds.KINDS]
    made += [Output(c.path, "@calendar", {"events": c.events, "name": c.title}, in_sitemap=False)
             for c in calendars]
    made.append(Output(urls.subscribe(), "subscribe.html", {
        "kind": "subscribe", "title": "Prenumerera",
        "description": "Följ bloggen i en flödesläsare och få programmets evenemang i din egen kalender.",
        "feeds": post_feeds, "calendars": calendars,
    }))
    return made


def _event_outputs(site: Site) -> list[Output]:
    outputs = [Output(urls.events(), "events.html", {
        "kind": "events", "title": "Evenemang",
        "description": "Kommande och tidigare evenemang i innovationsprogrammet: idéverkstäder, workshoppar, "
                       "lärresor och möten.",
    })]
    for year in site.event_years:
        outputs.append(Output(urls.events_year(year), "events_year.html", {
            "kind": "events_year", "title": f"Evenemang {year}", "description": f"Alla evenemang under {year}.",
            "year": year, "events": site.events_by_year[year],
        }))
    for event in site.events:
        outputs.append(Output(event.url, "event.html", {
            "kind": "event", "title": event.title, "description": event.description, "event": event,
        }, source=event.shown))
        outputs.append(Output(event.calendar_url, "@calendar", {
            "events": (event,), "name": event.title,
        }, source=event.shown, in_sitemap=False))
    outputs.append(Output(urls.municipalities(), "municipalities.html", {
        "kind": "municipalities", "title": "Kommuner",
        "description": "Evenemang i Jämtland Härjedalens åtta kommuner.",
    }))
    for municipality in site.municipalities:
        events = site.events_by_municipality.get(municipality.slug, ())
        outputs.append(Output(municipality.url, "municipality.html", {
            "kind": "municipality", "title": municipality.name,
            "description": f"Kommande och tidigare evenemang i {municipality.name}.",
            "municipality": municipality, "upcoming": site.upcoming_in(events), "past": site.past_in(events),
        }))
    this_year = site.now.year
    for year in sorted({this_year, *site.event_years}, reverse=True):
        paths = [urls.wheel()] if year == this_year else []
        paths += [urls.wheel(year)] if year in site.event_years else []
        for path in paths:
            outputs.append(Output(path, "wheel.html", {
                "kind": "wheel", "title": f"Årshjul {year}",
                "description": f"Årshjulet för {year}: innovationsprogrammets evenemang månad för månad.",
                "year": year, "events": site.events_by_year.get(year, ()), "path": path,
            }))
    outputs.append(Output(urls.events_json(), "@events_json", {}, in_sitemap=False))
    outputs.append(Output(urls.events_csv(), "@events_csv", {}, in_sitemap=False))
    return outputs


def _programme_outputs(site: Site) -> list[Output]:
    outputs = [Output(urls.programme(), "programme.html", {
        "kind": "programme", "title": "Innovationsprogrammet",
        "description": "Innovationsprogrammets fokusområden och de aktiviteter som föreslås fram till 2025.",
    })]
    for area in site.focus_areas:
        outputs.append(Output(area.url, "focus_area.html", {
            "kind": "focus_area", "title": area.title, "description": area.description, "area": area,
            "posts": site.posts_by_focus_area.get(area.id, ()),
            "upcoming": site.upcoming_in(site.events_by_focus_area.get(area.id, ())),
            "past": site.past_in(site.events_by_focus_area.get(area.id, ())),
        }, source=area.shown))
    return outputs


def _list_pages(posts, per_page, url_of, title, kind, description, **extra) -> list[Output]:
    return [
        Output(url_of(pager.number), "list.html", {
            "kind": kind, "title": title + _page_suffix(pager), "description": description,
            "pager": pager, **extra,
        })
        for pager in paginate(posts, per_page, url_of)
    ]


def _last_modified(output: Output) -> str | None:
    post = output.page.get("post")
    if post:
        return post.modified.value.date().isoformat()
    event = output.page.get("event")
    return event.updated.value.date().isoformat() if event and event.updated else None


def _page_suffix(pager: Pager) -> str:
    return "" if pager.number == 1 else f", sida {pager.number} av {pager.count}"


def _newer(first: Output, second: Output) -> bool:
    """True when `first` is the newer of two content files with one address: the later date (a post
    copied to make a new one), else the later file name. The newer file is the one to rename: the
    other may be published, and its address linked from elsewhere."""
    def age(output: Output) -> tuple:
        moment = getattr(output.page.get("post"), "date", None)
        return (moment.value.isoformat() if moment is not None else "", output.source)
    return age(first) > age(second)


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
            if output.source and earlier.source and _newer(earlier, output):
                first[key], earlier, output = output, output, earlier
            by = earlier.source or "en sida som webbplatsen själv gör"
            errors.append(ContentError(output.source or by, 1, "", f"adressen {output.path} används redan av {by}; "
                                       + ("byt namn på den här filen, inte på den andra (dess adress kan "
                                          "redan vara publicerad och länkad)" if earlier.source else "byt filnamn")))
        else:
            first[key] = output
    return errors
