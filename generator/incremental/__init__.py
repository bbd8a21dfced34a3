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
from array import array
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time as clock, timedelta
from pathlib import Path
from typing import Any

from generator.incremental import recording
from generator.incremental.recording import FROM_A_FILE, digest

FILE = "dependencies.pickle"
_MISSING = b"missing"


def settings_of(options: Any, shown_content: str) -> str:
    """What the site's objects are made from besides the files and the clock (World.settings, and the
    build's quick check): the build's options (site.Options.settings), and the content folder as the
    command was given it, from which every post, page, event and focus area names its file as
    messages do (`shown`: "./content/posts/…" for `--content ./content`)."""
    return repr((options.settings, shown_content))


@dataclass
class World:
    """Everything an output's rendering can read, for one build: what the locators are asked of."""

    site: Any  # site.Site
    pages: dict[str, Any]  # site path -> the page data the plan gave the output
    templates: dict[str, str]  # template file -> hash of its bytes (cache.file_digests)
    assets: dict[str, str]  # asset name -> its hashed site path
    images: dict[str, tuple[int, int]]  # an image's src as written in pages -> its size
    settings: str  # settings_of(): the build's options but the clock, and the content folder as given

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
    """What Dependencies.reusable found: the outputs still right (site path -> fingerprint), the
    new values of the reads that changed, and what the next check compares with."""

    reusable: dict[str, bytes]
    changed: dict[int, bytes]
    versions: dict[tuple, str]
    groups: dict[tuple, bytes] = field(default_factory=dict)
    now: datetime | None = None


def group_of(locator: tuple) -> tuple:
    """The group a locator is asked in (Dependencies.members): the reads of one object made from
    one file; of one field of another object; the comparisons with the clock; the pages' data;
    and the rest, each on its own."""
    kind = locator[0]
    if kind == "attr" or kind == "item":
        owner = locator[1]
        if owner[0] in _FROM_A_FILE_NAMES:
            return ("file", owner)
        return ("field", owner, locator[2])
    if kind == "clock" and locator[1] == "cmp":
        return ("clock-cmp",)
    if kind == "page":
        return ("page",)
    return ("each",)


_FROM_A_FILE_NAMES = frozenset(kind.__name__ for kind in recording.FROM_A_FILE)


def _field_digest(world: World, group: tuple) -> bytes:
    """The digest of one field of an object as a whole (a "field" group of group_of)."""
    item = world.objects.get(group[1])
    return _MISSING if item is None else digest(object.__getattribute__(item, group[2]), world.memo)


