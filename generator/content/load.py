"""Step 1, load: content files -> validated models, with every problem collected.

One loader per kind of file. Each returns models and ContentErrors; nothing
stops at the first problem. Every file under content/ is accounted for: it is
loaded, or it is reported as a file that does not belong where it is.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from generator.content import markdown
from generator import urls
from generator.content.dates import zone
from generator.errors import ContentError
from generator.content.models import (
    IMAGE_EXAMPLE,
    IMAGE_MESSAGE,
    EventMeta,
    FocusAreaMeta,
    Organisation,
    PageMeta,
    Person,
    PostMeta,
    SiteConfig,
    event_problems,
    image_example,
    image_message,
    is_id,
    read_as_meant,
    validate,
)
from generator.build.parallel import map_all
from generator.content.sources import read_text, split_front_matter
from generator.content.texts import StoredBody, body_text, text_revision
from generator.content.yamltext import LineDict, line_of, load_yaml


@dataclass(frozen=True)
class Document:
    """A Markdown file with front matter: a post or a page."""

    source: str  # path inside content/, e.g. posts/2015/2015-11-02-kalasturne.md
    shown: str  # path as shown in messages
    meta: PostMeta | PageMeta
    body: "str | StoredBody"  # rendered Markdown (links still as the editor wrote them), or where it is kept
    excerpt: str  # the first words of the text, for a description when there is no summary
    lines: LineDict  # the front matter, for the line of a field found wrong later
    revision: str  # a hash of the file's text: what changes when the file does
    slug: str  # the URL segment the file name makes (worked out here, in the cached parse)
    references: tuple = ()  # markdown.references(body): the images and links in the text

    @property
    def body_html(self) -> str:
        return body_text(self.body)


@dataclass(frozen=True)
class EventFile:
    """A YAML event file."""

    source: str  # path inside content/, e.g. events/2015/2015-09-24-ideverkstad.yaml
    shown: str
    meta: EventMeta
    description_html: str
    documentation_html: tuple[tuple[str, str], ...]  # (question, HTML) for the questions answered
    lines: LineDict
    revision: str


@dataclass(frozen=True)
class Unread:
    """A post, page, focus area or event whose fields did not all validate: it is not published, but
    the ids its other fields name are still checked (site/model.py), so that one run reports every
    problem of the file: a wrong date does not hide a misspelt author."""

    kind: str  # post, page, focus_area or event
    source: str
    shown: str
    lines: LineDict  # the fields as written
    valid: frozenset[str]  # the fields that had no error of their own
    # The links and images of its texts (markdown.references): checked all the same (links.left_out),
    # so that a wrong date does not hide a link that leads nowhere either.
    references: tuple = ()
    # Its fields read without those that had an error (_rest_of), or None: the warnings of the fields in
    # `valid` are told all the same (pipeline.warnings: its tags, its date's year); a field not in `valid`
    # is left out of it, or, when it must be there, is its example, and says nothing.
    meta: object = None


def _unread(kind: str, relative: str, shown: str, data, problems: list[ContentError],
            texts: Callable[[frozenset[str]], list[tuple[str, str]]] | None = None, meta=None) -> Unread | None:
    """`texts(valid)`: the texts to find links in, given the fields that had no error, each as
    (Markdown, the file's text that holds it)."""
    if not isinstance(data, LineDict) or not problems:
        return None
    failed = {e.field.split(".", 1)[0] for e in problems}
    valid = frozenset(k for k in data if isinstance(k, str) and k not in failed)
    found = tuple(reference for text, source in (texts(valid) if texts else ())
                  for reference in markdown.references(markdown.render(text), source))
    return Unread(kind, relative, shown, data, valid, found, meta)


def _rest_of(model, data, problems: list[ContentError], shown: str, tz) -> tuple[object, list[ContentError]]:
    """A post's, page's or focus area's fields that had no error of their own, read as a whole (a field
    that must be there and had an error is read as its example), and the errors across those fields
    that their own errors hid (an image without alt text, when the date is wrong too). No such error
    is told when a field was read as its example, which would make errors up."""
    if not isinstance(data, LineDict):
        return None, []
    failed = {e.field.split(".", 1)[0] for e in problems}
    told: list[ContentError] = []
    for round_ in range(3):  # an error across fields takes its fields out, and the rest is read again
        rest = LineDict({k: v for k, v in data.items() if k not in failed})
        rest.line, rest.lines = data.line, data.lines
        examples = [name for name, info in model.model_fields.items() if info.is_required() and name not in rest]
        for name in examples:
            if not model.model_fields[name].examples:
                return None, told
            rest[name] = model.model_fields[name].examples[0]
        meta, across = validate(model, rest, shown, 1, tz)
        if meta is not None:
            return meta, told
        if round_ == 0 and not examples:
            told = across
        named = _fields_named(model, rest, tz)
        if named <= failed:
            return None, told
        failed |= named
    return None, told


def _fields_named(model, data: dict, tz) -> set[str]:
    """The fields the errors of `data` are in, and those they are near (an image_alt missing: image)."""
    from pydantic import ValidationError

    try:
        model.model_validate(data, context={"tz": tz})
        return set()
    except ValidationError as exc:
        errors = exc.errors()
    context = [error.get("ctx") or {} for error in errors]
    return {str(name) for error, ctx in zip(errors, context)
            for name in (*error["loc"][:1], ctx.get("field"), ctx.get("near")) if name}


# The region's six questions after an event, in their fixed order: field, heading.
QUESTIONS = (
    ("gjort", "Gjort – vad har vi gjort, och hur blev det gjort?"),
    ("gett", "Gett – vad har det gett oss, andra och situationen?"),
    ("lart", "Lärt – vad har vi lärt oss?"),
    ("listat_ut", "Listat ut – vad är klokt och listigt, det allra bästa att göra nu?"),
    ("lotsning", "Lotsning – vad behöver vi för att lyckas med det?"),
    ("aktiviteter", "Aktiviteter – vad är nästa konkreta steg?"),
)


@dataclass
class Loaded:
    config: SiteConfig | None = None
    config_lines: LineDict | None = None  # site.yaml's, for a field found wrong later (a logo that is not there)
    config_shown: str = ""
    people: dict[str, Person] = field(default_factory=dict)
    people_lines: LineDict | None = None
    people_shown: str = ""
    organisations: dict[str, Organisation] = field(default_factory=dict)
    organisations_shown: str = ""
    organisations_lines: LineDict | None = None
    posts: list[Document] = field(default_factory=list)
    pages: list[Document] = field(default_factory=list)
    focus_areas: list[Document] = field(default_factory=list)
    events: list[EventFile] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)  # files not loaded for errors in their fields
    found: dict[str, list[str]] = field(default_factory=dict)  # every file by kind, loaded or not
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # what was read as meant, not as written


