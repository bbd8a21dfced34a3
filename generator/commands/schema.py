"""JSON Schemas of the content formats, for editors' YAML editors (completion and checks as you type).

`python build.py schema` writes them to schemas/; a test keeps the committed
files equal to what the models say. In VS Code with the YAML extension, the
first line `# yaml-language-server: $schema=../../../schemas/event.schema.json`
in an event file switches them on.
"""
from __future__ import annotations

import json
from pathlib import Path

from generator.content.models import EventMeta, FocusAreaMeta, Organisation, PageMeta, Person, PostMeta, SiteConfig

SCHEMAS = {
    "event": (EventMeta, "Evenemang (content/events/**/*.yaml)"),
    "post": (PostMeta, "Blogginlägg: front matter i content/posts/**/*.md"),
    "page": (PageMeta, "Sida: front matter i content/pages/*.md"),
    "focus-area": (FocusAreaMeta, "Fokusområde: front matter i content/programme/*.md"),
    "site": (SiteConfig, "Webbplatsens inställningar: content/site.yaml"),
}
REGISTRIES = {
    "people": (Person, "Personer: content/people.yaml, id -> uppgifter"),
    "organisations": (Organisation, "Organisationer: content/organisations.yaml, id -> uppgifter"),
}


def _describe(schema: dict) -> dict:
    """Leave the models' docstrings out: they are for developers; each field's Swedish
    description (`Field(description=…)` in models.py) is what editors see when they hover over it."""
    for part in [schema, *schema.get("$defs", {}).values()]:
        part.pop("description", None)
    return schema


def schemas() -> dict[str, dict]:
    out = {}
    for name, (model, title) in SCHEMAS.items():
        out[name] = _document(name, title, _describe(model.model_json_schema(mode="validation")))
    for name, (model, title) in REGISTRIES.items():
        entry = _describe(model.model_json_schema(mode="validation"))
        defs = entry.pop("$defs", {})
        out[name] = _document(name, title, {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z0-9][a-z0-9-]*$"},
            "additionalProperties": entry,
            **({"$defs": defs} if defs else {}),
        })
    return out


def _document(name: str, title: str, schema: dict) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json",
            **schema, "title": title}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
