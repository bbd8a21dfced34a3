"""The build as a readable list of steps: load, site, plan, render, write.

Each step gathers all of its content errors; the build stops after the step
that found any, before the output folder is touched.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from generator import assets as assets_module
from generator import images
from generator import plan as plan_module
from generator import render as render_module
from generator import search
from generator.errors import BuildFailed, ContentError
from generator.parallel import map_all
from generator.site import Options, Site, build_site, description_of
from generator.urls import output_path
from generator.write import Staging

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    content: Path
    output: Path
    templates: Path = PROJECT / "templates"
    assets: Path = PROJECT / "assets"
    shown_content: str = "content"  # how messages name the content folder


@dataclass(frozen=True)
class Report:
    posts: int
    pages: int
    files: int
    drafts: int
    future: int
    seconds: float
    site: Site | None = None
    outputs: int = 0
    events: int = 0
    feeds: int = 0  # RSS, Atom and iCal files
    pages_html: int = 0  # HTML pages written
    rendered: int = 0  # outputs rendered (the rest were reused from the last build)
    unchanged: bool = False  # nothing changed since the last build: the output was not touched
    warnings: tuple = ()  # ContentErrors that do not stop the build
    search_seconds: float = 0.0  # making the search index (search.py)
    kept_plan: bool = False  # only posts' texts changed: the last plan was reused (plan_from_kept)


@dataclass
class Planned:
    """The site read and planned: everything before rendering."""

    loaded: object  # None when the plan was kept from an earlier build (plan_from_kept)
    assets: list
    site: Site | None
    outputs: list
    errors: list
    summary: dict | None = None  # a kept plan's counts and warnings
    valid_until: datetime | None = None  # a kept plan's next_change()
    keys: tuple | None = None  # a kept plan's fingerprint keys: those it was made with, still right

    def fingerprints(self, options: Options, templates_revision: str, assets_revision: str,
                     last=None, changed=()) -> "incremental.Fingerprints":
        """Each output's fingerprint (incremental.py): what it is made from; with the last
        build's and the content files changed since, only those that can have changed."""
        from generator import incremental

        if self.keys:
            shell, everything = self.keys
        else:
            shell = incremental.shell(self.site, self.loaded.registries_revision, templates_revision,
                                      assets_revision, options)
            everything = incremental.everything(self.site)
        return incremental.fingerprints(self.site, self.outputs, shell, everything, last, changed)


def read_and_plan(paths: Paths, options: Options, parse_cache: dict | None,
                  digests: dict[str, str] | None = None) -> Planned:
    """Load, site and plan. Every step runs on what the steps before it could read, so that one
    run reports every problem: a broken file does not hide an unknown author in another."""
    from generator.load import load  # here: a build from a kept plan never loads (nor imports the models)

    loaded = load(paths.content, paths.shown_content, cache=parse_cache, digests=digests)
    errors = list(loaded.errors)
    found_assets = assets_module.find_assets(paths.assets)
    site, site_errors = build_site(loaded, options, frozenset(a.name for a in found_assets))
    errors += site_errors
    outputs, plan_errors = plan_module.plan(site, found_assets) if site else ([], [])
    errors += plan_errors
    return Planned(loaded, found_assets, site, outputs, sorted(set(errors)))


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for one build.

    A build makes hundreds of thousands of long-lived objects (models, HTML
    strings, outputs) and almost no reference cycles; the collector would walk
    them all again at every threshold it reaches, which at 10,000 posts was a
    third of a warm build. Memory is freed by reference counting as usual, and
    whatever cycles there are get collected when the build is over.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Set before the render workers fork, so they inherit it instead of receiving it.
_job: tuple | None = None


def build(paths: Paths, options: Options, progress: Callable[[int, int], None] | None = None,
          cache_dir: Path | None = None) -> Report:
    """Build the site into paths.output, atomically. `progress(done, total)` follows the rendering.

    With `cache_dir`, what the last build made is reused where its inputs are
    unchanged (cache.py); when nothing at all changed, the output is not touched.
    """
    if options.now.tzinfo is None:  # the machine's local time, as build_site would read it: compared
        options = dataclasses.replace(options, now=options.now.astimezone())  # with stored, aware times
    with collector_paused():
        return _build(paths, options, progress, cache_dir)