def load(content: Path, shown_root: str, cache: dict | None = None,
         digests: dict[str, str] | None = None) -> Loaded:
    """Load everything under `content`; `shown_root` is how messages name that folder.

    With a `cache` (a dict kept between calls, as the dev server does), a file whose
    bytes are unchanged is not parsed again. (Its bytes are compared, not its
    modification time, which can stay the same across two quick saves.) `digests`,
    hashes of the files already read by the caller (cache.file_digests), spares
    reading them again.
    """
    result = Loaded()
    shown = lambda relative: f"{shown_root}/{relative}"  # noqa: E731
    found = result.found = _find_files(content)
    for relative, message in found["refused"]:
        result.errors.append(ContentError(shown(relative), 1, "", message))
    registries = set(found["registry"])
    if "site.yaml" not in registries:
        if not any(relative == "site.yaml" for relative, _ in found["refused"]):
            result.errors.append(ContentError(shown("site.yaml"), 1, "",
                                              "filen saknas; den behöver minst title och base_url"))
        return result
    result.config_shown = shown("site.yaml")
    result.config, errors, result.config_lines = load_config(content / "site.yaml", result.config_shown,
                                                             result.warnings)
    result.errors += errors
    tz_name = result.config.timezone if result.config else "Europe/Stockholm"

    result.people_shown = shown("people.yaml")
    if "people.yaml" in registries:
        result.people, result.people_lines, errors = load_registry(
            content / "people.yaml", result.people_shown, Person, "name", result.warnings)
        result.errors += errors
    result.organisations_shown = shown("organisations.yaml")
    if "organisations.yaml" in registries:
        result.organisations, result.organisations_lines, errors = load_registry(
            content / "organisations.yaml", result.organisations_shown, Organisation, "name", result.warnings)
        result.errors += errors
    texts = {relative for kind in ("post", "page", "focus_area", "event") for relative in found[kind]}
    for relative in found["other"]:
        result.errors.append(ContentError(shown(relative), 1, "", _misplaced(relative, texts)))


    root = os.path.join(str(content), "")  # strings, not Paths: 10,000 of them in every build
    tasks = [(kind, root + r, r, shown(r), tz_name)
             for kind in ("post", "page", "focus_area", "event") for r in found[kind]]
    results = _load_files(tasks, cache, digests or {})
    destination = {"post": result.posts, "page": result.pages, "focus_area": result.focus_areas,
                   "event": result.events}
    for kind, (item, errors, warned) in zip((t[0] for t in tasks), results):
        result.errors += errors
        result.warnings += warned
        if isinstance(item, Unread):
            result.unread.append(item)
        elif item is not None:
            destination[kind].append(item)
    return result


