"""Markdown to HTML: GitHub Flavored Markdown through cmark-gfm, the one place that renders it.

Editors see the same rendering in a GitHub preview: CommonMark plus tables,
strikethrough, autolinks, task lists and footnotes, and raw HTML under GitHub's
rules: the tag filter (`<script>`, `<iframe>`, `<style>` … are shown as text),
then, as GitHub sanitises, an allow-list of tags and attributes (nh3, the Rust
sanitiser ammonia): no event handlers, no `style`, no `javascript:` links. A fenced
code block's language becomes `class="language-…"` on <code>, as CommonMark
says (not GitHub's `<pre lang>`, which claims a human language). On top of
cmark's output this module adds what a site needs: stable heading ids, table
alignment as classes (no inline styles), HTML5 void tags, `rel="noopener"` on
links that leave the site, e-mail addresses as character references (see
security.py), and a hook to rewrite link targets once every page's URL is known.
"""
from __future__ import annotations

import ctypes
import html
import re
from urllib.parse import quote, unquote
from typing import Callable

import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

from generator.outputs.security import hide_addresses
from generator.urls import leaves_by_form, web_address

_SAFE_OPTIONS = (
    Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    | Options.CMARK_OPT_VALIDATE_UTF8
)
# Raw HTML is allowed; the GFM tag filter still applies, and the sanitiser after it.
_OPTIONS = _SAFE_OPTIONS | Options.CMARK_OPT_UNSAFE

_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_IMAGE = re.compile(r"<img\b[^>]*>")
_LINK = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|div|blockquote|pre|tr|dt|dd)>|<br>|<hr>", re.I)
_NOT_ID = re.compile(r"[^\w\- ]", re.U)
_ALIGN = re.compile(r' style="text-align: (left|center|right)"')
_SELF_CLOSING = re.compile(r"\s*/>")
_LINK_ATTR = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")')
_BACKREF_LABEL = re.compile(r'aria-label="Back to reference ([^"]*)"')
_A_TAG = re.compile(r"<a\s[^>]*>")
_EXTERNAL_HREF = re.compile(r'\shref="(?:https?:)?//', re.I)

# What raw HTML may keep, as GitHub's sanitiser allows: ammonia's safe defaults, what cmark-gfm
# itself writes (footnotes, task lists) and a few harmless attributes. Links and images may have
# http(s), mailto and tel targets or relative ones; HTML comments are dropped.
_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "input"}
_ALLOWED_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag, _names in {"a": {"data-footnote-ref", "data-footnote-backref", "data-footnote-backref-idx", "name"},
                     "section": {"data-footnotes"}, "input": {"type", "checked", "disabled"}}.items():
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).update(_names)
_ALLOWED_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden"}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Ids and anchor names written in raw HTML are prefixed, as GitHub does, so that they cannot take
# an id the page itself has (#innehall, the skip link's target) or a heading's. cmark's own
# footnote ids (fn-…, fnref-…) are kept, so that footnotes link the same with raw HTML or without.
USER_CONTENT = "user-content-"
_SANITISER = nh3.Cleaner(tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                         link_rel=None, id_prefix=USER_CONTENT)
_FOOTNOTE_IDS = ((f' id="{USER_CONTENT}fn-', ' id="fn-'), (f' id="{USER_CONTENT}fnref-', ' id="fnref-'))
_ANCHOR_NAME = re.compile(rf'(<a\s[^>]*?\bname=")(?!{USER_CONTENT})')
_PREFIXED = re.compile(rf'\s(?:id|name)="{USER_CONTENT}([^"]*)"')
_HEADING_ID = re.compile(r'<h[1-6] id="([^"]*)"')
_FRAGMENT_HREF = re.compile(r'(\shref="#)([^"]*)(")')


_GFM_EXTENSIONS = ("table", "autolink", "strikethrough", "tagfilter", "tasklist")
_lib, _ffi = _cmark.lib, _cmark.ffi
_lib.cmark_gfm_core_extensions_ensure_registered()
_extensions = [_lib.cmark_find_syntax_extension(name.encode()) for name in _GFM_EXTENSIONS]
# cmarkgfm's own github_flavored_markdown_to_html never frees the document tree nor
# the HTML buffer: about 55 KB lost per 4 KB post, 550 MB at 10,000 posts. The same
# steps here, freeing both (the symbols are in cmarkgfm's own library; cmark's
# default allocator is the C library's).
_native = ctypes.CDLL(_cmark.__file__)
_native.cmark_node_free.argtypes = [ctypes.c_void_p]
_libc_free = ctypes.CDLL(None).free
_libc_free.argtypes = [ctypes.c_void_p]


