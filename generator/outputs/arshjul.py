"""The årshjul: an annual wheel of events, drawn as SVG at build time.

Twelve month sectors run clockwise from January at the top. Each event is
placed at its date: a dot for an event of one day, an arc along the wheel for
one of several days, a dashed arc for one of which only the month is known, and
for a tour a dot (or arc) for each stop, not one arc from the first to the last.
Each event has a number, drawn in its dot (or at the start of its arc) and
beside it in the list under the wheel, so the two can be read together. Marks
that would overlap are moved to inner rings. This module only computes the
geometry; templates/wheel.html draws it, with every mark a link to the event's
page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from generator.content import dates
from generator.site.model import Event

SIZE = 640
CENTRE = SIZE / 2
OUTER = 300  # edge of the month sectors
LABEL = 276  # radius of the month names
FIRST_LANE = 238  # radius of the outermost ring of events
LANE_STEP = 24
LANES = 5
INNER = FIRST_LANE - LANES * LANE_STEP  # the sectors' inner edge
DOT_DEGREES = 8.0  # how much of the circle a numbered dot takes on the innermost ring, for overlap
NUMBER_RADIUS = 10  # of the dot that carries an event's number
TARGET_RADIUS = 22  # of the invisible circle around it that takes a click: 44 px across at full size


@dataclass(frozen=True)
class Sector:
    month: int
    name: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Mark:
    """One mark on the wheel: an event, or one stop of a tour."""

    event: Event
    number: int  # the event's number, the same in the list under the wheel
    label: str  # the event's name and time, for the link's accessible name
    kind: str  # "day", "period", "month" (only the month is known) or "stop" (of a tour)
    path: str | None  # an arc, for several days
    x: float  # the numbered dot's centre: the day's place, or where the arc begins
    y: float


@dataclass(frozen=True)
class Wheel:
    year: int
    size: int
    centre: float
    sectors: tuple[Sector, ...]
    marks: tuple[Mark, ...]
    numbers: dict[str, int]  # event id -> its number on the wheel and in the list
    today: tuple[float, float, float, float] | None  # a line from the centre outwards, this year only
    dot_radius: int = NUMBER_RADIUS
    target_radius: int = TARGET_RADIUS


def wheel(year: int, events: tuple[Event, ...], today: date | None, locale: str = "sv") -> Wheel:
    sectors = tuple(_sector(year, month, locale) for month in range(1, 13))
    ordered = sorted(events, key=lambda e: (e.when.first_day, e.id))
    numbers = {event.id: number for number, event in enumerate(ordered, start=1)}
    spans = sorted(((first, last, event) for event in ordered for first, last in _spans(event, year)),
                   key=lambda span: (span[0], numbers[span[2].id]))
    marks = []
    lanes: list[float] = []  # per ring: the angle (degrees) where its last mark ends
    for first, last, event in spans:
        day_start = _degrees(year, first)
        start, end = day_start + 0.5 - DOT_DEGREES / 2, max(_degrees(year, last + timedelta(days=1)),
                                                             day_start + 0.5 + DOT_DEGREES / 2)
        lane = next((i for i, taken in enumerate(lanes) if taken < start), None)
        if lane is None:
            lane = min(len(lanes), LANES - 1)
            lanes += [-1.0] * (lane + 1 - len(lanes))
        lanes[lane] = max(lanes[lane], end)
        radius = FIRST_LANE - lane * LANE_STEP
        label = f"{event.title}, {dates.when_text(event.when, locale)}"
        x, y = _point(radius, day_start + 0.5)
        kind = "stop" if event.stops else "month" if event.when.shape == "month" else "day" if first == last else "period"
        path = None if first == last else _arc(radius, day_start + 0.5, _degrees(year, last + timedelta(days=1)) - 0.6)
        marks.append(Mark(event, numbers[event.id], label, kind, path, x, y))
    line = None
    if today and today.year == year:
        angle = _degrees(year, today) + 0.5
        line = (*_point(INNER - 8, angle), *_point(OUTER + 6, angle))
    return Wheel(year, SIZE, CENTRE, sectors, tuple(marks), numbers, line)


def _spans(event: Event, year: int) -> list[tuple[date, date]]:
    """The days an event takes within the year: one span, or one for each stop of a tour."""
    if event.stops:
        spans = [(stop.start.day, (stop.end or stop.start).day) for stop in event.stops]
    else:
        spans = [(event.when.first_day, event.when.last_day)]
    return [(max(first, date(year, 1, 1)), min(last, date(year, 12, 31))) for first, last in spans
            if first.year <= year <= last.year]


def default_year(this_year: int, upcoming: tuple[Event, ...]) -> int:
    """The year the årshjul opens on: this year, unless none of its events is still to come and a
    later year has the next one (in December, most often next year)."""
    return upcoming[0].year if upcoming and upcoming[0].year > this_year else this_year


def _degrees(year: int, day: date) -> float:
    """Where a day begins on the wheel, in degrees clockwise from the top."""
    length = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return (day - date(year, 1, 1)).days / length * 360.0


def _point(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees - 90)
    return round(CENTRE + radius * math.cos(angle), 1), round(CENTRE + radius * math.sin(angle), 1)


def _arc(radius: float, start: float, end: float) -> str:
    x0, y0 = _point(radius, start)
    x1, y1 = _point(radius, max(end, start + 0.5))
    large = 1 if end - start > 180 else 0
    return f"M{x0} {y0}A{radius} {radius} 0 {large} 1 {x1} {y1}"


def _sector(year: int, month: int, locale: str) -> Sector:
    start = _degrees(year, date(year, month, 1))
    end = _degrees(year, date(year + month // 12, month % 12 + 1, 1)) if month < 12 else 360.0
    ox0, oy0 = _point(OUTER, start)
    ox1, oy1 = _point(OUTER, end)
    ix1, iy1 = _point(INNER, end)
    ix0, iy0 = _point(INNER, start)
    path = (f"M{ox0} {oy0}A{OUTER} {OUTER} 0 0 1 {ox1} {oy1}L{ix1} {iy1}"
            f"A{INNER} {INNER} 0 0 0 {ix0} {iy0}Z")
    label_x, label_y = _point(LABEL, (start + end) / 2)
    return Sector(month, dates.month_name(month, locale)[:3], path, label_x, label_y)