def _load_files(tasks: list[tuple], cache: dict | None, digests: dict[str, str]) -> list:
    if cache is None:
        return map_all(_load_file, tasks)
    stamps = {task: digests.get(task[2]) or _stamp(task[1]) for task in tasks}
    stale = [task for task in tasks if cache.get(task, (None,))[0] != stamps[task]]
    for task, loaded in zip(stale, map_all(_load_file, stale)):
        cache[task] = (stamps[task], loaded)
    for task in set(cache) - set(tasks):  # files that are gone
        del cache[task]
    return [cache[task][1] for task in tasks]


def _stamp(path: str) -> str:
    try:
        with open(path, "rb") as file:
            return hashlib.sha1(file.read()).hexdigest()
    except OSError:
        return ""


def load_config(path: Path, shown: str, warnings: list[ContentError] | None = None
                ) -> tuple[SiteConfig | None, list[ContentError], LineDict | None]:
    text, errors = read_text(path, shown, warnings)
    if text is None:
        return None, errors, None
    data, errors = load_yaml(text, shown, warnings=warnings)
    if data is None:
        return None, errors or [ContentError(shown, 1, "", "filen är tom; den behöver minst title och base_url")], None
    config, problems = validate(SiteConfig, data, shown, 1)
    return (config if not errors else None), errors + problems, data if isinstance(data, LineDict) else None


