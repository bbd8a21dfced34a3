"""Knowing which outputs a change affects, so that only those are rendered again.

Every output gets a fingerprint: a hash of everything it is made from. An
output whose fingerprint is unchanged since the last build is not rendered.
What an output is made from:
- the *shell*, shared by all pages: site.yaml, people.yaml, organisations.yaml,
  the pages and focus areas (named in menus and footers), the tags' names, every
  URL (relative links resolve through them), the templates, the assets, the
  build's options but the clock, and what the clock changes: the day, the
  upcoming events and the posts whose time has come (not the clock itself,
  which would make every build a second later change every page);
- the content it shows: the revision (a hash of the source file) of every post,
  event, page or focus area in its `page` data, and of what its template looks
  up in the site besides (an event's related posts; of a post's neighbours,
  whose titles a post's page shows, the front matter). Of the posts in a list,
  only what the list shows of them counts (SHOWN_OF_POSTS): their cards, or
  their front matter;
- for pages that count or list everything (archive, tags, people, sitemap …):
  the front matter of every post, and every event. (What they show of a post
  beyond its front matter is in their `page` data, counted above.)
Correctness is tested by comparing, after each kind of edit, the incremental
result with a build from scratch (tests/test_incremental.py).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from generator.plan import Output, Pager
from generator.site import Options, Site

# Templates whose pages show or count every post or event.
EVERYTHING = {
    "home.html", "archive.html", "tags.html", "people.html", "events.html", "events_year.html",
    "municipalities.html", "programme.html", "wheel.html", "subscribe.html", "sitemap.xml",
    "@events_json", "@events_csv",
}


def _digest(*parts: object) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def revision_of(digests: dict[str, str]) -> str:
    """One hash for the files of a folder, from cache.file_digests()."""
    return _digest(sorted(digests.items()))


def shell(site: Site, registries_revision: str, templates: str, assets: str, options: Options) -> str:
    return _digest(
        registries_revision, templates, assets, options.settings,
        [(p.url, p.title, p.revision) for p in site.pages],
        [(f.id, f.revision) for f in site.focus_areas],
        [(t.slug, t.name) for t in site.tags],
        sorted(site._targets.items()),
        site.now.date(), [e.id for e in site.upcoming],
        [p.source for p in site.posts if p.date.value > site.now],
    )


# What a template shows of the posts in its page data, where it is not the whole post: their
# cards (front matter and description: the card macro in templates/_macros.html) or their
# front matter alone. An edit to a post's text past its first words changes neither. This is
# what the shipped templates show: a template changed to show more of a post (a reading time
# from its text) must leave this table, or cached builds keep its pages stale.
SHOWN_OF_POSTS = {
    "home.html": "card_revision", "list.html": "card_revision", "person.html": "card_revision",
    "focus_area.html": "card_revision", "event.html": "card_revision", "year.html": "meta_revision",
}


def everything(site: Site) -> str:
    return _digest([p.meta_revision for p in site.posts], [e.revision for e in site.events])


@dataclass
class Fingerprints:
    """Every output's fingerprint, and what the next build needs to redo only some of them."""

    by_path: dict[str, str]  # site path -> fingerprint
    keys: tuple[str, str] = ("", "")  # the shell and everything keys they were made with
    shown_by: dict[str, list[str]] | None = None  # content file -> paths of the outputs that show it


def fingerprints(site: Site, outputs: list[Output], shell_key: str, everything_key: str,
                 last: Fingerprints | None = None, changed: Iterable[str] = ()) -> Fingerprints:
    """Every output's fingerprint, with the outputs that show each content file.

    With `last` (the last build's) and `changed` (the content files changed since
    then): when the shell and everything keys are as they were and no output came
    or went, no output changed but those that show a changed file (the only other
    inputs of a fingerprint are the revisions of what an output shows), and only
    those are fingerprinted again. That is the case of an edit to a post's text.
    """
    keys = (shell_key, everything_key)
    if last is not None and last.shown_by is not None and last.keys == keys \
            and last.by_path.keys() == {o.path for o in outputs}:
        redo = {path for source in changed for path in last.shown_by.get(source, ())}
        by_path = dict(last.by_path)
        for output in outputs:
            if output.path in redo:
                by_path[output.path] = fingerprint(output, site, shell_key, everything_key)
        return Fingerprints(by_path, keys, last.shown_by)
    by_path, shown_by = {}, {}
    for output in outputs:
        sources: set[str] = set()
        by_path[output.path] = fingerprint(output, site, shell_key, everything_key, sources)
        for source in sources:
            shown_by.setdefault(source, []).append(output.path)
    return Fingerprints(by_path, keys, shown_by)


def fingerprint(output: Output, site: Site, shell_key: str, everything_key: str,
                sources: set[str] | None = None) -> str:
    """The output's fingerprint; `sources`, when given, collects the content files it shows
    (not counting those every EVERYTHING page shows), for fingerprints() to record."""
    revisions = _Revisions(sources, SHOWN_OF_POSTS.get(output.template, "revision"))
    inputs: list[object] = [shell_key, output.path, output.template]
    for key, value in sorted(vars(output.page).items()):
        if key in ("feed", "calendar") and value is not None and output.template.endswith(".html"):
            # a list page links its feed: only the name and address matter
            inputs.append((key, value.title, value.list_path))
        else:
            inputs.append((key, revisions(value)))
    if output.template in EVERYTHING:
        inputs.append(everything_key)
    post = getattr(output.page, "post", None)
    if post is not None:  # post.html shows its neighbours' titles and addresses: their front matter
        inputs.append([p.meta_revision if p else None for p in (site.newer(post), site.older(post))])
    event = getattr(output.page, "event", None)
    if event is not None:  # event.html lists the posts about it
        inputs.append(revisions(site.posts_by_event.get(event.id, ())))
    return _digest(*inputs)


class _Revisions:
    """What in a page's data can change: revisions of content, the numbers of a pager, plain values.

    Of a post, `of_posts` (SHOWN_OF_POSTS): its whole revision, or that of what the page shows."""

    def __init__(self, sources: set[str] | None, of_posts: str = "revision"):
        self.sources = sources
        self.of_posts = of_posts

    def __call__(self, value: object) -> object:
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        revision = getattr(value, "revision", None)
        if revision is not None:
            if self.sources is not None:
                self.sources.add(value.source)
            return getattr(value, self.of_posts, revision)
        if isinstance(value, Pager):
            return (value.number, value.count, self(value.items))
        if isinstance(value, (tuple, list)):
            try:  # the common case, and at 10,000 posts the hot one: a list of posts or events
                found = ([item.revision for item in value] if self.of_posts == "revision"
                         else [getattr(item, self.of_posts, item.revision) for item in value])
            except AttributeError:
                return [self(item) for item in value]
            if self.sources is not None:
                self.sources.update(item.source for item in value)
            return found
        if hasattr(value, "entries"):  # a feed: what it carries
            return (value.title, value.updated, self(value.entries))
        if hasattr(value, "events"):  # a calendar
            return (getattr(value, "title", ""), self(value.events))
        return repr(value)  # small values: a tag, a municipality, a person
