"""The planned site, kept between builds: after an edit to posts' texts alone, a build skips
load, site and plan.

At 10,000 posts, reading every parse result, building the Site and planning its
14,000 outputs was most of a warm build, also when an editor had changed one
sentence. So a build with a cache keeps what it planned (the Site, the outputs and
the assets) in cache_dir/planned.pickle, beside what it was made from. The next
build starts from it (pipeline.plan_from_kept) when all that changed since is the
text of published posts: each one's front matter byte for byte as it was, no
file added or removed, the templates, assets, settings and code as they were,
and the clock not yet at a moment that changes the site. Those posts' texts are
read again (texts.read_new_text) and put in place, as in the dev server's quick
path (pipeline.LiveSite). Any other change takes the full path, which keeps a new
plan. The output is byte-identical to a build without the cache (tests/test_cache.py).

The Markdown bodies are not in the file: each is a texts.StoredBody, read from the
parse cache only when a page shows it.
"""
from __future__ import annotations

import copyreg
import io
import pickle
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.cache import write_whole
from generator.site import FocusArea, Page, Post, Site
from generator.texts import StoredBody

FILE = "planned.pickle"


@dataclass
class Inputs:
    """What a kept plan was made from: first in the file, and read alone when the plan cannot be used."""

    key: str  # the code, the settings and the folders (pipeline: what else the plan depends on)
    keys: tuple  # the fingerprints' shell and everything keys it was made with (incremental.Fingerprints)
    content: dict  # content file -> hash of its bytes, as planned
    templates: dict  # the same for the templates and the assets: the fingerprints depend on them
    assets: dict
    made_at: datetime  # the build's `now`
    valid_until: datetime  # the next moment the clock changes the site (pipeline.next_change)
    published: frozenset  # the content files of the published posts: the only ones whose text may change

    def usable(self, key: str, keys: tuple, content: dict, templates: dict, assets: dict, now: datetime) -> bool:
        """Whether the plan can stand for the site now, given that only posts' texts changed
        (which plan_from_kept checks file by file)."""
        return (self.key == key and self.keys == keys and self.templates == templates and self.assets == assets
                and self.content.keys() == content.keys() and self.made_at <= now < self.valid_until)


@dataclass
class Kept:
    site: Site
    outputs: list
    found_assets: list
    summary: dict  # the build report's counts and warnings (pipeline.SUMMARY_FIELDS)


def save(folder: Path, inputs: Inputs, kept: Kept, parsed: dict) -> None:
    """Write the plan after what it was made from. `parsed` is the build cache's parse results as
    saved (BuildCache.save), whose bodies are StoredBody: each post's, page's and focus area's
    body is written as that reference."""
    from generator.load import Document

    stored = {item.source: item.body for _, (item, *_) in parsed.values()
              if isinstance(item, Document) and isinstance(item.body, StoredBody)}

    def with_stored_body(item):
        state = dict(item.__dict__)
        state["body"] = stored.get(item.source, item.body)
        return copyreg.__newobj__, (type(item),), state

    buffer = io.BytesIO()
    pickle.dump(inputs, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {kind: with_stored_body for kind in (Post, Page, FocusArea)}
    pickler.dump(kept)
    write_whole(folder / FILE, lambda file: file.write(buffer.getbuffer()))


@dataclass
class Stored:
    """A kept plan as read from the cache: what it was made from, and the plan, unpickled (10 MB
    at 10,000 posts) only when asked for, once the inputs show it can be used."""

    inputs: Inputs
    rest: io.BytesIO  # the file, after the inputs

    def plan(self) -> Kept | None:
        try:
            kept = pickle.load(self.rest)
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a broken plan is never used
            return None
        return kept if isinstance(kept, Kept) else None


def read(folder: Path) -> Stored | None:
    """The kept plan, or None when there is none or it cannot be read (then the full path is taken)."""
    try:
        data = io.BytesIO((folder / FILE).read_bytes())
        inputs = pickle.load(data)
    except Exception:  # noqa: BLE001 - whatever is wrong with it, a broken plan is never used
        return None
    return Stored(inputs, data) if isinstance(inputs, Inputs) else None
