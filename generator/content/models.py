"""The content formats, as pydantic models: what an editor may write in each file.

YAML arrives here as text (see yamltext.py); these models decide what each field
means, and their validation errors are turned into Swedish messages with the
line of the field. `extra="forbid"` catches misspelt field names.
"""
from __future__ import annotations

import posixpath
import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
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
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from generator.content import places
from generator import urls
from generator.content.dates import (FIRST_YEAR, LAST_YEAR, Moment, clock_written, day_span, long_date, parse_moment,
                                     zone)
from generator.errors import ContentError
from generator.content.yamltext import comma_separated, flow_list, line_of

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A date or date-time as editors write it (see dates.py); in JSON Schema, a string with that pattern.
When = Annotated[Moment, WithJsonSchema({
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}[:.]\d{2}(:\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
    "description": "ÅÅÅÅ-MM-DD, eller med klockslag ÅÅÅÅ-MM-DD TT:MM (svensk tid om ingen tidszon anges)",
    "examples": ["2015-09-24", "2015-09-24 08:15"],
})]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]


def is_id(text: str) -> bool:
    """Whether `text` has the form of an id (Id): small letters a–z, digits and hyphens, not a hyphen first."""
    return re.fullmatch(ID_PATTERN, text) is not None


def id_message(written: object) -> str:
    """What is said of a value written where an id belongs that is no id (site/model.py adds the one meant)."""
    return f"{written!r} är inget giltigt id (små bokstäver a–z, siffror och bindestreck)"


# What editors writing Swedish call a field, or a value of it: data on the field (and so in its JSON
# Schema), from which an unknown field or value written so is told the one meant (_unknown_field, _error).
SWEDISH_NAMES, SWEDISH_VALUES = "x-swedish-names", "x-swedish-values"


def swedish(*names: str, values: dict[str, list[str]] | None = None, **schema: Any) -> dict[str, Any]:
    """A field's json_schema_extra: the Swedish words for its name and for each of its values, and any
    further JSON Schema (maxItems …)."""
    return {**schema, **({SWEDISH_NAMES: list(names)} if names else {}), **({SWEDISH_VALUES: values} if values else {})}


def _extra(info: FieldInfo | None) -> dict[str, Any]:
    extra = info.json_schema_extra if info is not None else None
    return extra if isinstance(extra, dict) else {}


def swedish_names(info: FieldInfo) -> list[str]:
    """The Swedish words an editor may write for the field's name (`datum` for `date`)."""
    return list(_extra(info).get(SWEDISH_NAMES, []))


def swedish_values(info: FieldInfo | None) -> dict[str, list[str]]:
    """The Swedish words an editor may write for each of the field's values (`inställt` for `cancelled`)."""
    return dict(_extra(info).get(SWEDISH_VALUES, {}))


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


_ADDRESS = "ska vara en hel adress som börjar med https://"


def web_address_problem(value: str) -> str | None:
    """Why `value` is not an address a reader's browser may be sent to, or None.

    Only the web's own schemes: `javascript:`, `data:` and the like would run or show
    something in the reader's browser, in a link or an image."""
    if any(character.isspace() or ord(character) < 32 for character in value):
        return f"{_ADDRESS}, utan mellanslag"
    try:
        parts = urlsplit(value)
    except ValueError:
        return _ADDRESS
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return _ADDRESS
    return None


def base_url_problem(value: str) -> str | None:
    """Why `value` cannot be the site's base URL (site.yaml or --base-url), or None."""
    problem = web_address_problem(value)
    if problem:
        return problem
    if "?" in value or "#" in value:
        return "ska vara webbplatsens adress utan ? och # (t.ex. https://example.org/innovation/)"
    return None


def image_problem(value: str) -> str | None:
    """Why `value` cannot be a post's image, or None: a file under assets/. An image on another site
    is for the links check to say (links.ELSEWHERE): the pages show the site's own images alone.

    Where a relative path leads is known only with the post's place (site.py checks it)."""
    if urls.has_scheme(value) and not value.lower().startswith(("https:", "http:")):
        return IMAGE_MESSAGE
    return IMAGE_MESSAGE if any(ord(character) < 32 for character in value) else None


IMAGE_EXAMPLE = "../../../assets/bilder/karta.png"  # from content/posts/ÅÅÅÅ/, where most posts are
IMAGE_MESSAGE = f"ska vara en bild under assets/, räknad från inläggets mapp (t.ex. {IMAGE_EXAMPLE})"


def image_example(source: str) -> str:
    """The example image, written from the folder of `source` (a path in content/): where the post
    lies decides how many ../ lead to assets/, next to content/."""
    return posixpath.relpath("../assets/bilder/karta.png", posixpath.dirname(source) or ".")


def image_message(source: str) -> str:
    """IMAGE_MESSAGE with its example written from the folder of `source`."""
    return IMAGE_MESSAGE.replace(IMAGE_EXAMPLE, image_example(source))


class NavItem(Model):
    title: Text = Field(description="Texten i menyn.", examples=["Blogg"])
    url: Text = Field(description="Adressen på webbplatsen, till exempel `/blogg/`.", examples=["/blogg/"],
                      json_schema_extra={"pattern": "^/(?!/)"})

    @field_validator("url")
    @classmethod
    def _site_path(cls, value: str) -> str:
        # The menu links within the site (templates/base.html puts the base path before it).
        if value.startswith("/") and not value.startswith("//") and not any(ord(c) < 32 for c in value):
            return value
        raise PydanticCustomError("url", "ska vara en sida på webbplatsen, skriven från / (t.ex. /om/)")


