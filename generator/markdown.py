"""Markdown to HTML: GitHub Flavored Markdown through cmark-gfm, the one place that renders it.

Editors see the same rendering in a GitHub preview: CommonMark plus tables,
strikethrough, autolinks, task lists and footnotes, and raw HTML under GitHub's
tag filter (`<script>`, `<iframe>`, `<style>` … are shown as text). On top of
cmark's output this module adds what a site needs: stable heading ids, table
alignment as classes (no inline styles), HTML5 void tags, and a hook to rewrite
link targets once every page's URL is known.
"""
from __future__ import annotations

import html
import re
from typing import Callable

import cmarkgfm
from cmarkgfm.cmark import Options

_OPTIONS = (
    Options.CMARK_OPT_UNSAFE  # raw HTML is allowed, but the GFM tag filter still applies
    | Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    | Options.CMARK_OPT_VALIDATE_UTF8
)

_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|div|blockquote|pre|tr|dt|dd)>|<br>|<hr>", re.I)
_NOT_ID = re.compile(r"[^\w\- ]", re.U)
_ALIGN = re.compile(r' style="text-align: (left|center|right)"')
_SELF_CLOSING = re.compile(r"\s*/>")
_LINK_ATTR = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")')
_BACKREF_LABEL = re.compile(r'aria-label="Back to reference ([^"]*)"')


def render(text: str) -> str:
    """Render Markdown to HTML with heading ids; links are left as the editor wrote them."""
    out = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    out = _ALIGN.sub(r' class="align-\1"', out)
    out = _SELF_CLOSING.sub(">", out)
    out = _BACKREF_LABEL.sub(r'aria-label="Tillbaka till hänvisning \1"', out)
    # As on GitHub: the footnotes get a heading that screen readers announce.
    out = out.replace('<section class="footnotes" data-footnotes>\n',
                      '<section class="footnotes" data-footnotes>\n<h2 class="visually-hidden">Fotnoter</h2>\n')
    return _add_heading_ids(out)


def _add_heading_ids(out: str) -> str:
    """Give each heading the id GitHub would give it, so #anchors work the same in both."""
    seen: dict[str, int] = {}

    def with_id(match: re.Match) -> str:
        level, inner = match.groups()
        base = heading_id(inner)
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchor = base if count == 0 else f"{base}-{count}"
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(with_id, out)


def heading_id(inner_html: str) -> str:
    """GitHub's rule: the text, lower-cased, punctuation dropped, spaces to hyphens."""
    text = html.unescape(_TAG.sub("", inner_html)).strip().lower()
    slug = _NOT_ID.sub("", text).replace(" ", "-")
    return slug or "rubrik"


def rewrite_links(body_html: str, resolve: Callable[[str], str]) -> str:
    """Replace every link and image target in rendered HTML by `resolve(target)`."""

    def replace(match: re.Match) -> str:
        start, target, end = match.groups()
        new = resolve(html.unescape(target))
        return f"{start}{html.escape(new, quote=True)}{end}"

    return _LINK_ATTR.sub(replace, body_html)


def link_targets(body_html: str) -> list[str]:
    """Every link and image target in rendered HTML, as written."""
    return [html.unescape(m.group(2)) for m in _LINK_ATTR.finditer(body_html)]


def plain_text(body_html: str) -> str:
    """The visible text of rendered HTML, white space folded (for descriptions and excerpts)."""
    spaced = _BLOCK_END.sub(" ", body_html)  # blocks are separated; inline tags just vanish
    return " ".join(html.unescape(_TAG.sub("", spaced)).split())


def excerpt(body_html: str, limit: int = 160) -> str:
    """The first words of the text, cut at a word boundary, for a meta description."""
    text = plain_text(body_html)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–-")
    return cut + " …"