def load_registry(path: Path, shown: str, model, required: str, warnings: list[ContentError] | None = None
                  ) -> tuple[dict, LineDict | None, list[ContentError]]:
    """people.yaml or organisations.yaml: a mapping from id (e.g. erik-noaksson) to fields."""
    text, errors = read_text(path, shown, warnings)
    if text is None:
        return {}, None, errors
    data, errors = load_yaml(text, shown, warnings=warnings)
    if data is None and not errors:
        return {}, None, []
    if not isinstance(data, LineDict):
        return {}, None, errors or [ContentError(shown, 1, "", f"ska vara en samling: id: {{{required}: …}}")]
    entries: dict = {}
    for written_id, entry in data.items():
        line, entry_id = data.lines[written_id], written_id
        if not is_id(written_id):
            # `anna-östlund:` is told the id to write, and read as that id, so that what refers to it
            # as anna-ostlund is not reported too; unless that id is written elsewhere in the file.
            meant = urls.slug(str(written_id))
            taken = not meant or meant in data or len(meant) > MAX_ID
            errors.append(ContentError(shown, line, written_id, "ett id får bara ha små bokstäver a–z, siffror och "
                                       "bindestreck" + ("" if taken else f"; menade du {meant!r}?")))
            if taken:
                continue
            entry_id = meant
        if len(entry_id) > MAX_ID:  # a person's id is the folder of their page
            errors.append(ContentError(shown, line, entry_id[:30] + "…",
                                       f"ett id får vara högst {MAX_ID} tecken, här är det {len(entry_id)}; "
                                       "skriv förnamn-efternamn"))
            continue
        value, problems = validate(model, entry, shown, line)
        errors += [ContentError(e.path, e.line, f"{written_id}.{e.field}" if e.field else written_id, e.message)
                   for e in problems]
        if value is not None:
            entries[entry_id] = value
    return entries, data, errors


MAX_ID = 100  # a folder name must stay under 255 bytes


def _load_file(task: tuple[str, str, str, str, str]):
    """Read, validate and render one content file (runs in a worker process): (item or None, errors,
    warnings)."""
    kind, path, relative, shown, tz_name = task
    warnings: list[ContentError] = []
    text, errors = read_text(Path(path), shown, warnings)
    if text is None:
        return None, errors, []
    revision = text_revision(text)
    if kind == "event":
        return (*_load_event(text, relative, shown, tz_name, revision, warnings), warnings)
    return (*_load_document(text, kind, relative, shown, tz_name, revision, warnings), warnings)


def _load_event(text: str, relative: str, shown: str, tz_name: str, revision: str,
                warnings: list[ContentError] | None = None) -> tuple[EventFile | None, list[ContentError]]:
    data, errors = load_yaml(text, shown, warnings=warnings)
    if data is None:
        return None, errors or [ContentError(shown, 1, "", "filen är tom; ett evenemang behöver minst title, "
                                                           "kind och en tid")]
    _empty_left(text, data, EventMeta, relative, shown, warnings)
    meta, problems = validate(EventMeta, data, shown, 1, zone(tz_name))
    rest = meta
    if meta is not None:
        problems += _event_problems(meta, data, shown)
    elif isinstance(data, LineDict):
        rest, across = _rest_of_event(read_as_meant(EventMeta, data, zone(tz_name)), shown, zone(tz_name))
        problems += across
    if meta is None or errors or problems:
        unread = _unread("event", relative, shown, data, errors + problems,
                         lambda valid: [(value, text) for value in _event_texts(data, valid)], rest)
        if warnings is not None and unread is not None and "description" in unread.valid:
            warnings += _pasted_in_yaml_text(text, data, "description", markdown.render(str(data["description"])),
                                             shown)
        if unread is not None and rest is not None and "summary" in unread.valid:
            _markdown_in_summary(rest, data, shown, warnings)
        return unread, errors + problems
    _markdown_in_summary(meta, data, shown, warnings)
    documentation = tuple(
        (heading, markdown.render(getattr(meta.documentation, name)))
        for name, heading in QUESTIONS
        if meta.documentation and (getattr(meta.documentation, name) or "").strip()
    )
    description_html = markdown.render(meta.description)
    if warnings is not None:
        warnings += _pasted_in_yaml_text(text, data, "description", description_html, shown)
    return EventFile(relative, shown, meta, description_html, documentation, data, revision), []


def _event_texts(data: LineDict, valid: frozenset[str]) -> list[str]:
    """The Markdown texts of an event file, of the fields that had no error: its description and its
    answers to the questions after it."""
    texts = [data["description"]] if "description" in valid and isinstance(data.get("description"), str) else []
    answers = data.get("documentation") if "documentation" in valid else None
    if isinstance(answers, dict):
        texts += [answer for answer in answers.values() if isinstance(answer, str)]  # lärt or lart: as written
    return texts


