"""Dates and times: reading them from content and writing them in Swedish.

A date in content is either a day (`2015-11-02`) or a moment (`2015-11-02 10:00`,
`2015-11-02T10:00:00+01:00`). A moment without an offset is local time in the
site's time zone (Europe/Stockholm), so summer and winter time come out right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MOMENT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2})[:.](\d{2})(?::(\d{2}))?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass(frozen=True)
class Moment:
    """A point in time from content, remembering whether the editor gave a time of day."""

    value: datetime  # always aware
    has_time: bool

    @property
    def day(self) -> date:
        return self.value.date()

    def iso(self) -> str:
        """ISO 8601 with offset, e.g. 2015-11-02T10:00:00+01:00."""
        return self.value.isoformat()


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"okänd tidszon {name!r} (t.ex. Europe/Stockholm)") from exc


def parse_moment(text: str, tz: ZoneInfo) -> Moment:
    """Read a date or date-time written by an editor; raise ValueError with a Swedish message."""
    text = text.strip()
    match = _DAY.match(text)
    if match:
        day = _make_date(*match.groups())
        return Moment(datetime.combine(day, time(0, 0), tz), has_time=False)
    match = _MOMENT.match(text)
    if match:
        year, month, dayno, hour, minute, second, offset = match.groups()
        day = _make_date(year, month, dayno)
        if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
            raise ValueError(f"{text!r} är ingen möjlig tid")
        local = datetime.combine(day, time(int(hour), int(minute), int(second or 0)))
        if offset:
            offset = "+00:00" if offset == "Z" else offset
            aware = datetime.fromisoformat(local.isoformat() + _colon(offset))
            return Moment(aware.astimezone(tz), has_time=True)
        return Moment(local.replace(tzinfo=tz), has_time=True)
    raise ValueError(
        f"{text!r} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2015-11-02, eller med tid 2015-11-02 10:00"
    )


def _make_date(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{year}-{month}-{day} är inget datum som finns") from None


def _colon(offset: str) -> str:
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def now_in(tz: ZoneInfo) -> datetime:
    return datetime.now(tz).replace(microsecond=0)


def parse_now(text: str, tz: ZoneInfo) -> datetime:
    """The --now option: a date or date-time, local to the site's zone unless it has an offset."""
    return parse_moment(text, tz).value


# Swedish formatting, through Babel's CLDR data.

def long_date(moment: Moment | datetime | date, locale: str = "sv") -> str:
    """2 november 2015"""
    value = moment.value if isinstance(moment, Moment) else moment
    return format_date(value, "d MMMM y", locale=locale)


def long_datetime(moment: Moment, locale: str = "sv") -> str:
    """2 november 2015 kl. 10:00, or only the date when no time was given."""
    if not moment.has_time:
        return long_date(moment, locale)
    return format_datetime(moment.value, "d MMMM y 'kl.' HH:mm", tzinfo=moment.value.tzinfo, locale=locale)


def month_name(month: int, locale: str = "sv") -> str:
    return format_date(date(2000, month, 1), "LLLL", locale=locale)
