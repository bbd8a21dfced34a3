"""The content formats, as pydantic models: what an editor may write in each file.

YAML arrives here as text (see yamltext.py); these models decide what each field
means, and their validation errors are turned into Swedish messages with the
line of the field. `extra="forbid"` catches misspelt field names.
"""
from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator import places
from generator.dates import Moment, day_span, long_date, parse_moment, zone
from generator.errors import ContentError
from generator.yamltext import line_of

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A date or date-time as editors write it (see dates.py); in JSON Schema, a string with that pattern.
When = Annotated[Moment, WithJsonSchema({
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}[:.]\d{2}(:\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
    "description": "ÅÅÅÅ-MM-DD, eller med klockslag ÅÅÅÅ-MM-DD TT:MM (svensk tid om ingen tidszon anges)",
    "examples": ["2015-09-24", "2015-09-24 08:15"],
})]
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Model(BaseModel):
    # defer_build: a model's validator is built when first used, not at import; a warm build that
    # parses no file of a kind (or only one) does not pay for building them all.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _tz(info: ValidationInfo) -> ZoneInfo:
    return (info.context or {}).get("tz") or zone("Europe/Stockholm")


def _moment(value: Any, info: ValidationInfo) -> Moment | None:
    if value is None or isinstance(value, Moment):
        return value
    try:
        return parse_moment(str(value), _tz(info))
    except ValueError as exc:
        raise PydanticCustomError("moment", str(exc)) from None


class NavItem(Model):
    title: Text
    url: Text


class FeedSettings(Model):
    items: int = Field(default=20, ge=1, le=1000)  # entries in each feed, newest first
    full_content: bool = True  # False: only the summary in each entry


