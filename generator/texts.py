"""A post's or page's text: its Markdown rendered, and where a rendered body is kept.

Kept apart from load.py, which validates front matter with the content models:
a build that only gives edited posts their new text (pipeline.plan_from_kept,
the dev server's quick path) reads and renders the text here, and never
imports the models (pydantic), which was a fifth of such a build.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
from dataclasses import dataclass
from pathlib import Path

from generator import markdown
from generator.sources import read_text, split_front_matter


def text_revision(text: str) -> str:
    """A hash of a content file's text (Document.revision)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def front_revision(front: str) -> str:
    """A hash of a file's front matter as written (Document.meta_revision)."""
    return hashlib.sha1(front.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class NewText:
    """What an edit to a post's text alone changes of it."""

    body: str  # the rendered Markdown
    excerpt: str
    revision: str


def read_new_text(path: Path, shown: str, meta_revision: str) -> NewText | None:
    """The text of a post or page whose front matter is byte for byte the one that hashed to
    `meta_revision`: then its validated front matter is as it was, and only the Markdown is
    rendered again. None when the front matter changed or the file cannot be read as it was,
    or is no longer a regular file (a link, a pipe: load.py refuses those with an error, and a
    pipe would block the read); then it must be loaded, and its problems reported, as any other
    file."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
    except OSError:
        return None
    text, errors = read_text(path, shown)
    if text is None:
        return None
    front, body, _, errors = split_front_matter(text, shown)
    if errors or front_revision(front) != meta_revision:
        return None
    body_html = markdown.render(body)
    return NewText(body_html, markdown.excerpt(body_html), text_revision(text))


class StoredBody:
    """A rendered Markdown body kept in the build cache, read only when a page needs it.

    A warm build renders a few pages; reading 10,000 bodies (50 MB) to render them
    was most of the time spent opening the cache. A body that cannot be read (the
    cache file damaged or gone) is rendered again from its file, whose bytes are
    the same ones it was rendered from: a cached parse is only used when they are.
    """

    __slots__ = ("file", "key", "task")
    loaded: dict[str, dict] = {}  # bodies file -> its bodies, read once in each process

    def __init__(self, file: str, key: tuple, task: tuple):
        self.file, self.key, self.task = file, key, task

    def __getstate__(self):
        return self.file, self.key, self.task

    def __setstate__(self, state) -> None:
        self.file, self.key, self.task = state

    def text(self) -> str:
        bodies = StoredBody.loaded.get(self.file)
        if bodies is None:
            bodies = StoredBody.loaded[self.file] = _read_bodies(self.file)
        body = bodies.get(self.key)
        if body is None:  # a damaged or missing bodies file: render the file again
            from generator.load import _load_file

            document = _load_file(self.task)[0]
            body = document.body_html if document is not None else ""
        return body


def body_text(body: "str | StoredBody") -> str:
    return body if isinstance(body, str) else body.text()


def _read_bodies(file: str) -> dict:
    try:
        with open(file, "rb") as opened:
            bodies = pickle.load(opened)
        return bodies if isinstance(bodies, dict) else {}
    except Exception:  # noqa: BLE001 - whatever is wrong with it, each body is rendered again
        return {}
