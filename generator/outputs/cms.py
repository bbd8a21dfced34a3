"""Editing in the browser: Decap CMS at /admin/, configured from the content models.

Three parts, each used by the build (when site.yaml has `cms:`) and by `serve --cms`:

- the **bundle**: Decap CMS, pinned and vendored in cms/dist/ (cms/package.json and
  package-lock.json say which version; cms/README.md how to update it). The build copies it to
  /admin/; the page loads it with Subresource Integrity. No Node is needed to build the site.
- the **configuration** (`config()`): made from the JSON Schemas of the content formats
  (schema.py, which the editors' guide's field tables are made from too), so every field the
  models allow has a form field, with the guide's Swedish description as its hint, and nothing
  else; tests/test_cms.py fails when the two differ.
- the **local proxy** (`Proxy`): the small JSON API of Decap's proxy backend (what the npm package
  decap-server answers, reimplemented here: POST /api/v1 with an `action`), so that
  `serve --cms` edits the working copy. Paths only under content/ and assets/, never `..`, never
  through a symbolic link out of those folders. See docs/dev/cms.md.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any

import yaml

from generator.content import places

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "cms" / "dist"
VERSION = "3.16.3"  # decap-cms on npm; cms/package.json pins the same
MAIN = "decap-cms.js"
SCRIPT = Path(__file__).parents[1] / "static" / "cms-admin.js"  # our own: preview styles and templates
STYLE = Path(__file__).parents[1] / "static" / "cms-admin.css"  # our own: the page before the CMS starts
API_PATH = "/api/v1"
ADMIN = "/admin/"
MAX_REQUEST = 64 * 1024 * 1024  # bytes of one request: an uploaded image or file, as base64

# The CMS's own policy, for /admin/ only; the public pages keep security.POLICY. Decap is a React
# application that styles itself with inline styles (emotion), checks its configuration with Ajv,
# which compiles the check with `new Function` ('unsafe-eval': without it the CMS does not start,
# tests/test_cms_browser.py), shows uploaded images as blob: URLs and talks to GitHub's API.
POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self' blob: data: https://api.github.com https://github.com https://raw.githubusercontent.com",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
))


def integrity(data: bytes) -> str:
    """The Subresource Integrity value of a file: `sha384-…`."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def bundle_files() -> list[Path]:
    """The vendored files the build copies to /admin/: the bundle, its chunks, its WebAssembly
    and its licence notes."""
    return sorted(p for p in BUNDLE.iterdir() if p.is_file())


# ------------------------------------------------------------------ configuration

_MARKDOWN = {("event", "description"), ("event", "documentation"), ("focus-area", "activities")}
_WHEN = re.compile(r"^\^\\d\{4\}-")  # the pattern of models.When


def _resolve(document: dict, node: dict) -> dict:
    if "$ref" in node:
        return _resolve(document, document["$defs"][node["$ref"].rsplit("/", 1)[1]])
    for choice in node.get("anyOf", []):
        if choice.get("type") != "null":
            return _resolve(document, choice)
    return node


def _label(name: str, node: dict) -> str:
    """A field's Swedish label: the first words of its description (the guide's), and its name in the
    file, which the build's messages use (`title: fältet saknas`)."""
    description = node.get("description", "").strip()
    first = re.split(r"(?<=[a-zåäö)])[.:,]\s|[.:]$", description, maxsplit=1)[0].strip(" .:")
    first = re.sub(r"`([^`]*)`", r"\1", first)
    if len(first) > 48:
        first = first[:48].rsplit(" ", 1)[0] + " …"
    short = first
    return f"{short} ({name})" if short else name


def _hint(node: dict) -> str:
    return re.sub(r"`([^`]*)`", r"\1", node.get("description", "").strip())


class Choices:
    """What the select fields offer: ids from people.yaml, organisations.yaml and the events,
    read from the site when the configuration is made."""

    def __init__(self, people: dict[str, str] | None = None, organisations: dict[str, str] | None = None,
                 events: dict[str, str] | None = None):
        self.people = people or {}
        self.organisations = organisations or {}
        self.events = events or {}

    @classmethod
    def of(cls, site) -> "Choices":
        if site is None:
            return cls()
        return cls(people={p.id: p.name for p in site.people},
                   organisations={o.id: o.name for o in site.organisations},
                   events={e.id: e.title for e in site.events})


