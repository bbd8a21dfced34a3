"""`python build.py new post "Titel"` and `new event "Titel" --date 2026-03-13`: a file to start from.

The file gets a clean name (å, ä, ö become a, a, o; python-slugify), the date,
and every field of its format, the optional ones commented out with a short
explanation, so an editor only has to fill in and uncomment. What the editor must
choose (an event's kind) is left empty, so that a file not filled in does not build,
and the commented examples agree with each other: any of them uncommented still builds.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from generator import urls
from generator.content.load import PLACEHOLDER_BODY

POST = """---
title: {title}
date: {date}
# summary: "En eller två meningar som sammanfattar inlägget (visas i listor och i sökmotorer)."
# tags: ["idéverkstad", "samskapande"]
# authors: ["erik-noaksson"]              # id:n från content/people.yaml
# focus_areas: ["kreativa-byrakrater"]    # id:n (filnamn) från content/programme/
# events: ["kalasturne"]                  # evenemang inlägget handlar om (filnamnet utan datum)
# image: "../../../assets/bilder/bild.jpg"  # räknas från den här filens mapp
# image_alt: "Vad bilden visar"           # krävs när image finns
# updated: {date}                         # när inlägget senast ändrades
# draft: true                             # utkast: publiceras inte förrän raden tas bort
---

""" + PLACEHOLDER_BODY + "\n"

EVENT = """# yaml-language-server: $schema=../../../schemas/event.schema.json
# Se docs/evenemang.md för alla fält och docs/exempel/ för exempel på varje sort.
title: {title}
kind:                     # skriv en av: idéverkstad, workshop, lärresa, möte, turné, sommarkontor, konferens
status: "planned"         # planned, held (genomfört), cancelled (inställt), postponed (uppskjutet)
# summary: "En mening om evenemanget."
# description: |
#   Beskrivning i Markdown.
start: "{date} {start}"     # utan klockslag: "{date}" (då också end utan klockslag)
# end: "{date} {end}"     # samma form som start; för flera dagar: den sista dagen
# month: "{month}"        # i stället för start, när bara månaden är känd
# stops:                  # i stället för start, för en turné
#   - start: "{date} 09:00"
#     end: "{date} 12:00"
#     place: {{venue: "…", municipality: "Berg"}}
# place:
#   venue: "Lokalens namn"
#   address: "Gatan 1"
#   municipality: "Östersund"   # Berg, Bräcke, Härjedalen, Krokom, Ragunda, Strömsund, Åre, Östersund
#   # locality: "Lycksele"      # i stället för municipality, för en plats utanför regionen
# municipalities: ["alla"]      # kommuner evenemanget besöker; "alla" för alla åtta
# programme:
#   - time: "13.00–14.00"
#     title: "Programpunkt"
#     optional: true            # en valfri punkt
# registration:
#   url: "https://…"
#   deadline: "{date}"
#   note: "Anmälan via …"
# organisers: ["region-jamtland-harjedalen"]   # id:n från content/organisations.yaml
# partners: ["mittuniversitetet"]
# contacts: ["erik-noaksson"]                  # id:n från content/people.yaml
# links: [{{title: "…", url: "https://…"}}]
# videos: [{{title: "…", url: "https://…"}}]
# downloads: [{{title: "…", file: "filer/….pdf"}}]   # filen ligger under assets/
# documentation:                # efteråt: regionens sex frågor
#   gjort: "…"
#   gett: "…"
#   lärt: "…"
#   listat_ut: "…"
#   lotsning: "…"
#   aktiviteter: "…"
# focus_areas: ["kreativa-byrakrater"]
# updated: "{date}"             # sätt när du ändrar tid eller plats, så uppdateras prenumeranternas kalendrar
"""


class NewFileProblem(Exception):
    pass


def new_post(content: Path, title: str, day: date, at: time | None = None) -> Path:
    # A post's address is /blogg/<year>/<name without the date>/: free among the year's posts.
    path = _named_apart(content / "posts", f"{day.year}/{day.isoformat()}-{{}}.md", _slug(title),
                        _names_taken(content / "posts", ".md", day.year))
    when = day.isoformat() + (f" {at:%H:%M}" if at is not None else "")  # --date with a time: the post's time
    return _create(path, POST.format(title=_quoted(title), date=when))


def new_event(content: Path, title: str, day: date, at: time | None = None) -> Path:
    # An event's name (its file name without the date) is its address and the id posts name it by,
    # in every year: a yearly event gets the year in its name.
    path = _named_apart(content / "events", f"{day.year}/{day.isoformat()}-{{}}.yaml", _slug(title),
                        _names_taken(content / "events", ".yaml"), day.year)
    start = datetime.combine(day, at or time(13, 0))  # --date with a time: the event's start
    end = min(start + timedelta(hours=2), datetime.combine(day, time(23, 59)))  # the example, the same day
    text = EVENT.format(title=_quoted(title), date=day.isoformat(), month=day.isoformat()[:7],
                        start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    return _create(path, text)


def _names_taken(folder: Path, suffix: str, year: int | None = None) -> set[str]:
    """The names (file names without their date) of the files under `folder`; with `year`, of those
    whose name has that year's date or none (a post's address has the year of its date, which a
    file named without one can have any of)."""
    if not folder.is_dir():
        return set()
    return {urls.post_slug(path.name) for path in folder.rglob(f"*{suffix}")
            if year is None or path.name.startswith(f"{year}-") or not urls.has_date_prefix(path.name)}


def _named_apart(folder: Path, pattern: str, slug: str, taken: set[str], year: int | None = None) -> Path:
    """folder/pattern with `slug`; when another file has that name (not this very file, which _create
    refuses to overwrite), the first of slug-<year> (for events) and slug-2, slug-3 … that none has:
    the editor's title stays as written, only the file is named apart."""
    if (folder / pattern.format(slug)).exists():
        return folder / pattern.format(slug)
    candidates = ([f"{slug}-{year}"] if year is not None and not slug.endswith(str(year)) else []) + \
        [f"{slug}-{number}" for number in range(2, 1000)]
    return folder / pattern.format(next((name for name in [slug, *candidates] if name not in taken), slug))


MAX_NAME_LENGTH = 60  # characters of the title in a new file's name: a whole title can pass the system's limit


def _slug(title: str) -> str:
    slug = urls.slug(title)
    if not slug:
        raise NewFileProblem(f"titeln {title!r} ger inget filnamn; använd bokstäver eller siffror")
    if len(slug) > MAX_NAME_LENGTH:  # the words that fit whole, or the start of one very long word
        slug = slug[:MAX_NAME_LENGTH + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_NAME_LENGTH + 1] \
            else slug[:MAX_NAME_LENGTH]
    return slug


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted string


def _create(path: Path, text: str) -> Path:
    if path.exists():
        raise NewFileProblem(f"{path} finns redan; välj en annan titel eller ett annat datum")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
