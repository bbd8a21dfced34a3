"""What an output read while it was rendered: recorded, not declared.

While an output renders, every attribute read of a content object (the Site,
its config, posts, pages, events, focus areas, people, tags, organisations,
municipalities) is noted as a *locator*: a name for the read that can be asked
again of the next build's Site. The reads are caught at the objects themselves
(a `__getattribute__` installed on those classes while rendering), so a read made
by a template (`{{ post.title }}`, which Jinja compiles to `environment.getattr`)
and one made by a Python helper a template calls (`body`, `blog_posting`, the
feeds and calendars) are recorded by the same code; the Jinja environment
(render.RecordingEnvironment) adds which template files it loaded.

The kinds of locator:
- ("attr", identity, name): a field or property of one object, e.g. the title
  of the post with the file posts/2015/x.md;
- ("item", identity, name, key): one key of a dict-valued field of the Site
  (`site.posts_by_tag["larresa"]`, the neighbours of one post, where one
  relative link leads); iterating such a dict records the whole field;
- ("template", name): a template file;
- ("asset", name) and ("image", src): a hashed asset's address, an image's size;
- ("clock", "cmp", moment), ("clock", "date"), ("clock", "exact"): how the
  output compared with the build's `now` (site.now is a `Now`, which records
  the moments compared with rather than the time itself);
- ("page", path): the page data the plan gave the output (recorded for every
  output).

The value of a locator (`value_of`) is canonical: content objects inside it are
named by their identity, not expanded, because what is read of them is recorded
on its own. Everything else is taken whole.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
import types
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Callable, Iterator

from pydantic import BaseModel

from generator.content import places
from generator.content.markdown import References
from generator.site.model import Config, Event, FocusArea, Organisation, Page, Person, Post, Site, Tag
from generator.content.texts import StoredBody

# The content objects whose reads are recorded, each with the field that names it in every build.
# An object of one of these classes is, in a value, only its name (see canonical).
IDENTITY: dict[type, str | None] = {
    Site: None, Config: None,
    Post: "source", Page: "source", Event: "source", FocusArea: "source",
    Person: "id", Tag: "slug", Organisation: "id", places.Municipality: "slug",
}
# Objects made from one content file: all their fields come from that file's bytes, the
# site's config (the time zone dates are read in) and the build's settings (incremental.settings_of:
# `shown` starts with the content folder as given), so while none changed, none of their
# recorded reads is asked again (which would read every post's body at each build).
FROM_A_FILE = (Post, Page, Event, FocusArea)

_reads: set | None = None  # the locators read by the output being rendered; None when none is


def identity(item: Any) -> tuple:
    kind = type(item)
    key = IDENTITY[kind]
    return (kind.__name__,) if key is None else (kind.__name__, object.__getattribute__(item, key))


def note(locator: tuple) -> None:
    if _reads is not None:
        _reads.add(locator)


def note_all(locators) -> None:
    if _reads is not None:
        _reads.update(locators)


class Capture:
    """The reads made inside a `with`; they count for the output being rendered as well."""

    def __enter__(self) -> set:
        global _reads
        self.outer, self.reads = _reads, set()
        _reads = self.reads
        return self.reads

    def __exit__(self, *exc) -> None:
        global _reads
        _reads = self.outer
        if self.outer is not None:
            self.outer.update(self.reads)


def remembered(cache: dict, key: Any, make: Callable[[], Any]) -> Any:
    """`make()` once per key for the whole build, as card_once does; whoever uses the remembered
    result is recorded as having read what making it read."""
    found = cache.get(key)
    if found is None:
        with Capture() as reads:
            value = make()
        cache[key] = found = (value, frozenset(reads))
    else:
        note_all(found[1])
    return found[0]


_wrapped: dict[tuple, Any] = {}  # per build: the recording stand-ins handed out for dicts and the clock


def _recording_getattribute(self, name: str):
    value = object.__getattribute__(self, name)
    if name[:2] == "__" or _reads is None:
        return value
    kind = type(value)
    if kind is types.MethodType:  # calling it reads fields, which are recorded then
        return value
    locator = ("attr", identity(self), name)
    if kind is dict:
        proxy = _wrapped.get(locator)
        if proxy is None:
            proxy = _wrapped[locator] = RecordedMapping(locator, value)
        return proxy
    if kind is datetime and type(self) is Site and name == "now":
        proxy = _wrapped.get(locator)
        if proxy is None:
            proxy = _wrapped[locator] = Now.of(value)
        return proxy
    _reads.add(locator)
    return value


class RecordedMapping(Mapping):
    """A dict field of the Site, as handed to templates and helpers while recording: a lookup
    records one key, anything that sees the whole dict records the whole field."""

    __slots__ = ("_locator", "_data")

    def __init__(self, locator: tuple, data: dict):
        self._locator, self._data = locator, data

    def __getitem__(self, key):
        note(("item", *self._locator[1:], key))
        return self._data[key]

    def get(self, key, default=None):
        note(("item", *self._locator[1:], key))
        return self._data.get(key, default)

    def __contains__(self, key) -> bool:
        note(("item", *self._locator[1:], key))
        return key in self._data

    def __iter__(self) -> Iterator:
        note(self._locator)
        return iter(self._data)

    def __len__(self) -> int:
        note(self._locator)
        return len(self._data)

    # What a dict does beyond a Mapping, which a template may ask of it (`|last` reverses it,
    # `{{ d }}` prints it): the same answers, the whole field recorded.
    def __reversed__(self) -> Iterator:
        note(self._locator)
        return reversed(self._data)

    def __repr__(self) -> str:
        note(self._locator)
        return repr(self._data)

    def copy(self) -> dict:
        note(self._locator)
        return self._data.copy()

    # The views a dict gives, not a Mapping's (which print as ItemsView(...), not dict_items([...])).
    def keys(self):
        note(self._locator)
        return self._data.keys()

    def values(self):
        note(self._locator)
        return self._data.values()

    def items(self):
        note(self._locator)
        return self._data.items()


def plain(value: Any) -> Any:
    """`value` with each recording stand-in for a dict of the Site in it replaced by that dict, its
    whole field recorded: for the code that looks at a value's type rather than asking it, and would
    tell the stand-in from a dict (json, pprint's sorted keys, Jinja's urlencode; render.py)."""
    kind = type(value)
    if kind is RecordedMapping:
        note(value._locator)
        return value._data
    if kind is dict:
        return {key: plain(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind([plain(item) for item in value])
    return value


class RecordedTable(Mapping):
    """A table the templates' helpers look things up in that is not content (the hashed assets'
    addresses, the images' sizes): each lookup is recorded as (kind, key)."""

    def __init__(self, kind: str, data: dict):
        self.kind, self.data = kind, data

    def __getitem__(self, key):
        note((self.kind, key))
        return self.data[key]

    def get(self, key, default=None):
        note((self.kind, key))
        return self.data.get(key, default)

    def __contains__(self, key) -> bool:
        note((self.kind, key))
        return key in self.data

    def __iter__(self) -> Iterator:
        note((self.kind, None))
        return iter(self.data)

    def __len__(self) -> int:
        note((self.kind, None))
        return len(self.data)


