"""iCalendar (RFC 5545) files for events, written with the icalendar library.

How each shape of event becomes a VEVENT:
- timed: DTSTART/DTEND with TZID=Europe/Stockholm, and a VTIMEZONE for it;
- days (24–26 juni) and long ranges (22 juni–30 juli): all-day DATE values,
  DTEND the day after the last day (RFC 5545 3.6.1: DTEND is exclusive);
- month only (november 2015): an all-day range over the whole month with
  STATUS:TENTATIVE and a description that says only the month is known — no
  made-up date;
- tour: one VEVENT per stop, each with its own time and place;
- cancelled: STATUS:CANCELLED, kept in the file so subscribed calendars drop it.
The timed programme stays in the description, as plain text.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from generator.content import dates
from generator.outputs import timezones
from generator import urls
from generator.site.model import Event, Site, Stop

if TYPE_CHECKING:
    from icalendar import Event as VEvent

PRODID = "-//Region Jämtland Härjedalen//Innovationsbloggen//SV"
SEQUENCE_EPOCH = datetime(2015, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class EventCalendar:
    """A calendar to subscribe to: the events of one list (all, a focus area, a municipality)."""

    group: str  # "all", "focus_area" or "municipality"
    label: str
    title: str
    list_path: str  # the HTML page of the same list
    events: tuple[Event, ...]

    @property
    def path(self) -> str:
        return urls.calendar(self.list_path)


def event_calendars(site: Site) -> list[EventCalendar]:
    name = site.config.title
    calendars = [EventCalendar("all", "Alla evenemang", f"{name}: alla evenemang", urls.events(), site.events)]
    calendars += [EventCalendar("focus_area", area.title, f"{name}: {area.title}", area.url,
                                site.events_by_focus_area.get(area.id, ())) for area in site.focus_areas]
    calendars += [EventCalendar("municipality", m.name, f"{name}: {m.name}", m.url,
                                site.events_by_municipality.get(m.slug, ())) for m in site.municipalities]
    return calendars


def subscribe_links(site: Site, path: str, name: str) -> dict[str, str]:
    """How to subscribe to the calendar at `path`: webcal://, Google Calendar, Outlook, the file."""
    https = site.absolute(path)
    webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "file": https,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": https, "name": name}),
    }
_STATUS = {"planned": "CONFIRMED", "held": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


# How often a subscribed calendar app should fetch a list's calendar again (RFC 7986 REFRESH-INTERVAL,
# and Outlook's X-PUBLISHED-TTL): events change a few times a week at most.
REFRESH = timedelta(hours=12)


def calendar(site: Site, events: tuple[Event, ...], name: str, subscription: bool = False) -> bytes:
    """An .ics file of `events`; a `subscription` (a list's calendar, not one event's file) also says
    how often to fetch it again."""
    from icalendar import Calendar, vDuration  # here, not at the top: a build that writes no calendar skips the import

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.config.timezone)
    if subscription:
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))  # an X- property: icalendar would not know its type
    all_vevents = [vevent for event in events for vevent in vevents(site, event)]
    timed = [vevent.decoded(name) for vevent in all_vevents for name in ("DTSTART", "DTEND")
             if isinstance(vevent.decoded(name), datetime)]
    if timed:
        cal.add_component(timezones.vtimezone(site.config.timezone, min(timed), max(timed)))
    for vevent in all_vevents:
        cal.add_component(vevent)
    return cal.to_ical()


def vevents(site: Site, event: Event) -> list[VEvent]:
    if event.stops:
        return [_vevent(site, event, _stop_times(stop), _stop_location(stop), f"-{n}")
                for n, stop in enumerate(event.stops, start=1)]
    return [_vevent(site, event, _event_times(event), location(event), "")]


def _vevent(site: Site, event: Event, times: tuple, where: str, suffix: str) -> VEvent:
    from icalendar import Event as VEvent

    start, end = times
    vevent = VEvent()
    vevent.add("uid", f"{event.id}{suffix}@{urlsplit(site.config.base_url).hostname}")
    vevent.add("dtstamp", _stamp(event))
    vevent.add("sequence", sequence(event))
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", ("INSTÄLLT: " if event.cancelled else "") + event.title)
    status = "TENTATIVE" if event.when.shape == "month" and not event.cancelled else _STATUS[event.status]
    vevent.add("status", status)
    if event.when.shape == "month":  # only the month is known: not a month of busy days
        vevent.add("transp", "TRANSPARENT")
    if where:
        vevent.add("location", where)
    vevent.add("description", description(site, event))
    vevent.add("url", site.absolute(event.url))
    vevent.add("categories", [event.kind, *(area.title for area in event.focus_areas)])
    return vevent


