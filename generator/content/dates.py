"""Dates and times: reading them from content and writing them in Swedish.

A date in content is either a day (`2015-11-02`) or a moment (`2015-11-02 10:00`,
`2015-11-02T10:00:00+01:00`). A moment without an offset is local time in the
site's time zone (Europe/Stockholm), so summer and winter time come out right.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# "2026-12-01 08:00-09:30": a time span, written where one moment goes. With a hyphen it reads as a
# time and a UTC offset (-09:30), so it is taken for a span only when the second time is the later
# one and a space (not ISO's T) stands before the first; with a dash it is always a span.
_SPAN = re.compile(r"^(\d{4}-\d{2}-\d{2})( |T)(\d{1,2})[:.](\d{2})\s*([-–—])\s*(\d{1,2})[:.](\d{2})$")
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
    """Read a date or date-time written by an editor; raise ValueError with a Swedish message.
    A non-breaking space pasted between the date and the time is read as the space it looks like."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    match = _DAY.match(text)
    if match:
        day = _make_date(*match.groups())
        return Moment(datetime.combine(day, time(0, 0), tz), has_time=False)
    span = _SPAN.match(text)
    if span:
        day, separator, hour, minute, dash, end_hour, end_minute = span.groups()
        if dash != "-" or (separator == " " and (int(end_hour), int(end_minute)) > (int(hour), int(minute))):
            raise ValueError(f"{text!r} ser ut som ett tidsintervall; här skrivs en tid, när det börjar: "
                             f"\"{day} {int(hour):02}:{minute}\" (ett evenemang har sin sluttid i end)")
    match = _MOMENT.match(text)
    if match:
        year, month, dayno, hour, minute, second, offset = match.groups()
        day = _make_date(year, month, dayno)
        if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
            raise ValueError(f"{text!r} är ingen möjlig tid")
        local = datetime.combine(day, time(int(hour), int(minute), int(second or 0)))
        if offset:
            offset = "+00:00" if offset == "Z" else _colon(offset)
            if int(offset[1:3]) > (14 if offset[0] == "+" else 12) or int(offset[4:6]) > 59:
                raise ValueError(f"{text!r}: tidsförskjutningen {offset} finns inte; den ligger mellan "
                                 "-12:00 och +14:00, t.ex. +01:00 för svensk vintertid")
            aware = datetime.fromisoformat(local.isoformat() + offset)
            return Moment(aware.astimezone(tz), has_time=True)
        # An hour that comes twice when the clocks go back is read as the first of them (fold 0,
        # still summer time); an offset (+01:00) names the second.
        aware = local.replace(tzinfo=tz)
        after = aware.astimezone(timezone.utc).astimezone(tz)
        if after.replace(tzinfo=None) != local:  # a time the clocks skip when they go forward
            raise ValueError(f"{text!r} finns inte i tidszonen {tz.key}: klockan ställs fram den natten "
                             f"och hoppar över {clock(local)}; menar du {clock(after)}?")
        return Moment(aware, has_time=True)
    weekday, rest = _weekday_first(text)
    written = _written_in_swedish(rest)
    if written == text:
        written = None
    if written is not None and "ÅÅÅÅ" in written:
        raise ValueError(f"{text!r} saknar år; skriv datumet med året först, så här: {written}")
    if written is not None:
        try:
            day = parse_moment(written, tz).day
        except ValueError as exc:  # a day that does not exist, an hour the clocks skip
            raise ValueError(f"{text!r}: {exc}") from None
        form = "ÅÅÅÅ-MM-DD TT:MM" if " " in written else "ÅÅÅÅ-MM-DD"
        if weekday is not None and weekday != day.weekday():  # the day or its name is wrong: which, only
            names = _weekday_names()                            # the editor knows
            raise ValueError(f"{text!r} är inte skrivet som {form}, och {long_date(day)} är en "
                             f"{names[day.weekday()]}, inte en {names[weekday]}; kontrollera vilken dag du "
                             f"menar och skriv den som {form}, t.ex. {written}")
        raise ValueError(f"{text!r} är inte skrivet som {form}; skriv {written}")
    raise ValueError(
        f"{text!r} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2015-11-02, eller med tid 2015-11-02 10:00"
    )


# How Swedes write a date and a time by hand: `3 mars 2026`, `den 3:e mars 2026`, `3/3 2026`, `3/3-2026`,
# `2026-3-3`, then perhaps `kl 14`, `kl. 14.30` or `14.30`. Month names are the locale's (_month_numbers).
_SWEDISH_TIME = r"(?:,?\s*(?:kl\.?|klockan)\s*(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?" \
                r"|\s+(?P<hour2>\d{1,2})[.:](?P<minute2>\d{2}))?"
_SWEDISH_DATES = [re.compile(r"^(?:den\s+)?(?P<day>\d{1,2})(?::[ae])?\.?\s+(?P<month_name>[^\W\d]+)\.?"
                             r"(?:\s+(?P<year>\d{4}))?" + _SWEDISH_TIME + "$", re.IGNORECASE),
                  re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:(?:\s+|\s*-\s*)(?P<year>\d{4}))?"
                             + _SWEDISH_TIME + "$", re.IGNORECASE),
                  re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _SWEDISH_TIME + "$",
                             re.IGNORECASE)]