def _plain(moment: datetime) -> datetime:
    """A datetime with the moment of a Now (or of a datetime subclass), as a plain datetime.

    Its fields are read past Now.__getattribute__: copying a moment is not a use of the clock."""
    field = functools.partial(object.__getattribute__, moment)
    return datetime.__new__(datetime, field("year"), field("month"), field("day"), field("hour"), field("minute"),
                            field("second"), field("microsecond"), field("tzinfo"), fold=field("fold"))


def _unwrapped(result: Any) -> Any:
    # datetime's operators and methods (replace, astimezone, + timedelta) return an instance of the
    # subclass: a Now carrying another moment, whose later comparisons would record moments that are
    # not the clock's. What they return is a plain datetime; the read of the clock that made it has
    # been recorded as exact.
    return _plain(result) if isinstance(result, Now) else result


class Now(datetime):
    """The build's `now` as templates and helpers see it: a comparison records the moment compared
    with (its result changes only when the clock passes it), `.date()` and `.year` record the day
    or the year; any other use records the exact time, and renders the output at every build.

    "Any other use" includes the operators that reach datetime's own code without an attribute
    read (`now - post.date.value`, `now + timedelta(days=7)`, `hash(now)`): each is overridden
    here to record the exact time, and what they return is a plain datetime, never a Now."""

    @classmethod
    def of(cls, moment: datetime) -> "Now":
        return cls(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                   moment.microsecond, moment.tzinfo, fold=moment.fold)

    def _compared(self, other, operator: str) -> bool:
        if not isinstance(other, datetime):
            note(("clock", "exact"))
            return getattr(datetime, operator)(self, other)
        # Compared as plain copies: across two zones datetime asks the zone for utcoffset(self),
        # which reads the Now as a use of the exact time; the comparison is recorded below.
        moment, other = _plain(self), _plain(other)
        if (moment.utcoffset() is None) == (other.utcoffset() is None):
            note(("clock", "cmp", other))
        # else a naive moment against an aware one: never equal and not ordered (datetime raises
        # TypeError for <) whatever the time, so nothing is recorded; recorded, the moment could
        # not be compared with the next build's clock.
        return getattr(datetime, operator)(moment, other)

    def _exact(self, operator: str, *args):
        note(("clock", "exact"))
        return _unwrapped(getattr(datetime, operator)(self, *args))

    def __lt__(self, other):
        return self._compared(other, "__lt__")

    def __le__(self, other):
        return self._compared(other, "__le__")

    def __gt__(self, other):
        return self._compared(other, "__gt__")

    def __ge__(self, other):
        return self._compared(other, "__ge__")

    def __eq__(self, other):
        return self._compared(other, "__eq__")

    def __ne__(self, other):
        return self._compared(other, "__ne__")

    def __add__(self, other):
        return self._exact("__add__", other)

    def __radd__(self, other):
        return self._exact("__radd__", other)

    def __sub__(self, other):
        return self._exact("__sub__", other)

    def __rsub__(self, other):
        return self._exact("__rsub__", other)

    def __hash__(self):
        return self._exact("__hash__")

    def __repr__(self):  # as a datetime's, which datetime's own repr would name by the class: Now(2015, …)
        note(("clock", "exact"))
        return repr(_plain(self))

    def __getattribute__(self, name: str):
        if name in ("_compared", "_exact", "__class__"):
            return object.__getattribute__(self, name)
        note(("clock", "date") if name == "date" else ("clock", "year") if name == "year" else ("clock", "exact"))
        value = object.__getattribute__(self, name)
        if callable(value) and name != "date":  # now.replace(...), now.astimezone(...): a plain datetime
            return functools.wraps(value)(lambda *args, **kwargs: _unwrapped(value(*args, **kwargs)))
        return value

    def __reduce__(self):
        return (datetime, datetime.__reduce__(self)[1])