def _options(named: dict[str, str]) -> list[dict]:
    return [{"label": f"{label} ({value})", "value": value} for value, label in sorted(named.items())]


def _field(schema: str, document: dict, name: str, node: dict, required: bool, choices: Choices,
           path: tuple[str, ...], in_optional: bool = False) -> dict:
    """One form field. `in_optional`: the field is part of an object the file may leave out (the
    site's `cms` and `feeds`). Such a field is neither required in the form nor given a default:
    Decap asks for an object's required fields even when the object is left empty, and a default
    has it write the object into the file (a site without `cms` could not save its settings at
    all). The build checks the object when it is there, and shows its errors over the form."""
    resolved = _resolve(document, node)
    field: dict[str, Any] = {"name": name, "label": _label(name, node), "required": required}
    hint = _hint(node)
    if hint:
        field["hint"] = hint
    kind = resolved.get("type")
    where = (schema, *path, name)
    select = _select(where, choices)
    if select is not None:
        field.update(select)
    elif "enum" in resolved:
        field.update(widget="select", options=[str(v) for v in resolved["enum"]])
    elif kind == "boolean":
        field.update(widget="boolean", default=bool(node.get("default", False)))
    elif kind == "integer":
        field.update(widget="number", value_type="int")
        for key, option in (("minimum", "min"), ("maximum", "max")):
            if key in resolved:
                field[option] = resolved[key]
        if "default" in node:
            field["default"] = node["default"]
    elif kind == "object" and "properties" in resolved:
        field.update(widget="object", fields=_fields(schema, document, resolved, choices, path + (name,),
                                                     in_optional or not required))
    elif kind == "array":
        items = _resolve(document, resolved.get("items", {}))
        if items.get("type") == "object":
            # default []: without it Decap starts a new entry with one empty item, which its own
            # required fields then stop from being saved.
            field.update(widget="list", default=[],
                         fields=_fields(schema, document, items, choices, path + (name,)))
            if "maxItems" in resolved:
                field["max"] = resolved["maxItems"]
        else:
            field.update(widget="list")  # a list of words, separated by commas in the form
            if "maxItems" in resolved:
                field["max"] = resolved["maxItems"]
    elif where in (("post", "image"),):
        field.update(widget="image", media_folder="/assets/bilder", public_folder="../../../assets/bilder",
                     choose_url=True)
    elif where == ("site", "logo"):
        field.update(widget="image", media_folder="/assets/bilder", public_folder="bilder")
    elif where == ("event", "downloads", "file"):
        field.update(widget="file", media_folder="/assets/filer", public_folder="filer")
    elif where[:2] in _MARKDOWN or (schema == "event" and name == "description"):
        field.update(widget="markdown")
    elif name in ("summary", "description", "note") or where[:2] == ("event", "documentation"):
        field.update(widget="text")
    else:
        # Dates too: Decap's datetime widget would give every date a time ("2015-11-01" saved back as
        # "2015-11-01 00:00", which the site then shows), so a date is text with the models' pattern.
        field.update(widget="string")
    pattern = resolved.get("pattern")
    if pattern and field.get("widget") in ("string", None):
        message = ("skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM" if _WHEN.match(pattern)
                   else "skriv ägare/namn, som på GitHub" if where == ("site", "cms", "repo")
                   else "små bokstäver a–z, siffror och bindestreck" if "a-z0-9" in pattern
                   else "börja med /" if pattern.startswith("^/") else "fel form")
        field["pattern"] = [pattern, message]
    if resolved.get("minLength") and field.get("widget") == "string" and "pattern" not in field:
        field["pattern"] = [r"\S", "får inte vara tomt"]
    if kind == "string" and "default" in node and node["default"] not in ("", None) and "default" not in field:
        field["default"] = node["default"]
    if in_optional:
        field.pop("default", None)
    return field