def _text_warnings(source: str, rendered: str, title) -> list[tuple[int, str]]:
    """(line of the text, message) for what a Markdown text shows otherwise than its editor meant."""
    found = markdown.pasted_layout(source, rendered) + markdown.shown_as_text(source, rendered)
    for line, heading in markdown.main_headings(source, rendered):
        if isinstance(title, str) and heading.casefold() == title.strip().casefold():
            found.append((line, f"rubriken ”{heading}” upprepar titeln, som sidan redan visar överst som "
                                "huvudrubrik; ta bort raden"))
        else:
            found.append((line, f"rubriken ”{heading}” blir en andra huvudrubrik på sidan, som redan har titeln "
                                f"som huvudrubrik; skriv den som mellanrubrik: ## {heading}"))
    return found


_LITERAL_BLOCK = re.compile(r":[ \t]*\|[-+0-9]*[ \t]*(?:#.*)?$")


def _pasted_in_yaml_text(text: str, data: LineDict, name: str, rendered: str, shown: str) -> list[ContentError]:
    """markdown.pasted_layout of a Markdown text in YAML, at the lines of the file: a `|` block keeps
    its lines as written, one line below its field's; any other value is told at the field's line."""
    value = data.get(name)
    found = _text_warnings(value, rendered, data.get("title")) if isinstance(value, str) else []
    if not found:
        return []
    field_line = data.lines.get(name, data.line)
    lines = text.splitlines()
    literal = field_line <= len(lines) and _LITERAL_BLOCK.search(lines[field_line - 1]) is not None
    return [ContentError(shown, field_line + line if literal else field_line, name, message) for line, message in found]


def _event_problems(meta: EventMeta, data: LineDict, shown: str, index_of=None) -> list[ContentError]:
    """models.event_problems as ContentErrors at their lines; `index_of(field, n)` gives the index in
    the file of the n:th item of a list field that was read without some of its items."""
    found = []
    for loc, message in event_problems(meta):
        if index_of and len(loc) > 1 and isinstance(loc[1], int):
            loc = (loc[0], index_of(loc[0], loc[1]), *loc[2:])
        found.append(ContentError(shown, line_of(data, loc, 1), ".".join(str(p) for p in loc if not isinstance(p, int)),
                                  message))
    return found


# The fields an event's time is read from: when one of them is wrong, nothing can be said of the rest.
TIME_FIELDS = frozenset({"start", "end", "month", "stops"})


def _rest_of_event(data: LineDict, shown: str, tz) -> tuple[EventMeta | None, list[ContentError]]:
    """The fields and list items of an event that did not validate that had no error of their own, read
    as a whole, and what is wrong across them: a wrong time in one programme item, a wrong kind or a
    stop's unknown municipality do not hide another item outside the event's days. A wrong field that
    must be there is read as its example (it has no part in the times); nothing is read when a field
    the time is read from is itself wrong, which would make errors up."""
    from pydantic import ValidationError

    try:  # valid as read (models.read_as_meant: `slut:` as end): its problems across fields are told
        meta = EventMeta.model_validate(data, context={"tz": tz})
        return meta, _event_problems(meta, data, shown)
    except ValidationError as exc:
        locs = [error["loc"] for error in exc.errors()]
    rest = LineDict(data)
    rest.line, rest.lines = data.line, data.lines
    dropped: dict[str, set[int]] = {}  # list field -> the items left out
    for loc in locs:
        name = loc[0] if loc else None
        if not isinstance(name, str):
            return None, []
        item = loc[1] if len(loc) > 1 and isinstance(loc[1], int) and isinstance(data.get(name), list) else None
        if name == "stops" and item is not None and len(loc) > 2 and loc[2] == "place":
            stops = rest["stops"] = list(rest["stops"])  # the stop's time stays; its place is any place
            stops[item] = {**stops[item], "place": {}} if isinstance(stops[item], dict) else stops[item]
        elif name in TIME_FIELDS:
            return None, []
        elif item is not None:
            dropped.setdefault(name, set()).add(item)
        elif name in EventMeta.model_fields and EventMeta.model_fields[name].is_required():
            examples = EventMeta.model_fields[name].examples
            if not examples:
                return None, []
            rest[name] = examples[0]
        else:
            rest.pop(name, None)
    kept = {name: [n for n in range(len(data[name])) if n not in items] for name, items in dropped.items()}
    for name, indexes in kept.items():
        rest[name] = [data[name][n] for n in indexes]
    meta, _ = validate(EventMeta, rest, shown, 1, tz)
    if meta is None:
        return None, []
    return meta, _event_problems(meta, data, shown, lambda name, n: kept[name][n] if name in kept else n)


