"""`python build.py check`: what a build validates, and what a reader would stumble on.

Besides every error a build reports, check builds the site into a temporary
folder and looks at what the content links to:
- internal links and #anchors that lead nowhere (to a file, a page or a
  heading that does not exist);
- images that are missing, and images without alt text;
- the same in posts with a future date, which no build reads until their day
  (a problem found there would stop that day's build);
- events still marked planned whose date has passed (a warning).
External links are not fetched (CI has no network but the package registries).
Every problem is one line, `path:line: message`; the exit status is 1 when
there is an error, or a warning and --strict.
"""
from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from generator.site import links
from generator import urls
from generator.errors import BuildFailed, ContentError
from generator.build.pipeline import Paths, build
from generator.site.model import Options, Site


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
            findings.warnings += failed.warnings
            unpublished, site = _unpublished_links(paths, options)
            findings.errors += unpublished
        else:
            site = report.site
            findings.errors += links.problems(site, BuiltPages(output), paths.content,
                                              shown_content=paths.shown_content)
            findings.warnings += report.warnings
    findings.errors += _scheduled_problems(paths, options, site, set(findings.errors))
    findings.errors = sorted(set(findings.errors))
    findings.warnings = sorted(set(findings.warnings) - set(findings.errors))  # a link to a draft: an error here
    return findings


def _unpublished_links(paths: Paths, options: Options) -> tuple[list[ContentError], Site | None]:
    """Links to drafts and future posts, which a build leaves to check, when the build failed; and
    the site as far as it could be read."""
    from generator.outputs.assets import site_paths
    from generator.build.pipeline import read_and_plan

    planned = read_and_plan(paths, options, None)
    if planned.site is None or not planned.outputs:
        return [], planned.site
    pages = links.PlannedPages(planned.site, planned.outputs, site_paths(planned.assets), paths.templates)
    return links.problems(planned.site, pages, paths.content, shown_content=paths.shown_content), planned.site


def _scheduled_problems(paths: Paths, options: Options, site: Site | None,
                        found: set[ContentError]) -> list[ContentError]:
    """The problems of posts with a future date (their links, above all), each with its day.

    No build reads such a post until its day comes; then a broken link in it stops that day's
    build, often a scheduled one that no one watches, and nothing is published. They are found
    here by reading the site as it will be (Options.future: every scheduled post published, so a
    link to another scheduled post counts as right) and keeping what that read finds in them that
    was not `found` already (a broken front matter is an error every day)."""
    from generator.build.pipeline import read_and_plan

    scheduled = {held.shown for held in site.held_back if held.reason == "framtida"} if site else set()
    if not scheduled or options.future:  # with future posts shown they were checked with the rest
        return []
    planned = read_and_plan(paths, dataclasses.replace(options, future=True, search=False), None)
    days = {post.shown: post.date.value.date() for post in planned.site.posts} if planned.site else {}
    stopping = [dataclasses.replace(error, message=f"{error.message} (inlägget publiceras {days[error.path]}; rätta "
                                                   "det före dess, annars stoppar det bygget den dagen)")
                for error in planned.errors if error.path in scheduled and error.path in days and error not in found]
    # A link to a draft is only a warning on the day (the page goes live with it, leading nowhere);
    # check calls it an error, as it does in a published post.
    to_drafts = [dataclasses.replace(warning, message=f"{warning.message} (inlägget publiceras {days[warning.path]})")
                 for warning in planned.link_warnings if warning.path in scheduled and warning.path in days]
    return stopping + to_drafts


class BuiltPages:
    """The built site's files and the ids in each page, read when first asked for."""

    # A built site has every asset it links to (a missing one stopped the build), so no near one is looked for.
    asset_names: frozenset = frozenset()

    def __init__(self, output: Path):
        self.output = output
        self.cache: dict[str, set[str]] = {}

    def file(self, site_path: str) -> Path:
        return self.output / urls.output_path(site_path)

    def exists(self, site_path: str) -> bool:
        path = self.file(site_path)
        return path.is_file() or (path.is_dir() and (path / "index.html").is_file())

    def paths(self) -> list[str]:
        folders = (p.parent.relative_to(self.output).as_posix() for p in self.output.rglob("index.html"))
        return ["/" if folder == "." else f"/{folder}/" for folder in folders]

    def ids(self, site_path: str) -> set[str]:
        if site_path not in self.cache:
            path = self.file(site_path)
            text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".html" else ""
            self.cache[site_path] = links.ids_of(text)
        return self.cache[site_path]

    def has(self, site_path: str, fragment: str) -> bool:
        return unquote(fragment) in self.ids(site_path)
