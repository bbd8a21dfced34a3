"""Step 1, load: content files -> validated models, with every problem collected.

One loader per kind of file. Each returns models and ContentErrors; nothing
stops at the first problem. Every file under content/ is accounted for: it is
loaded, or it is reported as a file that does not belong where it is.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator import markdown
from generator.dates import zone
from generator.errors import ContentError
from generator.models import PageMeta, Person, PostMeta, SiteConfig, validate
from generator.parallel import map_all
from generator.sources import read_text, split_front_matter
from generator.yamltext import LineDict, load_yaml


@dataclass(frozen=True)
class Document:
    """A Markdown file with front matter: a post or a page."""

    source: str  # path inside content/, e.g. posts/2015/2015-11-02-kalasturne.md
    shown: str  # path as shown in messages
    meta: PostMeta | PageMeta
    body_html: str  # rendered Markdown; links still as the editor wrote them
    lines: LineDict  # the front matter, for the line of a field found wrong later


@dataclass
class Loaded:
    config: SiteConfig | None = None
    people: dict[str, Person] = field(default_factory=dict)
    people_lines: LineDict | None = None
    people_shown: str = ""
    posts: list[Document] = field(default_factory=list)
    pages: list[Document] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


def load(content: Path, shown_root: str) -> Loaded:
    """Load everything under `content`; `shown_root` is how messages name that folder."""
    result = Loaded()
    shown = lambda relative: f"{shown_root}/{relative}"  # noqa: E731
    config_file = content / "site.yaml"
    if not config_file.is_file():
        result.errors.append(ContentError(shown("site.yaml"), 1, "", "filen saknas; den behöver minst title och base_url"))
        return result
    result.config, errors = load_config(config_file, shown("site.yaml"))
    result.errors += errors
    tz_name = result.config.timezone if result.config else "Europe/Stockholm"

    posts, pages, others = _find_files(content)
    people_file = content / "people.yaml"
    result.people_shown = shown("people.yaml")
    if people_file.is_file():
        result.people, result.people_lines, errors = load_people(people_file, result.people_shown)
        result.errors += errors
    for relative in others:
        result.errors.append(ContentError(shown(relative), 1, "", _misplaced(relative)))

    tasks = [("post", str(content / r), r, shown(r), tz_name) for r in posts]
    tasks += [("page", str(content / r), r, shown(r), tz_name) for r in pages]
    for kind, (document, errors) in zip((t[0] for t in tasks), map_all(_load_document, tasks)):
        result.errors += errors
        if document is not None:
            (result.posts if kind == "post" else result.pages).append(document)
    return result


def load_config(path: Path, shown: str) -> tuple[SiteConfig | None, list[ContentError]]:
    text, errors = read_text(path, shown)
    if text is None:
        return None, errors
    data, errors = load_yaml(text, shown)
    if data is None:
        return None, errors or [ContentError(shown, 1, "", "filen är tom; den behöver minst title och base_url")]
    config, problems = validate(SiteConfig, data, shown, 1)
    return (config if not errors else None), errors + problems


def load_people(path: Path, shown: str) -> tuple[dict[str, Person], LineDict | None, list[ContentError]]:
    """content/people.yaml: a mapping from person id (e.g. erik-noaksson) to name, role, …"""
    text, errors = read_text(path, shown)
    if text is None:
        return {}, None, errors
    data, errors = load_yaml(text, shown)
    if data is None and not errors:
        return {}, None, []
    if not isinstance(data, LineDict):
        return {}, None, errors or [ContentError(shown, 1, "", "ska vara en samling: id: {name: …}")]
    people: dict[str, Person] = {}
    for person_id, entry in data.items():
        line = data.lines[person_id]
        if not _is_id(person_id):
            errors.append(ContentError(shown, line, person_id,
                                       "ett id får bara ha små bokstäver a–z, siffror och bindestreck"))
            continue
        person, problems = validate(Person, entry, shown, line)
        errors += [ContentError(e.path, e.line, f"{person_id}.{e.field}" if e.field else person_id, e.message)
                   for e in problems]
        if person is not None:
            people[person_id] = person
    return people, data, errors


def _is_id(text: str) -> bool:
    return bool(text) and all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in text) \
        and text[0] != "-"


def _load_document(task: tuple[str, str, str, str, str]) -> tuple[Document | None, list[ContentError]]:
    """Read, split, validate and render one Markdown file (runs in a worker process)."""
    kind, path, relative, shown, tz_name = task
    text, errors = read_text(Path(path), shown)
    if text is None:
        return None, errors
    front, body, first_line, errors = split_front_matter(text, shown)
    if errors:
        return None, errors
    data, errors = load_yaml(front, shown, first_line)
    if data is None and not errors:
        needed = "title och date" if kind == "post" else "title"
        return None, [ContentError(shown, 1, "", f"front matter är tom; den behöver minst {needed}")]
    if data is None:
        return None, errors
    if not isinstance(data, dict):
        return None, [ContentError(shown, first_line, "", "front matter ska vara fält (namn: värde), en per rad")]
    model = PostMeta if kind == "post" else PageMeta
    meta, problems = validate(model, data, shown, 1, zone(tz_name))
    if meta is None or errors:
        return None, errors + problems
    return Document(relative, shown, meta, markdown.render(body), data), []


def _find_files(content: Path) -> tuple[list[str], list[str], list[str]]:
    """Every file under content/, sorted: (posts, pages, files that belong nowhere)."""
    posts: list[str] = []
    pages: list[str] = []
    others: list[str] = []
    for folder, subfolders, files in os.walk(content):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue  # editor and system files (.gitkeep, .DS_Store) are not content
            relative = Path(folder, name).relative_to(content).as_posix()
            if relative in ("site.yaml", "people.yaml"):
                continue
            top = relative.split("/", 1)[0]
            if top == "posts" and name.endswith(".md"):
                posts.append(relative)
            elif top == "pages" and name.endswith(".md") and relative.count("/") == 1:
                pages.append(relative)
            else:
                others.append(relative)
    return posts, pages, others


def _misplaced(relative: str) -> str:
    if relative.startswith(("posts/", "pages/")) and not relative.endswith(".md"):
        return "här hör bara Markdown-filer (.md) hemma; lägg bilder och filer under assets/"
    if relative.startswith("pages/"):
        return "sidor ligger direkt i pages/, inte i undermappar"
    return ("filen hör inte hemma här; innehållet består av site.yaml, people.yaml, posts/ och pages/ "
            "(bilder och filer läggs i assets/)")
