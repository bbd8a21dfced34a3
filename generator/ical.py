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
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from generator import dates, urls
from generator.site import Event, Site, Stop

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


def calendar(site: Site, events: tuple[Event, ...], name: str) -> bytes:
    from icalendar import Calendar  # here, not at the top: a build that writes no calendar skips the import

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.config.timezone)
    for event in events:
        for vevent in vevents(site, event):
            cal.add_component(vevent)
    cal.add_missing_timezones()
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
    if where:
        vevent.add("location", where)
    vevent.add("description", description(site, event))
    vevent.add("url", site.absolute(event.url))
    vevent.add("categories", [event.kind, *(area.title for area in event.focus_areas)])
    return vevent


def sequence(event: Event) -> int:
    """SEQUENCE: grows whenever an editor changes an event and sets its `updated`.

    It is the number of minutes from 2015-01-01 to `updated` (0 without it), so a
    later change always has a higher number, on every build, with no state kept
    between builds.
    """
    if not event.updated:
        return 0
    return max(0, int((event.updated.value - SEQUENCE_EPOCH).total_seconds() // 60))


def _stamp(event: Event) -> datetime:
    """DTSTAMP: when the event's information was last changed, as far as the content says."""
    moment = event.updated.value if event.updated else datetime.combine(event.when.first_day, time(0, 0), event.when.start.tzinfo)
    return moment.astimezone(timezone.utc)


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
        for item in event.programme:
            lines.append(f"{item.time} {item.title}" + (" (valfritt)" if item.optional else ""))
    lines.append(f"Mer information: {site.absolute(event.url)}")
    return "\n".join(line for line in lines if line)


def google_calendar_url(site: Site, event: Event) -> str:
    """A link that opens Google Calendar with the event filled in."""
    start, end = _event_times(event)
    if isinstance(start, datetime):
        span = f"{start.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}/{end.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    else:
        span = f"{start:%Y%m%d}/{end:%Y%m%d}"
    query = {"action": "TEMPLATE", "text": event.title, "dates": span, "ctz": site.config.timezone,
             "details": description(site, event), "location": location(event)}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