class FeedSettings(Model):
    items: int = Field(
        default=20, ge=1, le=1000, examples=[20],
        description="Antal inlägg i varje flöde, nyast först (1–1000).")
    full_content: bool = Field(
        default=True, examples=[False],
        description="`true`: hela inlägget i flödet. `false`: bara sammanfattningen.")


class CmsSettings(Model):
    """site.yaml `cms`: editing in the browser at /admin/ (generator/outputs/cms.py)."""

    repo: Text = Field(
        examples=["organisation/innovationsbloggen"],
        description="Förrådet på GitHub som webbplatsens filer ligger i, skrivet `ägare/namn`.",
        json_schema_extra={"pattern": r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"})
    branch: Text = Field(
        default="main", examples=["main"],
        description="Grenen som webbplatsen publiceras från. Varje ändring i webbläsaren blir en pull request mot den.")
    auth_url: Text | None = Field(
        default=None, examples=["https://cms-inloggning.example.org"],
        description=(
            "Adressen till inloggningstjänsten som låter redaktörer logga in med GitHub (se "
            "`docs/publicering.md`), hel adress som börjar med `https://`. Utan `auth_url` används "
            "Netlifys inloggning."))

    @field_validator("repo")
    @classmethod
    def _repository(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", value):
            raise PydanticCustomError("repo", f"{value!r} är inget förråd; skriv ägare/namn, t.ex. "
                                              "organisation/innovationsbloggen")
        return value

    _urls = field_validator("auth_url")(lambda value: value if value is None else _url(value))


class SiteConfig(Model):
    """content/site.yaml"""

    title: Text = Field(description="Webbplatsens namn.", examples=["Innovationsbloggen"])
    base_url: Text = Field(
        examples=["https://innovation.regionjh.se/"],
        description=(
            "Adressen webbplatsen publiceras på: hel adress som börjar med `https://` och slutar med `/`. "
            "Får innehålla en mapp. Används i flöden, kalendrar och länkar som sökmotorer läser."))
    language: Text = Field(default="sv", description="Språket på varje sida och i datumen.", examples=["sv"])
    timezone: Text = Field(
        default="Europe/Stockholm", examples=["Europe/Stockholm"],
        description="Tidszonen för alla tider som skrivs utan tidszon.")
    description: str = Field(
        default="",
        description="Introduktionen på startsidan och beskrivningen för sökmotorer.")
    publisher: str = Field(
        default="", examples=["Region Jämtland Härjedalen"],
        description=(
            "Organisationen bakom webbplatsen: står i sidfoten, som avsändare på inlägg utan `authors` "
            "och i sidornas data för sökmotorer."))
    navigation: list[NavItem] = Field(
        default_factory=list,
        description="Huvudmenyn: en lista med `title` och `url`, där `url` är en adress på webbplatsen.")
    posts_per_page: int = Field(
        default=10, ge=1, le=100, examples=[10],
        description="Antal inlägg på varje sida i listorna (1–100).")
    feeds: FeedSettings = Field(
        default_factory=FeedSettings,
        description="Flödena (RSS och Atom): `items` och `full_content`.")
    search: bool = Field(
        default=True, examples=[False],
        description="Sökningen: sidan `/sok/`, sökrutan på varje sida och sökindexet. `false` stänger av alla tre.")
    logo: Text | None = Field(
        default=None, examples=["bilder/logotyp.svg"],
        description=(
            "Organisationens logotyp: en bildfil under `assets/`, skriven som sökvägen därifrån, helst SVG. "
            "Visas i sidhuvudet före webbplatsens namn, med `publisher` som alternativtext. "
            "Utan `logo` står bara namnet där."))
    cms: CmsSettings | None = Field(
        default=None,
        description=(
            "Redigering i webbläsaren på `/admin/`: `repo`, `branch` och `auth_url`. Utan `cms` får "
            "webbplatsen ingen `/admin/`; `python build.py serve --cms` fungerar ändå på den egna datorn."))

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        problem = base_url_problem(value)
        if problem:
            raise PydanticCustomError("url", problem)
        return value if value.endswith("/") else value + "/"

    @field_validator("base_url")
    @classmethod
    def _published_with_https(cls, value: str) -> str:
        # site.yaml's own address only: Config.of takes --base-url http://localhost/ (a local copy,
        # the dev server) through _absolute_url alone.
        if value.lower().startswith("http:"):
            raise PydanticCustomError("url", "ska börja med https://, som webbplatsen publiceras med (adressen står i "
                                             "flödena, kalendrarna och sökmotorernas länkar); skriv {fixed}",
                                      {"fixed": "https:" + value[len("http:"):]})
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        # Both <html lang> and Babel's dates read it: a language code alone suits both.
        if not re.fullmatch(r"[a-z]{2,3}", value):
            raise PydanticCustomError("language", f"{value!r} är ingen språkkod; skriv två eller tre små "
                                                  "bokstäver, t.ex. sv")
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError):
            raise PydanticCustomError("language", f"okänt språk {value!r}; skriv en språkkod som finns, "
                                                  "t.ex. sv") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zone(value)
        except ValueError as exc:
            raise PydanticCustomError("zone", str(exc)) from None
        return value


MAX_TAGS = 100  # per post; each tag's page and feeds show the post with all its tags


# A tag's address is a folder name, which file systems keep under 255 bytes; a sentence pasted as a tag
# stopped the build with "File name too long".
MAX_TAG_ADDRESS = 200


def _tag_with_address(name: str) -> str:
    slug = urls.tag_slug(name)
    if not slug:
        raise PydanticCustomError("tag", f"taggen {name!r} ger ingen adress; den behöver minst en bokstav "
                                         "a–z eller en siffra")
    if len(slug) > MAX_TAG_ADDRESS:
        raise PydanticCustomError("tag", f"taggen som börjar {name[:30]!r} är för lång för en adress "
                                         f"({len(slug)} tecken, högst {MAX_TAG_ADDRESS}); en tagg är ett ämne i "
                                         "ett eller några ord")
    return name


TagName = Annotated[Text, AfterValidator(_tag_with_address)]


class PostMeta(Model):
    """The front matter of content/posts/**/*.md"""

    title: Text = Field(description="Rubriken.", examples=["Kalasturné med innovationsprogrammet"],
        json_schema_extra=swedish("titel", "rubrik"))
    date: When = Field(
        json_schema_extra=swedish("datum", "publicerad", "publiceras"),
        examples=["2015-11-01 10.00"],
        description=(
            "När inlägget publiceras: ett datum ÅÅÅÅ-MM-DD, eller datum och klockslag ÅÅÅÅ-MM-DD TT.MM, i "
            "svensk tid. Ett inlägg vars tid inte har kommit än väntar."))
    tags: list[TagName] = Field(
        default_factory=list, examples=[["kalasturné", "idéverkstad"]], json_schema_extra=swedish("taggar", "tagg", "ämnen", maxItems=MAX_TAGS),
        description="Taggar: ämnen som inlägget handlar om. Varje tagg får en egen sida.")
    summary: str | None = Field(
        json_schema_extra=swedish("sammanfattning", "ingress"),
        default=None, examples=["Vi besöker alla kommuner i november."],
        description=(
            "En eller två meningar som sammanfattar, som vanlig text (utan Markdown). Visas i listor, i "
            "sökmotorer och när någon delar inlägget. Utan `summary` används textens första ord."))
    authors: list[Id] = Field(
        json_schema_extra=swedish("författare", "skribent", "skribenter"),
        default_factory=list, examples=[["erik-noaksson"]],
        description=(
            "Vem som skrev inlägget: id:n från `content/people.yaml`. Utan `authors` står webbplatsens "
            "utgivare (`publisher` i `content/site.yaml`) som avsändare."))
    focus_areas: list[Id] = Field(
        json_schema_extra=swedish("fokusområden", "fokusområde"),
        default_factory=list, examples=[["kreativa-byrakrater"]],
        description=(
            "Fokusområden i programmet som inlägget hör till: filnamn från `content/programme/` utan "
            "`.md`."))
    events: list[Id] = Field(
        json_schema_extra=swedish("evenemang"),
        default_factory=list, examples=[["kalasturne"]],
        description="Evenemang som inlägget handlar om: evenemangets filnamn utan datum och utan `.yaml`.")
    image: Text | None = Field(
        json_schema_extra=swedish("bild"),
        default=None, examples=["../../../assets/bilder/karta.png"],
        description=(
            "En bild överst i inlägget, som också visas när någon delar det: en fil under `assets/`, "
            "räknad från inläggets mapp. En bild från en annan webbplats visas inte; spara den under "
            "`assets/bilder/`."))
    image_alt: str | None = Field(
        json_schema_extra=swedish("alt-text", "alttext", "alt", "bildtext"),
        default=None, examples=["Karta över regionens åtta kommuner"],
        description="Vad bilden visar, för den som inte ser den. Måste finnas när `image` finns.")
    updated: When | None = Field(
        json_schema_extra=swedish("uppdaterad", "uppdaterat", "ändrad", "ändrat"),
        default=None, examples=["2015-11-05"],
        description=(
            "När du senast ändrade inlägget på ett sätt som läsarna bör veta om. Visas som ”uppdaterat”. "
            "Får inte ligga före `date`."))
    draft: bool = Field(
        json_schema_extra=swedish("utkast"),
        default=False, examples=[True],
        description="`true` gör inlägget till ett utkast som inte publiceras.")

    _moments = field_validator("date", "updated", mode="before")(_moment)

    @field_validator("tags")
    @classmethod
    def _few_enough(cls, tags: list[str]) -> list[str]:
        if len(tags) > MAX_TAGS:
            raise PydanticCustomError("tags", f"högst {MAX_TAGS} taggar per inlägg, här finns {len(tags)}: varje "
                                              "tagg får en egen sida och egna flöden, som visar inlägget med alla "
                                              "dess taggar; välj de viktigaste")
        return tags

    @field_validator("image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        problem = None if value is None else image_problem(value)
        if problem:
            raise PydanticCustomError("image", problem)
        return value

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

    title: Text = Field(description="Rubriken.", examples=["Om innovationsprogrammet"],
        json_schema_extra=swedish("titel", "rubrik"))
    summary: str | None = Field(
        json_schema_extra=swedish("sammanfattning", "ingress"),
        default=None, examples=["Vad programmet är och vem som står bakom."],
        description="En eller två meningar som sammanfattar, som vanlig text (utan Markdown). Visas i sökmotorer.")
    draft: bool = Field(
        json_schema_extra=swedish("utkast"),
        default=False, examples=[True],
        description="`true` gör sidan till ett utkast som inte publiceras.")


class Person(Model):
    """One entry of content/people.yaml"""

    name: Text = Field(description="Namnet som det ska visas.", examples=["Erik Noaksson"],
        json_schema_extra=swedish("namn"))
    role: str | None = Field(default=None, description="Roll eller titel.", examples=["Innovationsstrateg"],
        json_schema_extra=swedish("roll", "titel"))
    organisation: str | None = Field(
        default=None, examples=["Region Jämtland Härjedalen"],
        description="Var personen arbetar, som vanlig text.")
    email: str | None = Field(
        json_schema_extra=swedish("e-post", "epost", "mejl", "mail"),
        default=None, examples=["erik.noaksson@regionjh.se"],
        description="E-postadress. Blir en länk på webbplatsen.")
    phone: str | None = Field(
        json_schema_extra=swedish("telefon", "telefonnummer", "tel", "mobil"),
        default=None, examples=["070-2782244"],
        description="Telefonnummer: siffror, mellanslag och bindestreck, och + först för landsnummer. Blir en länk "
                    "som går att ringa från mobilen.")

    _email = field_validator("email")(lambda value: value if value is None else _email_address(value))
    _phone = field_validator("phone")(lambda value: value if value is None else _phone_number(value))


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9][0-9 -]*")


# What a phone number pasted from a web page or Word may hold for a space or a hyphen.
_PHONE_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2010": "-", "\u2011": "-",
                               "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def _email_address(value: str) -> str | None:
    """An address a mailto: link can use: the page links it, and a typo there loses the reader's e-mail.
    An empty one is none (the page leaves it out)."""
    value = value.strip()
    if not value:
        return None
    if value.lower().startswith("mailto:"):
        raise PydanticCustomError("email", f"skriv adressen utan mailto: först, bara {value[7:].strip()}")
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", f"'{value}' är ingen e-postadress; skriv den som namn@exempel.se")
    return value


def _phone_number(value: str) -> str | None:
    """A number a tel: link can dial: its digits, spaces, hyphens and a + first (the page links it).
    Non-breaking spaces and dashes pasted with it are read as spaces and hyphens; an empty one is none."""
    value = value.translate(_PHONE_SPACES).strip()
    if not value:
        return None
    if _PHONE.fullmatch(value) and sum(c.isdigit() for c in value) < 5:
        raise PydanticCustomError("phone", f"'{value}' är för kort för ett telefonnummer; skriv hela numret med "
                                           "riktnummer, till exempel 070-278 22 44")
    if not _PHONE.fullmatch(value):
        raise PydanticCustomError("phone", f"'{value}' går inte att ringa från en länk; skriv bara siffror, "
                                           "mellanslag och bindestreck, till exempel 070-278 22 44 eller "
                                           "+46 70 278 22 44")
    return value


class Organisation(Model):
    """One entry of content/organisations.yaml"""

    name: Text = Field(description="Namnet som det ska visas.", examples=["Mittuniversitetet"],
        json_schema_extra=swedish("namn"))
    url: Text | None = Field(
        json_schema_extra=swedish("webbplats", "hemsida", "länk", "adress"),
        default=None, examples=["https://www.miun.se"],
        description="Organisationens webbplats, hel adress med `https://`. Namnet blir då en länk.")

    _urls = field_validator("url")(lambda value: value if value is None else _url(value))


# Events: content/events/**/*.yaml

EventKind = Literal["idéverkstad", "workshop", "lärresa", "möte", "turné", "sommarkontor", "konferens"]
EventStatus = Literal["planned", "held", "cancelled", "postponed"]
_CLOCK = r"(\d{1,2})[.:](\d{2})"
_SPAN = re.compile(rf"^{_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?$")


def _url(value: str) -> str:
    problem = web_address_problem(value)
    if problem:
        raise PydanticCustomError("url", problem)
    return value


class Place(Model):
    venue: Text | None = Field(default=None, description="Lokalen eller byggnaden.", examples=["Folkets hus"],
        json_schema_extra=swedish("lokal", "byggnad"))
    address: Text | None = Field(default=None, description="Gatuadressen.", examples=["Storgatan 1"],
        json_schema_extra=swedish("adress", "gatuadress"))
    # one of the region's eight
    municipality: Text | None = Field(
        json_schema_extra=swedish("kommun"),
        default=None, examples=["Östersund"],
        description="Kommunen, om platsen är i regionen: en av de åtta, med eller utan å, ä och ö, eller som kommunen heter (`Östersunds kommun`).")
    # a place outside the region: Lycksele, Cleveland …
    locality: Text | None = Field(
        json_schema_extra=swedish("ort"),
        default=None, examples=["Umeå"],
        description="Orten, om platsen är utanför regionen. Skriv inte både `municipality` och `locality`.")

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
        inside = places.named(self.locality) if self.locality else None
        if inside is not None:  # the event would be on no municipality's page
            raise PydanticCustomError(
                "field", "{name} är en av regionens kommuner; skriv municipality: \"{name}\" i stället för "
                         "locality, som är för platser utanför regionen",
                {"field": "locality", "near": "locality", "name": inside.name})
        return self


class ProgrammeItem(Model):
    time: Text = Field(
        json_schema_extra=swedish("tid", "klockslag"),
        examples=["08.00–09.00"],
        description="Tiden för punkten: start och slut, eller bara start. Kolon eller punkt i klockslagen.")
    title: Text = Field(description="Vad som händer.", examples=["Frukost"],
        json_schema_extra=swedish("titel", "rubrik"))
    date: When | None = Field(
        json_schema_extra=swedish("datum", "dag"),
        default=None, examples=["2026-09-16"],
        description="Vilken dag, för evenemang som pågår flera dagar. Utan `date` hamnar punkten på första dagen.")
    optional: bool = Field(
        json_schema_extra=swedish("valfri", "valfritt", "frivillig", "frivilligt"),
        default=False, examples=[True],
        description="`true` om punkten är valfri. Den märks då ”valfritt”.")
    place: Text | None = Field(
        json_schema_extra=swedish("plats"),
        default=None, examples=["Jazzköket"],
        description="Var punkten är, om den inte är på samma ställe som resten.")

    _moments = field_validator("date", mode="before")(_moment)

    @field_validator("time")
    @classmethod
    def _clock_span(cls, value: str) -> str:
        match = _SPAN.match(value)
        bad = match is None or any(
            h is not None and (int(h) > 23 or int(m) > 59) for h, m in (match.group(1, 2), match.group(3, 4)))
        if bad and (written := clock_written(value)):
            raise PydanticCustomError("time", f"{value!r} är inte skrivet som TT.MM; skriv {written}")
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

    start: When = Field(
        json_schema_extra=swedish("datum", "starttid", "början", "tid"),
        examples=["2027-04-06 13.00"],
        description="När stoppet börjar, som `start` för ett evenemang.")
    end: When | None = Field(
        json_schema_extra=swedish("slut", "sluttid"),
        default=None, examples=["2027-04-06 16.00"],
        description="När stoppet slutar, i samma form som `start`.")
    place: Place = Field(description="Stoppets plats, med samma delar som `place` för ett evenemang.",
        json_schema_extra=swedish("plats"))

    _moments = field_validator("start", "end", mode="before")(_moment)


class Registration(Model):
    url: Text | None = Field(
        json_schema_extra=swedish("länk", "adress"),
        default=None, examples=["https://example.org/anmalan"],
        description="Adressen till anmälan.")
    deadline: When | None = Field(
        json_schema_extra=swedish("sista dag", "sista anmälningsdag", "senast"),
        default=None, examples=["2027-03-01", "2027-03-01 12:00"],
        description="Sista dag att anmäla sig, med klockslag om anmälan stänger en viss tid.")
    note: Text | None = Field(
        json_schema_extra=swedish("notering", "anteckning", "kommentar"),
        default=None, examples=["Begränsat antal platser."],
        description="En kort text om anmälan.")

    _moments = field_validator("deadline", mode="before")(_moment)
    _urls = field_validator("url")(lambda value: value if value is None else _url(value))


class Link(Model):
    title: Text = Field(description="Texten som visas.", examples=["Mittuniversitetet"],
        json_schema_extra=swedish("titel", "rubrik", "text"))
    url: Text = Field(description="Hel adress som börjar med `https://`.", examples=["https://www.miun.se"],
        json_schema_extra=swedish("länk", "adress"))

    _urls = field_validator("url")(lambda value: _url(value))


class Download(Model):
    title: Text = Field(description="Texten som visas.", examples=["Rapport från sommarkontoret (pdf)"],
        json_schema_extra=swedish("titel", "rubrik", "text"))
    file: Text = Field(
        json_schema_extra=swedish("fil"),
        examples=["filer/sommarkontoret-2015.pdf"],
        description="Filen, som en sökväg under `assets/`.")


class Documentation(Model):
    """The region's six questions after an event."""

    gjort: str | None = Field(default=None, description="Vad har vi gjort, och hur blev det gjort?")
    gett: str | None = Field(default=None, description="Vad har det gett oss, andra och situationen?")
    lart: str | None = Field(
        default=None, validation_alias=AliasChoices("lärt", "lart"),
        description="Vad har vi lärt oss? Kan också skrivas `lart`.")
    listat_ut: str | None = Field(
        default=None,
        description="Vad är klokt och listigt, det allra bästa att göra nu?")
    lotsning: str | None = Field(default=None, description="Vad behöver vi för att lyckas med det?")
    aktiviteter: str | None = Field(default=None, description="Vad är nästa konkreta steg?")


class EventMeta(Model):
    """An event file: content/events/**/*.yaml"""

    title: Text = Field(description="Rubriken.", examples=["Idéverkstad om lokal mat"],
        json_schema_extra=swedish("titel", "rubrik", "namn"))
    kind: EventKind = Field(description="Sorts evenemang.", examples=["lärresa"],
        json_schema_extra=swedish("sort", "typ", "slag"))
    status: EventStatus = Field(
        default="planned", examples=["held"],
        json_schema_extra=swedish(values={"planned": ["planerat", "planerad"], "held": ["genomfört", "genomförd"],
                                          "cancelled": ["inställt", "inställd"],
                                          "postponed": ["uppskjutet", "uppskjuten"]}),
        description=(
            "Planerat (`planned`), genomfört (`held`), inställt (`cancelled`, syns kvar märkt Inställt) "
            "eller uppskjutet (`postponed`)."))
    summary: str | None = Field(
        json_schema_extra=swedish("sammanfattning", "ingress"),
        default=None, examples=["En dag om lokal mat i offentliga kök."],
        description="En eller två meningar som sammanfattar, som vanlig text (utan Markdown). Visas i listor och i "
                    "sökmotorer.")
    description: str = Field(
        json_schema_extra=swedish("beskrivning", "text"),
        default="",
        description="Den längre texten, i Markdown (rubriker, listor, länkar).")
    start: When | None = Field(
        json_schema_extra=swedish("datum", "starttid", "början", "tid"),
        default=None, examples=["2027-03-11 08.30"],
        description="När evenemanget börjar: ett datum ÅÅÅÅ-MM-DD, eller datum och klockslag ÅÅÅÅ-MM-DD TT.MM.")
    end: When | None = Field(
        json_schema_extra=swedish("slut", "sluttid"),
        default=None, examples=["2027-03-11 16.00"],
        description="När det slutar, i samma form som `start`. Utan klockslag är det sista dagen.")
    month: Text | None = Field(
        json_schema_extra=swedish("månad"),
        default=None, examples=["2027-10"],
        description="I stället för `start`, när bara månaden är bestämd: ÅÅÅÅ-MM.")
    stops: list[Stop] = Field(
        json_schema_extra=swedish("stopp"),
        default_factory=list,
        description=(
            "I stället för `start`, för en turné: en lista med stopp, vart och ett med egen tid och "
            "plats."))
    place: Place | None = Field(default=None, description="Platsen, med de delar du vet.",
        json_schema_extra=swedish("plats"))
    municipalities: list[Text] = Field(
        json_schema_extra=swedish("kommuner"),
        default_factory=list, examples=[["Berg", "Åre"]],
        description="Kommuner som evenemanget besöker, om det inte har en enda plats. `alla` betyder alla åtta.")
    programme: list[ProgrammeItem] = Field(
        json_schema_extra=swedish("program"),
        default_factory=list,
        description="Programmet: en lista med programpunkter, som måste ligga inom evenemangets tid.")
    registration: Registration | None = Field(default=None, description="Anmälan. Alla delar är frivilliga.",
        json_schema_extra=swedish("anmälan"))
    organisers: list[Id] = Field(
        json_schema_extra=swedish("arrangörer", "arrangör", "organisatörer"),
        default_factory=list, examples=[["region-jamtland-harjedalen"]],
        description="Arrangörer: id:n från `content/organisations.yaml`.")
    partners: list[Id] = Field(
        json_schema_extra=swedish("samarbetspartner", "samarbetspartners", "partner"),
        default_factory=list, examples=[["mittuniversitetet"]],
        description="Samarbetspartner: id:n från `content/organisations.yaml`.")
    contacts: list[Id] = Field(
        json_schema_extra=swedish("kontakter", "kontaktpersoner", "kontakt", "kontaktperson"),
        default_factory=list, examples=[["erik-noaksson"]],
        description="Kontaktpersoner: id:n från `content/people.yaml`.")
    links: list[Link] = Field(default_factory=list, description="Länkar, var och en med `title` och `url`.",
        json_schema_extra=swedish("länkar"))
    videos: list[Link] = Field(
        json_schema_extra=swedish("filmer", "film"),
        default_factory=list,
        description=(
            "Filmer, var och en med `title` och `url`. En film på YouTube eller Vimeo blir en spelare när "
            "läsaren klickar."))
    downloads: list[Download] = Field(
        json_schema_extra=swedish("filer", "nedladdningar"),
        default_factory=list,
        description="Filer att ladda ner, var och en med `title` och `file` (en fil under `assets/`).")
    documentation: Documentation | None = Field(
        json_schema_extra=swedish("dokumentation"),
        default=None,
        description=(
            "Dokumentationen efter evenemanget: regionens sex frågor `gjort`, `gett`, `lärt`, "
            "`listat_ut`, `lotsning` och `aktiviteter`, var och en i Markdown."))
    focus_areas: list[Id] = Field(
        json_schema_extra=swedish("fokusområden", "fokusområde"),
        default_factory=list, examples=[["cirkular-ekonomi"]],
        description="Fokusområden i programmet: filnamn från `content/programme/` utan `.md`.")
    updated: When | None = Field(
        json_schema_extra=swedish("uppdaterad", "uppdaterat", "ändrad", "ändrat"),
        default=None, examples=["2027-01-20"],
        description=(
            "När du senast ändrade något viktigt, till exempel tid, plats eller status. Kalendrar som "
            "prenumererar ser då att evenemanget har ändrats."))

    _moments = field_validator("start", "end", "updated", mode="before")(_moment)

    @field_validator("month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = re.match(r"^(\d{4})-(\d{1,2})$", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise PydanticCustomError("month", f"{value!r} är ingen månad; skriv ÅÅÅÅ-MM, t.ex. 2015-11")
        if not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise PydanticCustomError("month", f"{value}: året ska ligga mellan {FIRST_YEAR} och {LAST_YEAR}")
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
    undated = next((index for index, item in enumerate(meta.programme) if item.date is None), None)
    if meta.month and undated is not None:  # the item's time would be given a day no one chose
        return [(("programme", undated, "time"), "en programpunkt utan date behöver en dag, men evenemanget har "
                                                 "bara month; skriv date på punkten, eller start (och end) i "
                                                 "stället för month när dagen är bestämd")]
    first, last = event_days(meta)
    lasts_until = _programme_end(meta, first)
    if lasts_until is not None:  # every item after start would be told it lies outside "08.30–08.30"
        return [(("start",), f"programmet håller på till {lasts_until:%H.%M}, men evenemanget har bara start; "
                             f"skriv när det slutar på en rad under start, t.ex. end: \"{lasts_until:%Y-%m-%d %H:%M}\"")]
    for index, item in enumerate(meta.programme):
        problems += _item_problems(meta, item, first, last, ("programme", index))
    return problems


def _programme_end(meta: EventMeta, first: date) -> datetime | None:
    """When the programme of an event with a start time and no end ends, if after its start."""
    if not (meta.start and meta.start.has_time and meta.end is None and meta.programme):
        return None
    start = meta.start.value
    ends = [start.replace(year=day.year, month=day.month, day=day.day, hour=moment.hour, minute=moment.minute)
            + timedelta(days=moment < item.start_time)  # an item over midnight ends the next day
            for item in meta.programme
            for day in [item.date.day if item.date else first]
            for moment in [item.end_time or item.start_time]]
    latest = max(ends)
    return latest if latest > start else None


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
    # An end before the start is after midnight, when the event goes on into the next day: a party's
    # "23.00–01.00". Otherwise it is a slip ("16.00–09.00" for 16.00–19.00), told as one.
    overnight = end_time is not None and end_time < item.start_time
    if overnight and day >= last:
        return [(at + ("time",), f"{item.time}: sluttiden ligger före starttiden")]
    if meta.stops:  # a tour: the item is at one of the stops of its day, within that stop's time
        stops = [s for s in meta.stops if s.start.day <= day <= (s.end or s.start).day]
        if not stops:
            days = ", ".join(day_span(s.start.day, (s.end or s.start).day) for s in meta.stops)
            return [(at + ("date",) if item.date else at + ("time",),
                     f"programpunkten den {long_date(day)} ligger inte på någon av turnéns dagar ({days})")]
        if any(not s.start.has_time or s.end is None for s in stops):  # a stop given by its day, or only
            return []  # by when it begins: any time that day
        spans = [(s.start.value, s.end.value) for s in stops]
    elif meta.start and meta.start.has_time:
        spans = [(meta.start.value, (meta.end or meta.start).value)]
    else:
        return []
    start = spans[0][0]
    begins = start.replace(year=day.year, month=day.month, day=day.day,
                           hour=item.start_time.hour, minute=item.start_time.minute)
    ends = begins.replace(hour=end_time.hour, minute=end_time.minute) + timedelta(days=overnight) \
        if end_time else begins
    if any(start <= begins and ends <= end for start, end in spans):
        return []
    if meta.stops:
        times = ", ".join(f"{start:%H.%M}–{end:%H.%M}" for start, end in spans)
        return [(at + ("time",), f"programpunkten {item.time} ligger utanför {'stoppets tid' if len(spans) == 1 else 'stoppens tider'} den "
                                 f"{long_date(day)} ({times})")]
    end = spans[0][1]
    if start.date() == end.date():
        return [(at + ("time",), f"programpunkten {item.time} ligger utanför evenemangets tid ({start:%H.%M}–{end:%H.%M})")]
    # Over several days "13.00–12.00" would say nothing: the days are named; and an item without a
    # date that fits the next day is most likely after midnight.
    later = item.date is None and start <= begins + timedelta(days=1) and ends + timedelta(days=1) <= end
    return [(at + ("time",), f"programpunkten {item.time} den {long_date(day)} ligger utanför evenemangets tid "
                             f"({long_date(start)} kl. {start:%H.%M}–{long_date(end)} kl. {end:%H.%M})"
                             + (f"; hör den till nästa dag, skriv date: \"{day + timedelta(days=1)}\" på punkten"
                                if later else ""))]


class Activity(Model):
    title: Text = Field(description="Vad aktiviteten heter.", examples=["Halvdag om kreativa byråkrater"],
        json_schema_extra=swedish("titel", "rubrik", "namn"))
    status: Literal["föreslagen", "pågår", "genomförd"] = Field(
        examples=["pågår"],
        json_schema_extra=swedish(values={"föreslagen": ["föreslaget", "förslag"], "pågår": ["pågående"],
                                          "genomförd": ["genomfört", "klar", "klart"]}),
        description="Hur långt aktiviteten har kommit.")
    year: int | None = Field(
        json_schema_extra=swedish("år", "årtal"),
        default=None, ge=2013, le=2025, examples=[2015],
        description=(
            "Året, från 2013 till och med 2025: programmet sträcker sig till 2025. Skriv året utan "
            "citattecken."))
    description: str | None = Field(
        json_schema_extra=swedish("beskrivning"),
        default=None, examples=["En idéverkstad i Östersund."],
        description="En kort beskrivning.")


class FocusAreaMeta(Model):
    """The front matter of content/programme/*.md"""

    title: Text = Field(description="Fokusområdets namn.", examples=["Kreativa byråkrater"],
        json_schema_extra=swedish("titel", "rubrik", "namn"))
    summary: str | None = Field(
        json_schema_extra=swedish("sammanfattning", "ingress"),
        default=None, examples=["Hur kan offentligt anställda få utrymme att vara kreativa?"],
        description="En mening som sammanfattar, som vanlig text (utan Markdown). Visas i listan på `/program/` och "
                    "i sökmotorer.")
    order: int = Field(
        json_schema_extra=swedish("ordning"),
        default=100, examples=[4],
        description="Plats i listan på `/program/`: lägst nummer kommer först. Skriv siffran utan citattecken.")
    contact: Id | None = Field(
        json_schema_extra=swedish("kontakt", "kontaktperson"),
        default=None, examples=["karolina-natterlund"],
        description="Kontaktperson: ett id från `content/people.yaml`.")
    activities: list[Activity] = Field(
        json_schema_extra=swedish("aktiviteter"),
        default_factory=list,
        description="Aktiviteter i fokusområdet: en lista.")


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
        found = exc.errors()
    meant = _fields_meant(model, data, found)
    if not meant:
        return None, [_error(err, data, path, default_line, model) for err in found]
    # Each value is checked as the field it was meant for, so that its own problems come in this run.
    as_meant = _renamed(data, meant)
    try:
        model.model_validate(as_meant, context={"tz": tz})
        found = []
    except ValidationError as exc:
        found = exc.errors()
    told = [ContentError(path, as_meant.lines.get(field, default_line), written, f"okänt fält; menade du {field!r}?")
            for written, field in meant.items()]
    return None, sorted(told + [_error(err, as_meant, path, default_line, model) for err in found],
                        key=lambda error: error.line)


def read_as_meant(model: type[BaseModel], data: Any, tz: ZoneInfo | None = None) -> Any:
    """`data` as validate reads it: each unknown field that names a field the data lacks (`datum` for an
    event's `start`) under that field's name, for the checks made across a file's fields."""
    if not isinstance(data, dict):
        return data
    try:
        model.model_validate(data, context={"tz": tz})
        return data
    except ValidationError as exc:
        return _renamed(data, _fields_meant(model, data, exc.errors()))


def _renamed(data: dict, meant: dict[str, str]) -> dict:
    """`data` (a LineDict) with the fields `meant` (written name -> the field's) under their fields' names."""
    if not meant:
        return data
    as_meant = type(data)({meant.get(name, name): value for name, value in data.items()})
    as_meant.line = getattr(data, "line", 1)
    as_meant.lines = {meant.get(name, name): line for name, line in getattr(data, "lines", {}).items()}
    return as_meant


def _fields_meant(model: type[BaseModel], data: dict, found: list) -> dict[str, str]:
    """Unknown fields of the top level that name a field the data lacks (`datum` for `date`): written
    name -> the field's."""
    unknown = [err["loc"][0] for err in found if err["type"] == "extra_forbidden" and len(err["loc"]) == 1]
    meant: dict[str, str] = {}
    for written in unknown:
        field = _meant(str(written), _spellings(model, written=getattr(data, "lines", {})))
        if field and field not in data and field not in meant.values() \
                and _unknown_field((written,), data, model) == f"okänt fält; menade du {field!r}?":
            meant[str(written)] = field
    return meant


def _unknown_field(loc: tuple, data: Any, model: type[BaseModel]) -> str:
    """Why a field is unknown: a near spelling of a field of its own level ("tag" for "tags"), a field
    of a nearby field that it was meant to stand under ("address" under "place"), or neither."""
    name, owner = str(loc[-1]), _model_at(model, loc[:-1])
    if owner is None:
        return _MESSAGES["extra_forbidden"]
    parents = [field for field, info in owner.model_fields.items()
               if name in _field_names(_submodel(info.annotation))]
    lines = getattr(_value_at(data, loc[:-1]), "lines", {})
    above = [p for p in parents if p in lines and lines[p] < lines.get(loc[-1], 0)]
    close = _meant(name, _spellings(owner, written=lines))
    if close and not above:
        return f"okänt fält; menade du {close!r}?"
    if parents:
        parent = max(above, key=lambda p: lines[p]) if above else parents[0]
        return f"okänt fält här; hör {name!r} till {parent!r}? kontrollera indraget"
    if len(loc) > 1:
        return _MESSAGES["extra_forbidden"]
    return f"okänt fält; kontrollera stavningen (tillåtna fält: {', '.join(owner.model_fields)})"


def _meant(written: str, spellings: dict[str, str]) -> str | None:
    """What an editor meant by `written`: the name or value of `spellings` (written form → what to write)
    that it is, whatever its capitals, or that it is close to; None when none is."""
    import difflib

    key = _normal(written)
    if key in spellings:
        return spellings[key]
    close = difflib.get_close_matches(key, list(spellings), n=1, cutoff=0.75)
    return spellings[close[0]] if close else None


def _normal(written: str) -> str:
    """A name or value as compared: small letters, and a space for each run of spaces, _ and -."""
    return re.sub(r"[\s_-]+", " ", written.strip().lower())


def _spellings(model: type[BaseModel], written: Any = ()) -> dict[str, str]:
    """What the fields of `model` may be meant by, and the name to write for each: its name and aliases
    (an alias is written as itself: lärt), and its Swedish names (`datum` is written `date`), but not those
    of a field `written` too: `mobil:` beside `phone:` is a second number, not a slip."""
    return _spelling_table(_field_names(model), {name: swedish_names(info) for name, info in model.model_fields.items()
                                                 if name not in written})


def _value_spellings(choices: list[str], info: FieldInfo | None) -> dict[str, str]:
    """What the allowed values of a field may be meant by: the values and their Swedish words."""
    return _spelling_table(choices, swedish_values(info))


def _spelling_table(names: list[str], words: dict[str, list[str]]) -> dict[str, str]:
    """Each name, and each word for one (name -> its words), as compared (_normal) -> the name to write."""
    spellings = {_normal(name): name for name in names}
    for name, said in words.items():
        for word in said:
            spellings.setdefault(_normal(word), name)
    return spellings


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


def _field_at(model: type[BaseModel], loc: tuple) -> FieldInfo | None:
    """The field at `loc` (field names and list indexes) inside `model`, or None."""
    inside = _model_at(model, loc[:-1])
    return inside.model_fields.get(str(loc[-1])) if inside and loc else None


def _plain_list(model: type[BaseModel], loc: tuple) -> bool:
    """Whether the field at `loc` is a list of plain values (text), which a text can show written right."""
    info = _field_at(model, loc)
    return info is not None and _submodel(info.annotation) is None


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
        allowed = [str(c).strip("'") for c in str(err["ctx"]["expected"]).replace(" or ", ", ").split(", ")]
        written, choices = err.get("input"), ", ".join(allowed)
        meant = _meant(written, _value_spellings(allowed, _field_at(model, loc))) if isinstance(written, str) else None
        message = (f"fältet är tomt; välj ett av: {choices}" if written in (None, "")
                   else f"{written!r} är inte tillåtet; menade du {meant!r}?" if meant
                   else f"{written!r} är inte tillåtet; välj ett av: {choices}")
    elif kind == "less_than_equal" and loc and loc[-1] == "year":
        message = "programmet sträcker sig till 2025; ett senare år går inte"
    elif (kind == "list_type" and isinstance(err.get("input"), str) and comma_separated(err["input"])
          and _plain_list(model, loc)):
        message = f"ska vara en lista; skriv {loc[-1]}: {flow_list(comma_separated(err['input']))}"
    elif kind == "string_pattern_mismatch":
        message = id_message(err.get("input"))
    elif kind == "dataclass_type" and err.get("input") is None and err.get("ctx", {}).get("class_name") == "Moment":
        message = "fältet är tomt; skriv ÅÅÅÅ-MM-DD, t.ex. 2015-11-02, eller med tid 2015-11-02 10:00"  # date: alone
    elif message is None and err.get("input") is None:
        message = "fältet är tomt; skriv ett värde efter kolonet, eller ta bort raden"
    elif message is None:
        message = err["msg"]
    field = ".".join(str(p) for p in loc if not isinstance(p, int))
    line = line_of(data, loc, default_line) if kind != "missing" else line_of(data, loc[:-1], default_line)
    return ContentError(path, line, field, message)
