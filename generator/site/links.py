"""Links and images in the editors' texts that lead nowhere: errors in every build, not only in check.

A link to a post that does not exist, an #anchor with no heading, a missing image or an image
without alt text would be published broken, so the build stops at them as at any other content
error, and says which existing page, file or anchor was probably meant. The build asks the plan
(`PlannedPages`): what pages and assets there will be, and which ids a page will have (its
Markdown's heading ids and the ids its templates always write). `check` asks the same questions of
the site it has built (`check.BuiltPages`).
"""
from __future__ import annotations

import difflib
import functools
import html
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import urls
from generator.errors import ContentError
from generator.content import markdown
from generator.content.load import kind_of



def referenced_texts(site, content: Path):
    """The images and links of every piece of rendered Markdown, with the item it belongs to."""
    for item in (*site.posts, *site.pages, *site.focus_areas):
        yield item, item.references
    for event in site.events:
        yield event, _references_of(event.source, (event.description_html,
                                                   *(rendered for _, rendered in event.documentation)), content)


def _references_of(source: str, texts: tuple[str, ...], content: Path) -> tuple:
    """The images and links of an event's rendered texts (markdown.references). Its texts as written
    are in its YAML file, read only when a link may have been left as text."""
    written = "\n".join(_lines(content / source)) if any("](" in text for text in texts) else None
    return tuple(reference for rendered in texts for reference in markdown.references(rendered, written))


@dataclass(frozen=True)
class _SiteYaml:
    """site.yaml, as a place links are written in (its navigation)."""

    source: str
    shown: str
    url: str


@dataclass(frozen=True)
class LeftOut:
    """A post, page, focus area or event the site leaves out for an error of its own (a field, an id
    it names): its links and its image are checked all the same, so that one run tells the editor
    every problem of the file. It has no page, so a link to an #anchor in itself is not checked."""

    source: str
    shown: str
    references: tuple
    image: str | None = None  # a post's image, when it names a file under assets/ (model.image_in_assets)
    url = None


def left_out(loaded, site, content: Path) -> list[LeftOut]:
    """The files read that the site does not have, but for drafts and posts not due yet (held back:
    a build does not check their links): those whose fields did not validate, and those left out
    for what they name."""
    from generator.content.models import PostMeta
    from generator.site.model import image_in_assets

    def image(source: str, written) -> str | None:
        written = None if written is None else str(written)
        return written if written and image_in_assets(source, written) else None

    published = {item.source for item in (*site.posts, *site.pages, *site.focus_areas, *site.events)}
    held = {held.shown for held in site.held_back}
    found = [LeftOut(unread.source, unread.shown, unread.references,
                     image(unread.source, unread.lines.get("image"))
                     if unread.kind == "post" and "image" in unread.valid else None)
             for unread in loaded.unread]
    for doc in (*loaded.posts, *loaded.pages, *loaded.focus_areas):
        if doc.source not in published and doc.shown not in held:
            found.append(LeftOut(doc.source, doc.shown, doc.references,
                                 image(doc.source, doc.meta.image) if isinstance(doc.meta, PostMeta) else None))
    for event_file in loaded.events:
        if event_file.source not in published:
            texts = (event_file.description_html, *(rendered for _, rendered in event_file.documentation_html))
            found.append(LeftOut(event_file.source, event_file.shown, _references_of(event_file.source, texts, content)))
    return found


def problems(site, pages, content: Path, unpublished: bool = True, shown_content: str = "content",
             warnings: list[ContentError] | None = None, left: list[LeftOut] = ()) -> list[ContentError]:
    """Every broken link and image in the site's texts, posts' top images and the navigation, and in
    the texts of the files `left` out of it (left_out); with `unpublished`, also links to drafts and
    posts with a future date. A build publishes those (the post may be published before the one that
    links to it, or with it): its `warnings` get them."""
    found: list[ContentError] = []
    links = Links(site, content, pages, found, unpublished, warnings)
    for item, references in (*referenced_texts(site, content), *((item, item.references) for item in left)):
        links.check_references(item, references)
    for item in (*site.posts, *left):
        if item.image:
            links.check(item, item.image, field_name="image", image=True)
    menu = _SiteYaml("site.yaml", f"{shown_content}/site.yaml", urls.home())
    for item in site.config.navigation:
        links.check(menu, item.url, field_name="navigation.url")
    return found


def ids_of(rendered: str) -> set[str]:
    """The ids in a rendered text: its headings', which links can lead to."""
    return {html.unescape(i) for i in markdown.tag_ids(rendered) if i}