@dataclass
class Dependencies:
    """What every output read when it was last rendered, and what that yielded then."""

    locators: list[tuple]  # every locator read, numbered by its place
    numbers: dict[tuple, int]  # locator -> its number
    values: list[bytes]  # the digest of what each locator yielded when last asked
    versions: dict[tuple, str]  # World.versions() of the last build
    # site path -> (the numbers of what it read, its fingerprint); the numbers in an array, which
    # pickles as one block of bytes where a frozenset is built again number by number
    outputs: dict[str, tuple[array, bytes]]
    key: str = ""  # the code that recorded it: other code may record other reads
    compacted_at: int = 0  # how many locators there were after the last _compact()
    # The locators' numbers by group_of(locator), so that a group found unchanged as a whole is
    # passed over without looking at its members.
    members: dict[tuple, list[int]] = field(default_factory=dict)
    # The digest of each group asked as a whole at the last recorded build, and that build's now:
    # `values` are what every locator yielded then.
    group_digests: dict[tuple, bytes] = field(default_factory=dict)
    now: datetime | None = None

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

        Most reads are not asked one by one; each shortcut below answers for a whole group
        only what asking each of its members would:
        - reads of an object made from one file are asked only when that file (or the config,
          or the options) changed: the object is made from those alone;
        - the reads of one field of another object (`site._neighbours`, one key per post page)
          are asked only when the digest of the whole field changed, since each read's value is
          a function of the field's;
        - the pages' data is digested by kind of page (all post pages, all tag pages): a kind
          whose pages all have the data they had is passed over;
        - a comparison with the clock can only have turned out otherwise for a moment between
          the last recorded build's now and this one's."""
        versions = world.versions()
        context_same = versions[("context",)] == self.versions.get(("context",))
        locators, values, last_groups = self.locators, self.values, self.group_digests
        changed: dict[int, bytes] = {}
        groups: dict[tuple, bytes] = {}

        def ask(numbers) -> None:
            for number in numbers:
                value = world.value_of(locators[number])
                if value != values[number]:
                    changed[number] = value

        now = world.site.now
        for group, numbers in self.members.items():
            kind = group[0]
            if kind == "file":
                version = self.versions.get(group[1])
                if not (context_same and version is not None and version == versions.get(group[1])):
                    ask(numbers)
            elif kind == "field" and len(numbers) > 1:
                whole = groups[group] = _field_digest(world, group)
                if whole != last_groups.get(group):
                    ask(numbers)
            elif kind == "page":
                missing, kinds = self._page_kinds(world, numbers)
                ask(missing)
                for page_group, (members, whole) in kinds.items():
                    groups[page_group] = whole
                    if whole != last_groups.get(page_group):
                        ask(members)
            elif kind == "clock-cmp" and self.now is not None:
                low, high = min(self.now, now), max(self.now, now)
                if low != high:
                    ask([number for number in numbers if low <= locators[number][2] <= high])
            else:
                ask(numbers)
        changed_numbers = changed.keys()
        reusable = {path: fingerprint for path, (read, fingerprint) in self.outputs.items()
                    if path in world.pages and (not changed or changed_numbers.isdisjoint(read))}
        return Check(reusable, changed, versions, groups, now)

    def _page_kinds(self, world: World, numbers: list[int]) -> tuple[list[int], dict[tuple, tuple[list[int], bytes]]]:
        """The ("page", path) reads of pages that no longer exist (asked one by one), and the others
        by the kind of each page's data now, ("page", kind) -> (its reads, the digest of its pages'
        paths and data in that order): a kind that digests as it did is passed over."""
        pages, locators = world.pages, self.locators
        kinds: dict[tuple, list[int]] = {}
        missing = []
        for number in numbers:
            page = pages.get(locators[number][1], _MISSING)
            if page is _MISSING:
                missing.append(number)
            else:
                kinds.setdefault(("page", type(page).__qualname__), []).append(number)
        return missing, {group: (members, digest([(locators[n][1], pages[locators[n][1]]) for n in members],
                                                 world.memo, nested=False))
                         for group, members in kinds.items()}

    def _complete_groups(self, world: World, grown: set[tuple]) -> None:
        """Digest, as the next check will, the groups that have no digest yet (the first build's, or
        all after _compact) or got members in this record: otherwise the next check would find them
        changed and ask each of their members one by one (every page of the site, after the first
        build). `values` now hold what this build's world yields, for every member."""
        for group, numbers in self.members.items():
            if group[0] == "field" and len(numbers) > 1 and (group in grown or group not in self.group_digests):
                self.group_digests[group] = _field_digest(world, group)
        pages = self.members.get(("page",))
        if pages and (("page",) in grown or not any(group[0] == "page" for group in self.group_digests)):
            for group, (_, whole) in self._page_kinds(world, pages)[1].items():
                self.group_digests[group] = whole

    def record(self, world: World, check: "Check", made: dict[str, tuple]) -> dict[str, bytes]:
        """Record what each output in `made` (site path -> the locators its rendering read) read,
        after `check` found which of the others are still right; forget the outputs the site
        no longer has. Returns every output's fingerprint."""
        numbers, values, members = self.numbers, self.values, self.members
        for number, value in check.changed.items():
            values[number] = value
        self.versions, self.group_digests, self.now = check.versions, dict(check.groups), check.now
        grown: set[tuple] = set()
        all_in_use = not self.locators  # every locator recorded now is read by an output in `made`
        keyed: dict[int, bytes] = {}  # a locator and what it yields, as fingerprints sort them: made once
        for path, reads in made.items():
            read = []
            for locator in reads:
                number = numbers.get(locator)
                if number is None:
                    number = numbers[locator] = len(self.locators)
                    self.locators.append(locator)
                    values.append(world.value_of(locator))
                    group = group_of(locator)
                    members.setdefault(group, []).append(number)
                    grown.add(group)
                read.append(number)
            for number in read:
                if number not in keyed:
                    keyed[number] = repr(self.locators[number]).encode() + values[number]
            fingerprint = hashlib.blake2b(b"".join(sorted([keyed[n] for n in read])), digest_size=16).digest()
            self.outputs[path] = (array("I", read), fingerprint)
        for path in [path for path in self.outputs if path not in world.pages]:
            del self.outputs[path]
        if all_in_use:
            self.compacted_at = len(self.locators)
        elif len(self.locators) > 2 * self.compacted_at + 1000:  # most may still be in use: look now and then
            self._compact()
        self._complete_groups(world, grown)
        return {path: fingerprint for path, (_, fingerprint) in self.outputs.items()}

    def _compact(self) -> None:
        """Drop the locators no output reads any more (a deleted post's, a template no longer used)."""
        kept = sorted(set().union(*(read for read, _ in self.outputs.values())))
        renumber = {old: new for new, old in enumerate(kept)}
        self.locators = [self.locators[n] for n in kept]
        self.values = [self.values[n] for n in kept]
        self.numbers = {locator: number for number, locator in enumerate(self.locators)}
        self.outputs = {path: (array("I", [renumber[n] for n in read]), fingerprint)
                        for path, (read, fingerprint) in self.outputs.items()}
        self.members = {}
        for number, locator in enumerate(self.locators):
            self.members.setdefault(group_of(locator), []).append(number)
        self.group_digests = {}  # a group's members changed: the digests are made again at the next check
        self.compacted_at = len(self.locators)

    def next_change(self, now: datetime) -> datetime | None:
        """The first moment after `now` at which a recorded comparison with the clock turns out
        otherwise; `now` itself when an output read the exact time (it changes at every build)."""
        moments = []
        for number in (*self.members.get(("clock-cmp",), ()), *self.members.get(("each",), ())):  # group_of
            locator = self.locators[number]
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


__all__ = ["Check", "Dependencies", "World", "recording", "settings_of"]
