"""The one place that decides every URL and output path of the site.

A *site path* is the part of a URL after the site's base, always starting with
`/`: `/blogg/2015/kalasturne/`. From it come the link in a page (`href`, which
includes the base path when the site lives in a folder such as
`https://example.org/innovation/`), the absolute URL (`absolute`) for feeds,
canonical links and the sitemap, and the file in the output folder (`output_path`).

The URL scheme, decided once:

    /                               home
    /blogg/                         all posts, newest first (then /blogg/sida/2/ …)
    /blogg/2015/kalasturne/         a post: year of its date, slug of its file name
    /blogg/2015/                    the posts of a year
    /blogg/arkiv/                   every year
    /blogg/taggar/                  every tag
    /blogg/taggar/idéverkstad → /blogg/taggar/ideverkstad/ (then …/sida/2/)
    /personer/                      people
    /personer/erik-noaksson/        a person and their posts
    /om/                            a page from content/pages/om.md
    /evenemang/                     upcoming and past events (then /evenemang/2015/ …)
    /evenemang/2015/kalasturne/     an event: year of its start, slug of its file name
    /evenemang/2015/kalasturne.ics  the event's calendar file
    /kommuner/ostersund/            a municipality and its events
    /program/                       the focus areas
    /program/kreativa-byrakrater/   a focus area
    /arshjul/                       the annual wheel of the current year (then /arshjul/2015/ …)
    /events.json, /events.csv       every event, as open data
    /blogg/rss.xml, /blogg/atom.xml all posts as feeds; also under each tag and focus area
    /evenemang/kalender.ics         all events as a calendar; also under each focus area and municipality
    /prenumerera/                   every feed and calendar in one place
    /sok/                           search (Pagefind's index is in /pagefind/)
    /assets/css/site.1a2b3c4d.css   assets (CSS and JS with a content hash)

Templates get these paths by name through `url_for` (below): `url_for('tag', tag)`,
`url_for('blog', 2)`, and never write a site path themselves (tests/test_templates.py).
"""
from __future__ import annotations

import functools
import inspect
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from slugify import slugify

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def has_scheme(target: str) -> bool:
    """Whether a link names its scheme (https:, mailto:, javascript: …): it does not lead within the site."""
    return _SCHEME.match(target) is not None


def leaves_by_form(target: str) -> bool:
    """Whether a link leads off the site as written: it names a scheme, starts with // (another
    host), or is empty. One with the site's own web address is such a link too (web_address)."""
    return not target or has_scheme(target) or target.startswith("//")


def web_address(target: str):
    """An http: or https: address taken apart (urlsplit), to compare its host with the site's own;
    None for any other link. Raises ValueError for an address urlsplit cannot read."""
    if not target[:8].lower().startswith(("http://", "https://")):
        return None
    return urlsplit(target)


@functools.lru_cache(maxsize=65536)  # tags repeat across thousands of posts; slugify is slow
def slug(text: str) -> str:
    """A clean URL segment: lower case ASCII, å/ä/ö as a/a/o, words joined by hyphens."""
    return slugify(text, replacements=[["å", "a"], ["ä", "a"], ["ö", "o"], ["Å", "a"], ["Ä", "a"], ["Ö", "o"]])


_PLUS = re.compile(r"(?<=[\w+])\+")
_SHARP = re.compile(r"(?<=[\w+])#")


@functools.lru_cache(maxsize=65536)
def tag_slug(name: str) -> str:
    """A tag's URL segment: as slug(), but a + or # after a letter is a word of its own, so that
    C, C++ and C# are three tags (c, c-plus-plus, c-sharp). Empty when the name has no letter or digit."""
    return slug(_SHARP.sub(" sharp ", _PLUS.sub(" plus ", name)))


def same_name(path: str) -> str:
    """A file's name or path in the one form the site uses (NFC). macOS writes å in a file name as a and a
    combining ring (NFD), while a name typed in a text is one letter: the two are the same name to the
    editor, and are made one before they are compared or written."""
    return unicodedata.normalize("NFC", path)


def has_date_prefix(file_name: str) -> bool:
    return bool(_DATE_PREFIX.match(file_name))


def post_slug(file_name: str) -> str:
    """`2015-11-02-kalasturne.md` -> `kalasturne`; the date prefix is only for sorting files."""
    stem = PurePosixPath(file_name).stem
    return slug(_DATE_PREFIX.sub("", stem)) or slug(stem)


def _paged(base: str, page: int) -> str:
    return base if page == 1 else f"{base}sida/{page}/"


def home() -> str:
    return "/"


def blog(page: int = 1) -> str:
    return _paged("/blogg/", page)


def post(year: int, post_slug: str) -> str:
    return f"/blogg/{year}/{post_slug}/"