class SiteConfig(Model):
    """content/site.yaml"""

    title: Text
    base_url: Text
    language: Text = "sv"
    timezone: Text = "Europe/Stockholm"
    description: str = ""
    publisher: str = ""
    navigation: list[NavItem] = Field(default_factory=list)
    posts_per_page: int = Field(default=10, ge=1, le=100)
    feeds: FeedSettings = Field(default_factory=FeedSettings)
    search: bool = True  # full-text search (Pagefind): the search page, the form in the header and the index

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise PydanticCustomError("url", "ska vara en hel adress som börjar med https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zone(value)
        except ValueError as exc:
            raise PydanticCustomError("zone", str(exc)) from None
        return value


class PostMeta(Model):
    """The front matter of content/posts/**/*.md"""

    title: Text
    date: When
    tags: list[Text] = Field(default_factory=list)
    summary: str | None = None
    authors: list[Id] = Field(default_factory=list)
    focus_areas: list[Id] = Field(default_factory=list)
    events: list[Id] = Field(default_factory=list)
    image: Text | None = None
    image_alt: str | None = None
    updated: When | None = None
    draft: bool = False

    _moments = field_validator("date", "updated", mode="before")(_moment)

    @model_validator(mode="after")
    def _consistent(self) -> "PostMeta":
        if self.image and not (self.image_alt or "").strip():
            raise PydanticCustomError(
                "field", "en bild behöver en alt-text: skriv i image_alt vad bilden visar",
                {"field": "image_alt", "near": "image"},
            )
        if self.updated and self.updated.value < self.date.value:
            raise PydanticCustomError(
                "field", "updated ligger före date", {"field": "updated", "near": "updated"}
            )
        return self


class PageMeta(Model):
    """The front matter of content/pages/*.md"""

    title: Text
    summary: str | None = None
    draft: bool = False


class Person(Model):
    """One entry of content/people.yaml"""

    name: Text
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


class Organisation(Model):
    """One entry of content/organisations.yaml"""

    name: Text
    url: Text | None = None

    _urls = field_validator("url")(lambda value: value if value is None else _url(value))


# Events: content/events/**/*.yaml

EventKind = Literal["idéverkstad", "workshop", "lärresa", "möte", "turné", "sommarkontor", "konferens"]
EventStatus = Literal["planned", "held", "cancelled", "postponed"]
_CLOCK = r"(\d{1,2})[.:](\d{2})"
_SPAN = re.compile(rf"^{_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?$")


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise PydanticCustomError("url", "ska vara en hel adress som börjar med https://")
    return value


class Place(Model):
    venue: Text | None = None
    address: Text | None = None
    municipality: Text | None = None  # one of the region's eight
    locality: Text | None = None  # a place outside the region: Lycksele, Cleveland …

    @field_validator("municipality")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return places.municipality(value).name
        except ValueError as exc:
            raise PydanticCustomError("municipality", str(exc)) from None

    @model_validator(mode="after")
    def _one_kind_of_place(self) -> "Place":
        if self.municipality and self.locality:
            raise PydanticCustomError(
                "field", "ange antingen municipality (i regionen) eller locality (utanför), inte båda",
                {"field": "locality", "near": "locality"})
        return self


class ProgrammeItem(Model):
    time: Text  # 08.00–09.00, or 08.00
    title: Text
    date: When | None = None  # the day, for events of several days
    optional: bool = False
    place: Text | None = None

    _moments = field_validator("date", mode="before")(_moment)

    @field_validator("time")
    @classmethod
    def _clock_span(cls, value: str) -> str:
        match = _SPAN.match(value)
        bad = match is None or any(
            h is not None and (int(h) > 23 or int(m) > 59) for h, m in (match.group(1, 2), match.group(3, 4)))
        if bad:
            raise PydanticCustomError("time", f"{value!r} är ingen tid; skriv t.ex. 08.00–09.00 eller 13.00")
        start = f"{int(match.group(1)):02}.{match.group(2)}"
        return start if match.group(3) is None else f"{start}–{int(match.group(3)):02}.{match.group(4)}"

    @property
    def start_time(self) -> time:
        return _clock(self.time.split("–")[0])

    @property
    def end_time(self) -> time | None:
        parts = self.time.split("–")
        return _clock(parts[1]) if len(parts) == 2 else None


def _clock(text: str) -> time:
    hours, minutes = text.split(".")
    return time(int(hours), int(minutes))


class Stop(Model):
    """One stop of a tour: its own time and place."""

    start: When
    end: When | None = None
    place: Place

    _moments = field_validator("start", "end", mode="before")(_moment)


class Registration(Model):
    url: Text | None = None
    deadline: When | None = None
    note: Text | None = None

    _moments = field_validator("deadline", mode="before")(_moment)
    _urls = field_validator("url")(lambda value: value if value is None else _url(value))


class Link(Model):
    title: Text
    url: Text

    _urls = field_validator("url")(lambda value: _url(value))


class Download(Model):
    title: Text
    file: Text  # path under assets/, e.g. filer/sommarkontoret-2015.pdf


class Documentation(Model):
    """The region's six questions after an event."""

    gjort: str | None = None
    gett: str | None = None
    lart: str | None = Field(default=None, validation_alias=AliasChoices("lärt", "lart"))
    listat_ut: str | None = None
    lotsning: str | None = None
    aktiviteter: str | None = None


class EventMeta(Model):
    """An event file: content/events/**/*.yaml"""

    title: Text
    kind: EventKind
    status: EventStatus = "planned"
    summary: str | None = None
    description: str = ""
    start: When | None = None
    end: When | None = None
    month: Text | None = None  # 2015-11: an event known only by its month
    stops: list[Stop] = Field(default_factory=list)
    place: Place | None = None
    municipalities: list[Text] = Field(default_factory=list)  # names, or "alla"
    programme: list[ProgrammeItem] = Field(default_factory=list)
    registration: Registration | None = None
    organisers: list[Id] = Field(default_factory=list)
    partners: list[Id] = Field(default_factory=list)
    contacts: list[Id] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    videos: list[Link] = Field(default_factory=list)
    downloads: list[Download] = Field(default_factory=list)
    documentation: Documentation | None = None
    focus_areas: list[Id] = Field(default_factory=list)
    updated: When | None = None

    _moments = field_validator("start", "end", "updated", mode="before")(_moment)

    @field_validator("month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = re.match(r"^(\d{4})-(\d{1,2})$", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise PydanticCustomError("month", f"{value!r} är ingen månad; skriv ÅÅÅÅ-MM, t.ex. 2015-11")
        return f"{match.group(1)}-{int(match.group(2)):02}"

    @field_validator("municipalities")
    @classmethod
    def _municipalities(cls, values: list[str]) -> list[str]:
        known = []
        for value in values:
            if value.strip().lower() == places.ALL:
                known.append(places.ALL)
                continue
            try:
                known.append(places.municipality(value).name)
            except ValueError as exc:
                raise PydanticCustomError("municipality", str(exc)) from None
        return known


def event_problems(meta: EventMeta) -> list[tuple[tuple, str]]:
    """What is wrong across the fields of an event: (location of the field, message), all of them."""
    problems: list[tuple[tuple, str]] = []
    shapes = [name for name, given in (("start", meta.start), ("month", meta.month), ("stops", meta.stops))
              if given]
    if len(shapes) != 1:
        where = (shapes[1],) if len(shapes) > 1 else ()
        problems.append((where, "ange tiden på ett sätt: start (och end), month eller stops"))
    if meta.end and not meta.start:
        problems.append((("end",), "end kräver start"))
    if meta.start:
        problems += _span_problems(meta.start, meta.end, ())
    for index, stop in enumerate(meta.stops):
        problems += _span_problems(stop.start, stop.end, ("stops", index))
    if not shapes or len(shapes) > 1 or problems:
        return problems
    first, last = event_days(meta)
    for index, item in enumerate(meta.programme):
        problems += _item_problems(meta, item, first, last, ("programme", index))
    return problems


def _span_problems(start: Moment, end: Moment | None, at: tuple) -> list[tuple[tuple, str]]:
    if end is None:
        return []
    if start.has_time != end.has_time:
        return [(at + ("end",), "start och end ska båda ha klockslag, eller inget av dem")]
    if end.value < start.value:
        return [(at + ("end",), f"end ({end.value:%Y-%m-%d %H:%M}) ligger före start "
                                f"({start.value:%Y-%m-%d %H:%M})".replace(" 00:00", ""))]
    return []


def event_days(meta: EventMeta) -> tuple[date, date]:
    """The first and last day an event covers, whatever its shape."""
    if meta.month:
        year, month = map(int, meta.month.split("-"))
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
    spans = [(s.start, s.end) for s in meta.stops] if meta.stops else [(meta.start, meta.end)]
    first = min(start.day for start, _ in spans)
    last = max((end or start).day for start, end in spans)
    return first, last


def _item_problems(meta: EventMeta, item: ProgrammeItem, first: date, last: date, at: tuple
                   ) -> list[tuple[tuple, str]]:
    day = item.date.day if item.date else first
    if not first <= day <= last:
        return [(at + ("date",), f"programpunkten den {long_date(day)} ligger utanför evenemangets "
                                 f"dagar ({day_span(first, last)})")]
    end_time = item.end_time
    if end_time is not None and end_time < item.start_time:
        return [(at + ("time",), f"{item.time}: sluttiden ligger före starttiden")]
    if meta.start and meta.start.has_time and not meta.stops:
        start, end = meta.start.value, (meta.end or meta.start).value
        begins = start.replace(year=day.year, month=day.month, day=day.day,
                               hour=item.start_time.hour, minute=item.start_time.minute)
        ends = begins.replace(hour=end_time.hour, minute=end_time.minute) if end_time else begins
        if begins < start or ends > end:
            return [(at + ("time",), f"programpunkten {item.time} ligger utanför evenemangets tid "
                                     f"({start:%H.%M}–{end:%H.%M})")]
    return []


class Activity(Model):
    title: Text
    status: Literal["föreslagen", "pågår", "genomförd"]
    year: int | None = Field(default=None, ge=2013, le=2025)
    description: str | None = None


class FocusAreaMeta(Model):
    """The front matter of content/programme/*.md"""

    title: Text
    summary: str | None = None
    order: int = 100
    contact: Id | None = None
    activities: list[Activity] = Field(default_factory=list)


# Validation errors in Swedish, with the field's line.

_MESSAGES = {
    "missing": "fältet saknas",
    "extra_forbidden": "okänt fält; kontrollera stavningen",
    "string_type": "ska vara text",
    "string_too_short": "får inte vara tomt",
    "list_type": "ska vara en lista, t.ex. [a, b]",
    "bool_parsing": "ska vara true eller false",
    "bool_type": "ska vara true eller false",
    "int_parsing": "ska vara ett heltal",
    "dict_type": "ska vara en samling fält (nyckel: värde)",
    "model_type": "ska vara en samling fält (nyckel: värde)",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
}

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, path: str, default_line: int, tz: ZoneInfo | None = None
             ) -> tuple[M | None, list[ContentError]]:
    """Validate `data` (from yamltext) against `model`; return the model or Swedish errors."""
    if not isinstance(data, dict):
        what = "tomt" if data is None else "inte fält (namn: värde)"
        return None, [ContentError(path, default_line, "", f"innehållet är {what}")]
    try:
        return model.model_validate(data, context={"tz": tz}), []
    except ValidationError as exc:
        return None, [_error(err, data, path, default_line, model) for err in exc.errors()]


def _unknown_field(loc: tuple, data: Any, model: type[BaseModel]) -> str:
    """Why a field is unknown: a near spelling of a field of its own level ("tag" for "tags"), a field
    of a nearby field that it was meant to stand under ("address" under "place"), or neither."""
    import difflib

    name, owner = str(loc[-1]), _model_at(model, loc[:-1])
    if owner is None:
        return _MESSAGES["extra_forbidden"]
    parents = [field for field, info in owner.model_fields.items()
               if name in _field_names(_submodel(info.annotation))]
    lines = getattr(_value_at(data, loc[:-1]), "lines", {})
    above = [p for p in parents if p in lines and lines[p] < lines.get(loc[-1], 0)]
    close = difflib.get_close_matches(name, _field_names(owner), n=1, cutoff=0.75)
    if close and not above:
        return f"okänt fält; menade du {close[0]!r}?"
    if parents:
        parent = max(above, key=lambda p: lines[p]) if above else parents[0]
        return f"okänt fält här; hör {name!r} till {parent!r}? kontrollera indraget"
    if len(loc) > 1:
        return _MESSAGES["extra_forbidden"]
    return f"okänt fält; kontrollera stavningen (tillåtna fält: {', '.join(owner.model_fields)})"


def _field_names(model: type[BaseModel] | None) -> list[str]:
    """The names a model's fields can be written with, aliases (e.g. lärt) included."""
    if model is None:
        return []
    names = []
    for name, info in model.model_fields.items():
        names.append(name)
        alias = info.validation_alias
        names += [c for c in getattr(alias, "choices", [alias] if isinstance(alias, str) else []) if isinstance(c, str)]
    return names


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, also inside list[…] or … | None; None for plain values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _submodel(argument)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model of the value at `loc` (field names and list indexes) inside `model`."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        model = _submodel(info.annotation) if info else None
        if model is None:
            return None
    return model


def _value_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _error(err: dict, data: Any, path: str, default_line: int, model: type[BaseModel]) -> ContentError:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "field":  # a check across fields, raised by a model validator
        ctx = err["ctx"]
        line = line_of(data, loc + (ctx["near"],), default_line)
        field = ".".join(str(p) for p in loc + (ctx["field"],) if not isinstance(p, int))
        return ContentError(path, line, field, err["msg"])
    message = _MESSAGES.get(kind)
    if kind == "string_type" and err.get("input") is None:
        message = "får inte vara tomt"
    elif kind == "extra_forbidden":
        message = _unknown_field(loc, data, model)
    elif kind == "literal_error":
        choices = ", ".join(str(c).strip("'") for c in str(err["ctx"]["expected"]).replace(" or ", ", ").split(", "))
        message = (f"fältet är tomt; välj ett av: {choices}" if err.get("input") in (None, "")
                   else f"{err.get('input')!r} är inte tillåtet; välj ett av: {choices}")
    elif kind == "less_than_equal" and loc and loc[-1] == "year":
        message = "programmet sträcker sig till 2025; ett senare år går inte"
    elif kind == "string_pattern_mismatch":
        message = f"{err.get('input')!r} är inget giltigt id (små bokstäver a–z, siffror och bindestreck)"
    elif message is None:
        message = err["msg"]
    field = ".".join(str(p) for p in loc if not isinstance(p, int))
    line = line_of(data, loc, default_line) if kind != "missing" else line_of(data, loc[:-1], default_line)
    return ContentError(path, line, field, message)
