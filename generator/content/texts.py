"""A content file's text: its revision, and where its rendered Markdown body is kept.

Kept apart from load.py, which validates front matter with the content models
(pydantic), so that the site model (site.py) can hold bodies without importing them.
"""
from __future__ import annotations

import hashlib
import pickle


def text_revision(text: str) -> str:
    """A hash of a content file's text (Document.revision)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


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
        if type(body) is bytes:  # as the cache writes it (cache.BuildCache._write_shard)
            return body.decode("utf-8", "surrogatepass")
        if body is None:  # a damaged or missing bodies file: render the file again
            from generator.content.load import _load_file

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
