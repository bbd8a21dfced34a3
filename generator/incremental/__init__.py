"""The speed machinery, behind two questions: what can be reused, and what was made.

Each output is rendered while its reads are recorded (recording.py): which fields
of which content objects, which dict keys of the Site, which template files, how
it compared with the clock, and the page data the plan gave it. The next build
asks every recorded read again of its own Site (`value_of`); an output is reused
when everything it read yields what it yielded before, and rendered again
otherwise. Nothing here knows what a template shows: a template edited to show a
word count in every card has its cards read the posts' bodies, and that is
recorded like any other read. docs/dev/incremental.md tells the whole story.

The build (pipeline.build) and the dev server (pipeline.LiveSite) use the same
`Dependencies`: the build keeps it in the cache folder, the dev server in memory.
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, fields
from datetime import date, datetime, time as clock, timedelta
from pathlib import Path
from typing import Any

from generator.incremental import recording
from generator.incremental.recording import FROM_A_FILE, digest

FILE = "dependencies.pickle"
_MISSING = b"missing"


@dataclass
class World:
    """Everything an output's rendering can read, for one build: what the locators are asked of."""

    site: Any  # site.Site
    pages: dict[str, Any]  # site path -> the page data the plan gave the output
    templates: dict[str, str]  # template file -> hash of its bytes (cache.file_digests)
    assets: dict[str, str]  # asset name -> its hashed site path
    images: dict[str, tuple[int, int]]  # an image's src as written in pages -> its size
    settings: str  # site.Options.settings: the build's options but the clock

    def __post_init__(self) -> None:
        site = self.site
        found: dict[tuple, Any] = {recording.identity(site): site, recording.identity(site.config): site.config}
        for group in (site.posts, site.pages, site.events, site.focus_areas, site.people, site.tags,
                      site.organisations, site.municipalities):
            for item in group:
                found[recording.identity(item)] = item
        self.objects = found
        self.memo: dict = {}  # canonical()'s, for this build: the site does not change during it

    def versions(self) -> dict[tuple, str]:
        """The revision of every object made from one file, and of what else those objects are
        made with (the site's config and the build's options), under the key ("context",)."""
        config = self.site.config
        made = {("context",): digest(([getattr(config, f.name) for f in fields(config)], self.settings))}
        for identity, item in self.objects.items():
            if type(item) in FROM_A_FILE:
                made[identity] = item.revision
        return made

    def value_of(self, locator: tuple) -> bytes:
        """The digest of what a recorded read yields in this build."""
        kind = locator[0]
        if kind == "attr" or kind == "item":
            item = self.objects.get(locator[1])
            if item is None:
                return _MISSING
            value = object.__getattribute__(item, locator[2])
            if kind == "item":
                return digest((locator[3] in value, value.get(locator[3])), self.memo)
            return digest(value, self.memo)
        if kind == "page":
            return digest(self.pages.get(locator[1], _MISSING), self.memo)
        if kind == "template":
            return digest(self.templates.get(locator[1]))
        if kind in ("asset", "image"):
            table = self.assets if kind == "asset" else self.images
            return digest(table if locator[1] is None else table.get(locator[1]))
        if kind == "clock":
            now = self.site.now
            if locator[1] == "cmp":
                return digest((now > locator[2]) - (now < locator[2]))
            return digest(now.date() if locator[1] == "date" else now.year if locator[1] == "year"
                          else now.isoformat())
        raise ValueError(f"unknown locator {locator!r}")


@dataclass
class Check:
    """What Dependencies.reusable found: the outputs still right (site path -> fingerprint), and
    the new values of the reads that changed."""

    reusable: dict[str, bytes]
    changed: dict[int, bytes]
    versions: dict[tuple, str]