def _select(where: tuple[str, ...], choices: Choices) -> dict | None:
    """Fields whose values are ids or the region's municipalities: a select of what exists."""
    people = {("post", "authors"), ("event", "contacts"), ("focus-area", "contact")}
    organisations = {("event", "organisers"), ("event", "partners")}
    municipalities = {("event", "place", "municipality"), ("event", "stops", "place", "municipality")}
    if where in people:
        return {"widget": "select", "options": _options(choices.people) or [""],
                "multiple": where != ("focus-area", "contact")}
    if where in organisations:
        return {"widget": "select", "options": _options(choices.organisations) or [""], "multiple": True}
    if where == ("post", "events"):
        return {"widget": "select", "options": _options(choices.events) or [""], "multiple": True}
    if where in (("post", "focus_areas"), ("event", "focus_areas")):
        return {"widget": "relation", "collection": "fokusomraden", "value_field": "{{slug}}",
                "search_fields": ["title"], "display_fields": ["title"], "multiple": True}
    if where in municipalities:
        return {"widget": "select", "options": [m.name for m in places.MUNICIPALITIES]}
    if where == ("event", "municipalities"):
        return {"widget": "select", "multiple": True,
                "options": [m.name for m in places.MUNICIPALITIES] + [places.ALL]}
    return None


def _fields(schema: str, document: dict, part: dict, choices: Choices, path: tuple[str, ...] = (),
            in_optional: bool = False) -> list[dict]:
    required = set(part.get("required", [])) if not in_optional else set()
    return [_field(schema, document, name, node, name in required, choices, path, in_optional)
            for name, node in part.get("properties", {}).items()]


def form(schema: str, choices: Choices | None = None) -> list[dict]:
    """The CMS fields of one content format (a schema name from schema.py)."""
    from generator.commands.schema import schemas  # the content models: a build without /admin/ skips them

    document = schemas()[schema]
    part = _resolve(document, document)
    if isinstance(part.get("additionalProperties"), dict):  # people, organisations: id -> entry
        part = _resolve(document, part["additionalProperties"])
    return _fields(schema, document, part, choices or Choices())


BODY = {"name": "body", "label": "Texten (Markdown)", "widget": "markdown", "required": False,
        "hint": "Texten under rubriken, i Markdown: ## för mellanrubriker, - för listor. Knapparna ovanför gör samma sak."}


def _registry(name: str, file: str, label: str, ids: dict[str, str], choices: Choices) -> dict:
    """people.yaml and organisations.yaml hold id -> entry: one group of fields per id that exists."""
    fields = form(name, choices)
    return {"label": label, "name": f"{name}-fil", "file": file,
            "fields": [{"name": id_, "label": f"{shown} ({id_})", "widget": "object", "collapsed": True,
                        "required": False, "fields": fields} for id_, shown in sorted(ids.items())]}


def config(backend: dict, choices: Choices | None = None, local: bool = False) -> dict:
    """The whole CMS configuration (Decap's config.yml), from the models."""
    choices = choices or Choices()
    dated = "{{year}}/{{year}}-{{month}}-{{day}}-{{slug}}"  # as `python build.py new` names files
    collections = [
        {"name": "inlagg", "label": "Blogginlägg", "label_singular": "blogginlägg", "folder": "content/posts",
         "path": dated, "extension": "md", "format": "frontmatter", "create": True, "delete": True,
         "slug": "{{slug}}", "summary": "{{title}} ({{date}})", "sortable_fields": ["date", "title"],
         "media_folder": "/assets/bilder", "public_folder": "../../../assets/bilder",
         "preview_path": None, "fields": form("post", choices) + [BODY]},
        {"name": "evenemang", "label": "Evenemang", "label_singular": "evenemang", "folder": "content/events",
         "path": dated, "extension": "yaml", "format": "yaml", "create": True, "delete": True,
         "slug": "{{slug}}", "summary": "{{title}}", "fields": form("event", choices)},
        {"name": "sidor", "label": "Sidor", "label_singular": "sida", "folder": "content/pages",
         "extension": "md", "format": "frontmatter", "create": True, "delete": True, "slug": "{{slug}}",
         "fields": form("page", choices) + [BODY]},
        {"name": "fokusomraden", "label": "Fokusområden", "label_singular": "fokusområde",
         "folder": "content/programme", "extension": "md", "format": "frontmatter", "create": True,
         "delete": True, "slug": "{{slug}}", "fields": form("focus-area", choices) + [BODY]},
        {"name": "installningar", "label": "Personer, organisationer och inställningar", "delete": False,
         "files": [
             *([_registry("people", "content/people.yaml", "Personer", choices.people, choices)]
               if choices.people else []),
             *([_registry("organisations", "content/organisations.yaml", "Organisationer",
                          choices.organisations, choices)] if choices.organisations else []),
             {"label": "Webbplatsens inställningar", "name": "site", "file": "content/site.yaml",
              "fields": form("site", choices)},
         ]},
    ]
    for collection in collections:
        collection.pop("preview_path", None)
    made = {
        "locale": "sv",
        "backend": backend,
        "media_folder": "assets/bilder",
        "public_folder": "/assets/bilder",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "show_preview_links": False,
        "editor": {"preview": True},
        "collections": collections,
    }
    if not local:
        made["publish_mode"] = "editorial_workflow"
    return made