def year(number: int) -> str:
    return f"/blogg/{number}/"


def archive() -> str:
    return "/blogg/arkiv/"


def tags() -> str:
    return "/blogg/taggar/"


def tag(tag_slug: str, page: int = 1) -> str:
    return _paged(f"/blogg/taggar/{tag_slug}/", page)


def people() -> str:
    return "/personer/"


def person(person_id: str, page: int = 1) -> str:
    return _paged(f"/personer/{person_id}/", page)


def events() -> str:
    return "/evenemang/"


def events_year(number: int) -> str:
    return f"/evenemang/{number}/"


def event(year_number: int, event_slug: str) -> str:
    return f"/evenemang/{year_number}/{event_slug}/"


def event_calendar(year_number: int, event_slug: str) -> str:
    """The event's own calendar file, for "Lägg till i kalender"."""
    return f"/evenemang/{year_number}/{event_slug}.ics"


def municipalities() -> str:
    return "/kommuner/"


def municipality(municipality_slug: str) -> str:
    return f"/kommuner/{municipality_slug}/"


def programme() -> str:
    return "/program/"


def focus_area(area_id: str) -> str:
    return f"/program/{area_id}/"


def wheel(year_number: int | None = None) -> str:
    """The årshjul: /arshjul/ shows the current year, /arshjul/2015/ a given one."""
    return "/arshjul/" if year_number is None else f"/arshjul/{year_number}/"


def events_json() -> str:
    return "/events.json"


def events_csv() -> str:
    return "/events.csv"


def feed(list_path: str, kind: str) -> str:
    """A list's feed: /blogg/rss.xml, /blogg/taggar/ideverkstad/atom.xml, /program/x/rss.xml."""
    return f"{list_path}{'rss' if kind == 'rss' else 'atom'}.xml"


def calendar(list_path: str) -> str:
    """A list's calendar to subscribe to: /evenemang/kalender.ics, /kommuner/berg/kalender.ics."""
    return f"{list_path}kalender.ics"


def subscribe() -> str:
    return "/prenumerera/"


def search() -> str:
    """The search page; the form in every page's header sends `?q=` to it."""
    return "/sok/"


SEARCH_FOLDER = "pagefind"  # Pagefind's index, which generator/outputs/search.py writes


def search_index() -> str:
    """The list of the search index's bundles (generator/outputs/search.py), which the search page loads."""
    return f"/{SEARCH_FOLDER}/bundles.json"


def page(page_slug: str) -> str:
    return f"/{page_slug}/"


def asset(path: str) -> str:
    return f"/assets/{path}"


def sitemap() -> str:
    return "/sitemap.xml"


def robots() -> str:
    return "/robots.txt"


def favicon() -> str:
    return "/favicon.ico"


def manifest() -> str:
    return "/manifest.webmanifest"


def admin() -> str:
    """Editing in the browser (generator/outputs/cms.py), for sites whose site.yaml has `cms`."""
    return "/admin/"


def headers() -> str:
    """Security headers for hosts that read a _headers file (Netlify, Cloudflare Pages)."""
    return "/_headers"


def not_found() -> str:
    return "/404.html"


# Folders the generator fills at the top of the output folder besides the pages it plans (which
# plan.py checks against each other): no page of content may take their names.
GENERATED_FOLDERS = {
    "assets": "CSS, skript och filerna från assets/",
    SEARCH_FOLDER: "sökindexet",
}


def generated_folder(site_path: str) -> str | None:
    """What the generator keeps in the top folder of `site_path` (/pagefind/ -> the search index), or None."""
    return GENERATED_FOLDERS.get(site_path.strip("/").split("/", 1)[0])


class AddressError(LookupError):
    """url_for was asked for an address it does not know, or given the wrong arguments."""


def _key(value: object, attribute: str) -> object:
    """What an address is made from: given as is (a slug, an id), or read from the object it names."""
    return value if isinstance(value, (str, int)) else getattr(value, attribute)


def _feed(list_path: str, kind: str) -> str:
    if kind not in ("rss", "atom"):
        raise AddressError(f"url_for('feed', …): formatet {kind!r} finns inte; skriv 'rss' eller 'atom'")
    return feed(list_path, kind)


