"""Step 2, site: the loaded models -> one Site, with everything derived from them.

Posts newest first, tags, years, authors, neighbours and what is held back
(drafts, posts whose time has not come) are worked out here, once, in time
linear in the number of posts. Cross-references are resolved here: an author id
that is not in people.yaml is an error that points at its line. Templates
receive this object as `site` and never change it.
"""
from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote

from generator import markdown, urls
from generator.dates import Moment, zone
from generator.errors import ContentError
from generator.load import Document, Loaded
from generator.models import PageMeta, PostMeta, SiteConfig
from generator.yamltext import line_of

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None
    organisation: str | None
    email: str | None
    phone: str | None
    url: str


@dataclass(frozen=True)
class Post:
    source: str
    shown: str
    slug: str
    url: str
    title: str
    date: Moment
    updated: Moment | None
    summary: str | None
    description: str
    tags: tuple[Tag, ...]
    authors: tuple[Person, ...]
    focus_areas: tuple[str, ...]
    image: str | None
    image_alt: str | None
    draft: bool
    body_html: str

    @property
    def year(self) -> int:
        return self.date.value.year

    @property
    def modified(self) -> Moment:
        return self.updated or self.date


@dataclass(frozen=True)
class Page:
    source: str
    shown: str
    slug: str
    url: str
    title: str
    summary: str | None
    description: str
    draft: bool
    body_html: str


@dataclass(frozen=True)
class HeldBack:
    shown: str
    reason: str  # "utkast" or "framtida"


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    base: urls.Base
    now: datetime
    posts: tuple[Post, ...]  # published, newest first
    pages: tuple[Page, ...]
    people: tuple[Person, ...]  # by name
    tags: tuple[Tag, ...]  # by name
    years: tuple[int, ...]  # newest first
    held_back: tuple[HeldBack, ...]
    posts_by_tag: dict[str, tuple[Post, ...]] = field(repr=False)
    posts_by_year: dict[int, tuple[Post, ...]] = field(repr=False)
    posts_by_person: dict[str, tuple[Post, ...]] = field(repr=False)
    _neighbours: dict[str, tuple[Post | None, Post | None]] = field(repr=False)
    _targets: dict[str, str] = field(repr=False)  # content path -> site path, for relative links

    def href(self, site_path: str) -> str:
        return self.base.href(site_path)

    def absolute(self, site_path: str) -> str:
        return self.base.absolute(site_path)

    def newer(self, post: Post) -> Post | None:
        return self._neighbours[post.source][0]

    def older(self, post: Post) -> Post | None:
        return self._neighbours[post.source][1]

    def resolve_link(self, source: str, target: str) -> str:
        """Where a link written in the file `source` leads, as a link in the built site.

        Relative links are read as in a GitHub preview, from the file's own folder:
        `2015-11-02-kalasturne.md` is that post's page, `../../../assets/x.pdf` the
        asset. Links with a scheme, `#anchors` and `//host` links are kept.
        """
        if not target or target.startswith(("#", "//")) or _SCHEME.match(target):
            return target
        path, hash_, fragment = target.partition("#")
        if path.startswith("/"):
            return self.href(path) + hash_ + fragment
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))
        if joined in self._targets:
            return self.href(self._targets[joined]) + hash_ + fragment
        if joined.startswith("../assets/"):
            return self.href(urls.asset(joined[len("../assets/"):])) + hash_ + fragment
        return target

    def absolute_link(self, source: str, target: str) -> str:
        """Like resolve_link, but absolute (for feeds, Open Graph and JSON-LD)."""
        return self.base.absolute_href(self.resolve_link(source, target))

    def body(self, item: Post | Page) -> str:
        """The item's HTML with every link resolved."""
        return markdown.rewrite_links(item.body_html, lambda t: self.resolve_link(item.source, t))


@dataclass(frozen=True)
class Options:
    now: datetime
    base_url: str | None = None
    drafts: bool = False  # show drafts, marked as such
    future: bool = False  # show posts dated after `now`, marked as such


