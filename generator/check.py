"""`python build.py check`: what a build validates, and what a reader would stumble on.

Besides every error a build reports, check builds the site into a temporary
folder and looks at what the content links to:
- internal links and #anchors that lead nowhere (to a file, a page or a
  heading that does not exist);
- images that are missing, and images without alt text;
- events still marked planned whose date has passed (a warning).
External links are not fetched (CI has no network but the package registries).
Every problem is one line, `path:line: message`; the exit status is 1 when
there is an error, or a warning and --strict.
"""
from __future__ import annotations

import dataclasses
import html
import posixpath
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import urls
from generator.errors import BuildFailed, ContentError
from generator.pipeline import Paths, build
from generator.site import Options, Site

_IMAGE = re.compile(r"<img\b[^>]*>")
_LINK = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')


@dataclass
class Findings:
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)


def check(paths: Paths, options: Options) -> Findings:
    findings = Findings()
    with tempfile.TemporaryDirectory(prefix="kontroll-") as folder:
        output = Path(folder) / "public"
        try:
            # No search index: the check looks at links and images, and Pagefind would only add time.
            report = build(Paths(paths.content, output, paths.templates, paths.assets, paths.shown_content),
                           dataclasses.replace(options, search=False))
        except BuildFailed as failed:
            findings.errors += failed.errors
            return findings
        site = report.site
        links = _Links(site, paths.content, _Anchors(output), findings)
        for item, rendered in _rendered_texts(site):
            links.check_rendered(item, rendered)
        for post in site.posts:
            if post.image:
                links.check(post, post.image, field_name="image", image=True)
        menu = _SiteYaml("site.yaml", f"{paths.shown_content}/site.yaml", urls.home())
        for item in site.config.navigation:
            links.check(menu, item.url, field_name="navigation.url")
        findings.warnings += report.warnings
    findings.errors = sorted(set(findings.errors))
    findings.warnings = sorted(set(findings.warnings))
    return findings


@dataclass(frozen=True)
class _SiteYaml:
    """site.yaml, as a place links are written in (its navigation)."""

    source: str
    shown: str
    url: str


def _rendered_texts(site: Site):
    """Every piece of rendered Markdown, with the item it belongs to."""
    for item in (*site.posts, *site.pages, *site.focus_areas):
        yield item, item.body_html
    for event in site.events:
        yield event, event.description_html
        for _, rendered in event.documentation:
            yield event, rendered


class _Links:
    def __init__(self, site: Site, content: Path, anchors: "_Anchors", findings: Findings):
        self.site, self.content, self.anchors, self.findings = site, content, anchors, findings
        self.held_back = {held.shown for held in site.held_back}

    def check_rendered(self, item, rendered: str) -> None:
        for tag in _IMAGE.findall(rendered):
            attributes = dict(_ATTRIBUTE.findall(tag))
            target = html.unescape(attributes.get("src", ""))
            if not html.unescape(attributes.get("alt", "")).strip():
                self._error(item, target, "", f"bilden {target} saknar alt-text: skriv vad bilden visar "
                                              f"inom hakparenteserna, ![så här](bild.png)")
            self.check(item, target, image=True)
        for target in _LINK.findall(rendered):
            self.check(item, html.unescape(target))

    def check(self, item, target: str, field_name: str = "", image: bool = False) -> None:
        if not target or urls.has_scheme(target) or target.startswith("//"):
            return  # external: not fetched
        resolved = self.site.resolve_link(item.source, target)
        path_part, _, fragment = resolved.partition("#")
        if not path_part:  # an anchor in the item's own page
            if fragment and not self.anchors.has(item.url, fragment):
                self._error(item, target, field_name, f"ankaret #{fragment} finns inte på sidan")
            return
        base = self.site.base.path
        if not path_part.startswith(base):
            written = posixpath.normpath(posixpath.join(posixpath.dirname(item.source),
                                                        unquote(target.partition("#")[0])))
            shown_root = item.shown[:len(item.shown) - len(item.source)]
            if written == ".." or written.startswith("../"):
                self._error(item, target, field_name, f"länken {target} leder ut ur innehållsmappen; länka till "
                                                      f"inlägg och sidor i content/ eller till filer i assets/")
            elif shown_root + written in self.held_back:
                self._error(item, target, field_name, f"länken {target} leder till en fil som inte är publicerad "
                                                      f"(ett utkast eller ett inlägg med framtida datum)")
            elif (self.content / written).is_file():
                self._error(item, target, field_name, f"länken {target} leder till en fil som inte blir någon sida "
                                                      f"på webbplatsen; lägg filer att länka till i assets/")
            else:
                self._error(item, target, field_name, _missing_file(target))
            return
        site_path = "/" + unquote(urlsplit(path_part).path)[len(base):]
        if not self.anchors.exists(site_path):
            message = (f"bilden {target} finns inte; lägg bilder under assets/ och räkna sökvägen från filens mapp"
                       if image else f"länken {target} leder ingenstans: {site_path} finns inte på webbplatsen")
            self._error(item, target, field_name, message)
        elif fragment and not self.anchors.has(site_path, fragment):
            self._error(item, target, field_name,
                        f"länken {target} leder till ett ankare som inte finns: #{fragment}")

    def _error(self, item, target: str, field_name: str, message: str) -> None:
        line = _line_containing(self.content / item.source, target)
        self.findings.errors.append(ContentError(item.shown, line, field_name, message))


def _missing_file(target: str) -> str:
    if target.endswith((".md", ".yaml", ".yml")):
        return f"länken {target} leder till en fil som inte finns (länkar räknas från filens egen mapp)"
    return f"länken {target} leder ingenstans: filen finns varken i innehållet eller i assets/"


class _Anchors:
    """The built site's files and the ids in each page, read when first asked for."""

    def __init__(self, output: Path):
        self.output = output
        self.cache: dict[str, set[str]] = {}

    def file(self, site_path: str) -> Path:
        return self.output / urls.output_path(site_path)

    def exists(self, site_path: str) -> bool:
        path = self.file(site_path)
        return path.is_file() or (path.is_dir() and (path / "index.html").is_file())

    def has(self, site_path: str, fragment: str) -> bool:
        if site_path not in self.cache:
            path = self.file(site_path)
            text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".html" else ""
            self.cache[site_path] = {html.unescape(i) for i in _ID.findall(text)}
        return unquote(fragment) in self.cache[site_path]


def _line_containing(path: Path, text: str) -> int:
    """The first line of a source file where `text` is written (1 when it is not found as written)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, start=1) if text in line), 1)
