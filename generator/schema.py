"""JSON Schemas of the content formats, for editors' YAML editors (completion and checks as you type).

`python build.py schema` writes them to schemas/; a test keeps the committed
files equal to what the models say. In VS Code with the YAML extension, the
first line `# yaml-language-server: $schema=../../../schemas/event.schema.json`
in an event file switches them on.
"""
from __future__ import annotations

import json
from pathlib import Path

from generator.models import EventMeta, FocusAreaMeta, Organisation, PageMeta, Person, PostMeta, SiteConfig

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


# What editors see when they hover over a field, in Swedish.
DESCRIPTIONS = {
    "title": "Rubriken",
    "kind": "Sorts evenemang",
    "status": "planned = planerat, held = genomfört, cancelled = inställt (syns kvar som inställt), "
              "postponed = uppskjutet",
    "summary": "En eller två meningar som sammanfattar",
    "description": "Beskrivning i Markdown",
    "start": "Början: ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM-DD TT:MM för ett evenemang med klockslag",
    "end": "Slut, i samma form som start (för flera dagar: sista dagen)",
    "month": "För ett evenemang där bara månaden är känd: ÅÅÅÅ-MM (i stället för start)",
    "stops": "För en turné: stopp med egen tid och plats (i stället för start)",
    "place": "Platsen: venue, address och municipality (i regionen) eller locality (utanför)",
    "municipalities": "Kommuner evenemanget besöker; \"alla\" för alla åtta",
    "programme": "Programpunkter med tid (08.00–09.00) och rubrik; optional: true för valfria",
    "registration": "Anmälan: url, deadline och/eller note",
    "organisers": "Arrangörer: id:n från content/organisations.yaml",
    "partners": "Samarbetspartner: id:n från content/organisations.yaml",
    "contacts": "Kontaktpersoner: id:n från content/people.yaml",
    "links": "Länkar: title och url",
    "videos": "Filmer: title och url",
    "downloads": "Filer att ladda ner: title och file (sökväg under assets/)",
    "documentation": "Dokumentationen efter evenemanget: gjort, gett, lärt, listat_ut, lotsning, aktiviteter",
    "focus_areas": "Fokusområden: id:n (filnamn) från content/programme/",
    "updated": "När innehållet senast ändrades",
    "date": "Datum: ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM-DD TT:MM",
    "tags": "Taggar, t.ex. [idéverkstad, lärresa]",
    "authors": "Författare: id:n från content/people.yaml",
    "events": "Evenemang inlägget handlar om: filnamnet utan datum och .yaml",
    "image": "Bild, relativt till filen, t.ex. ../../../assets/bilder/karta.png",
    "image_alt": "Vad bilden visar (krävs när image finns)",
    "draft": "true = utkast, publiceras inte",
    "contact": "Kontaktperson: ett id från content/people.yaml",
    "activities": "Aktiviteter med status (föreslagen, pågår, genomförd) och målår till och med 2025",
    "search": "Sökning på webbplatsen (sidan /sok/ och sökrutan); false stänger av den",
}


# Where a field means something else in one model than in the others.
DESCRIPTIONS_IN = {
    "Activity": {"status": "föreslagen, pågår eller genomförd", "year": "Målår, till och med 2025",
                 "description": "En eller två meningar om aktiviteten"},
    "ProgrammeItem": {"time": "Tid som 08.00–09.00 eller 13.00", "date": "Dagen, för evenemang på flera dagar",
                      "optional": "true för en valfri programpunkt", "place": "Platsen, om den är en annan"},
    "Stop": {"place": "Stoppets plats"},
}


def _describe(schema: dict) -> dict:
    """Put the Swedish descriptions on every property of the schema and its definitions."""
    parts = [("", schema), *schema.get("$defs", {}).items()]
    for model_name, part in parts:
        part.pop("description", None)  # the models' docstrings are for developers
        texts = DESCRIPTIONS | DESCRIPTIONS_IN.get(model_name, {})
        for name, prop in part.get("properties", {}).items():
            if name in texts:
                prop["description"] = texts[name]
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