def _load_document(text: str, kind: str, relative: str, shown: str, tz_name: str, revision: str,
                   warnings: list[ContentError] | None = None) -> tuple[Document | None, list[ContentError]]:
    needed = "title och date" if kind == "post" else "title"
    if not text.strip():
        return None, [ContentError(shown, 1, "", f"filen är tom; den behöver front matter med minst {needed}")]
    front, body, first_line, errors = split_front_matter(text, shown)
    if errors:
        return None, errors
    data, errors = load_yaml(front, shown, first_line, warnings)
    if data is None and not errors:
        return None, [ContentError(shown, 1, "", f"front matter är tom; den behöver minst {needed}")]
    if data is None:
        return None, errors
    if not isinstance(data, dict):
        return None, [ContentError(shown, first_line, "", "front matter ska vara fält (namn: värde), en per rad")]
    model = {"post": PostMeta, "page": PageMeta, "focus_area": FocusAreaMeta}[kind]
    _empty_left(text, data, model, relative, shown, warnings)
    meta, problems = validate(model, data, shown, 1, zone(tz_name))
    problems = [replace(p, message=image_message(relative)) if p.message == IMAGE_MESSAGE else p for p in problems]
    body_html = markdown.render(body)
    if warnings is not None:  # also of a file with errors in its fields: one run tells every problem
        above = text.count("\n", 0, len(text) - len(body))  # the body is the end of the text
        found = _text_warnings(body, body_html, data.get("title"))
        warnings += [ContentError(shown, above + line, "", message)
                     for line, message in (_placeholder_left(body) if kind == "post" else []) + found]
    if meta is None or errors:
        rest, across = _rest_of(model, data, errors + problems, shown, zone(tz_name))
        problems += across
        if rest is not None:
            _markdown_in_summary(rest, data, shown, warnings)
        return (_unread(kind, relative, shown, data, errors + problems, lambda valid: [(body, body)], rest),
                errors + problems)
    _markdown_in_summary(meta, data, shown, warnings)
    file_name = relative.rsplit("/", 1)[-1]
    slug = urls.post_slug(file_name) if kind == "post" else urls.slug(file_name.removesuffix(".md"))
    return Document(relative, shown, meta, body_html, markdown.excerpt(body_html), data, revision, slug,
                    markdown.references(body_html, body)), []


# The body `new post` writes, for the editor to replace (commands/new.py): published as it is, it
# would be the post's text, its description and its entry in the feeds.
PLACEHOLDER_BODY = "Skriv inlägget här, i Markdown. Börja med ett stycke; använd ## för mellanrubriker."


def _placeholder_left(body: str) -> list[tuple[int, str]]:
    """(line of the body, message) where the example text of `new post` is still there."""
    at = body.find(PLACEHOLDER_BODY[:30])
    if at < 0:
        return []
    return [(body.count("\n", 0, at) + 1, "texten är fortfarande mallens exempeltext (”Skriv inlägget här …”), som "
                                           "annars publiceras som inläggets text och beskrivning; skriv inlägget där")]


