"""A VTIMEZONE for a calendar, written the way calendar apps read it.

icalendar's own VTIMEZONE lists every change from 1980 to 2037 in one multi-valued RDATE per
kind; ical.js (Thunderbird, Nextcloud and other web calendars) reads only the first value of
an RDATE, so it puts summer-time events an hour wrong. Calendar apps themselves write a zone as
yearly rules ("the last Sunday of March at 02:00"), and so does this module.

The changes come from zoneinfo: those from the last one before the calendar's first time to the
first one after its last time, so a file carries only the rules its events need. Changes that
follow the same rule in consecutive years (same month, the same Sunday of the month, the same
local time and offsets) become one STANDARD or DAYLIGHT block with an RRULE; a block that an
earlier rule ends gets its UNTIL. A change that follows no weekday rule is a block of its own.
"""
from __future__ import annotations

import calendar as monthdays
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Timezone

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """One change of a zone's offset: at `utc`, from one offset to another."""

    utc: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the abbreviation after the change, e.g. CEST
    daylight: bool

    @property
    def local(self) -> datetime:
        """The wall-clock time of the change, before it happens (RFC 5545 3.6.5: DTSTART's meaning)."""
        return (self.utc + self.offset_from).replace(tzinfo=None)

    @property
    def rule(self) -> tuple:
        """What a yearly rule must keep the same for this change to follow another's."""
        local = self.local
        return (self.daylight, local.month, _byday(local), local.time(), self.offset_from, self.offset_to, self.name)


def changes(zone_name: str, first: datetime, last: datetime) -> tuple[list[Change], timedelta, str]:
    """The zone's changes from the last one at or before `first` to the first one after `last`.

    Also the offset and name in force at `first`, for a zone that has no changes there.
    """
    zone = ZoneInfo(zone_name)
    begin = first.astimezone(timezone.utc) - timedelta(days=366)
    end = last.astimezone(timezone.utc) + timedelta(days=366)
    found = list(_changes_within(zone, begin, end))
    first_utc, last_utc = first.astimezone(timezone.utc), last.astimezone(timezone.utc)
    before = [c for c in found if c.utc <= first_utc]
    after = [c for c in found if c.utc > last_utc]
    wanted = [c for c in found if (not before or c.utc >= before[-1].utc) and (not after or c.utc <= after[0].utc)]
    at_first = first.astimezone(zone)
    return wanted, at_first.utcoffset(), at_first.tzname()


def _changes_within(zone: ZoneInfo, begin: datetime, end: datetime):
    """The zone's changes from `begin` to `end`, looked for a day at a time (no zone changes twice a day)."""
    day = begin
    while day < end:
        following = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            yield _change_between(zone, day, following)
        day = following


def _change_between(zone: ZoneInfo, low: datetime, high: datetime) -> Change:
    """The change within (low, high], found to the second by halving."""
    offset_from = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == offset_from:
            low = middle
        else:
            high = middle
    moment = high.replace(microsecond=0)
    after = moment.astimezone(zone)
    return Change(moment, offset_from, after.utcoffset(), after.tzname(), bool(after.dst()))


def _byday(local: datetime) -> str | None:
    """The change's day as an RRULE BYDAY: "-1SU" for the last Sunday of its month, "2SU" for the
    second; None for a day in the middle of the month that is no weekday rule's."""
    days_in_month = monthdays.monthrange(local.year, local.month)[1]
    weekday = WEEKDAYS[local.weekday()]
    if local.day + 7 > days_in_month:
        return f"-1{weekday}"
    return f"{(local.day - 1) // 7 + 1}{weekday}"


def vtimezone(zone_name: str, first: datetime, last: datetime) -> Timezone:
    """The VTIMEZONE for times from `first` to `last` in the zone."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    found, offset, name = changes(zone_name, first, last)
    component = Timezone()
    component.add("tzid", zone_name)
    if not found:  # no change near the events: one fixed offset
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", name)
        component.add_component(standard)
        return component
    runs: list[list[Change]] = []  # in order of their first change
    for change in found:
        same_kind = [r for r in runs if r[-1].daylight == change.daylight]
        run = same_kind[-1] if same_kind else None
        if run and run[-1].rule == change.rule and run[-1].utc.year + 1 == change.utc.year:
            run.append(change)
        else:
            runs.append([change])
    zone = ZoneInfo(zone_name)
    for run in runs:
        block = TimezoneDaylight() if run[0].daylight else TimezoneStandard()
        block.add("dtstart", run[0].local)
        block.add("tzoffsetfrom", run[0].offset_from)
        block.add("tzoffsetto", run[0].offset_to)
        block.add("tzname", run[0].name)
        byday = run[0].rule[2]
        later_run = any(r[0].daylight == run[0].daylight and r[0].utc > run[0].utc for r in runs)
        goes_on = not later_run and _next_year_follows(zone, run[-1])
        if byday is not None and (len(run) > 1 or goes_on):
            rule = {"freq": "yearly", "bymonth": run[0].local.month, "byday": byday}
            if not goes_on:
                rule["until"] = run[-1].utc
            block.add("rrule", rule)
        component.add_component(block)
    return component


def _next_year_follows(zone: ZoneInfo, change: Change) -> bool:
    """Whether the zone changes the same way, by the same rule, a year later: then the rule is
    written without an end."""
    for later in _changes_within(zone, change.utc + timedelta(days=300), change.utc + timedelta(days=430)):
        if later.daylight == change.daylight:
            return later.rule == change.rule
    return False
