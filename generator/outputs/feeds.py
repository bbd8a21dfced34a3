"""RSS 2.0 and Atom feeds of posts, written with feedgen.

Feeds exist for all posts, for each tag and for each focus area. An entry's id
(and RSS guid) is the post's absolute URL, which does not change when the post
is edited or the site rebuilt. Dates carry their offset (summer and winter time
in Europe/Stockholm); `updated` comes from the post's `updated` field. Content
is the whole post by default (`feeds.full_content: false` in site.yaml gives
summaries), with every link and image made absolute. A post's image goes with its
entry as Media RSS `media:content`, in RSS and Atom alike: it needs no length in bytes, which an
RSS <enclosure> must state and which would tie every feed to the bytes of its images, and
feedgen 1.0 drops the rel of an Atom entry's links, so a link rel="enclosure" would come out as
a second, invalid rel="alternate". Nothing depends on the clock: the feed's own updated
time is that of its newest entry.
"""
from __future__ import annotations

import html
import mimetypes
from dataclasses import dataclass
from datetime import datetime, timezone

from generator import urls
from generator.site.model import Post, Site

KINDS = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


@dataclass(frozen=True)
class Feed:
    """The posts of one list (all, a tag, a focus area), offered as RSS and Atom."""

    group: str  # "all", "tag" or "focus_area"
    label: str  # what the list is, e.g. the tag's name
    title: str
    list_path: str  # the HTML page of the same list, e.g. /blogg/taggar/ideverkstad/
    posts: tuple[Post, ...]  # all of the list, newest first
    entries: tuple[Post, ...]  # the newest of them, which the feed carries
    updated: datetime  # the newest entry's time; for a feed without entries, the site's newest post's

    def path(self, kind: str) -> str:
        return urls.feed(self.list_path, kind)


def post_feeds(site: Site) -> list[Feed]:
    name, count = site.config.title, site.config.feeds.items
    site_newest = _newest(site)

    def feed(group: str, label: str, title: str, list_path: str, posts: tuple[Post, ...]) -> Feed:
        entries = posts[:count]
        updated = max((p.modified.value for p in entries), default=site_newest)
        return Feed(group, label, title, list_path, posts, entries, updated)

    feeds = [feed("all", "Alla inlägg", f"{name}: alla inlägg", urls.blog(), site.posts)]
    feeds += [feed("focus_area", area.title, f"{name}: {area.title}", area.url,
                   site.posts_by_focus_area.get(area.id, ())) for area in site.focus_areas]
    feeds += [feed("tag", tag.name, f"{name}: {tag.name}", tag.url, site.posts_by_tag[tag.slug])
              for tag in site.tags]
    return feeds


def render(site: Site, feed: Feed, kind: str) -> bytes:
    from feedgen.feed import FeedGenerator  # here, not at the top: a build that writes no feed skips the import

    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    if any(post.image for post in feed.entries):
        generator.load_extension("media", atom=True, rss=True)
    generator.id(site.absolute(feed.list_path))
    generator.title(feed.title)
    description = site.config.description or feed.title
    generator.description(html.escape(description, quote=False) if kind == "rss" else description)
    generator.link(href=site.absolute(feed.path(kind)), rel="self", type=KINDS[kind])
    generator.link(href=site.absolute(feed.list_path), rel="alternate", type="text/html")
    generator.language(site.config.language)
    generator.author(name=site.config.publisher or site.config.title)
    generator.generator(site.config.title)
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    for post in feed.entries:
        _entry(site, generator.add_entry(order="append"), post, kind)
    return generator.rss_str(pretty=True) if kind == "rss" else generator.atom_str(pretty=True)


def _entry(site: Site, entry, post: Post, kind: str) -> None:
    url = site.absolute(post.url)
    entry.id(url)
    entry.guid(url, permalink=True)
    entry.title(post.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(post.date.value)
    entry.updated(post.modified.value)
    if kind == "rss":
        # RSS readers read <description> as HTML: a summary is plain text, so its < and & are escaped
        # once more than the XML needs, and readers show them as written.
        entry.description(html.escape(post.description, quote=False))
    else:
        entry.summary(post.description)  # feedgen would make an Atom description into <content>
    if site.config.feeds.full_content:
        entry.content(site.absolute_body(post), type="html")
    if post.image:
        _image(site, entry, post)
    for author in post.authors:
        entry.author(name=author.name, uri=site.absolute(author.url))
        entry.dc.dc_creator(author.name)
    if post.tags:  # all at once: feedgen works out its whole RSS list again at each call
        scheme = site.absolute(urls.tags())
        entry.category([{"term": tag.name, "scheme": scheme, "label": tag.name} for tag in post.tags])


def _image(site: Site, entry, post: Post) -> None:
    image = site.absolute_link(post.source, post.image)
    media_type = mimetypes.guess_type(image.partition("?")[0].partition("#")[0])[0]
    typed = {"type": media_type} if media_type else {}
    entry.media.content({"url": image, "medium": "image", **typed}, group=None)


def _newest(site: Site) -> datetime:
    """For a feed without entries: the newest post of the site, else a fixed moment (not the clock)."""
    return max((p.modified.value for p in site.posts), default=datetime(2015, 1, 1, tzinfo=timezone.utc))