def _build(paths: Paths, options: Options, progress: Callable[[int, int], None] | None,
           cache_dir: Path | None) -> Report:
    from generator import cache as cache_module
    from generator import incremental
    from generator.cache import BuildCache

    started = time.perf_counter()
    quick_key, digests, template_digests, asset_digests = "", None, {}, {}
    interrupted = Staging(paths.output).interrupted()  # then neither folder is as the cache says
    if cache_dir:
        stats = cache_module.FileStats(cache_dir)
        digests = cache_module.file_digests(paths.content, stats)
        template_digests = cache_module.file_digests(paths.templates, stats)
        asset_digests = cache_module.file_digests(paths.assets, stats)
        stats.save()
        quick_key = cache_module.inputs_key(digests, template_digests, asset_digests, paths.output,
                                            options.settings)
        summary = cache_module.read_unchanged(cache_dir, quick_key, options.now)
        if summary is not None and paths.output.is_dir() and not interrupted:
            Staging(paths.output).remove_leftovers()
            return _stored_report(summary, started)
    cache = BuildCache.open(cache_dir, paths.output) if cache_dir else None
    if cache and interrupted:
        cache.forget_folders()
    plan_key = _plan_key(cache.key, paths, options) if cache else ""
    planned = plan_from_kept(cache, plan_key, paths, options, digests, template_digests, asset_digests) \
        if cache else None
    if planned is None:
        if cache:
            cache.read_shards()
        planned = read_and_plan(paths, options, cache.parsed if cache else None, digests)
        if planned.errors or planned.site is None:
            raise BuildFailed(planned.errors)
    site, outputs, found_assets = planned.site, planned.outputs, planned.assets

    fingerprints: dict[str, str] = {}
    asset_hashes = {a.output_name: asset_digests[a.name] for a in found_assets} if cache else {}
    if cache:
        last = incremental.Fingerprints(cache.fingerprints, cache.keys, cache.shown_by)
        changed = [name for name, digest in digests.items() if cache.content.get(name) != digest]
        found = planned.fingerprints(options, incremental.revision_of(template_digests),
                                     incremental.revision_of(asset_digests), last, changed)
        fingerprints = found.by_path
        cache.keys, cache.shown_by, cache.content = found.keys, found.shown_by, digests
        if (fingerprints == cache.fingerprints and asset_hashes == cache.assets and paths.output.is_dir()
                and search.current(paths.output, site, options)):
            Staging(paths.output).remove_leftovers()
            report = _report(planned, outputs, found_assets, started, unchanged=True)
            _keep(cache, cache_dir, planned, plan_key, quick_key, report,
                  digests, template_digests, asset_digests)
            return report
    env = render_module.environment(paths.templates, site, assets_module.site_paths(found_assets),
                                    images.sizes(found_assets), cache_dir / "templates" if cache_dir else None)
    staging = Staging(paths.output)
    staging.start(protected=[paths.content, paths.templates, paths.assets, PROJECT], keep=cache is not None)
    # What is already right: in the kept previous site (staging), or in the current site (to link).
    in_staging = cache.staging if cache and staging.kept else {}
    in_output = cache.fingerprints if cache else {}
    kept = os.path.join(staging.folder, "")  # a file gone from the kept site is made again (one stat each)
    ready = {i for i, o in enumerate(outputs) if o.path in in_staging and in_staging[o.path] == fingerprints[o.path]
             and os.path.isfile(kept + output_path(o.path))}
    reuse = {i for i, o in enumerate(outputs) if i not in ready and o.path in in_output
             and in_output[o.path] == fingerprints[o.path] and (paths.output / output_path(o.path)).is_file()}
    global _job
    _job = (env, site, outputs, staging)
    try:
        for path in set(in_staging) - set(fingerprints):
            staging.remove(output_path(path))
        for index in reuse:
            staging.link(paths.output / output_path(outputs[index].path), output_path(outputs[index].path))
        done = len(reuse) + len(ready)

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, len(outputs))

        map_all(_render_one, [i for i in range(len(outputs)) if i not in reuse and i not in ready], advance)
        staged_assets = cache.staging_assets if cache and staging.kept else {}
        for name in set(staged_assets) - set(asset_hashes):
            staging.remove("assets/" + name)
        for asset in found_assets:
            relative, digest = "assets/" + asset.output_name, asset_hashes.get(asset.output_name)
            if digest and staged_assets.get(asset.output_name) == digest and (staging.folder / relative).is_file():
                continue
            if digest and cache.assets.get(asset.output_name) == digest and (paths.output / relative).is_file():
                staging.link(paths.output / relative, relative)
            else:
                staging.copy(asset.source, relative)
        search_seconds = search.step(staging.folder, site, options)  # over the complete new site
        staging.publish(keep=cache is not None)
    except BaseException:
        staging.abandon()
        raise
    finally:
        _job = None
    report = _report(planned, outputs, found_assets, started,
                     rendered=len(outputs) - len(reuse) - len(ready), search_seconds=search_seconds)
    if cache:
        # The site just swapped out is now the staging folder: remember what it holds.
        cache.staging, cache.staging_assets = cache.fingerprints, cache.assets
        cache.fingerprints, cache.assets = fingerprints, asset_hashes
        _keep(cache, cache_dir, planned, plan_key, quick_key, report, digests, template_digests, asset_digests)
        staging.finish()
    return report