def config_yaml(made: dict) -> str:
    head = ("# Made by generator/outputs/cms.py from the content models (python build.py build); "
            "do not edit by hand.\n")
    return head + yaml.dump(made, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=1000)


class _Plain(yaml.SafeDumper):
    """YAML without anchors and aliases: the shared body field is written out in each collection."""

    def ignore_aliases(self, data) -> bool:
        return True


def github_backend(settings) -> dict:
    """Decap's backend for the published /admin/: the repository on GitHub (site.yaml `cms`)."""
    backend = {"name": "github", "repo": settings.repo, "branch": settings.branch,
               "squash_merges": True, "commit_messages": {
                   "create": "Nytt i {{collection}}: {{slug}}", "update": "Ändrat i {{collection}}: {{slug}}",
                   "delete": "Borttaget ur {{collection}}: {{slug}}", "uploadMedia": "Ny fil: {{path}}",
                   "deleteMedia": "Borttagen fil: {{path}}"}}
    if settings.auth_url:
        backend["base_url"] = settings.auth_url.rstrip("/")
    return backend


def local_backend() -> dict:
    """Decap's proxy backend, on the dev server's own address (serve --cms)."""
    return {"name": "proxy", "proxy_url": API_PATH, "branch": "main"}


def admin_page(script: str, script_integrity: str, own_script: str, own_style: str, site_css: str,
               title: str) -> str:
    """/admin/index.html: the CMS's page, under its own policy."""
    from html import escape

    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(POLICY)}">