def sequence(event: Event) -> int:
    """SEQUENCE: higher after every change an app that imported the event must take in.

    Derived from `updated`, which an editor sets when an event's time, place or status
    changes (the git history is not read: a build from an archive or a shallow clone would give
    other numbers). It is the number of minutes from 2015-01-01 to `updated`, so a later change
    always has a higher number on every build, with no state kept between builds; a cancelled or
    postponed event is one higher still, so that a cancellation made without `updated` still
    replaces the planned event in the apps.
    """
    changed = 0 if not event.updated else max(0, int((event.updated.value - SEQUENCE_EPOCH).total_seconds() // 60))
    return changed + (1 if event.status in ("cancelled", "postponed") else 0)


def _stamp(event: Event) -> datetime:
    """DTSTAMP: when the event's information last changed, as far as the content says: `updated`,
    else a fixed moment before any event of the programme (never the event's own start, which is
    often in the future, and never the clock, so a rebuild gives the same file)."""
    return event.updated.value.astimezone(timezone.utc) if event.updated else SEQUENCE_EPOCH


def _event_times(event: Event) -> tuple:
    when = event.when
    if when.has_time:
        return when.start, when.end
    return when.first_day, when.last_day + timedelta(days=1)


def _stop_times(stop: Stop) -> tuple:
    end = stop.end or stop.start
    if stop.start.has_time:
        return stop.start.value, end.value
    return stop.start.day, end.day + timedelta(days=1)


def location(event: Event) -> str:
    """The place as one line: venue, address, municipality or locality."""
    place = event.place
    parts = [place.venue, place.address, place.municipality or place.locality] if place else []
    if not place or not (place.municipality or place.locality):
        if len(event.municipalities) == 8:
            parts.append("Alla kommuner i Jämtland Härjedalen")
        else:
            parts += [m.name for m in event.municipalities]
    return ", ".join(p for p in parts if p)


def _stop_location(stop: Stop) -> str:
    place = stop.place
    return ", ".join(p for p in (place.venue, place.address, place.municipality or place.locality) if p)


def description(site: Site, event: Event) -> str:
    """Plain text: the summary, the programme, and where to read more."""
    lines = [event.description]
    if event.when.shape == "month":
        lines.append(f"Bara månaden är bestämd: {dates.month_span(event.when.first_day, site.config.language)}.")
    if event.programme:
        lines.append("Program:")
        several_days = event.when.first_day != event.when.last_day
        day = None
        for item in event.programme:
            item_day = item.date.day if item.date else event.when.first_day
            if several_days and item_day != day:
                day = item_day
                lines.append(f"{dates.long_date(day, site.config.language)}:")
            lines.append(f"{item.time} {item.title}" + (" (valfritt)" if item.optional else ""))
    lines.append(f"Mer information: {site.absolute(event.url)}")
    return "\n".join(line for line in lines if line)


def google_calendar_links(site: Site, event: Event) -> list[tuple[str, str]]:
    """Links that open Google Calendar with the event filled in, as (label, url): one for an event,
    one per stop for a tour (the .ics has one event per stop, too), none for a cancelled event."""
    if event.cancelled:
        return []
    if not event.stops:
        return [("", _google_url(site, event, _event_times(event), location(event)))]
    return [(f"{_stop_location(stop)}, {dates.long_datetime(stop.start, site.config.language)}",
             _google_url(site, event, _stop_times(stop), _stop_location(stop))) for stop in event.stops]


def _google_url(site: Site, event: Event, times: tuple, where: str) -> str:
    start, end = times
    if isinstance(start, datetime):
        span = f"{start.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}/{end.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    else:
        span = f"{start:%Y%m%d}/{end:%Y%m%d}"
    query = {"action": "TEMPLATE", "text": event.title, "dates": span, "ctz": site.config.timezone,
             "details": description(site, event), "location": where}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