def _plan_key(code_key: str, paths: Paths, options: Options) -> str:
    """What a kept plan depends on besides the files and the clock: the code, the settings, the folders."""
    return repr((code_key, options.settings, str(paths.content.resolve()), paths.shown_content,
                 str(paths.assets.resolve())))


# A kept plan's posts get the text of every post edited since it was made, rendered again at
# each build; past this many, planning anew (which keeps a new plan) is the cheaper way.
KEPT_PLAN_EDITS = 100


def plan_from_kept(cache, plan_key: str, paths: Paths, options: Options, digests: dict[str, str],
                   template_digests: dict[str, str], asset_digests: dict[str, str]) -> Planned | None:
    """The kept plan of an earlier build (snapshot.py), brought up to date, when all that changed
    since it was made is the text of published posts; None when anything else changed.

    The parse cache is neither read nor written: the posts' texts are read anew at each build
    until the site is planned anew, and the models (pydantic) are not imported."""
    from generator import snapshot

    stored = snapshot.read(cache.folder)
    if stored is None or not stored.inputs.usable(plan_key, cache.keys, digests, template_digests,
                                                  asset_digests, options.now):
        return None
    changed = [name for name, digest in digests.items() if stored.inputs.content[name] != digest]
    if len(changed) > KEPT_PLAN_EDITS or not stored.inputs.published.issuperset(changed):
        return None
    kept = stored.plan()
    if kept is None:
        return None
    site = dataclasses.replace(kept.site, now=options.now.astimezone(kept.site.now.tzinfo))
    planned = Planned(None, kept.found_assets, site, kept.outputs, [], kept.summary,
                      stored.inputs.valid_until, stored.inputs.keys)
    return planned if _give_new_texts(planned, paths, changed) else None


def _give_new_texts(planned: Planned, paths: Paths, changed: list[str]) -> bool:
    """Give the published posts `changed` their new texts, in the planned site, when nothing but
    their texts changed: their front matter byte for byte as it was. False, changing nothing,
    when anything else did (a new error, new front matter: lists, tags and links may change)."""
    from generator.texts import read_new_text

    posts = {post.source: post for post in planned.site.posts}
    if any(name not in posts for name in changed):
        return False
    texts = [read_new_text(paths.content / name, f"{paths.shown_content}/{name}", posts[name].meta_revision)
             for name in changed]
    if any(text is None for text in texts):
        return False
    for name, text in zip(changed, texts):
        post = posts[name]
        post.with_text(text.body, description_of(post.summary, text.excerpt), text.revision)
    return True