def _gfm_to_html(text: str, options: int = _OPTIONS) -> str:
    parser = _lib.cmark_parser_new(options)
    try:
        for extension in _extensions:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        encoded = text.encode("utf-8")
        _lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = _lib.cmark_parser_finish(parser)
        try:
            raw = _lib.cmark_render_html(root, options, _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(raw).decode("utf-8")
            finally:
                _libc_free(int(_ffi.cast("uintptr_t", raw)))
        finally:
            _native.cmark_node_free(int(_ffi.cast("uintptr_t", root)))
    finally:
        _lib.cmark_parser_free(parser)


def render(text: str) -> str:
    """Render Markdown to HTML with heading ids; links are left as the editor wrote them.

    Text without a `<` can hold no raw HTML: cmark's safe mode renders it, which also
    drops `javascript:` links, and the sanitiser (a third of the time) is not needed.
    """
    raw_html = "<" in text
    out = _gfm_to_html(text, _OPTIONS if raw_html else _SAFE_OPTIONS)
    # Each rewrite only where its text occurs: a regular expression that can start at any
    # space (`\s*/>`) is slow to run over a whole post that has nothing for it.
    if 'style="text-align' in out:
        out = _ALIGN.sub(r' class="align-\1"', out)
    if "/>" in out:
        out = _SELF_CLOSING.sub(">", out)
    if "Back to reference" in out:
        out = _BACKREF_LABEL.sub(r'aria-label="Tillbaka till hänvisning \1"', out)
    # As on GitHub: the footnotes get a heading that screen readers announce.
    out = out.replace('<section class="footnotes" data-footnotes>\n',
                      '<section class="footnotes" data-footnotes>\n<h2 class="visually-hidden">Fotnoter</h2>\n')
    if raw_html:
        out = _SANITISER.clean(out)
        for prefixed, footnote in _FOOTNOTE_IDS:
            out = out.replace(prefixed, footnote)
        if " name=" in out:
            out = _ANCHOR_NAME.sub(rf"\1{USER_CONTENT}", out)
    out = _add_heading_ids(out)
    if raw_html and USER_CONTENT in out:
        out = _to_prefixed_anchors(out)
    return hide_addresses(_A_TAG.sub(_external_rel, out))


def _to_prefixed_anchors(out: str) -> str:
    """`href="#x"` leads to the raw HTML's `id="x"`, now user-content-x, unless a heading is #x."""
    prefixed = set(_PREFIXED.findall(out))
    prefixed -= set(_HEADING_ID.findall(out))

    def retarget(match: re.Match) -> str:
        start, fragment, end = match.groups()
        return f"{start}{USER_CONTENT}{fragment}{end}" if html.unescape(fragment) in prefixed else match.group(0)

    return _FRAGMENT_HREF.sub(retarget, out)


def _external_rel(match: re.Match) -> str:
    """A link that leaves the site gets rel="noopener": the page it opens cannot reach back."""
    tag = match.group(0)
    if _EXTERNAL_HREF.search(tag) and " rel=" not in tag:
        return tag[:-1] + ' rel="noopener">'
    return tag


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


# The ids of a text in a page are made unique against the page's own (render.py): the template that
# shows a focus area has a section "Kontakt" with id="kontakt", and so may the text an editor wrote
# in it; an event's description and its answers after it are several texts in one page, each with
# its own footnotes fn-1. The texts a page showed are noted while it renders (render.Bound.texts)
# and found in the finished page as written: nothing is marked in what the templates handle, so
# whatever a template does with a text (its JSON, a cut summary, a link's query) is the text's own.
# An id attribute of a tag: not data-id, nor HTML shown as code (&lt;main id="…"&gt;, whose " cmark keeps).
_ID = re.compile(r'(<[A-Za-z][^>]*?\sid=")([^"]*)(")')
# Also data-id and the like, found ten times as fast (a literal start): when all these are unique, so are the ids.
_ID_OR_LIKE = re.compile(rb'id="([^"]*)"')
_OWN_LINK = re.compile(r'(<[A-Za-z][^>]*?\shref="#)([^"]*)(")')


def tag_ids(rendered: str) -> list[str]:
    """The ids of the tags in HTML, as written (not data-id, nor HTML shown as code)."""
    return [found.group(2) for found in _ID.finditer(rendered)]


def unique_text_ids(page: bytes, texts) -> bytes:
    """A complete page (UTF-8) with every id of the `texts` it shows (their HTML as rendered) unique:
    an id the page's templates give an element of their own, or an earlier text, makes the text's id
    `kontakt-1` (as GitHub numbers a text's repeated headings), and the text's own links to it (a
    footnote's, a table of contents') follow. The page's own ids stay as the templates wrote them,
    so that their links and aria-labelledby lead where they were written to. A text a template
    changed before showing it (stripped of its tags, cut) is not in the page as rendered: left so."""
    if not texts:
        return page
    found = _ID_OR_LIKE.findall(page)
    if len(found) == len(set(found)):  # the common case
        return page
    with_ids = [text for text in dict.fromkeys(texts) if ' id="' in text]
    return _unique_text_ids(page.decode("utf-8"), with_ids).encode("utf-8") if with_ids else page


def _unique_text_ids(page: str, texts: list[str]) -> str:
    spans: list[tuple[int, int]] = []
    for text in texts:
        start = page.find(text)
        while start >= 0:
            spans.append((start, start + len(text)))
            start = page.find(text, start + len(text))
    spans.sort()
    kept: list[tuple[int, int]] = []
    for span in spans:  # a text inside another (the same text shown twice over) is the other's
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    between = [page[end:start] for (_, end), (start, _) in zip([(0, 0), *kept], [*kept, (len(page), 0)])]
    taken = {anchor for part in between for anchor in tag_ids(part)}

    def text(inside: str) -> str:
        renamed: dict[str, str] = {}

        def unique(found: re.Match) -> str:
            anchor = written = found.group(2)
            number = 0
            while anchor in taken:
                number += 1
                anchor = f"{written}-{number}"
            taken.add(anchor)
            if anchor != written:
                renamed[written] = anchor
            return found.group(1) + anchor + found.group(3)

        def follow(link: re.Match) -> str:
            target = renamed.get(unquote(html.unescape(link.group(2))))
            return link.group(0) if target is None else link.group(1) + quote(target) + link.group(3)

        inside = _ID.sub(unique, inside)
        return _OWN_LINK.sub(follow, inside) if renamed else inside

    parts = [between[0]]
    for (start, end), after in zip(kept, between[1:]):
        parts += [text(page[start:end]), after]
    return "".join(parts)


def heading_id(inner_html: str) -> str:
    """GitHub's rule: the text, lower-cased, punctuation dropped, spaces to hyphens."""
    text = html.unescape(_TAG.sub("", inner_html)).strip().lower()
    slug = _NOT_ID.sub("", text).replace(" ", "-")
    return slug or "rubrik"


def rewrite_links(body_html: str, resolve: Callable[[str], str]) -> str:
    """Replace every link and image target in rendered HTML by `resolve(target)`."""

    def replace(match: re.Match) -> str:
        start, target, end = match.groups()
        written = html.unescape(target)
        new = resolve(written)
        if new == written:  # kept as it was, byte for byte (an address in character references stays so)
            return match.group(0)
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
    text = _leading_text(body_html, limit)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–-")
    return cut + " …"


def _leading_text(body_html: str, limit: int) -> str:
    """plain_text() of enough of the first blocks to hold more than `limit` characters.

    The text of a run of whole blocks is the start of the whole text, so the
    excerpt is the same; a long post's text is not all worked out for 160
    characters. The run grows fourfold each time, so that blocks without text
    cannot make this slower than plain_text() of everything.
    """
    size = 1024
    while size < len(body_html):
        block_end = _BLOCK_END.search(body_html, size)
        if block_end is None:
            break
        text = plain_text(body_html[:block_end.end()])
        if len(text) > limit:
            return text
        size = block_end.end() * 4
    return plain_text(body_html)


class References(tuple):
    """A text's images and links (references()), and `outside`: the hosts its links name when every
    one of them leaves the site by its form (a scheme such as https: or mailto:, or //), else None.

    The links check (site/links.py) passes over a text whose links all leave the site for hosts
    other than the site's own: it would find nothing in it. Worked out here, once a parse and kept
    with it, so that a build of 10,000 posts with 130,000 such links does not look at each again."""

    outside: frozenset[str] | None

    def __new__(cls, found, outside: frozenset[str] | None | bool = False):
        made = super().__new__(cls, found)
        made.outside = _outside_hosts(made) if outside is False else outside  # given when read from the cache
        return made

    def __reduce__(self):
        return References, (tuple(self), self.outside)


def _outside_hosts(found: tuple) -> frozenset[str] | None:
    """As site/links.py's check reads each link: by urls.leaves_by_form, and the host of urls.web_address."""
    hosts = set()
    for kind, target, _ in found:
        if kind != "link" or not leaves_by_form(target):
            return None
        try:
            address = web_address(target)
        except ValueError:  # an address urlsplit cannot read: the check says what it says of it
            return None
        if address is not None:
            hosts.add(address.netloc.lower())
    return frozenset(hosts)


def references(rendered: str, source: str | None = None) -> References:
    """The images and links in rendered Markdown, images first: (`"image"` or `"link"`, the target
    as written, whether an image has alt text). Found once, where the text is rendered (load.py),
    so that the links check of every build (site/links.py) need not read the kept bodies again.
    With the `source` the text was rendered from, also ("unread", the link as written, True) for
    each link or image that was shown as text (unread_links)."""
    found = []
    for tag in _IMAGE.findall(rendered):
        attributes = dict(_ATTRIBUTE.findall(tag))
        found.append(("image", html.unescape(attributes.get("src", "")),
                      bool(html.unescape(attributes.get("alt", "")).strip())))
    found += [("link", html.unescape(target), True) for target in _LINK.findall(rendered)]
    if source is not None and "](" in rendered:
        found += [("unread", written, True) for written in unread_links(rendered, source)]
    return References(found)


_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
# The end of a link that cmark left as text: an address with a space (`karta över.png`), which
# CommonMark reads only inside <…>.
_UNREAD_ADDRESS = re.compile(r"\]\(((?:[^()\s<>]*\s)+[^()<>\n]*)\)")
_TITLE = re.compile(r"""\s+("[^"\n]*"|'[^'\n]*')$""")  # ![alt](address "title")
# A file name with the extension of a page, an image, a document or media an editor links to.
FILE_EXTENSION = re.compile(r"\.(?:md|html?|png|jpe?g|gif|webp|avif|svg|pdf|docx?|xlsx?|pptx?|od[tsp]|txt|csv|zip|"
                            r"mp3|mp4)$", re.I)
_ADDRESS_START = re.compile(r"(?:\.\.?/|/|https?://|mailto:|tel:|sms:|#)", re.I)


def split_title(address: str) -> tuple[str, str]:
    """An address as written in Markdown, and the title after it (with the space before it), if any."""
    title = _TITLE.search(address)
    return (address[:title.start()], address[title.start():]) if title else (address, "")


def unread_links(rendered: str, source: str) -> list[str]:
    """Links and images shown as text because their address has a space, as written in `source`.

    Found in the text outside code, then in the source as written (its link text may be formatted,
    `[**Rapport**](…)`; brackets escaped on purpose, `\\[x\\](…)`, are no link). Only an address that
    looks like one is taken for a link: a path, a web address or a file name with its extension,
    not brackets and parentheses in prose (`[ca 500 kr](inkl. moms/person)`)."""
    text = html.unescape(_TAG.sub("", _CODE.sub("", rendered)))
    found: list[str] = []
    for address in _UNREAD_ADDRESS.findall(text):
        path = split_title(address.strip())[0]
        if not (_ADDRESS_START.match(path) or FILE_EXTENSION.search(path)):
            continue
        written = re.search(r"!?\[(?:[^\[\]\n\\]|\\.)*\]\(" + re.escape(address) + r"\)", source)
        if written and written.group(0) not in found:
            found.append(written.group(0))
    return found


# How a list or an indented paragraph pasted from Word arrives in the text: its bullet as a
# character of its own (•, ▪, Word's second-level "o", a dash) and a tab, or a tab where the
# paragraph's first line was indented. A dash followed by a space is left alone: in Swedish it
# opens a line of dialogue ("– Vi är glada, säger Anna").
# A bullet alone on its line (■ as an article's end mark) is no list.
_BULLETS = "•·▪◦●○■□➢➤"
_PASTED_BULLET = re.compile(rf"^[ \t]*(?:[{_BULLETS}][ \t\u00a0]|[–—o]\t)[ \t\u00a0]*\S", re.M)
_TAB_FIRST = re.compile(r"^\t", re.M)
# The blocks cmark writes with their source lines, and the tags that open and close a list item or
# a quote: an indented code block inside one of those is the editor's, written on purpose.
_BLOCK_OR_NESTING = re.compile(r'<(p|pre) data-sourcepos="(\d+):\d+-(\d+):\d+"|<(/?)(?:li|blockquote)\b')


def pasted_layout(source: str, rendered: str) -> list[tuple[int, str]]:
    """Where a text's layout was pasted from Word and Markdown shows it otherwise: (line of the
    text, 1-based, message) for each paragraph whose lines start with a bullet character (they
    become one paragraph, not a list) and each code block whose first line starts with a tab (an
    indented paragraph, shown as code). Fenced code, where either may be meant, is not looked at."""
    # Looked for in every text at every build: a search for one character costs little, a
    # pattern tried at the start of every line does.
    tab = "\t" in source
    bullets = (tab or any(bullet in source for bullet in _BULLETS)) and _PASTED_BULLET.search(source) is not None
    tabs = tab and "<pre" in rendered and _TAB_FIRST.search(source) is not None
    if not (bullets or tabs):
        return []
    lines = source.split("\n")
    found = []
    depth = 0  # inside how many list items and quotes
    for match in _BLOCK_OR_NESTING.finditer(_gfm_to_html(source, _SAFE_OPTIONS | Options.CMARK_OPT_SOURCEPOS)):
        kind, first, last, closing = match.group(1, 2, 3, 4)
        if kind is None:
            depth += -1 if closing else 1
            continue
        first, last = int(first), int(last)
        if kind == "pre" and tabs and depth == 0 and lines[first - 1].startswith("\t"):
            found.append((first, "raden börjar med en tabb, så Markdown visar stycket som kod, i en ruta med fast "
                                 "teckenbredd; ta bort tabben i början av raden. Ska det vara kod, skriv det mellan "
                                 "två rader med ```"))
        elif kind == "p" and bullets:
            pasted = next((n for n in range(first, last + 1) if _PASTED_BULLET.match(lines[n - 1])), None)
            if pasted is not None:
                line = lines[pasted - 1].strip(" \t\u00a0")
                item = line[1:].strip(" \t\u00a0")
                example = item if len(item) <= 40 else item[:40].rsplit(" ", 1)[0] + " …"
                found.append((pasted, f"raden börjar med {line[0]}, som Markdown inte gör någon lista av: raderna "
                                      f"blir ett enda stycke; skriv ett bindestreck och ett mellanslag först i varje "
                                      f"punkt, - {example}"))
    return found


_MAIN_HEADING = re.compile(r'<h1 data-sourcepos="(\d+):\d+-\d+:\d+">(.*?)</h1>', re.S)


def main_headings(source: str, rendered: str) -> list[tuple[int, str]]:
    """(line of the text, 1-based, the heading as read) of each main heading the text writes
    (`# Rubrik`, or a line underlined with ===): each is a second <h1> on a page whose title is one."""
    if "<h1" not in rendered:
        return []
    with_lines = _gfm_to_html(source, _SAFE_OPTIONS | Options.CMARK_OPT_SOURCEPOS)
    return [(int(line), html.unescape(_TAG.sub("", inner)).strip()) for line, inner in _MAIN_HEADING.findall(with_lines)]


# The tags GitHub's tagfilter shows as text (cmark's tagfilter extension): in a rendered text their
# `<` is written as `&lt;`, outside code, where the editor meant them as HTML.
_FILTERED_TAG = re.compile(r"&lt;(script|iframe|style|textarea|title|xmp|noembed|noframes|plaintext)\b", re.I)
_CODE_SPAN = re.compile(r"`[^`]*`")


def shown_as_text(source: str, rendered: str) -> list[tuple[int, str]]:
    """(line of the text, message) for each tag of GitHub's filter (<iframe>, <script> …) written
    as HTML, which the page shows as text: one message a tag, at the first line that writes it."""
    if "&lt;" not in rendered:
        return []
    found, lines = [], source.split("\n")
    for name in dict.fromkeys(match.lower() for match in _FILTERED_TAG.findall(_CODE.sub("", rendered))):
        line = next((n for n, text in enumerate(lines, start=1)
                     if f"<{name}" in _CODE_SPAN.sub("", text).lower()), None)
        if line is None:  # written as &lt;iframe on purpose: text it is
            continue
        advice = ("länka till filmen i stället, [Filmen](https://www.youtube.com/watch?v=…); i ett evenemang kan den "
                  "stå under videos" if name == "iframe" else "ta bort den")
        found.append((line, f"<{name}> visas som text på sidan: webbplatsen följer GitHubs filter och kör eller "
                            f"bäddar inte in sådan HTML; {advice}"))
    return found
