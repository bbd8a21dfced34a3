"""schema.org data (JSON-LD) that search engines and apps read from the pages."""
from __future__ import annotations

from typing import Any

from generator.outputs import ical
from generator.site.model import Event, Post, Site


def organisation(site: Site) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.config.publisher or site.config.title, "url": site.absolute("/")}


def blog_posting(site: Site, post: Post) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "datePublished": post.date.iso(),
        "dateModified": post.modified.iso(),
        "url": site.absolute(post.url),
        "mainEntityOfPage": site.absolute(post.url),
        "inLanguage": site.config.language,
        "author": [{"@type": "Person", "name": a.name, "url": site.absolute(a.url)} for a in post.authors]
        or organisation(site),
        "publisher": organisation(site),
    }
    if post.tags:
        data["keywords"] = [t.name for t in post.tags]
    if post.image:
        data["image"] = site.absolute_link(post.source, post.image)
    return data


_EVENT_STATUS = {"planned": "EventScheduled", "held": "EventScheduled",
                 "cancelled": "EventCancelled", "postponed": "EventPostponed"}


def event(site: Site, item: Event) -> dict[str, Any]:
    """schema.org Event: what search engines and event apps read."""
    when = item.when
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": item.title,
        "description": item.description,
        "url": site.absolute(item.url),
        "startDate": when.start.isoformat() if when.has_time else when.first_day.isoformat(),
        "endDate": when.end.isoformat() if when.has_time else when.last_day.isoformat(),
        "eventStatus": f"https://schema.org/{_EVENT_STATUS[item.status]}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": site.config.language,
        "location": _location(item),
        "organizer": [{"@type": "Organization", "name": o.name, **({"url": o.url} if o.url else {})}
                      for o in item.organisers] or organisation(site),
    }
    if item.partners:
        data["sponsor"] = [{"@type": "Organization", "name": o.name} for o in item.partners]
    return data


def _location(item: Event) -> dict[str, Any] | list[dict[str, Any]]:
    if item.stops:
        return [_place(s.place.venue, s.place.address, s.place.municipality or s.place.locality,
                       bool(s.place.municipality)) for s in item.stops]
    place = item.place
    if place:
        return _place(place.venue, place.address, place.municipality or place.locality, bool(place.municipality))
    return _place(None, None, ical.location(item), True)


def _place(venue: str | None, street: str | None, locality: str | None, in_region: bool) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress"}
    if street:
        address["streetAddress"] = street
    if locality:
        address["addressLocality"] = locality
    if in_region:
        address["addressRegion"] = "Jämtlands län"
        address["addressCountry"] = "SE"
    return {"@type": "Place", "name": venue or locality or "", "address": address}