class Links:
    def __init__(self, site, content: Path, pages, found: list[ContentError], unpublished: bool = True,
                 warnings: list[ContentError] | None = None):
        self.site, self.content, self.pages, self.found = site, content, pages, found
        self.unpublished, self.warnings = unpublished, warnings
        self.held_back = {urls.same_name(held.shown) for held in site.held_back}  # as links are compared
        self._page_hints: dict[str, str] = {}
        # The site's own addresses (_on_this_site): the one built for, and site.yaml's, which the dev
        # server (and --base-url) build under another; the longer path first, for https://example.org/
        # built for https://example.org/innovation/. Each link is compared with them: made once.
        built = urlsplit(site.absolute("/"))
        self._built_path = built.path
        self._own = sorted({(own.netloc.lower(), own.path) for own in (built, urlsplit(site.config.published_url))},
                           key=lambda own: -len(own[1]))
        self._own_hosts = frozenset(netloc for netloc, _ in self._own)

    def check_references(self, item, references: tuple) -> None:
        outside = getattr(references, "outside", None)  # markdown.References
        if outside is not None and self._own_hosts.isdisjoint(outside):
            return  # every link leaves the site, for other hosts: check() would return at each
        for kind, target, has_alt in references:
            if kind == "unread":
                self._error(item, target, "", _unread_message(target))
                continue
            if not has_alt:
                lines, shown = _lines(self.content / item.source), unquote(target)
                in_markdown = any(f"]({written}" in line or f"](<{written}" in line
                                  for line in lines for written in (target, shown))
                in_html = next((number for number, line in enumerate(lines, start=1)
                                if shown in line and "<img" in line.lower()), None) if not in_markdown else None
                self._error(item, target, "", f"bilden {shown} saknar alt-text: skriv vad bilden visar "
                                              + (f'i alt, <img src="{shown}" alt="så här">' if in_html
                                                 else "inom hakparenteserna, ![så här](bild.png)"), line=in_html)
            self.check(item, target, image=kind == "image")

    def check(self, item, target: str, field_name: str = "", image: bool = False) -> None:
        if image and (target.lower().startswith(("http:", "https:")) or target.startswith("//")):
            # The pages allow images from the site alone (security.POLICY): one from elsewhere is not shown.
            self._error(item, target, field_name, f"bilden {unquote(target)} {ELSEWHERE}")
            return
        resolved = self._on_this_site(target)
        if resolved is None and urls.leaves_by_form(target):
            return  # external: not fetched
        resolved = resolved or self.site.resolve_link(item.source, target)
        path_part, _, fragment = resolved.partition("#")
        shown = unquote(target)  # cmark writes å and spaces in an address percent-encoded; the editor did not
        unshown = _NOT_SHOWN_BY_BROWSERS.search(path_part) if image else None
        if unshown:
            self._error(item, target, field_name, f"bilden {shown} är i formatet {unshown.group(1).upper()}, som "
                                                  "webbläsare inte kan visa; spara den som JPEG eller PNG och "
                                                  "länka till den filen")
            return
        if not path_part:  # an anchor in the item's own page (a file left out of the site has none)
            if fragment and item.url is not None and not self.pages.has(item.url, fragment):
                self._error(item, target, field_name, f"ankaret #{unquote(fragment)} finns inte på sidan"
                            + self._anchor_hint(item.url, fragment))
            return
        base = self.site.base.path
        if not path_part.startswith(base):
            written = posixpath.normpath(posixpath.join(posixpath.dirname(item.source),
                                                        unquote(target.partition("#")[0])))
            shown_root = item.shown[:len(item.shown) - len(item.source)]
            if written == ".." or written.startswith("../"):
                self._error(item, target, field_name, f"länken {shown} leder ut ur innehållsmappen; länka till "
                                                      f"inlägg och sidor i content/ eller till filer i assets/")
            elif urls.same_name(shown_root + written) in self.held_back:
                if self.unpublished or self.warnings is not None:
                    self._error(item, target, field_name, f"länken {shown} leder till en fil som inte är publicerad "
                                                          f"(ett utkast eller ett inlägg med framtida datum)",
                                into=None if self.unpublished else self.warnings)
            elif os.path.lexists(self.content / written) and kind_of(written) != "other":
                return  # a post, page or event that could not be read: its own error says why
            elif (self.content / written).is_file():
                self._error(item, target, field_name, f"länken {shown} leder till en fil som inte blir någon sida "
                                                      f"på webbplatsen; lägg filer att länka till i assets/")
            else:
                asset = self._asset_hint(item, written.partition("?")[0], absolute=False, fragment=fragment) \
                    if "assets/" in written else ""
                self._error(item, target, field_name, (_missing_image(shown) + asset if image else _elsewhere(shown))
                            or (_missing_file(shown) + (asset or self._file_hint(item, written))))
            return
        site_path = "/" + unquote(urlsplit(path_part).path[len(base):])
        if not self.pages.exists(site_path):
            message = (_missing_image(shown) if image
                       else f"länken {shown} leder ingenstans: {site_path} finns inte på webbplatsen")
            hint = self._asset_hint(item, site_path, absolute=target.startswith("/"), fragment=fragment) \
                if site_path.startswith("/assets/") else ""
            self._error(item, target, field_name, message + (hint or self._page_hint(site_path)))
        elif fragment and not self.pages.has(site_path, fragment):
            self._error(item, target, field_name,
                        f"länken {shown} leder till ett ankare som inte finns: #{unquote(fragment)}"
                        + self._anchor_hint(site_path, fragment))

    def _on_this_site(self, target: str) -> str | None:
        """A link written with the site's own web address (copied from the browser), as the link
        in the built site it is (/blogg/…), so that it is checked like one; None for any other."""
        written = urls.web_address(target)
        if written is None:
            return None
        host = written.netloc.lower()
        for netloc, path in self._own:
            if host == netloc and (written.path or "/").startswith(path):
                return self._built_path + (written.path or "/")[len(path):] + \
                    (f"?{written.query}" if written.query else "") + (f"#{written.fragment}" if written.fragment else "")
        return None

    def _page_hint(self, site_path: str) -> str:
        # Remembered: a link pasted into many texts is told once each, and each search of a large
        # site's pages for the nearest takes milliseconds.
        if site_path not in self._page_hints:
            self._page_hints[site_path] = _hint(site_path, self.pages.paths())
        return self._page_hints[site_path]

    def _anchor_hint(self, site_path: str, fragment: str) -> str:
        return _hint(unquote(fragment), self.pages.ids(site_path), prefix="#")

    def _asset_hint(self, item, wanted: str, absolute: bool, fragment: str = "") -> str:
        """The asset near a missing one (assets.nearest), written as the editor wrote the link: from
        the site's root, or from the item's own folder (`../../../assets/bilder/Karta.PNG`), with its
        #fragment, and within <…> when it has a space (which Markdown reads only so)."""
        from generator.outputs.assets import nearest

        near = nearest(wanted, self.pages.asset_names)
        if near is None:
            return ""
        suggestion = (f"/assets/{near}" if absolute else
                      posixpath.relpath(f"../assets/{near}", posixpath.dirname(item.source) or "."))
        suggestion += f"#{fragment}" if fragment else ""
        if " " in suggestion:
            suggestion = f"<{suggestion}>"
        return f" (menade du {suggestion!r}?)"

    def _file_hint(self, item, written: str) -> str:
        """The content file nearest to the one the link names, written as a link from the item's folder."""
        if not written.endswith((".md", ".yaml", ".yml")):
            return ""
        folder = posixpath.dirname(item.source)
        sources = [i.source for i in (*self.site.posts, *self.site.pages, *self.site.focus_areas, *self.site.events)]
        near = difflib.get_close_matches(written, sources, n=1, cutoff=0.75)
        return f" (menade du {posixpath.relpath(near[0], folder)!r}?)" if near else ""

    def _error(self, item, target: str, field_name: str, message: str, into: list | None = None,
               line: int | None = None) -> None:
        line = line or _line_containing(self.content / item.source, target, unquote(target))
        (self.found if into is None else into).append(ContentError(item.shown, line, field_name, message))