def _keep(cache, cache_dir: Path, planned: Planned, plan_key: str, quick_key: str, report: Report,
          digests: dict, template_digests: dict, asset_digests: dict) -> None:
    """Save the cache and, when this build planned the site anew, the plan (snapshot.py); remember
    the inputs so that the next build with the same ones stops at once."""
    from generator import cache as cache_module
    from generator import snapshot

    cache.save()  # the parse results may be new even when no output is
    summary = {name: getattr(report, name) for name in SUMMARY_FIELDS}
    summary["warnings"] = [[w.path, w.line, w.field, w.message] for w in report.warnings]
    valid_until = planned.valid_until or next_change(planned.site, planned.loaded)
    if planned.loaded is not None:  # read and planned anew, not from a kept plan
        site = planned.site
        inputs = snapshot.Inputs(plan_key, cache.keys, digests, template_digests, asset_digests, site.now,
                                 valid_until, frozenset(post.source for post in site.posts))
        snapshot.save(cache_dir, inputs, snapshot.Kept(site, planned.outputs, planned.assets, summary),
                      cache.parsed)
    cache_module.write_unchanged(cache_dir, quick_key, planned.site.now, valid_until, summary)


SUMMARY_FIELDS = ("posts", "pages", "files", "drafts", "future", "outputs", "events", "feeds", "pages_html")


def next_change(site: Site, loaded) -> datetime:
    """The next moment at which the clock alone changes what the build makes."""
    from datetime import time as clock, timedelta

    now = site.now
    moments = [datetime.combine(now.date() + timedelta(days=1), clock(0, 0), now.tzinfo)]  # the day shown
    moments += [d.meta.date.value for d in loaded.posts if d.meta.date.value > now]  # a post's time comes
    moments += [e.when.end for e in site.events if e.when.end > now]  # an event becomes past
    return min(moments)


def _stored_report(summary: dict, started: float) -> Report:
    warnings_ = tuple(ContentError(*w) for w in summary["warnings"])
    values = {name: summary[name] for name in SUMMARY_FIELDS}
    return Report(**values, seconds=time.perf_counter() - started, warnings=warnings_, unchanged=True)


def _report(planned: Planned, outputs: list, found_assets: list, started: float, rendered: int = 0,
            unchanged: bool = False, search_seconds: float = 0.0) -> Report:
    site = planned.site
    if planned.loaded is None:  # from a kept plan: its counts and warnings (posts' texts change neither)
        counts = {name: planned.summary[name] for name in SUMMARY_FIELDS}
        found_warnings = tuple(ContentError(*w) for w in planned.summary["warnings"])
    else:
        counts = dict(
            posts=len(site.posts), pages=len(site.pages), files=len(outputs) + len(found_assets),
            drafts=sum(h.reason == "utkast" for h in site.held_back),
            future=sum(h.reason == "framtida" for h in site.held_back),
            outputs=len(outputs), events=len(site.events),
            feeds=sum(o.template in ("@feed", "@calendar") for o in outputs),
            pages_html=sum(o.template.endswith(".html") for o in outputs))
        found_warnings = tuple(warnings(site, planned.loaded))
    return Report(**counts, seconds=time.perf_counter() - started, site=site, warnings=found_warnings,
                  rendered=rendered, unchanged=unchanged, search_seconds=search_seconds,
                  kept_plan=planned.loaded is None)


def warnings(site: Site, loaded) -> list[ContentError]:
    """What does not stop a build but should be fixed: events still planned after their date."""
    found = []
    by_source = {e.source: e for e in site.events}
    for event_file in loaded.events:
        event = by_source.get(event_file.source)
        if event and event.status == "planned" and site.is_past(event):
            line = event_file.lines.lines.get("status", event_file.lines.line)
            found.append(ContentError(event.shown, line, "status",
                                      "evenemanget är fortfarande planned fast det har passerat; "
                                      "sätt status till held (genomfört) eller cancelled (inställt)"))
    return sorted(found)


def _render_one(index: int) -> bool:
    """Render and write one output (in a worker process when the site is large)."""
    env, site, outputs, writer = _job
    output = outputs[index]
    return bool(writer.write(output_path(output.path), render_module.render(env, site, output)))


@dataclass
class LiveReport:
    errors: list  # ContentErrors; when there are any, nothing was written
    rendered: int = 0  # outputs rendered again
    written: int = 0  # files whose bytes changed
    removed: int = 0
    seconds: float = 0.0
    site: Site | None = None
    quick: bool = False  # only posts' texts changed, and only what shows them was looked at


