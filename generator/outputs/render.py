"""Step 4, render: an Output and the Site -> the bytes of one file. Pure and deterministic.

Templates are Jinja2 with autoescaping and StrictUndefined (a misspelt variable
is an error, not an empty string). They receive `site` and `page` (the output's
context, contexts.py) and a few helpers: `url_for` for the site path of a named
address (urls.url_for), `href` for links, `absolute` for absolute URLs, `asset`
for a hashed asset's link, and filters for Swedish dates and JSON-LD.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from generator.outputs import arshjul, feeds, ical, icons, images, imaging, opendata, security, structured, video
from generator.content import dates, markdown
from generator import urls
from generator.outputs import cms
from generator.incremental import recording
from generator.build.plan import Output
from generator.site.model import Site


class TemplateProblem(Exception):
    """A template that cannot be read or rendered: a theme error, not a content error."""


def environment(templates: Path, site: Site, asset_paths: dict[str, str],
                image_sizes: dict[str, tuple[int, int]] | None = None,
                compiled: Path | None = None) -> jinja2.Environment:
    return bind(templates_environment(templates, compiled), site, asset_paths, image_sizes)


def templates_environment(templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment, without a site: the dev server keeps one, so templates compile once.

    A template is compiled at its first use and then used as it is: Jinja's auto_reload would ask
    the file's modification time at every use (60,000 stat calls for a 10,000-post site, each
    page loading its template, the base and the macros), and goes by the time where the dev server
    goes by the bytes (forget_templates). With `compiled` (a folder in the build cache), compiled
    templates are kept there between builds, under a hash of their source.
    """
    cache = None
    if compiled is not None:
        from generator.incremental.bytecode import BytecodeCache

        cache = BytecodeCache(str(compiled))
    return RecordingEnvironment(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=SwedishUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


class SwedishUndefined(jinja2.StrictUndefined):
    """StrictUndefined, saying in Swedish what is missing and what was probably meant; render()
    adds the template line. (Jinja builds its message in the `_undefined_message` property, from
    `_undefined_obj` and `_undefined_name`: tests/test_templates.py pins that it is used.)"""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name, owner = self._undefined_name, self._undefined_obj
        if owner is jinja2.utils.missing:
            return f"{name!r} finns inte; en mall får site och page, och hjälpfunktionerna i docs/dev/templates.md"
        if isinstance(owner, Mapping):  # a dict, or its recording stand-in (incremental/recording.py)
            keys = [key for key in owner if isinstance(key, str)]
            return f"nyckeln {name!r} finns inte" + _nearest(name, keys)
        if not isinstance(name, str):
            return f"{type(owner).__name__} har inget element {name!r}"
        return (f"{type(owner).__name__} har inget fält {name!r}"
                + _nearest(name, [field for field in dir(owner) if not field.startswith("_")]))


def _nearest(wrong, candidates) -> str:
    import difflib

    near = difflib.get_close_matches(str(wrong), candidates, n=1, cutoff=0.7)
    return f" (menade du {near[0]!r}?)" if near else ""


class RecordingTemplate(jinja2.Template):
    """A template whose module (what `{% import %}` and `{% from … import %}` give, and
    `.module`) is made once per build, and counts for every output that uses it.

    Jinja makes an imported template's module once and keeps it: its top-level code
    (`{% set js = asset('js/video.js') %}` in _macros.html) runs for the first output that
    imports it, so only that output would be recorded as reading what the code read, and the
    dev server would keep the value of its first build. The module is made again for each build
    (bind() gives each its own `env.bound`), and the reads made while making it are noted for
    each output that uses it, as recording.remembered does for cards. (This overrides Jinja's
    `Template._get_default_module`; tests/test_cache_findings.py pins it.)"""

    def _get_default_module(self, ctx=None):
        if ctx is not None and ctx.globals_keys - self.globals.keys():
            return super()._get_default_module(ctx)  # globals of the importer's own: made each time
        build = getattr(self.environment, "bound", None)
        made = getattr(self, "_made_for", None)
        if made is None or made[0] is not build:
            with recording.Capture() as reads:
                module = self.make_module()
            self._made_for = made = (build, module, frozenset(reads))
        else:
            recording.note_all(made[2])
        return made[1]


class RecordingEnvironment(jinja2.Environment):
    """Jinja's environment, noting for incremental builds every template file a rendering loads:
    its own, the one it extends, those it includes and imports (macros).

    The reads of content (`post.title`, which Jinja compiles to `self.getattr(post,
    "title")`) are recorded one level lower, by the content objects themselves
    (incremental/recording.py), so that the Python helpers templates call are
    recorded by the same code as the templates."""

    template_class = RecordingTemplate

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The filters that look at a value's type see the dicts of the Site as dicts, not as their
        # recorded stand-ins (recording.plain): printed and written out as a build without the cache does.
        self.filters.update(pprint=lambda value: jinja2.filters.do_pprint(recording.plain(value)),
                            urlencode=lambda value: jinja2.filters.do_urlencode(recording.plain(value)))
        self.policies["json.dumps_function"] = lambda value, **kwargs: json.dumps(recording.plain(value), **kwargs)

    def _load_template(self, name, globals):  # every get_template, extends, include and import
        if isinstance(name, str):
            recording.note(("template", template_file(name)))
        if globals:  # globals of its own (never in this project): a template apart, so that they stay its own
            return self.loader.load(self, name, super().make_globals(globals))
        return super()._load_template(name, globals)

    def make_globals(self, d):
        """A template's globals: the environment's own dict (bind() sets the helpers in it for each
        build), not Jinja's ChainMap over it. Every rendering copies the globals into its context,
        and a ChainMap is copied key by key in Python code; Jinja's reason for the ChainMap, that
        globals given to one template stay out of the environment's, is kept by _load_template."""
        return super().make_globals(d) if d else self.globals


def template_file(name: str) -> str:
    """The file (its path inside templates/) a template name loads, as the loader finds it:
    `./_kort.html`, `/_kort.html` and `_kort.html` are one file, which the record must name as the
    file digests do."""
    try:
        return "/".join(split_template_path(name))
    except jinja2.TemplateNotFound:  # a name with '..': loading it fails, and the failure says so
        return name


def forget_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Have Jinja compile these templates again at their next use.

    The environment compiles a template once (auto_reload is off), and the dev server keeps it:
    it calls this with the templates whose digests changed (LiveSite). Going by the bytes, not by
    Jinja's modification time, an edit that keeps the time (two saves within one tick of a coarse
    file clock, `cp -p`, an editor restoring it) is used as well."""
    if not env.cache or not names:
        return
    for key in list(env.cache.keys()):  # (a weak reference to the loader, the template's name)
        if template_file(key[1]) in names:
            del env.cache[key]


def image_table(site: Site, image_sizes: dict | None) -> dict:
    """Images by their src as written in pages (images.find gives them by site path): an
    imaging.Picture for a processed image (its variants' site paths), else its (width, height)."""
    return {site.href(path): size for path, size in (image_sizes or {}).items()}


@dataclass
class Bound:
    """The site the templates' helpers serve, with what they look up besides."""

    site: Site
    images: recording.RecordedTable  # an image's src as written in pages -> its Picture or size
    assets: recording.RecordedTable  # asset name -> its hashed site path
    cards: dict = field(default_factory=dict)  # card_once's cards of this build
    texts: list = field(default_factory=list)  # the texts (HTML) the output being rendered shows


def bind(env: jinja2.Environment, site: Site, asset_paths: dict[str, str],
         image_sizes: dict[str, tuple[int, int]] | None = None) -> jinja2.Environment:
    """Give the templates this site: the helpers and filters they call.

    `image_sizes` (images.sizes) gives images in Markdown and posts' images their width and height.
    The helpers read the site and what they look up (`env.bound`) when they are called, never
    here: so that it is recorded for the output that called them (incremental/recording.py), and
    so that a template module Jinja keeps between rebuilds (_macros.html, with the helpers it
    was made with) serves the dev server's new site, not the one of its first build."""
    env.bound = Bound(site, recording.RecordedTable("image", image_table(site, image_sizes)),
                      recording.RecordedTable("asset", asset_paths))

    def now() -> Bound:
        return env.bound

    def has_asset(name: str) -> bool:
        return name in now().assets

    def asset(name: str) -> str:
        bound = now()
        if name not in bound.assets:
            raise TemplateProblem(f"assets/{name} finns inte")
        return bound.site.href(bound.assets[name])

    def card_once(post, level: int) -> Markup:
        """The card macro of _macros.html for a post, rendered once: a post is in many lists
        (the blog's pages, its tags', its authors'), and at 10,000 posts cards were a third
        of all rendering. Every output that shows the card counts as having read what the
        card read (recording.remembered)."""
        bound = now()

        def card() -> tuple[Markup, list[str]]:
            shown_before = len(bound.texts)
            made = env.get_template("_macros.html").module.card(post, level)
            return made, bound.texts[shown_before:]

        made, texts = recording.remembered(bound.cards, (recording.identity(post), level), card)
        bound.texts += texts  # a card that shows a text shows it in every page it is in
        return made

    def locale() -> str:
        return now().site.config.language

    def picture_of(src: str | None):
        """The imaging.Picture of the image at `src` (as written in pages), or None when it is not a
        processed image (another site's, an SVG, a GIF)."""
        found = now().images.get(src) if src else None
        return found if isinstance(found, imaging.Picture) else None

    def in_text(rendered: str, eager_first: bool) -> Markup:
        """A text's HTML with its images completed (images.complete); a processed image becomes
        the `picture` macro of _macros.html, the markup the templates' own images have."""
        def picture(image, alt: str, title: str, lazy: bool) -> Markup:
            return env.get_template("_macros.html").module.picture(image, alt, lazy=lazy, title=title)

        shown = Markup(images.complete(rendered, now().images, picture, eager_first))
        now().texts.append(shown)
        return shown

    env.globals.update(href=lambda path: now().site.href(path), absolute=lambda path: now().site.absolute(path),
                       asset=asset, has_asset=has_asset, card_once=card_once, url_for=_url_for,
                       blog_posting=lambda post: structured.blog_posting(now().site, post),
                       month_name=lambda month: dates.month_name(month, locale()),
                       event_data=lambda event: structured.event(now().site, event),
                       google_calendar=lambda event: ical.google_calendar_links(now().site, event),
                       wheel=lambda year, events: arshjul.wheel(year, events, now().site.now.date(), locale()),
                       subscribe_links=lambda path, name: ical.subscribe_links(now().site, path, name),
                       video_embed=video.embed, image_size=lambda src: images.size(now().images.get(src)),
                       post_image_src=lambda post: now().site.resolve_link(post.source, post.image),
                       picture_of=picture_of,
                       post_picture=lambda post: picture_of(now().site.resolve_link(post.source, post.image))
                       if post.image else None,
                       mailto=security.mailto, security_policy=security.POLICY, security_headers=security.HEADERS,
                       cms_policy=cms.POLICY, cms_path=urls.admin())
    env.filters.update(
        date=lambda m: dates.long_date(m, locale()),
        datetime=lambda m: dates.long_datetime(m, locale()),
        iso=_iso,
        when=lambda event: dates.when_text(event.when, locale()),
        days=lambda first, last: dates.day_span(first, last, locale()),
        clock=dates.clock,
        dt_start=_dt_start,
        dt_end=_dt_end,
        html=lambda rendered, source: in_text(now().site.html(source, rendered), False),
        jsonld=_jsonld,
        body=lambda item: in_text(now().site.body(item), not getattr(item, "image", None)),
    )
    return env


@jinja2.pass_context
def _url_for(context: jinja2.runtime.Context, name: str, *args: Any, **kwargs: Any) -> str:
    try:
        return urls.url_for(name, *args, **kwargs)
    except urls.AddressError as exc:
        raise TemplateProblem(f"templates/{context.name}: {exc}") from None


def _iso(value) -> str:
    """For <time datetime>: a moment with its offset, or only the day when no time was given."""
    if isinstance(value, dates.Moment):
        return value.iso() if value.has_time else value.day.isoformat()
    return value.isoformat()


def _dt_start(event) -> str:
    """The machine-readable start for <time datetime>: a moment, a day, or a month (2015-11)."""
    when = event.when
    if when.has_time:
        return when.start.isoformat()
    return when.first_day.isoformat()[:7] if when.shape == "month" else when.first_day.isoformat()


def _dt_end(event) -> str:
    when = event.when
    if when.has_time:
        return when.end.isoformat()
    return when.last_day.isoformat()[:7] if when.shape == "month" else when.last_day.isoformat()


def _jsonld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json">, safe inside HTML (no `</script>` can occur)."""
    text = json.dumps(recording.plain(data), ensure_ascii=False, indent=None, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


# Outputs that are made by Python rather than by a template: "@name" in Output.template.
GENERATED = {
    "calendar": lambda site, page: ical.calendar(site, page.events, page.name, page.subscription),
    "feed": lambda site, page: feeds.render(site, page.feed, page.format),
    "events_json": opendata.events_json,
    "events_csv": opendata.events_csv,
    "favicon": lambda site, page: page.ico,
    "manifest": lambda site, page: icons.manifest(site),
    "cms_admin": lambda site, page: cms.admin_page_of(site, page),
    "cms_config": lambda site, page: cms.config_file_of(site),
    "cms_file": lambda site, page: cms.file_of(page),
}


def render(env: jinja2.Environment, site: Site, output: Output) -> bytes:
    if output.template.startswith("@"):
        return GENERATED[output.template[1:]](site, output.page)
    texts = env.bound.texts = []
    try:
        template = env.get_template(output.template)
        text = template.render(site=site, page=output.page)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"templates/{exc.name}:{exc.lineno}: {_syntax_message(env, exc)}") from None
    except TemplateProblem:
        raise
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"{_where(env, exc, output.template)}: mallen templates/{exc.name} finns inte") from None
    except Exception as exc:  # noqa: BLE001 - any error in a template's code is the template's: told, not a traceback
        what = exc.message if isinstance(exc, jinja2.UndefinedError) else \
            f"uttrycket gick inte att räkna ut: {exc} ({type(exc).__name__})"
        raise TemplateProblem(f"{_where(env, exc, output.template)}: {what} (vid {output.path})") from None
    return markdown.unique_text_ids(text.encode("utf-8"), texts)


def _where(env: jinja2.Environment, exc: BaseException, rendered: str) -> str:
    """The template file and line an error happened at: the innermost frame of the error's
    traceback that is a template's (Jinja writes the traceback of an error in a template with the
    template's file and line); the template rendered when there is none."""
    import os

    folder = os.path.join(os.path.abspath(env.loader.searchpath[0]), "")
    found = f"templates/{rendered}"
    frame = exc.__traceback__
    while frame is not None:
        file = os.path.abspath(frame.tb_frame.f_code.co_filename)
        if file.startswith(folder):
            found = f"templates/{os.path.relpath(file, folder)}:{frame.tb_lineno}"
        frame = frame.tb_next
    return found


_UNKNOWN = re.compile(r"No (filter|test) named '([^']*)'")


def _syntax_message(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> str:
    """Jinja's message, but for the commonest slip, a filter or test that does not exist, in Swedish."""
    unknown = _UNKNOWN.match(exc.message or "")
    if unknown is None:
        return exc.message or ""
    kind, name = unknown.groups()
    known = env.filters if kind == "filter" else env.tests
    return f"{'filtret' if kind == 'filter' else 'testet'} {name!r} finns inte" + _nearest(name, list(known))