ELSEWHERE = ("ligger på en annan webbplats och visas inte: webbplatsen visar bara sina egna bilder, så att "
             "besökarna inte syns för andra webbplatser; spara bilden under assets/bilder/ och länka till den där")


def _hint(wrong: str, candidates, prefix: str = "") -> str:
    near = difflib.get_close_matches(wrong, list(candidates), n=1, cutoff=0.75)
    return f" (menade du {prefix + near[0]!r}?)" if near else ""


def _unread_message(written: str) -> str:
    """A link or image left as text: its address has a space, which Markdown reads only inside <…>."""
    label, _, address = written[:-1].rpartition("](")
    path, title = markdown.split_title(address.strip())
    what = "bilden" if written.startswith("!") else "länken"
    if path.lower().startswith(("tel:", "sms:")):  # a number is dialled without its spaces
        scheme, _, number = path.partition(":")
        return (f"{what} {written} visas som text, eftersom numret har mellanslag; skriv numret utan mellanslag i "
                f"adressen: {label}]({scheme}:{re.sub(r'[^0-9+]', '', number)}{title})")
    return (f"{what} {written} visas som text, eftersom adressen har mellanslag; skriv adressen inom "
            f"vinkelparenteser: {label}](<{path}>{title})")


# Image formats a camera or scanner saves that browsers do not show (an iPhone's HEIC, TIFF, BMP).
_NOT_SHOWN_BY_BROWSERS = re.compile(r"\.(heic|heif|tiff?|bmp|psd)$", re.I)