class Recording:
    """While active, the content classes record the reads made of them (`with Recording(): ...`).

    The hooks stay off outside rendering: loading, the site and the plan pay nothing for them."""

    def __enter__(self) -> "Recording":
        _wrapped.clear()
        for kind in IDENTITY:
            kind.__getattribute__ = _recording_getattribute
        return self

    def __exit__(self, *exc) -> None:
        for kind in IDENTITY:
            del kind.__getattribute__
        _wrapped.clear()


def render_recorded(render: Callable[[], bytes], page_locator: tuple) -> tuple[bytes, frozenset]:
    """Run `render()` for one output, returning its bytes and the locators it read."""
    global _reads
    _reads = {page_locator}
    try:
        data = render()
        return data, frozenset(_reads)
    finally:
        _reads = None


class Shared:
    """One object for each locator that several outputs read, as their records come in.

    A record that comes from a worker process is unpickled into new tuples and strings of its
    own: the 14,000 outputs of a 10,000-post site read 900,000 locators, of which 180,000
    differ (a post's title is read by its page, its tag pages, its year's page and the feeds).
    Kept as they came, the copies would be most of the memory of a build with the cache; kept as
    sets, their tables would be four times the size of tuples (each read is in it once already)."""

    def __init__(self) -> None:
        self._one: dict[tuple, tuple] = {}

    def reads(self, reads: frozenset) -> tuple:
        one = self._one
        return tuple([one.setdefault(locator, locator) for locator in reads])


