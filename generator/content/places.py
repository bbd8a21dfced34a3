"""The region's eight municipalities: the places an event can belong to.

An editor may write a municipality as its name (`Östersund`) or its slug
(`ostersund`); anything else is an error that lists the eight.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator import urls


@dataclass(frozen=True)
class Municipality:
    slug: str
    name: str

    @property
    def url(self) -> str:
        return urls.municipality(self.slug)


MUNICIPALITIES: tuple[Municipality, ...] = tuple(
    Municipality(urls.slug(name), name)
    for name in ("Berg", "Bräcke", "Härjedalen", "Krokom", "Ragunda", "Strömsund", "Åre", "Östersund")
)
_BY_SLUG = {m.slug: m for m in MUNICIPALITIES}
ALL = "alla"  # written in `municipalities:` for an event in every municipality


def municipality(text: str) -> Municipality:
    """The municipality an editor meant; ValueError with the eight names when there is none."""
    found = named(text)
    if found is None:
        names = ", ".join(m.name for m in MUNICIPALITIES)
        raise ValueError(f"okänd kommun {text!r}; regionens kommuner är {names}. Ligger platsen i regionen, skriv "
                         "kommunen den ligger i (orten kan stå i venue eller address); en plats utanför regionen "
                         "skrivs som locality")
    return found


def named(text: str) -> Municipality | None:
    """The municipality `text` names, as its name or slug, or as the municipality itself is called
    ("Östersunds kommun", "Åre kommun"); None otherwise."""
    slug = urls.slug(text)
    if slug.endswith("-kommun"):
        slug = slug.removesuffix("-kommun")
        return _BY_SLUG.get(slug) or (_BY_SLUG.get(slug[:-1]) if slug.endswith("s") else None)
    return _BY_SLUG.get(slug)