def _elsewhere(shown: str) -> str | None:
    """The message for a link to another site or an e-mail address written without its scheme, which
    is read as a file here (`www.regionjh.se`, `erik@example.se`), or None."""
    if shown.lower().startswith("www."):
        return f"länken {shown} saknar https:// och leds därför till en fil här; skriv hela adressen: https://{shown}"
    if re.fullmatch(r"[^@/\s:]+@[^@/\s]+\.[A-Za-z]{2,}", shown) and not markdown.FILE_EXTENSION.search(shown):
        return f"länken {shown} ser ut som en e-postadress; skriv mailto: först: mailto:{shown}"
    return None


def _missing_image(shown: str) -> str:
    return f"bilden {shown} finns inte; lägg bilder under assets/ och räkna sökvägen från filens mapp"


def _missing_file(target: str) -> str:
    if target.endswith((".md", ".yaml", ".yml")):
        return f"länken {target} leder till en fil som inte finns (länkar räknas från filens egen mapp)"
    return f"länken {target} leder ingenstans: filen finns varken i innehållet eller i assets/"


def _line_containing(path: Path, *texts: str) -> int:
    """The first line of a source file where the first of `texts` found is written (1 when none is):
    written whole, as a link's target is (`/assets/x.png` is not found inside `../../assets/x.png`
    on an earlier line), or else anywhere in a line."""
    lines = _lines(path)
    for whole in (True, False):
        for text in texts:
            pattern = re.compile(r"(?<![\w./~-])" + re.escape(text) + r"(?![\w/~-]|\.\w)") if whole else None
            found = next((number for number, line in enumerate(lines, start=1)
                          if (pattern.search(line) if whole else text in line)), None)
            if found:
                return found
    return 1


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return []


class PlannedPages:
    """The pages and assets a build will write, and the ids each page will have, before it writes any."""

    def __init__(self, site, outputs: list, asset_paths: dict[str, str], templates: Path):
        self.by_file = {urls.output_path(o.path): o for o in outputs}
        self.asset_files = {urls.output_path(p) for p in asset_paths.values()}
        self.asset_names = frozenset(asset_paths)  # as written under assets/ (css/site.css)
        self.template_ids, self.open_templates = _template_ids(templates)
        self.items = {urls.output_path(item.url): item
                      for item in (*site.posts, *site.pages, *site.focus_areas, *site.events)}

    @functools.cached_property
    def _html_paths(self) -> tuple[str, ...]:
        return tuple(o.path for o in self.by_file.values() if o.template.endswith(".html"))

    def paths(self) -> tuple[str, ...]:
        return self._html_paths

    def exists(self, site_path: str) -> bool:
        key = urls.output_path(site_path)
        return key in self.by_file or key in self.asset_files

    def ids(self, site_path: str) -> set[str]:
        key = urls.output_path(site_path)
        item = self.items.get(key)
        found = set(self.template_ids)
        if item is not None:
            texts = [item.body_html] if hasattr(item, "body_html") else \
                [item.description_html, *(rendered for _, rendered in item.documentation)]
            found |= {i for text in texts for i in ids_of(text)}
        return found

    def has(self, site_path: str, fragment: str) -> bool:
        output = self.by_file.get(urls.output_path(site_path))
        if output is None or output.template in self.open_templates or not output.template.endswith(".html"):
            return True  # a page whose ids are made as it renders: check looks at it when built
        return unquote(fragment) in self.ids(site_path)


_TEMPLATE_ID = re.compile(r'\sid="([^"]*)"')


def _template_ids(templates: Path) -> tuple[set[str], set[str]]:
    """The ids the templates always write, and the templates that make ids of their own as they render."""
    ids, open_templates = set(), set()
    for path in sorted(templates.rglob("*.html")):
        for found in _TEMPLATE_ID.findall(path.read_text(encoding="utf-8")):
            if "{" in found:
                open_templates.add(path.relative_to(templates).as_posix())
            else:
                ids.add(found)
    return ids, open_templates