# Optional fields that an editor leaves without a value (`summary:`) are read as left out. For these
# the page then differs from what the editor meant to give it, so it is said. An empty `image_alt:`
# is not: with an image it is an error of its own (the image would have no alt text), without one it
# changes nothing.
UPDATED_EXAMPLE = "ÅÅÅÅ-MM-DD"  # in updated's message, the example of the file's model
_EMPTY_LEFT = {
    "summary": "summary är tomt, så det är som om raden inte fanns; skriv sammanfattningen efter summary: "
               "eller ta bort raden",
    "image": "image är tomt, så det är som om raden inte fanns och inlägget visas utan bild; skriv bildens "
             f"sökväg efter image: (t.ex. {IMAGE_EXAMPLE}) eller ta bort raden",
    "updated": "updated är tomt, så det är som om raden inte fanns och ingen ser att något har ändrats; skriv "
               f"dagen du ändrade efter updated: (t.ex. {UPDATED_EXAMPLE}) eller ta bort raden",
}


def _empty_left(text: str, data, model, relative: str, shown: str, warnings: list[ContentError] | None) -> None:
    """Warn of `summary:`, `image:` and `updated:` written with no value after them on their line
    (`summary: ""` was written empty on purpose; an empty image in quotes is an error of its own), when
    they are fields of the file's `model` (in any other, the field is an error of its own)."""
    if warnings is None or not isinstance(data, LineDict):
        return
    lines = text.split("\n")
    for name, message in _EMPTY_LEFT.items():
        line = data.lines.get(name, 0)
        if name in model.model_fields and data.get(name) is None and 0 < line <= len(lines) \
                and re.fullmatch(rf"{name}[ \t]*:[ \t]*(?:#.*)?\r?", lines[line - 1]):
            message = message.replace(IMAGE_EXAMPLE, image_example(relative))
            warnings.append(ContentError(shown, line, name, message.replace(
                UPDATED_EXAMPLE, str(model.model_fields[name].examples[0]))))



# Markdown that a summary (plain text in lists, meta descriptions and feeds) would show as written.
_MARKDOWN = re.compile(r"\*\*(?=\S)|\[[^\]]+\]\([^)]+\)")


def _markdown_in_summary(meta, data: LineDict, shown: str, warnings: list[ContentError] | None) -> None:
    summary = getattr(meta, "summary", None)
    found = _MARKDOWN.search(summary) if summary and warnings is not None else None
    if found:
        warnings.append(ContentError(shown, data.lines.get("summary", data.line), "summary",
                                     f"summary är vanlig text, så {found.group()} visas som det står i listorna, "
                                     "sökresultaten och flödena; skriv sammanfattningen utan Markdown"))


REGISTRIES = ("site.yaml", "people.yaml", "organisations.yaml")


def _find_files(content: Path) -> dict[str, list]:
    """Every file under content/, sorted, by kind: post, page, focus_area, event, registry, other.

    "refused" holds (path, message) for what is never read: a symbolic link that leads
    outside content/ or nowhere, a linked folder (not followed, so no loop and no way
    out), and anything that is not a regular file.
    """
    found: dict[str, list] = {"post": [], "page": [], "focus_area": [], "event": [], "other": [], "registry": [],
                              "refused": []}
    real_root = os.path.join(os.path.realpath(content), "")

    def walk(folder: str, prefix: str) -> None:
        # os.scandir knows from the directory itself what is a link, a folder or a plain file,
        # so the 10,000 plain files of a large blog cost no system call each.
        with os.scandir(folder) as scan:  # editor and system files (.gitkeep, .DS_Store) are not content
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
        folders = []
        for entry in entries:
            relative = f"{prefix}/{entry.name}" if prefix else entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, relative))
            elif entry.is_symlink() and entry.is_dir():
                found["refused"].append((relative, _LINKED_FOLDER))
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) or (entry.is_symlink() and entry.is_dir()):
                continue
            relative = f"{prefix}/{entry.name}" if prefix else entry.name
            problem = _refusal(entry.path, real_root) if not entry.is_file(follow_symlinks=False) else None
            if problem:
                found["refused"].append((relative, problem))
                continue
            found["registry" if relative in REGISTRIES else kind_of(relative)].append(relative)
        for path, relative in folders:
            walk(path, relative)

    walk(str(content), "")
    return found