# Values, for comparing between builds.

_NAMES = {kind: kind.__name__ for kind in IDENTITY}
_PLAIN = (str, int, float, bool, type(None))


def canonical(value: Any, memo: dict | None = None) -> Any:
    """A value in a form that compares equal across builds (and processes) when it is the same:
    content objects by their identity, everything else whole.

    `memo` (id -> (value, form)) spares working out again what several values share, as the
    pages of one list share its feed; it holds each value, so that no id is reused while it lives,
    and serves one build, during which the site does not change."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    key = IDENTITY.get(kind, False)
    if key is not False:
        return ("@", _NAMES[kind]) if key is None else ("@", _NAMES[kind], object.__getattribute__(value, key))
    if memo is not None:
        known = memo.get(id(value))
        if known is not None:
            return known[1]
    form = _composite(value, kind, memo)
    if (kind is tuple or kind is list or kind is dict) and len(value) > 16:
        # A long list stands in its container as a digest of its form: the posts of a feed
        # shared by a hundred pages are written out once, not once in each page's form.
        form = hashlib.blake2b(repr(form).encode("utf-8"), digest_size=12).digest()
    if memo is not None:
        memo[id(value)] = (value, form)
    return form


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, by class


def _first(pair: tuple) -> Any:
    return pair[0]


def _composite(value: Any, kind: type, memo: dict | None) -> Any:
    names = _FIELDS.get(kind)
    if names is not None:  # a dataclass seen before (a page's data): the checks below all failed for its class
        return (kind.__qualname__, tuple([canonical(object.__getattribute__(value, name), memo) for name in names]))
    if kind is dict and all(type(k) is str for k in value):  # page data: sorted by name
        return ("{", tuple([(k, canonical(v, memo)) for k, v in sorted(value.items(), key=_first)]))
    if kind is tuple or kind is list or isinstance(value, (tuple, list)):
        first = type(value[0]) if value else None
        key = IDENTITY.get(first, False)
        if key and all(type(item) is first for item in value):  # the common case: a list of posts
            return ("@@", _NAMES[first], tuple([object.__getattribute__(item, key) for item in value]))
        return tuple([canonical(item, memo) for item in value])
    if isinstance(value, str):  # Markup and other str subclasses
        return str(value)
    if isinstance(value, Now):
        return ("t", repr(_plain(value)))
    if isinstance(value, (datetime, date, time, timedelta, tzinfo)):
        return ("t", repr(value))
    if isinstance(value, Mapping):
        data = value._data if isinstance(value, RecordedMapping) else value
        return ("{", tuple(sorted(((canonical(k, memo), canonical(v, memo)) for k, v in data.items()),
                                  key=lambda pair: repr(pair[0]))))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((canonical(item, memo) for item in value), key=repr)))
    if isinstance(value, StoredBody):
        return ("body", value.key)
    if isinstance(value, functools.partial):
        return ("partial", canonical(value.func, memo), canonical(value.args, memo), canonical(value.keywords, memo))
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return ("fn", value.__module__, value.__qualname__)
    if isinstance(value, types.MethodType):
        return ("method", canonical(value.__self__, memo), value.__func__.__qualname__)
    if dataclasses.is_dataclass(value):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
        return (kind.__qualname__, tuple([canonical(object.__getattribute__(value, name), memo) for name in names]))
    fields = getattr(value, "__dict__", None)
    if fields is not None:  # pydantic models (a Place, a Link) and other plain objects
        return (kind.__qualname__, tuple([(name, canonical(item, memo)) for name, item in fields.items()]))
    slots = [name for klass in kind.__mro__ for name in getattr(klass, "__slots__", ())]
    if slots:
        return (kind.__qualname__, tuple([(name, canonical(getattr(value, name, None), memo)) for name in slots]))
    return (kind.__qualname__, repr(value))


def digest(value: Any, memo: dict | None = None, nested: bool = True) -> bytes:
    """A digest of `value` as canonical() sees it: equal digests mean equal values, content objects
    taken by their identity.

    Made by pickling, in C, with content objects replaced by their identity as they are met
    (_Digester.reducer_override); canonical() walks the value in Python and is four times slower
    on the pages' data of a large site. The two forms never give one digest, so a value digested
    one way in one build and the other way in the next only counts as changed. Pickling keeps
    what canonical() forgets (a dict's order, which objects are shared, a set's order, which for
    strings differs from process to process): a value can only seem changed when it is not,
    which costs a rendering, never a stale page. The sets the site's own values hold (pydantic's
    record of the fields given, a text's outside hosts) are taken in a fixed order, so that the
    next `build` command, with another hash seed, finds them unchanged. Whatever pickle cannot
    take (a function made inside another) is digested through canonical()."""
    kind = type(value)
    if memo is not None and kind not in _PLAIN:
        known = memo.get(("digest", id(value)))
        if known is not None:
            return known[1]
    if kind is str:  # a text (a post's body as HTML) as its UTF-8 bytes, which pickling would keep with it
        return hashlib.blake2b(b"s" + value.encode("utf-8", "surrogatepass"), digest_size=12).digest()
    buffer = io.BytesIO()
    try:
        _Digester(buffer, value if nested else None, memo).dump(value)
        data = b"p" + buffer.getvalue()
    except Exception:  # noqa: BLE001 - unpicklable values are many kinds of error; canonical() takes them
        data = b"c" + repr(canonical(value, memo)).encode("utf-8")
    found = hashlib.blake2b(data, digest_size=12).digest()
    if memo is not None and kind not in _PLAIN:
        memo[("digest", id(value))] = (value, found)  # holding the value: its id is not reused meanwhile
    return found


_NESTED: dict[type, bool] = {}  # whether a class's objects are digested on their own (_Digester)
# A dataclass's field names, for _Digester; not _FIELDS, which canonical() takes as saying that its
# other checks all failed for the class.
_PICKLED_FIELDS: dict[type, tuple[str, ...]] = {}


def _named(*identity) -> None:
    """Stands in a digest's pickle for a content object (_Digester); never called."""