def build_site(loaded: Loaded, options: Options) -> tuple[Site | None, list[ContentError]]:
    """The Site, and the errors in cross-references; posts with such errors are left out of it."""
    config = loaded.config
    if config is None:
        return None, []
    if options.base_url:
        config = config.model_copy(update={"base_url": SiteConfig._absolute_url(options.base_url)})
    errors: list[ContentError] = []
    base = urls.Base(config.base_url)
    now = options.now.astimezone(zone(config.timezone))

    people = {pid: Person(pid, p.name, p.role, p.organisation, p.email, p.phone, urls.person(pid))
              for pid, p in loaded.people.items()}
    held: list[HeldBack] = []
    posts: list[Post] = []
    tag_names = _tag_names(loaded.posts)
    for doc in loaded.posts:
        meta: PostMeta = doc.meta  # type: ignore[assignment]
        problems = _unknown_people(doc, meta.authors, people, loaded.people_shown)
        if problems:
            errors += problems
            continue
        if meta.draft and not options.drafts:
            held.append(HeldBack(doc.shown, "utkast"))
            continue
        if meta.date.value > now and not options.future:
            held.append(HeldBack(doc.shown, "framtida"))
            continue
        posts.append(_post(doc, meta, people, tag_names))
    pages = []
    for doc in loaded.pages:
        meta_page: PageMeta = doc.meta  # type: ignore[assignment]
        if meta_page.draft and not options.drafts:
            held.append(HeldBack(doc.shown, "utkast"))
            continue
        pages.append(_page(doc, meta_page))

    posts.sort(key=lambda p: (-p.date.value.timestamp(), p.source))
    by_tag: dict[str, list[Post]] = defaultdict(list)
    by_year: dict[int, list[Post]] = defaultdict(list)
    by_person: dict[str, list[Post]] = defaultdict(list)
    neighbours: dict[str, tuple[Post | None, Post | None]] = {}
    for index, post in enumerate(posts):
        for tag in post.tags:
            by_tag[tag.slug].append(post)
        by_year[post.year].append(post)
        for author in post.authors:
            by_person[author.id].append(post)
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        neighbours[post.source] = (newer, older)
    tags = sorted({t.slug: t for p in posts for t in p.tags}.values(), key=lambda t: (t.name.lower(), t.slug))
    targets = {p.source: p.url for p in posts} | {p.source: p.url for p in pages}

    site = Site(
        config=config, base=base, now=now,
        posts=tuple(posts),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        people=tuple(sorted(people.values(), key=lambda p: (p.name, p.id))),
        tags=tuple(tags),
        years=tuple(sorted(by_year, reverse=True)),
        held_back=tuple(sorted(held, key=lambda h: h.shown)),
        posts_by_tag={k: tuple(v) for k, v in by_tag.items()},
        posts_by_year={k: tuple(v) for k, v in by_year.items()},
        posts_by_person={k: tuple(v) for k, v in by_person.items()},
        _neighbours=neighbours,
        _targets=targets,
    )
    return site, errors


def _tag_names(documents: list[Document]) -> dict[str, str]:
    """Each tag's display name: tags that make the same slug are one tag, shown as most posts write it."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for doc in documents:
        for name in doc.meta.tags:  # type: ignore[union-attr]
            spellings[urls.slug(name)][name] += 1
    return {s: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for s, c in spellings.items()}


def _post(doc: Document, meta: PostMeta, people: dict[str, Person], tag_names: dict[str, str]) -> Post:
    slug = urls.post_slug(doc.source.rsplit("/", 1)[-1])
    tag_slugs = dict.fromkeys(urls.slug(t) for t in meta.tags)  # ordered, without repeats
    return Post(
        source=doc.source, shown=doc.shown, slug=slug,
        url=urls.post(meta.date.value.year, slug),
        title=meta.title, date=meta.date, updated=meta.updated, summary=meta.summary,
        description=(meta.summary or "").strip() or markdown.excerpt(doc.body_html),
        tags=tuple(Tag(s, tag_names[s], urls.tag(s)) for s in tag_slugs if s),
        authors=tuple(people[a] for a in meta.authors),
        focus_areas=tuple(meta.focus_areas),
        image=meta.image, image_alt=meta.image_alt, draft=meta.draft,
        body_html=doc.body_html,
    )


def _page(doc: Document, meta: PageMeta) -> Page:
    slug = urls.slug(doc.source.rsplit("/", 1)[-1].removesuffix(".md"))
    return Page(
        source=doc.source, shown=doc.shown, slug=slug, url=urls.page(slug), title=meta.title,
        summary=meta.summary,
        description=(meta.summary or "").strip() or markdown.excerpt(doc.body_html),
        draft=meta.draft, body_html=doc.body_html,
    )


def _unknown_people(doc: Document, ids: list[str], people: dict[str, object], people_file: str
                    ) -> list[ContentError]:
    errors = []
    for index, person_id in enumerate(ids):
        if person_id in people:
            continue
        message = f"okänd person {person_id!r}: finns inte i {people_file}"
        close = difflib.get_close_matches(person_id, list(people), n=1)
        if close:
            message += f" (menade du {close[0]!r}?)"
        errors.append(ContentError(doc.shown, line_of(doc.lines, ("authors", index), 1), "authors", message))
    return errors
