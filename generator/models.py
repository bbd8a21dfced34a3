"""The content formats, as pydantic models: what an editor may write in each file.

YAML arrives here as text (see yamltext.py); these models decide what each field
means, and their validation errors are turned into Swedish messages with the
line of the field. `extra="forbid"` catches misspelt field names.
"""
from __future__ import annotations

from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.dates import Moment, parse_moment, zone
from generator.errors import ContentError
from generator.yamltext import line_of

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    date: Moment
    tags: list[Text] = Field(default_factory=list)
    summary: str | None = None
    authors: list[Id] = Field(default_factory=list)
    focus_areas: list[Id] = Field(default_factory=list)
    image: Text | None = None
    image_alt: str | None = None
    updated: Moment | None = None
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


def _error(err: dict, data: Any, path: str, default_line: int, model: type[BaseModel]) -> ContentError:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "field":  # a check across fields, raised by a model validator
        ctx = err["ctx"]
        line = line_of(data, (ctx["near"],), default_line)
        return ContentError(path, line, ctx["field"], err["msg"])
    message = _MESSAGES.get(kind)
    if kind == "string_type" and err.get("input") is None:
        message = "får inte vara tomt"
    elif kind == "extra_forbidden" and len(loc) == 1:
        allowed = ", ".join(model.model_fields)
        message = f"okänt fält; kontrollera stavningen (tillåtna fält: {allowed})"
    elif kind == "string_pattern_mismatch":
        message = f"{err.get('input')!r} är inget giltigt id (små bokstäver a–z, siffror och bindestreck)"
    elif message is None:
        message = err["msg"]
    field = ".".join(str(p) for p in loc if not isinstance(p, int))
    line = line_of(data, loc, default_line) if kind != "missing" else line_of(data, loc[:-1], default_line)
    return ContentError(path, line, field, message)