class _Digester(pickle.Pickler):
    """Pickles a value for digest(): what canonical() takes by a name, by that name; a dataclass
    inside it (a page's feed, shared by a hundred pages) by its own digest, made once a build."""

    def __init__(self, file: io.BytesIO, top: Any, memo: dict | None):
        super().__init__(file, protocol=5)
        self.top, self.digests = top, memo

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        key = IDENTITY.get(kind, False)
        if key is not False:
            return _named, ((_NAMES[kind],) if key is None else (_NAMES[kind], object.__getattribute__(obj, key)))
        nested = _NESTED.get(kind)
        if nested is None:
            nested = _NESTED[kind] = dataclasses.is_dataclass(kind)
        if nested and self.top is not None and obj is not self.top:
            return _named, ("digest", digest(obj, self.digests))
        if nested:  # by its fields: pickle's own way asks for the object's __dict__, which Python then makes and
            names = _PICKLED_FIELDS.get(kind)  # keeps with it (a kilobyte for each page's data, at every build)
            if names is None:
                names = _PICKLED_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
            return _named, ("fields", kind, tuple([object.__getattribute__(obj, name) for name in names]))
        if kind is StoredBody:  # read from whichever cache file holds it: named by what it was made from
            return _named, ("body", obj.key)
        if isinstance(obj, BaseModel):  # its pickle holds the set of fields given, in an order of the process's
            return _named, ("model", kind, obj.__dict__, obj.__pydantic_extra__,
                            sorted(obj.__pydantic_fields_set__), obj.__pydantic_private__)
        if kind is References:  # `outside` is made from the tuple (and a set, in an order of the process's)
            return _named, ("references", tuple(obj))
        if kind is Now:
            return _named, ("now", _plain(obj))
        if kind is RecordedMapping:
            return _named, ("mapping", obj._data)
        return NotImplemented