_LINKED_FOLDER = ("mappen är en symbolisk länk, och bygget följer inga länkade mappar; "
                  "lägg filerna själva här i stället")


def _refusal(path: str, real_root: str) -> str | None:
    """Why a file found under content/ must not be read, or None. Only the link is looked at."""
    if os.path.islink(path):
        target = os.path.realpath(path)
        if not target.startswith(real_root):
            return ("filen är en symbolisk länk till något utanför content/, och sådana läses inte; "
                    "kopiera in filen här i stället")
        if not os.path.exists(target):
            return "filen är en symbolisk länk som inte leder till någon fil; ta bort den"
    if not os.path.isfile(path):
        return "det här är ingen vanlig fil; här hör bara textfiler hemma"
    return None


def kind_of(relative: str) -> str:
    top = relative.split("/", 1)[0]
    flat = relative.count("/") == 1
    if top == "posts" and relative.endswith(".md"):
        return "post"
    if top == "pages" and relative.endswith(".md") and flat:
        return "page"
    if top == "programme" and relative.endswith(".md") and flat:
        return "focus_area"
    if top == "events" and relative.endswith((".yaml", ".yml")):
        return "event"
    return "other"


# Windows hides a file's last extension: a text saved as "rapport.md" in Notepad is rapport.md.txt.
_SAVED_AS_TEXT = re.compile(r"\.txt$", re.I)


def _meant_name(relative: str) -> str | None:
    """The name a text file was meant to have, when the build does not read it for its extension
    alone (rapport.md.txt, traff.yaml.txt, om.markdown); None for any other file."""
    top, name = relative.split("/", 1)[0], relative.rsplit("/", 1)[-1]
    wanted = (".yaml", ".yml") if top == "events" else (".md",) if top in ("posts", "pages", "programme") else ()
    meant = _SAVED_AS_TEXT.sub("", name)
    if wanted and meant.lower().endswith(wanted) and not meant.endswith(wanted):  # .MD: read only as .md
        stem, _, extension = meant.rpartition(".")
        meant = f"{stem}.{extension.lower()}"
    if meant != name and meant.endswith(wanted) and wanted:
        return meant
    if ".md" in wanted and name.lower().endswith(".markdown"):
        return name[:-len(".markdown")] + ".md"
    return None


def _misplaced(relative: str, texts: set[str]) -> str:
    meant = _meant_name(relative)
    if meant and f"{relative.rpartition('/')[0]}/{meant}" in texts:  # a copy kept beside the file read
        return (f"filen har fel filändelse och läses därför inte, och {meant} finns redan bredvid den; är den här "
                "en gammal kopia, ta bort den")
    if meant:
        return f"filen har fel filändelse och läses därför inte; döp om den till {meant}"
    if relative.startswith(("posts/", "pages/", "programme/")) and not relative.endswith(".md"):
        return "här hör bara Markdown-filer (.md) hemma; lägg bilder och filer under assets/"
    if relative.startswith("events/"):
        return "här hör bara evenemang i YAML (.yaml) hemma; lägg bilder och filer under assets/"
    if relative.startswith(("pages/", "programme/")):
        return f"filerna ligger direkt i {relative.split('/', 1)[0]}/, inte i undermappar"
    return ("filen hör inte hemma här; innehållet består av site.yaml, people.yaml, organisations.yaml, "
            "posts/, pages/, programme/ och events/ (bilder och filer läggs i assets/)")