@dataclass
class Dependencies:
    """What every output read when it was last rendered, and what that yielded then."""

    locators: list[tuple]  # every locator read, numbered by its place
    numbers: dict[tuple, int]  # locator -> its number
    values: list[bytes]  # the digest of what each locator yielded when last asked
    versions: dict[tuple, str]  # World.versions() of the last build
    outputs: dict[str, tuple[frozenset, bytes]]  # site path -> (numbers of what it read, fingerprint)
    key: str = ""  # the code that recorded it: other code may record other reads
    compacted_at: int = 0  # how many locators there were after the last _compact()

    @classmethod
    def empty(cls, key: str = "") -> "Dependencies":
        return cls([], {}, [], {}, {}, key)

    @classmethod
    def read(cls, folder: Path, key: str) -> "Dependencies":
        """The record kept in the cache folder; an empty one when there is none, it cannot be
        read or other code wrote it (then every output is rendered and recorded anew)."""
        try:
            with open(folder / FILE, "rb") as file:
                stored = pickle.load(file)
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a broken record is never used
            return cls.empty(key)
        if not isinstance(stored, cls) or stored.key != key:
            return cls.empty(key)
        stored.numbers = {locator: number for number, locator in enumerate(stored.locators)}
        return stored

    def save(self, folder: Path) -> None:
        from generator.incremental.cache import write_whole

        numbers, self.numbers = self.numbers, {}  # made again on reading: half the file's size
        try:
            write_whole(folder / FILE, lambda file: pickle.dump(self, file, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            self.numbers = numbers

    def reusable(self, world: World) -> "Check":
        """Which outputs' last rendering is still right: those of which every recorded read
        yields in `world` what it yielded then. Changes nothing until `record`, so that a
        rendering that fails leaves the record as it was.

        Reads of an object made from one file are asked again only when that file (or the
        config, or the options) changed; every other read is asked again at every build."""
        versions = world.versions()
        context_same = versions[("context",)] == self.versions.get(("context",))
        changed: dict[int, bytes] = {}
        for number, locator in enumerate(self.locators):
            kind = locator[0]
            if (context_same and (kind == "attr" or kind == "item")
                    and self.versions.get(locator[1]) is not None
                    and self.versions.get(locator[1]) == versions.get(locator[1])):
                continue
            value = world.value_of(locator)
            if value != self.values[number]:
                changed[number] = value
        reusable = {path: fingerprint for path, (read, fingerprint) in self.outputs.items()
                    if path in world.pages and read.isdisjoint(changed)}
        return Check(reusable, changed, versions)

    def record(self, world: World, check: "Check", made: dict[str, frozenset]) -> dict[str, bytes]:
        """Record what each output in `made` (site path -> the locators its rendering read) read,
        after `check` found which of the others are still right; forget the outputs the site
        no longer has. Returns every output's fingerprint."""
        numbers, values = self.numbers, self.values
        for number, value in check.changed.items():
            values[number] = value
        self.versions = check.versions
        for path, reads in made.items():
            read = []
            for locator in reads:
                number = numbers.get(locator)
                if number is None:
                    number = numbers[locator] = len(self.locators)
                    self.locators.append(locator)
                    values.append(world.value_of(locator))
                read.append(number)
            fingerprint = hashlib.blake2b(b"".join(sorted(repr(self.locators[n]).encode() + values[n]
                                                          for n in read)), digest_size=16).digest()
            self.outputs[path] = (frozenset(read), fingerprint)
        for path in [path for path in self.outputs if path not in world.pages]:
            del self.outputs[path]
        if len(self.locators) > 2 * self.compacted_at + 1000:  # most may still be in use: look now and then
            self._compact()
        return {path: fingerprint for path, (_, fingerprint) in self.outputs.items()}

    def _compact(self) -> None:
        """Drop the locators no output reads any more (a deleted post's, a template no longer used)."""
        kept = sorted(set().union(*(read for read, _ in self.outputs.values())))
        renumber = {old: new for new, old in enumerate(kept)}
        self.locators = [self.locators[n] for n in kept]
        self.values = [self.values[n] for n in kept]
        self.numbers = {locator: number for number, locator in enumerate(self.locators)}
        self.outputs = {path: (frozenset(renumber[n] for n in read), fingerprint)
                        for path, (read, fingerprint) in self.outputs.items()}
        self.compacted_at = len(self.locators)

    def next_change(self, now: datetime) -> datetime | None:
        """The first moment after `now` at which a recorded comparison with the clock turns out
        otherwise; `now` itself when an output read the exact time (it changes at every build)."""
        moments = []
        for locator in self.locators:
            if locator[0] != "clock":
                continue
            if locator[1] == "cmp" and locator[2] >= now:  # the comparison turns out otherwise at m, and after it
                moments.append(locator[2] if locator[2] > now else now + timedelta(microseconds=1))
            elif locator[1] == "date":
                moments.append(datetime.combine(now.date() + timedelta(days=1), clock(0), now.tzinfo))
            elif locator[1] == "year":
                moments.append(datetime.combine(date(now.year + 1, 1, 1), clock(0), now.tzinfo))
            elif locator[1] == "exact":
                moments.append(now)
        return min(moments, default=None)


__all__ = ["Check", "Dependencies", "World", "recording"]
