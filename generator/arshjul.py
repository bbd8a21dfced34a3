"""The årshjul: an annual wheel of events, drawn as SVG at build time.

Twelve month sectors run clockwise from January at the top. Each event is
placed at its date: a dot for an event of one day, an arc along the wheel for
one of several days or a whole month. Events that would overlap are moved to
inner rings. This module only computes the geometry; templates/wheel.html
draws it, with every mark a link to the event's page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from generator import dates
from generator.site import Event

SIZE = 640
CENTRE = SIZE / 2
OUTER = 300  # edge of the month sectors
LABEL = 276  # radius of the month names
FIRST_LANE = 238  # radius of the outermost ring of events
LANE_STEP = 24
LANES = 5
INNER = FIRST_LANE - LANES * LANE_STEP  # the sectors' inner edge
DOT_DEGREES = 4.0  # how much of the circle a one-day event takes, for overlap


@dataclass(frozen=True)
class Sector:
    month: int
    name: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Mark:
    event: Event
    label: str  # the event's name and time, for the link's accessible name
    path: str | None  # an arc, for events of several days
    x: float  # a dot's centre, for events of one day
    y: float


@dataclass(frozen=True)
class Wheel:
    year: int
    size: int
    centre: float
    sectors: tuple[Sector, ...]
    marks: tuple[Mark, ...]
    today: tuple[float, float, float, float] | None  # a line from the centre outwards, this year only


def wheel(year: int, events: tuple[Event, ...], today: date | None, locale: str = "sv") -> Wheel:
    sectors = tuple(_sector(year, month, locale) for month in range(1, 13))
    marks = []
    lanes: list[float] = []  # per ring: the angle (degrees) where its last mark ends
    for event in sorted(events, key=lambda e: (e.when.first_day, e.id)):
        first = max(event.when.first_day, date(year, 1, 1))
        last = min(event.when.last_day, date(year, 12, 31))
        start, end = _degrees(year, first), _degrees(year, last + timedelta(days=1))
        single_day = first == last
        if single_day:
            start, end = _degrees(year, first) + 0.5 - DOT_DEGREES / 2, _degrees(year, first) + 0.5 + DOT_DEGREES / 2
        lane = next((i for i, taken in enumerate(lanes) if taken < start), None)
        if lane is None:
            lane = min(len(lanes), LANES - 1)
            lanes += [-1.0] * (lane + 1 - len(lanes))
        lanes[lane] = max(lanes[lane], end)
        radius = FIRST_LANE - lane * LANE_STEP
        label = f"{event.title}, {dates.when_text(event.when, locale)}"
        if single_day:
            x, y = _point(radius, (start + end) / 2)
            marks.append(Mark(event, label, None, x, y))
        else:
            marks.append(Mark(event, label, _arc(radius, start, end - 0.6), 0.0, 0.0))
    line = None
    if today and today.year == year:
        angle = _degrees(year, today) + 0.5
        line = (*_point(INNER - 8, angle), *_point(OUTER + 6, angle))
    return Wheel(year, SIZE, CENTRE, sectors, tuple(marks), line)


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