def _written_in_swedish(text: str) -> str | None:
    """A date (and time) written the Swedish way, as ÅÅÅÅ-MM-DD (TT:MM), or None when it cannot be read
    as one day for certain. Without a year, the year is left as ÅÅÅÅ. A date already so written is
    returned as it is."""
    for pattern in _SWEDISH_DATES:
        found = pattern.match(text)
        if found is None:
            continue
        parts = found.groupdict()
        month = _month_numbers().get(parts["month_name"].lower()) if parts.get("month_name") else int(parts["month"])
        if month is None or not 1 <= month <= 12 or not 1 <= int(parts["day"]) <= 31:
            return None
        year = parts["year"] or "ÅÅÅÅ"
        hour, minute = parts["hour"] or parts["hour2"], parts["minute"] or parts["minute2"] or "00"
        written = f"{year}-{month:02}-{int(parts['day']):02}"
        if hour is not None:
            if int(hour) > 23 or int(minute) > 59:
                return None
            written += f" {int(hour):02}:{minute}"
        return written
    return None


_NAME_FIRST = re.compile(r"^([^\W\d]+)\.?,?\s+")


def _weekday_first(text: str) -> tuple[int | None, str]:
    """The weekday a date written by hand begins with (`tisdag 3 mars 2026`, `tis. 3/3`, `tisdagen den 3 mars`),
    Monday 0, and the rest of the text; (None, text) when it begins with no weekday's name."""
    found = _NAME_FIRST.match(text)
    name = found.group(1).lower() if found else ""
    numbers = _weekday_numbers()
    number = numbers.get(name, numbers.get(name[:-2]) if name.endswith("en") else None)
    return (None, text) if number is None else (number, text[found.end():])


@functools.lru_cache(maxsize=1)
def _weekday_numbers() -> dict[str, int]:
    """måndag, mån … söndag, sön: the Swedish names and abbreviations of the weekdays, from CLDR."""
    from babel import Locale

    return _numbers_by_name(Locale("sv").days)


@functools.lru_cache(maxsize=1)
def _weekday_names() -> dict[int, str]:
    from babel import Locale

    return dict(Locale("sv").days["format"]["wide"])


@functools.lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    """januari, jan, jan. … december: the Swedish names and abbreviations of the months, from CLDR."""
    from babel import Locale

    return _numbers_by_name(Locale("sv").months)


def _numbers_by_name(names) -> dict[str, int]:
    """A locale's names of days or months (babel: context -> width -> number -> name), whole and
    abbreviated, in small letters without the abbreviation's dot -> the number."""
    return {name.lower().rstrip("."): number for context in ("format", "stand-alone")
            for width in ("wide", "abbreviated") for number, name in names[context][width].items()}


def clock_written(text: str) -> str | None:
    """A time of day written the Swedish way by hand (`kl 14`, `kl. 14.30`, `klockan 9`), as TT.MM, or None."""
    found = re.fullmatch(r"(?:kl\.?|klockan)\s*(\d{1,2})(?:[.:](\d{2}))?", text.strip(), re.IGNORECASE)
    if found is None or int(found.group(1)) > 23 or int(found.group(2) or 0) > 59:
        return None
    return f"{int(found.group(1)):02}.{found.group(2) or '00'}"


FIRST_YEAR, LAST_YEAR = 1900, 2199  # what a blog and its calendar can mean; near year 9999 dates overflow


def _make_date(year: str, month: str, day: str) -> date:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{year}-{month}-{day} är inget datum som finns") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{year}-{month}-{day}: året ska ligga mellan {FIRST_YEAR} och {LAST_YEAR}")
    return value


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
    return _long_date(value if type(value) is date else value.date(), locale)


@functools.lru_cache(maxsize=4096)  # a post's date is shown in every list it is in
def _long_date(day: date, locale: str) -> str:
    # What format_date(day, "d MMMM y") writes, without its pattern parsing for every day
    # (a year page shows hundreds of them): the day, the month's name as a date writes it, the year.
    return f"{day.day} {_month_names(locale)[day.month]} {day.year}"


@functools.lru_cache(maxsize=8)
def _month_names(locale: str) -> dict:
    from babel.dates import get_month_names

    return get_month_names("wide", "format", locale)


def long_datetime(moment: Moment, locale: str = "sv") -> str:
    """2 november 2015 kl. 10.00, or only the date when no time was given."""
    if not moment.has_time:
        return long_date(moment, locale)
    return f"{long_date(moment, locale)} kl. {clock(moment.value)}"


def clock(value: datetime | time) -> str:
    """10.00: the Swedish way of writing a time of day."""
    return f"{value.hour:02}.{value.minute:02}"


def day_span(first: date, last: date, locale: str = "sv") -> str:
    """24 juni 2015, 24–26 juni 2015, 22 juni–30 juli 2015, 30 december 2015–2 januari 2016."""
    if first == last:
        return long_date(first, locale)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{long_date(last, locale)}"
    if first.year == last.year:
        return f"{format_date(first, 'd MMMM', locale=locale)}–{long_date(last, locale)}"
    return f"{long_date(first, locale)}–{long_date(last, locale)}"


def month_span(first: date, locale: str = "sv") -> str:
    """november 2015"""
    return format_date(first, "LLLL y", locale=locale)


def time_span(start: datetime, end: datetime, locale: str = "sv") -> str:
    """13 oktober 2015 kl. 08.00–19.30, or across days with both dates."""
    if start.date() == end.date():
        return f"{long_date(start, locale)} kl. {clock(start)}" + (f"–{clock(end)}" if end != start else "")
    return f"{long_date(start, locale)} kl. {clock(start)} – {long_date(end, locale)} kl. {clock(end)}"


def month_name(month: int, locale: str = "sv") -> str:
    return format_date(date(2000, month, 1), "LLLL", locale=locale)


def when_text(when, locale: str = "sv") -> str:
    """An event's time in words, for any shape (see site.When)."""
    if when.shape == "month":
        return month_span(when.first_day, locale)
    if when.shape == "timed":
        return time_span(when.start, when.end, locale)
    return day_span(when.first_day, when.last_day, locale)