class LiveSite:
    """A site built again and again into a live folder, redoing only what a change affects.

    The dev server keeps one: files are parsed again only when their bytes change
    (and read again only when their size or times do), outputs are rendered again
    only when their fingerprint (incremental.py) does, and files are written only
    when their bytes differ. A build with errors writes nothing, so the last good
    site stays.

    The commonest change, an editor saving a post whose front matter is as it
    was, takes a quick path: the post gets its new text in place, and only the
    outputs that show that post are fingerprinted and rendered again, without
    reading and planning the whole site anew.
    """

    def __init__(self, paths: Paths, options: Options):
        from generator import incremental
        from generator.cache import FileStats

        self.paths, self.options = paths, options
        self.load_cache: dict = {}
        self.stats = FileStats()  # in memory: unchanged files are not read again
        self.digests: dict[str, dict[str, str]] = {}  # folder -> file -> hash, at the last good build
        self.found = incremental.Fingerprints({})  # the fingerprints of what the live folder holds
        self.assets_revision = ""
        self.asset_files: set[str] = set()
        self.env = render_module.templates_environment(paths.templates)
        self.planned: Planned | None = None  # the last good build's site and outputs
        self.bound = None  # self.env bound to that site

    def rebuild(self) -> LiveReport:
        with collector_paused():
            return self._rebuild()

    def _rebuild(self) -> LiveReport:
        from generator import incremental
        from generator.cache import file_digests

        started = time.perf_counter()
        digests = {name: file_digests(getattr(self.paths, name), self.stats)
                   for name in ("content", "templates", "assets")}
        quick = self._quick(digests, started)
        if quick is not None:
            return quick
        planned = read_and_plan(self.paths, self.options, self.load_cache, digests["content"])
        if planned.errors or planned.site is None:
            return LiveReport(planned.errors, seconds=time.perf_counter() - started)
        found_assets, site, outputs = planned.assets, planned.site, planned.outputs
        assets_revision = incremental.revision_of(digests["assets"])
        found = planned.fingerprints(self.options, incremental.revision_of(digests["templates"]), assets_revision)
        todo = [i for i, o in enumerate(outputs) if self.found.by_path.get(o.path) != found.by_path[o.path]]
        self.bound = render_module.bind(self.env, site, assets_module.site_paths(found_assets),
                                        images.sizes(found_assets))
        writer = self._writer()
        written = self._render(site, outputs, todo, writer)
        asset_files = {"assets/" + a.output_name for a in found_assets}
        if assets_revision != self.assets_revision:
            written += sum(writer.copy(a.source, "assets/" + a.output_name) for a in found_assets)
        gone = {output_path(p) for p in self.found.by_path} - {output_path(o.path) for o in outputs}
        gone |= self.asset_files - asset_files
        for relative in gone:
            writer.remove(relative)
        self.found, self.assets_revision, self.asset_files = found, assets_revision, asset_files
        self.planned, self.digests = planned, digests
        return LiveReport([], len(todo), written, len(gone), time.perf_counter() - started, site)

    def _quick(self, digests: dict[str, dict[str, str]], started: float) -> LiveReport | None:
        """The quick path: only posts' texts changed (no front matter, no file added or removed).

        Returns None when the change is any other, and the whole site is read and planned again.
        """
        from generator import incremental

        before, planned = self.digests, self.planned
        if planned is None or any(digests[name] != before[name] for name in ("templates", "assets")) \
                or digests["content"].keys() != before["content"].keys():
            return None
        changed = [name for name, digest in digests["content"].items() if before["content"][name] != digest]
        if not changed or not _give_new_texts(planned, self.paths, changed):
            return None
        site = planned.site
        # Nothing but posts' texts changed: the fingerprints are redone only where they show.
        found = incremental.fingerprints(site, planned.outputs, *self.found.keys, self.found, changed)
        todo = [i for i, o in enumerate(planned.outputs) if found.by_path[o.path] != self.found.by_path[o.path]]
        written = self._render(site, planned.outputs, todo, self._writer())
        self.found, self.digests = found, digests
        return LiveReport([], len(todo), written, 0, time.perf_counter() - started, site, quick=True)

    def _writer(self):
        from generator.write import InPlace

        return InPlace(self.paths.output)

    def _render(self, site: Site, outputs: list, todo: list[int], writer) -> int:
        global _job
        _job = (self.bound, site, outputs, writer)
        try:
            return sum(map_all(_render_one, todo))
        finally:
            _job = None