<meta name="robots" content="noindex">
<title>Redigera {escape(title)}</title>
<link rel="stylesheet" href="{escape(own_style)}">
</head>
<body>
<main id="cms-start">
<h1>Redigera {escape(title)}</h1>
<p>Redigeringsverktyget laddas. Det behöver JavaScript.</p>
<noscript><p>Slå på JavaScript för att redigera i webbläsaren, eller redigera filerna i content/ som
guiden beskriver.</p></noscript>
</main>
<script src="{escape(script)}" integrity="{script_integrity}" crossorigin="anonymous"></script>
<script src="{escape(own_script)}" data-preview-style="{escape(site_css)}"></script>
</body>
</html>
"""


# ------------------------------------------------------------------ the local proxy (serve --cms)

class ProxyError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Proxy:
    """Decap's proxy backend API on the working copy: `content/…` and `assets/…` paths only.

    `roots` maps the first part of a path Decap sends (content, assets) to the folder it means.

    Nothing an editor wrote elsewhere is overwritten. Decap sends a save without saying which
    version of the file it edited, so the proxy remembers it: the bytes `getEntry` gave the form
    (Decap asks for them when an entry is opened), or that the proxy wrote itself. A save, a
    rename or a deletion of a file that has changed on disk since (in a text editor, by `git
    pull`) is refused with 409 and the advice to reload the page; so is a new entry, a new name or
    an upload where a file already is that the editor has not seen. Two tabs editing the same
    entry are one editor to it: the later save wins, as in Decap with any backend.
    """

    def __init__(self, content: Path, assets: Path):
        self.roots = {"content": Path(content).resolve(), "assets": Path(assets).resolve()}
        self.lock = threading.Lock()  # a check and the write it allows are one step
        self.opened: dict[Path, str | None] = {}  # file -> digest of what the form was given (None: no file)
        self.seen: dict[Path, set] = {}  # file -> digests of every version the CMS was shown or wrote

    # paths

    def local(self, path: Any, must_exist: bool = False) -> Path:
        """The file a path from the CMS means, or ProxyError: only under content/ or assets/, no `..`,
        no absolute path, nothing reached through a link that leads out of the folder."""
        if not isinstance(path, str) or not path or "\0" in path or "\\" in path:
            raise ProxyError(400, "ogiltig sökväg")
        parts = path.strip("/").split("/")
        if any(part in ("", ".", "..") for part in parts) or path.startswith("/"):
            raise ProxyError(403, f"{path}: sökvägen får inte innehålla .. eller börja med /")
        root = self.roots.get(parts[0])
        if root is None:
            raise ProxyError(403, f"{path}: bara filer under content/ och assets/ kan ändras")
        if len(parts) == 1:
            raise ProxyError(403, f"{path}: sökvägen ska leda till en fil eller mapp under {parts[0]}/")
        target = root.joinpath(*parts[1:])
        real = Path(os.path.realpath(target))
        if real != root and root not in real.parents:
            raise ProxyError(403, f"{path}: leder ut ur {parts[0]}/ (en länk?)")
        if must_exist and not real.is_file():
            raise ProxyError(404, f"{path}: filen finns inte")
        return target

    def shown(self, file: Path) -> str:
        for name, root in self.roots.items():
            try:
                return f"{name}/{file.resolve().relative_to(root).as_posix()}"
            except ValueError:
                continue
        raise ProxyError(403, "utanför content/ och assets/")

    # actions

    def handle(self, body: Any) -> Any:
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise ProxyError(422, "förfrågan saknar action")
        params = body.get("params") or {}
        if not isinstance(params, dict):
            raise ProxyError(422, "params ska vara ett objekt")
        action = _ACTIONS.get(body["action"])
        if action is None:
            raise ProxyError(422, f"okänd action {body['action']!r}")
        return action(self, params)

    def info(self, params: dict) -> dict:
        return {"repo": self.roots["content"].parent.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params: dict) -> list[dict]:
        folder = self.local(params.get("folder"))
        extension = str(params.get("extension") or "")
        depth = int(params.get("depth") or 1)
        return [self._entry(self.shown(file)) for file in self._files(folder, extension, depth)]

    def entries_by_files(self, params: dict) -> list[dict]:
        files = params.get("files") or []
        return [self._entry(f.get("path"), f.get("label")) for f in files if isinstance(f, dict)]

    def get_entry(self, params: dict) -> dict:
        """The entry opened in the form: its bytes are what a save of it replaces."""
        return self._entry(params.get("path"), opened=True)

    def persist_entry(self, params: dict) -> dict:
        entry = params.get("entry")
        data_files = params.get("dataFiles") or ([entry] if entry else [])
        new_entry = bool((params.get("options") or {}).get("newEntry"))
        writes = [(self._writable(f.get("path")), _text(f)) for f in data_files]
        media = [(self._writable(a.get("path")), _decoded(a)) for a in params.get("assets") or []]
        # A rename moves the entry's own path (a link stays a link), to a name that is free.
        moves = [(self.local(f["path"]), self._writable(f["path"]), self._writable(f["newPath"]))
                 for f in data_files if f.get("newPath")]
        moves = [(old, real, new) for old, real, new in moves if new != real]
        with self.lock:  # everything is checked before anything is written
            for target, _ in writes:
                if new_entry:
                    self._free(target)
                else:
                    self._unchanged(target, self.opened, "öppnades här")
            for target, _ in media:
                self._replaceable(target)
            for _, _, new in moves:
                self._free(new)
            for target, data in writes + media:
                self._wrote(target, _write(target, data))
            for old, real, new in moves:
                new.parent.mkdir(parents=True, exist_ok=True)
                os.rename(old, new)
                self._wrote(new, self.opened.pop(real, None))
        return {"message": "entry persisted"}

    def get_media(self, params: dict) -> list[dict]:
        folder = self.local(params.get("mediaFolder"))
        return [self._media(file) for file in self._files(folder, "", 1)]

    def get_media_file(self, params: dict) -> dict:
        return self._media(self.local(params.get("path"), must_exist=True))

    def persist_media(self, params: dict) -> dict:
        asset = params.get("asset") or {}
        target, data = self._writable(asset.get("path")), _decoded(asset)
        with self.lock:
            self._replaceable(target)
            self._wrote(target, _write(target, data))
        return self._media(target)

    def delete_file(self, params: dict) -> dict:
        self._delete([params.get("path")])
        return {"message": f"deleted file {params.get('path')}"}

    def delete_files(self, params: dict) -> dict:
        self._delete(params.get("paths") or [])
        return {"message": "deleted files"}

    def _delete(self, paths: list) -> None:
        """Remove entries or pictures: the path itself (a link inside the folder, not the file it
        leads to), when what it holds is as the CMS showed it."""
        targets = [(self.local(path), self._writable(path)) for path in paths]
        with self.lock:
            for _, real in targets:
                self._unchanged(real, None, "visades här")
            for path, real in targets:
                path.unlink(missing_ok=True)
                if path == real:
                    self._wrote(real, None)

    # what the editor has seen

    def _writable(self, path: Any) -> Path:
        """The real file a path means, to be written or removed: a link inside the folder is written
        through (the file the editor was shown), and a folder is refused."""
        target = Path(os.path.realpath(self.local(path)))
        if target.is_dir():
            raise ProxyError(403, f"{path}: är en mapp, inte en fil")
        return target

    def _wrote(self, file: Path, digest: str | None) -> None:
        self.opened[file] = digest
        self._saw(file, digest)

    def _saw(self, file: Path, digest: str | None) -> None:
        """Note a version of a file (its real path) that a view of the CMS was shown or that it wrote."""
        self.seen.setdefault(file, set()).add(digest)

    def _unchanged(self, file: Path, remembered: dict | None, how: str) -> None:
        """Refuse to replace or remove a file unless it is as the editor saw it: as the form was
        given it (`remembered`), or else as any view of the CMS was shown it."""
        now = _digest_of(file)
        # A file the form was never given can only be a new one, where no file is (None).
        known = (remembered.get(file),) if remembered is not None else self.seen.get(file, set()) | {None}
        if now not in known:
            raise ProxyError(409, f"{self.shown(file)}: filen har ändrats på disken sedan den {how} (i en annan "
                                  "editor eller med git), eller så har sidan öppnats innan servern startades; "
                                  "ladda om sidan, så visas filen som den är nu och inget skrivs över")

    def _free(self, file: Path) -> None:
        """Refuse a new file where one already is (a name taken since the form checked it) or one that
        differs from a file in the same folder only in upper and lower case (the same file on a Mac or
        in Windows)."""
        if os.path.lexists(file) and _digest_of(file) not in self.seen.get(file, ()):
            raise ProxyError(409, f"{self.shown(file)}: det finns redan en fil med det namnet; ladda om sidan och "
                                  "välj ett annat namn, så att den inte skrivs över")
        self._no_case_twin(file)

    def _replaceable(self, file: Path) -> None:
        """An upload may replace a file the media library showed the editor (Decap asks first), not one
        added since."""
        if os.path.lexists(file):
            self._unchanged(file, None, "visades här")
        else:
            self._no_case_twin(file)

    def _no_case_twin(self, file: Path) -> None:
        try:
            names = os.listdir(file.parent)
        except OSError:
            return
        twin = next((name for name in names if name != file.name and name.lower() == file.name.lower()), None)
        if twin is not None:
            raise ProxyError(409, f"{self.shown(file)}: {twin} finns redan i samma mapp, och på en Mac eller i "
                                  "Windows är det samma fil; välj ett annat namn")

    def deploy_preview(self, params: dict) -> None:
        return None

    # helpers

    def _files(self, folder: Path, extension: str, depth: int) -> list[Path]:
        found: list[Path] = []
        if depth <= 0 or not folder.is_dir() or folder.is_symlink():
            return found
        for child in sorted(folder.iterdir()):
            if child.name.startswith(".") or child.is_symlink():
                continue
            if child.is_dir():
                found += self._files(child, extension, depth - 1)
            elif child.is_file() and child.name.endswith(extension):
                found.append(child)
        return found

    def _entry(self, path: Any, label: Any = None, opened: bool = False) -> dict:
        file = self.local(path)
        try:
            data = file.read_bytes() if file.is_file() else None
        except OSError:
            data = None
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        try:
            text = data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            if opened:  # saved from the form, its å, ä and ö would be lost for good
                raise ProxyError(422, f"{path}: filen är inte sparad som UTF-8 och kan inte redigeras här; "
                                      "spara den som UTF-8 i din editor (i Anteckningar: Spara som, "
                                      "Kodning: UTF-8)") from None
            text = data.decode("utf-8", errors="replace")  # listed only: shown, never saved back
        real = Path(os.path.realpath(file))
        with self.lock:
            if opened:
                self.opened[real] = digest
            self._saw(real, digest)
        shown = {"path": path, "id": digest}
        if label is not None:
            shown["label"] = label
        return {"data": text, "file": shown}

    def _media(self, file: Path) -> dict:
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        with self.lock:
            self._saw(Path(os.path.realpath(file)), digest)
        return {"id": digest, "content": base64.b64encode(data).decode(),
                "encoding": "base64", "path": self.shown(file), "name": file.name}


def _decoded(asset: dict) -> bytes:
    content = asset.get("content", "")
    if asset.get("encoding") == "base64":
        try:
            return base64.b64decode(content, validate=True)
        except ValueError:
            raise ProxyError(400, "filen är inte giltig base64") from None
    return str(content).encode("utf-8")


def _text(file: dict) -> bytes:
    raw = file.get("raw")
    if not isinstance(raw, str):
        raise ProxyError(422, f"{file.get('path')}: filens text saknas")
    return raw.encode("utf-8")


def _digest_of(file: Path) -> str | None:
    """The sha256 of a file's bytes, as getEntry gives it; None when there is no file."""
    try:
        return digest(file)
    except FileNotFoundError:
        return None


