"""The field tables in the editors' guides (docs/*.md), made from the content models.

A guide marks each table with two HTML comments, which Markdown does not show:

    <!-- fält:start event place programme registration -->
    | fält | betyder | exempel |
    …
    <!-- fält:slut -->

The first word names a JSON Schema from schema.py (`event`, `post`, `page`,
`focus-area`, `site`, `people`, `organisations`), or a part of one
(`focus-area.activities`, `site.feeds`); each further word names a field whose
own fields follow its row as `place.venue`, `place.address` …. A row's meaning
is the field's Swedish `Field(description=…)` in models.py, with whether it
must be given, the values it allows and its default; its example is the
field's first `examples` value, written as YAML. `python build.py docs`
rewrites every table, and a test fails when a committed guide differs, so the
guides and the models cannot drift apart.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from generator.commands.schema import schemas

_TABLE = re.compile(r"(<!-- fält:start ([^>]*?) -->\n)(.*?)(<!-- fält:slut -->)", re.S)
_HEADER = "| fält | betyder | exempel |\n| --- | --- | --- |\n"


class UnknownTable(ValueError):
    """A marker names a schema or field that does not exist."""


@cache
def _documents() -> dict[str, dict]:
    return schemas()


def _resolve(document: dict, node: dict) -> dict:
    """The object schema a property holds: through $ref, `| None` and lists of objects."""
    if "$ref" in node:
        return _resolve(document, document["$defs"][node["$ref"].rsplit("/", 1)[1]])
    for choice in node.get("anyOf", []):
        if choice.get("type") != "null":
            return _resolve(document, choice)
    if node.get("type") == "array" and "items" in node:
        return _resolve(document, node["items"])
    if "additionalProperties" in node and isinstance(node["additionalProperties"], dict):
        return _resolve(document, node["additionalProperties"])
    return node


def _yaml(value) -> str:
    """A value as an editor writes it in YAML: JSON's strings, lists, numbers and booleans are YAML too."""
    return json.dumps(value, ensure_ascii=False)


def _code(text: str) -> str:
    return f"`{text}`"


def _meaning(document: dict, node: dict, required: bool) -> str:
    parts = [node.get("description", "").strip()]
    if required:
        parts.append("**Måste finnas.**")
    allowed = _resolve(document, node).get("enum", [])
    if allowed and not all(_code(str(value)) in parts[0] for value in allowed):
        parts.append("Ett av: " + ", ".join(_code(str(value)) for value in allowed) + ".")
    default = node.get("default")
    if default not in (None, False, "", [], {}) and not isinstance(default, dict):
        parts.append(f"Utan fältet: {_code(_yaml(default) if not isinstance(default, str) else default)}.")
    return " ".join(part for part in parts if part)


def _rows(document: dict, part: dict, prefix: str, expand: set[str]) -> list[str]:
    rows = []
    required = set(part.get("required", []))
    for name, node in part.get("properties", {}).items():
        examples = node.get("examples", [])
        example = _code(f"{name}: {_yaml(examples[0])}") if examples else ""
        cells = (_code(prefix + name), _meaning(document, node, name in required), example)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        if name in expand:
            rows += _rows(document, _resolve(document, node), f"{prefix}{name}.", set())
    return rows


def table(marker: str) -> str:
    """The Markdown table for a marker such as `event place programme` or `focus-area.activities`."""
    name, *expand = marker.split()
    schema_name, *path = name.split(".")
    documents = _documents()
    if schema_name not in documents:
        raise UnknownTable(f"okänt schema {schema_name!r} i <!-- fält:start {marker} -->")
    document = documents[schema_name]
    part = _resolve(document, document)
    for field in path:
        if field not in part.get("properties", {}):
            raise UnknownTable(f"okänt fält {field!r} i <!-- fält:start {marker} -->")
        part = _resolve(document, part["properties"][field])
    unknown = set(expand) - set(part.get("properties", {}))
    if unknown:
        raise UnknownTable(f"okänt fält {sorted(unknown)[0]!r} i <!-- fält:start {marker} -->")
    return _HEADER + "\n".join(_rows(document, part, "", set(expand))) + "\n"


def filled(text: str) -> str:
    """The guide's text with every marked table made anew."""
    # Blank lines around the table: a comment right below its last row would be read as one more row.
    return _TABLE.sub(lambda m: m.group(1) + "\n" + table(m.group(2)) + "\n" + m.group(4), text)


def guides(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.md") if "<!-- fält:start" in path.read_text(encoding="utf-8"))


def write(folder: Path) -> list[Path]:
    """Rewrite the tables in every guide under `folder`; return the guides that changed."""
    changed = []
    for path in guides(folder):
        text = path.read_text(encoding="utf-8")
        try:
            new = filled(text)
        except UnknownTable as exc:
            raise UnknownTable(f"{path}: {exc}") from None
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