# The addresses templates ask for by name, with the arguments they have at hand: an object
# (a post, a tag, an event …) or what identifies it (a slug, an id, a year).
NAMED = {
    "home": home,
    "blog": lambda page=1: blog(page),
    "post": lambda a_post: post(a_post.year, a_post.slug),
    "year": lambda number: year(number),
    "archive": archive,
    "tags": tags,
    "tag": lambda tag_or_slug, page=1: tag(_key(tag_or_slug, "slug"), page),
    "people": people,
    "person": lambda person_or_id, page=1: person(_key(person_or_id, "id"), page),
    "events": events,
    "events_year": lambda number: events_year(number),
    "event": lambda an_event: event(an_event.year, an_event.id),
    "event_calendar": lambda an_event: event_calendar(an_event.year, an_event.id),
    "municipalities": municipalities,
    "municipality": lambda municipality_or_slug: municipality(_key(municipality_or_slug, "slug")),
    "programme": programme,
    "focus_area": lambda area_or_id: focus_area(_key(area_or_id, "id")),
    "wheel": lambda number=None: wheel(number),
    "events_json": events_json,
    "events_csv": events_csv,
    "feed": _feed,
    "calendar": lambda list_path: calendar(list_path),
    "subscribe": subscribe,
    "search": search,
    "search_index": search_index,
    "page": lambda page_or_slug: page(_key(page_or_slug, "slug")),
    "sitemap": sitemap,
    "robots": robots,
    "headers": headers,
    "favicon": favicon,
    "manifest": manifest,
    "not_found": not_found,
}


def url_for(name: str, *args: object, **kwargs: object) -> str:
    """The site path of the address called `name` (a key of NAMED), for templates:
    `url_for('tag', tag, 2)` is /blogg/taggar/ideverkstad/sida/2/. AddressError for an
    unknown name or arguments that do not fit it."""
    make = NAMED.get(name)
    if make is None:
        raise AddressError(f"url_for känner inte till adressen {name!r}; de som finns: {', '.join(sorted(NAMED))}")
    try:
        return make(*args, **kwargs)
    except (TypeError, AttributeError) as exc:
        # Only now is the signature looked at: every page calls url_for, and most calls are right.
        wanted = ", ".join(str(p) for p in inspect.signature(make).parameters.values()) or "inga argument"
        raise AddressError(f"url_for({name!r}, …) tar {wanted}, men fick {_shown(args, kwargs)} ({exc})") from None


def _shown(args: tuple, kwargs: dict) -> str:
    def one(value: object) -> str:
        return repr(value) if isinstance(value, (str, int, type(None))) else f"en {type(value).__name__}"

    shown = [one(a) for a in args] + [f"{k}={one(v)}" for k, v in kwargs.items()]
    return ", ".join(shown) or "inga argument"


def output_path(site_path: str) -> str:
    """The file a site path is written to, relative to the output folder."""
    relative = site_path.removeprefix("/")
    if site_path.endswith("/"):
        return relative + "index.html"
    return relative


_DOT_SEGMENT = re.compile(r"(?:^|/)\.{1,2}(?:/|$)")


def leaves_folder(relative: str) -> bool:
    """Whether a path inside the output folder (blogg/index.html) could lead out of it, or name no file:
    it is absolute, has a backslash, or has a segment that is empty, `.` or `..`."""
    return (not relative or relative.startswith("/") or relative.endswith("/") or "//" in relative
            or "\\" in relative or _DOT_SEGMENT.search(relative) is not None)


# What a URL's path may hold as it is. A file of the editor's may be named "Karta över Åre.png": in a
# srcset a space ends the address, and feeds, Open Graph and the sitemap need URLs, not names.
_NOT_IN_A_PATH = re.compile(r"[^A-Za-z0-9/:@!$&'()*+,;=~._?#-]")
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")


def encoded(site_path: str) -> str:
    """A site path as it stands in a link: percent-encoded where it has to be (a space, å, a quote).
    A path that is encoded already (written so by an editor) is left as it is, not encoded twice;
    a query or fragment after it (`/sok/?q=kalas`, a menu's `/om/#vem`) is kept as written."""
    if _NOT_IN_A_PATH.search(site_path) is None:
        return site_path
    end = _QUERY_OR_FRAGMENT.search(site_path)
    path, rest = (site_path[:end.start()], site_path[end.start():]) if end else (site_path, "")
    return quote(unquote(path), safe="/:@!$&'()*+,;=~") + rest


class Base:
    """The site's base URL, to turn site paths into links and absolute URLs."""

    def __init__(self, base_url: str):
        url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(url)
        self.path = encoded(parts.path or "/")  # a folder named with å is a link like the site's own paths
        self.url = f"{parts.scheme}://{parts.netloc}{self.path}" if parts.scheme and parts.netloc else url

    def href(self, site_path: str) -> str:
        """A link within the site: the base path and the site path, e.g. /innovation/blogg/."""
        return self.path + encoded(site_path).lstrip("/")

    def absolute(self, site_path: str) -> str:
        return self.url + encoded(site_path).lstrip("/")

    def absolute_href(self, href: str) -> str:
        """A link as written in a page (/innovation/blogg/) made absolute; other links kept."""
        if href.startswith("/") and not href.startswith("//"):
            parts = urlsplit(self.url)
            return f"{parts.scheme}://{parts.netloc}{href}"
        return href