def _write(target: Path, data: bytes) -> str:
    """Write a file whole, under a temporary name of its own, and return its digest: a half-written
    file is never seen by the dev server's rebuild, two saves at once never mix, and a failed write
    leaves no temporary file. The file keeps its permissions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.cms.tmp")
    # Made as any new file is (the umask applies), and never an existing one (O_EXCL).
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        try:
            os.chmod(temporary, os.stat(target).st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


_ACTIONS = {
    "info": Proxy.info,
    "entriesByFolder": Proxy.entries_by_folder,
    "entriesByFiles": Proxy.entries_by_files,
    "getEntry": Proxy.get_entry,
    "persistEntry": Proxy.persist_entry,
    "getMedia": Proxy.get_media,
    "getMediaFile": Proxy.get_media_file,
    "persistMedia": Proxy.persist_media,
    "deleteFile": Proxy.delete_file,
    "deleteFiles": Proxy.delete_files,
    "getDeployPreview": Proxy.deploy_preview,
    "unpublishedEntries": lambda self, params: [],  # the local copy has no editorial workflow
}


def answer(proxy: Proxy, raw: bytes) -> tuple[int, bytes]:
    """The HTTP status and JSON body for one POST to /api/v1."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return 400, json.dumps({"error": "förfrågan är inte JSON"}).encode()
    try:
        result = proxy.handle(body)
    except ProxyError as problem:
        return problem.status, json.dumps({"error": problem.message}, ensure_ascii=False).encode()
    except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
        return 500, json.dumps({"error": f"kunde inte utföra: {exc}"}, ensure_ascii=False).encode()
    return 200, json.dumps(result, ensure_ascii=False).encode()


# ------------------------------------------------------------------ the built /admin/ (plan.py, render.py)

def admin_page_of(site, page) -> bytes:
    main = (BUNDLE / MAIN).read_bytes()
    return admin_page(MAIN, integrity(main), SCRIPT.name, STYLE.name, page.stylesheet,
                      site.config.title).encode("utf-8")


def digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def file_of(page) -> bytes:
    """A vendored or own file of /admin/; it is read as planned (`digest`), so that a cached build
    notices a changed file."""
    data = (ROOT / page.file).read_bytes()
    if hashlib.sha256(data).hexdigest() != page.digest:
        raise OSError(f"{page.file} ändrades under bygget")
    return data


def config_file_of(site) -> bytes:
    return config_yaml(config(github_backend(site.config.cms), Choices.of(site))).encode("utf-8")
