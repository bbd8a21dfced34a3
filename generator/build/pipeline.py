"""The build as a readable list of steps: load, site, plan, render, write.

Each step gathers all of its content errors; the build stops after the step
that found any, before the output folder is touched. What makes a build with the
cache fast is asked in two places only: which outputs can be reused (before
rendering) and what was made (after writing); generator/incremental/ answers,
for the build (BuildMemory) and for the dev server (LiveSite) alike.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from generator.outputs import assets as assets_module
from generator.outputs import images, imaging
from generator.build import plan as plan_module
from generator.outputs import render as render_module
from generator.outputs import search
from generator.content import tags as tags_module
from generator.errors import BuildFailed, ContentError
from generator.incremental import Dependencies, World, recording, settings_of
from generator.incremental.memory import BuildMemory
from generator.build.parallel import map_all
from generator import urls
from generator.site.model import Options, Site, build_site, registration_closes
from generator.urls import output_path

PROJECT = Path(__file__).resolve().parents[2]


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
    search_made: tuple = ()  # the search bundles Pagefind made (the others were kept from the last build)
    cache_problems: tuple = ()  # why the cache could not be used or saved, once (the build went on without it)
    # Where the previous site went, with files someone saved into the output during the build (Staging.publish)
    set_aside: str = ""


@dataclass
class Planned:
    """The site read and planned: everything before rendering."""

    loaded: object  # load.Loaded
    assets: list
    site: Site | None
    outputs: list
    errors: list
    images: images.Images = field(default_factory=images.Images)
    link_warnings: list = field(default_factory=list)  # links to drafts and future posts (links.problems)


def read_and_plan(paths: Paths, options: Options, parse_cache: dict | None,
                  digests: dict[str, str] | None = None, asset_digests: dict[str, str] | None = None) -> Planned:
    """Load, site and plan. Every step runs on what the steps before it could read, so that one
    run reports every problem: a broken file does not hide an unknown author in another.
    The images are described (imaging.describe: their headers read, their variants named), not made."""
    from generator.content.load import load

    loaded = load(paths.content, paths.shown_content, cache=parse_cache, digests=digests)
    found_assets, asset_problems = assets_module.assets_and_problems(paths.assets)
    errors = [ContentError(f"assets/{name}", 1, "", message) for name, message in asset_problems]
    found_images = images.find(found_assets, asset_digests)
    errors += found_images.errors
    site, content_errors = build_site(loaded, options, frozenset(a.name for a in found_assets))
    errors += content_errors  # the loader's too, a name written for an id saying the id meant
    outputs, plan_errors = plan_module.plan(site, found_assets) if site else ([], [])
    errors += plan_errors
    link_warnings: list[ContentError] = []
    if site and not plan_errors:  # a link is checked against the pages there will be
        from generator.site import links

        pages = links.PlannedPages(site, outputs, assets_module.site_paths(found_assets), paths.templates)
        errors += links.problems(site, pages, paths.content, unpublished=False, shown_content=paths.shown_content,
                                 warnings=link_warnings, left=links.left_out(loaded, site, paths.content))
    return Planned(loaded, found_assets, site, outputs, sorted(set(errors)), found_images, link_warnings)


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


def build(paths: Paths, options: Options, progress: Callable[[int, int], None] | None = None,
          cache_dir: Path | None = None) -> Report:
    """Build the site into paths.output, atomically. `progress(done, total)` follows the rendering.

    With `cache_dir`, what the last build made is reused where everything it read is
    unchanged (incremental/); when no input changed at all, the output is not touched.
    A cache that cannot be used or saved only costs speed: the build goes on
    without it, and the report says why (cache_problems).
    """
    from generator.incremental import cache as cache_module

    if options.now.tzinfo is None:  # the machine's local time, as build_site would read it: compared
        options = dataclasses.replace(options, now=options.now.astimezone())  # with stored, aware times
    problems: list[str] = []
    if cache_dir and (reason := cache_module.usable(cache_dir)):
        problems.append(f"cachen {cache_dir} går inte att använda ({reason}); bygget görs utan den")
        cache_dir = None
    with collector_paused():
        started = time.perf_counter()
        memory = BuildMemory(paths, options, cache_dir, problems)
        summary = memory.unchanged()
        if summary is not None:
            return _with_problems(_stored_report(summary, started), problems)

        planned = read_and_plan(paths, options, memory.parse_cache(), memory.content, memory.assets or None)
        if planned.errors or planned.site is None:
            raise BuildFailed(planned.errors + images.undecodable(planned.images.jobs, memory.folder),
                              warnings(planned))
        site, outputs, found_assets = planned.site, planned.outputs, planned.assets
        asset_paths, image_sizes = assets_module.site_paths(found_assets), planned.images.table
        env = render_module.environment(paths.templates, site, asset_paths, image_sizes, memory.compiled_templates)
        world = _world(site, outputs, memory.templates, asset_paths, image_sizes, options, paths)

        staging = memory.staging
        staging.start(protected=[paths.content, paths.templates, paths.assets, PROJECT], keep=memory.keeps_staging)
        try:
            todo = memory.reuse(world, outputs)
            made, stamps, pictures = render_outputs(env, site, outputs, todo, staging, memory.records,
                                               _progress(progress, len(outputs) - len(todo), len(outputs)),
                                               memory.image_jobs(planned.images.jobs), memory.folder)
            problems += pictures.warnings
            if pictures.errors:  # an image that could not be decoded: nothing is published
                raise BuildFailed(pictures.errors, warnings(planned))
            memory.place_assets(found_assets)
            staging.prune({output_path(o.path) for o in outputs} | {"assets/" + a.output_name for a in found_assets}
                          | planned.images.files(),
                          (search.FOLDER + "/",))  # nothing but what this build makes is published
            searched = search.step(staging.folder, site, options,  # over the complete new site
                                   _search_reuse(staging) if memory.keeps_staging else None, memory.page_hashes)
            search_seconds = searched.seconds
            manifest = staging.seal(stamps)
            set_aside = staging.publish(keep=memory.keeps_staging)
        except BaseException:
            staging.abandon()
            raise
        report = dataclasses.replace(_report(planned, started, rendered=len(todo), search_seconds=search_seconds),
                                     search_made=tuple(searched.made), set_aside=str(set_aside or ""))
        if memory.remember(world, made, _summary(report), next_change(site, planned.loaded), manifest):
            staging.finish()  # not before the cache says what the two folders hold
    return _with_problems(report, problems)


def _search_reuse(staging) -> search.Reuse:
    """With the cache, a search bundle whose input is unchanged (its folder's name says it) is kept from
    the previous site in the staging folder, or linked from the current site, as their manifests vouch."""
    inside = (search.FOLDER + "/{}/").format

    def link(name: str) -> bool:
        if not staging.output_holds_folder(inside(name)):
            return False
        staging.link_folder(inside(name))
        return True

    return search.Reuse(keep=lambda name: staging.holds_folder(inside(name)), link=link)


def _with_problems(report: Report, problems: list[str]) -> Report:
    """The report with the cache's problems said once: the first, and how many followed it (a full
    disk fails an image's cache file and then the cache's save; one warning tells the user)."""
    if not problems:
        return report
    said = problems[0] + (f" (och {len(problems) - 1} fel till med cachen i samma bygge)" if len(problems) > 1 else "")
    return dataclasses.replace(report, cache_problems=(said,))


def _world(site: Site, outputs: list, template_digests: dict[str, str], asset_paths: dict[str, str],
           image_sizes: dict, options: Options, paths: Paths) -> World:
    """What the outputs' rendering can read in this build, for the incremental machinery to ask."""
    return World(site, {o.path: o.page for o in outputs}, template_digests, asset_paths,
                 render_module.image_table(site, image_sizes), settings_of(options, paths.shown_content))


def _progress(progress: Callable[[int, int], None] | None, done: int, total: int) -> Callable[[int], None]:
    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    return advance


# Set before the render workers fork, so they inherit it instead of receiving it.
_job: tuple | None = None


@dataclass
class Pictures:
    """What making the images' files found (render_outputs)."""

    errors: list = field(default_factory=list)  # ContentErrors: images that could not be decoded
    warnings: list = field(default_factory=list)  # the image cache could not be written
    processed: int = 0  # images made now (the others came from the cache)
    written: int = 0  # files written


def render_outputs(env, site: Site, outputs: list, todo: list[int], writer, records: bool,
                   advance: Callable[[int], None] | None = None, image_jobs: list | None = None,
                   cache_folder: Path | None = None) -> tuple[dict[str, tuple], list, Pictures]:
    """Render and write the outputs at the indexes `todo`, and make and write the files of
    `image_jobs` (imaging.Job, each with only the files the writer lacks), in worker processes
    when there are many: the images are handed out first, one by one, and the pages fill the
    workers' time beside them.

    Returns, when `records`, what each output read (incremental/recording.py), what the writer's
    write() returned for each output written (the stamps of a Staging, whether the bytes changed
    for an InPlace), and what making the images found."""
    global _job
    image_jobs = image_jobs or []
    _job = (env, site, outputs, writer, records, image_jobs, cache_folder)
    heavy = sum(not imaging.cache_file(cache_folder, job.key).exists() for job in image_jobs) \
        if cache_folder else len(image_jobs)
    shared = recording.Shared()

    def arrived(result: tuple) -> tuple:
        written, found = result  # found: an output's reads, or what making an image found
        return (written, shared.reads(found)) if records and type(found) is frozenset else result

    try:
        with recording.Recording() if records else contextlib.nullcontext():
            results = map_all(_render_one, [-1 - i for i in range(len(image_jobs))] + todo, advance,
                              heavy=len(image_jobs) if heavy else 0, arrived=arrived)
    finally:
        _job = None
    pictures = Pictures()
    for job, (written, found) in zip(image_jobs, results):
        error, processed, warning = found
        pictures.written += written
        pictures.processed += processed
        if error:
            pictures.errors.append(ContentError(job.shown, 1, "", error))
        if warning:
            pictures.warnings.append(warning)
    results = results[len(image_jobs):]
    made = {outputs[index].path: reads for index, (_, reads) in zip(todo, results)} if records else {}
    return made, [written for written, _ in results], pictures


def _make_image(job) -> tuple[int, tuple[str, bool, str]]:
    """Make (or take from the cache) and write one image's files: (files written, (error, processed, warning))."""
    writer, cache_folder = _job[3], _job[6]
    try:
        files, processed, warning = imaging.files_of(job, cache_folder)
    except imaging.ImageProblem as exc:
        return 0, (str(exc), False, "")
    written = 0
    for relative, _, _, _, _ in job.files:
        if job.needed is None or relative in job.needed:
            written += writer.write("assets/" + relative, files[relative]) is not False
    return written, ("", processed, warning)


def _render_one(index: int) -> tuple:
    """Render and write one output, or make one image when `index` is negative (in a worker
    process when the site is large)."""
    env, site, outputs, writer, records, image_jobs, _ = _job
    if index < 0:
        return _make_image(image_jobs[-1 - index])
    output = outputs[index]
    if records:
        data, reads = recording.render_recorded(lambda: render_module.render(env, site, output),
                                                ("page", output.path))
    else:
        data, reads = render_module.render(env, site, output), None
    return writer.write(output_path(output.path), data), reads


SUMMARY_FIELDS = ("posts", "pages", "files", "drafts", "future", "outputs", "events", "feeds", "pages_html")


def _summary(report: Report) -> dict:
    """What a later build with the same inputs reports (BuildMemory.unchanged)."""
    summary = {name: getattr(report, name) for name in SUMMARY_FIELDS}
    summary["warnings"] = [[w.path, w.line, w.field, w.message, w.column] for w in report.warnings]
    return summary


def next_change(site: Site, loaded) -> datetime:
    """The next moment at which the clock changes the site itself (what the outputs show of the
    clock besides is recorded as they render: Dependencies.next_change)."""
    from datetime import time as clock, timedelta

    now = site.now
    moments = [datetime.combine(now.date() + timedelta(days=1), clock(0, 0), now.tzinfo)]  # the day shown
    moments += [d.meta.date.value for d in loaded.posts if d.meta.date.value > now]  # a post's time comes
    moments += [e.when.end for e in site.events if e.when.end > now]  # an event becomes past
    moments += [e.when.start for e in site.events if e.when.start > now]  # and begins (_copied_event's warning)
    closing = (registration_closes(e) for e in site.events)  # a deadline passes (_copied_event's warning)
    moments += [closes for closes in closing if closes is not None and closes > now]
    return min(moments)


def _stored_report(summary: dict, started: float) -> Report:
    warnings_ = tuple(ContentError(*w) for w in summary["warnings"])
    values = {name: summary[name] for name in SUMMARY_FIELDS}
    return Report(**values, seconds=time.perf_counter() - started, warnings=warnings_, unchanged=True)


def _report(planned: Planned, started: float, rendered: int = 0, search_seconds: float = 0.0) -> Report:
    site, outputs = planned.site, planned.outputs
    counts = dict(
        posts=len(site.posts), pages=len(site.pages), files=len(outputs) + len(planned.assets),
        drafts=sum(h.reason == "utkast" for h in site.held_back),
        future=sum(h.reason == "framtida" for h in site.held_back),
        outputs=len(outputs), events=len(site.events),
        feeds=sum(o.template in ("@feed", "@calendar") for o in outputs),
        pages_html=sum(o.template.endswith(".html") for o in outputs))
    return Report(**counts, seconds=time.perf_counter() - started, site=site,
                  warnings=tuple(warnings(planned)), rendered=rendered,
                  search_seconds=search_seconds)


def warnings(planned: Planned) -> list[ContentError]:
    """What does not stop a build but should be fixed: what was read as the editor meant rather than as
    written (pasted.py), a tag that looks misspelt (tags.py), events still planned after their date,
    links to posts not published yet (they lead nowhere until then). Of the files the site leaves out for
    an error too (left_out), so that one run tells the editor every problem of a file."""
    site, loaded = planned.site, planned.loaded
    if site is None:
        return list(loaded.warnings)
    unread_posts = [u for u in loaded.unread if u.kind == "post" and u.meta is not None]
    found = list(loaded.warnings) + tags_module.warnings([*loaded.posts, *unread_posts]) + planned.link_warnings
    for event_file, event in _events_read(site, loaded):
        failed = set(event_file.lines) - getattr(event_file, "valid", set(event_file.lines))  # load.Unread's
        found += [warning for warning in _event_warnings(event_file, event, site)
                  if warning.field.split(".", 1)[0] not in failed]  # a field with an error is not read
    for doc in (*loaded.posts, *(u for u in unread_posts if "date" in u.valid)):
        found += _year_apart(doc, "date", doc.meta.date.value.date(), "inlägget")
    found += _organisation_ids_as_text(loaded)
    return sorted(set(found))  # a link to one draft written twice in a post is one warning


def _events_read(site: Site, loaded) -> list[tuple]:
    """(file, event) for every event file whose time could be read: the site's events, the files it
    leaves out for what they name (an unknown organisation), and those whose fields did not all validate
    but whose time did (load.Unread: its fields with errors are not read, and their warnings not told)."""
    from generator.content.load import TIME_FIELDS
    from generator.site.model import outline

    by_source = {e.source: e for e in site.events}
    found = [(f, by_source.get(f.source) or outline(f.meta, f.shown, site.now.tzinfo)) for f in loaded.events]
    return found + [(u, outline(u.meta, u.shown, site.now.tzinfo)) for u in loaded.unread
                    if u.kind == "event" and u.meta is not None and 0 < len(TIME_FIELDS & set(u.lines))
                    and TIME_FIELDS & set(u.lines) <= u.valid  # a time written, and no error in it
                    and (u.meta.start is not None or u.meta.month is not None or u.meta.stops)]  # nor left empty


def _event_warnings(event_file, event, site: Site) -> list[ContentError]:
    """An event's warnings: still planned after its date, a year apart from its file's, a copy's leftovers."""
    found = []
    if event.status == "planned" and site.is_past(event):
        line = event_file.lines.lines.get("status", event_file.lines.line)
        found.append(ContentError(event.shown, line, "status",
                                  "evenemanget är fortfarande planned fast det har passerat; "
                                  "sätt status till held (genomfört) eller cancelled (inställt)"))
    written = next((f for f in ("start", "month", "stops") if f in event_file.lines), "start")
    found += _year_apart(event_file, written, event.when.first_day, "evenemanget")
    return found + _copied_event(event_file, event, site)


def _organisation_ids_as_text(loaded) -> list[ContentError]:
    """A person's organisation written as an id of organisations.yaml, as every other field names an
    organisation: it is text, shown as written on the people's pages."""
    from generator.content.yamltext import line_of

    found = []
    for person_id, person in loaded.people.items():
        organisation = loaded.organisations.get((person.organisation or "").strip())
        if organisation is not None:
            found.append(ContentError(loaded.people_shown, line_of(loaded.people_lines, (person_id, "organisation"), 1),
                                      "organisation", f"organisation är texten som visas på webbplatsen, och "
                                      f"{person.organisation.strip()!r} är ett id i organisations.yaml; skriv namnet: "
                                      f"\"{organisation.name}\""))
    return found


def _copied_event(event_file, event, site: Site) -> list[ContentError]:
    """What a copy of an older event keeps that a coming one cannot have: status held, a registration
    deadline after the day it starts or long before it, and the documentation written after it."""
    from generator.content.dates import long_date
    from generator.content.yamltext import line_of

    found = []
    first_day = event.when.first_day
    if event.status == "held" and event.when.start > site.now:
        found.append(ContentError(event.shown, line_of(event_file.lines, ("status",), event_file.lines.line), "status",
                                  f"evenemanget står som held (genomfört), men det har inte ägt rum än "
                                  f"({long_date(first_day)}); sätt status till planned. Är filen en kopia av ett "
                                  "äldre evenemang, se över resten också"))
    deadline = event.registration.deadline if event.registration else None
    deadline_line = line_of(event_file.lines, ("registration", "deadline"), event_file.lines.line)
    if deadline is not None and deadline.day > first_day:
        found.append(ContentError(event.shown, deadline_line, "registration.deadline",
                                  f"sista anmälningsdag ({long_date(deadline)}) ligger efter evenemangets första dag "
                                  f"({long_date(first_day)}); rätta deadline"))
    elif deadline is not None and (first_day - deadline.day).days > COPIED_DEADLINE_DAYS \
            and site.registration_closed(event):
        found.append(ContentError(event.shown, deadline_line, "registration.deadline",
                                  f"sista anmälningsdag ({long_date(deadline)}) ligger mer än ett halvår före "
                                  f"evenemangets första dag ({long_date(first_day)}), och sidan säger att anmälan "
                                  "har stängt; är filen en kopia av ett äldre evenemang, rätta deadline"))
    if event.documentation and event.when.start > site.now:
        found.append(ContentError(event.shown, line_of(event_file.lines, ("documentation",), event_file.lines.line),
                                  "documentation", f"dokumentationen efter evenemanget är ifylld, men evenemanget har "
                                  f"inte ägt rum än ({long_date(first_day)}), och sidan visar den; är filen en kopia "
                                  "av ett äldre evenemang, ta bort documentation tills det har ägt rum"))
    return found


# A registration deadline this long before the event is most often one copied from an older event's file.
COPIED_DEADLINE_DAYS = 183


_YEAR_FOLDER = re.compile(r"[0-9]{4}")


def _year_apart(item, field_name: str, day, what: str) -> list[ContentError]:
    """A post or event whose file name or folder says another year than its date: most often a copy
    of an older file that kept its date, published among that year's (the year is in its address)."""
    folder, _, name = item.source.partition("/")[2].rpartition("/")
    claims = [f"filnamnet börjar med {name[:10]}"] if urls.has_date_prefix(name) and int(name[:4]) != day.year else []
    if _YEAR_FOLDER.fullmatch(folder) and int(folder) != day.year:
        claims.append(f"filen ligger i mappen {folder}")
    if not claims:
        return []
    line = item.lines.lines.get(field_name, item.lines.line)
    written = day.isoformat()[:7] if field_name == "month" else day.isoformat()
    return [ContentError(item.shown, line, field_name,
                         f"{what} har {field_name} {written}, men {' och '.join(claims)}; det publiceras "
                         f"bland {what[:-1]}n från {day.year}, med {day.year} i adressen. Är filen en kopia av "
                         f"en äldre, ändra {field_name}; annars byt namn på filen")]


def _taken_in_live_folder(output: Path, name: str) -> ContentError:
    """A file the dev server did not make, where the site now has one of its own (a page added
    where someone had saved a file by hand): the server does not overwrite it."""
    return ContentError(str(output / name), 1, "", "filen finns redan i förhandsvisningens mapp men kommer inte "
                        "från förhandsvisningen, och webbplatsen har nu en egen fil här; den skrivs inte över. "
                        "Flytta filen därifrån, så skrivs webbplatsens")


@dataclass
class LiveReport:
    errors: list  # ContentErrors; when there are any, nothing was written
    rendered: int = 0  # outputs rendered again
    written: int = 0  # files whose bytes changed
    removed: int = 0
    seconds: float = 0.0
    site: Site | None = None
    made: tuple[str, ...] = ()  # the site paths of the outputs rendered again
    warnings: list = field(default_factory=list)  # ContentErrors that do not stop the build (warnings())


class LiveSite:
    """A site built again and again into a live folder, redoing only what a change affects.

    The dev server keeps one. Each rebuild is a build as pipeline.build makes it,
    with the same incremental machinery (incremental.Dependencies, kept in memory
    here): files are parsed again only when their bytes change (and read again
    only when their size or times do), outputs are rendered again only when
    something they read when last rendered changed, and files are written only
    when their bytes differ. A build with errors writes nothing, so the last good
    site stays.

    With `clock`, the build's `now` is read from it at each rebuild (the dev
    server's is the real time); `due()` says when the clock has passed a moment
    that changes the site, so that the server rebuilds then without a save.
    """

    def __init__(self, paths: Paths, options: Options, clock: Callable[[], datetime] | None = None):
        from generator.incremental.cache import FileStats

        self.paths, self.options, self.clock = paths, options, clock
        self.load_cache: dict = {}
        self.stats = FileStats()  # in memory: unchanged files are not read again
        self.dependencies = Dependencies.empty()
        self.assets_revision: dict[str, str] | None = None
        self.asset_files: set[str] = set()
        self.env = render_module.templates_environment(paths.templates)
        self.template_digests: dict[str, str] = {}  # of the last rebuild: those that change are compiled anew
        self.next_change: datetime | None = None  # the moment the clock next changes the site
        self.blocking: list[Path] = []  # files in the folder that stopped the last rebuild (_taken_in_live_folder)
        self.swept = False  # whether files an earlier session left in the folder were looked for

    def _forget(self) -> None:
        """Forget what the folder holds: the next rebuild renders every page again, and, since the
        record no longer names the pages made before (a page deleted meanwhile would stay),
        removes every file the site does not have, as the first rebuild of a session does."""
        self.dependencies = Dependencies.empty()
        self.swept = False

    def due(self) -> bool:
        """Whether to rebuild with no file saved: the clock passed a moment that changes the site, or a
        file that stopped the last rebuild (saved by hand where the site puts one of its own) was moved."""
        if self.blocking and not all(os.path.lexists(path) for path in self.blocking):
            return True
        return self.clock is not None and self.next_change is not None and self.clock() >= self.next_change

    def rebuild(self) -> LiveReport:
        with collector_paused():
            return self._rebuild()

    def _rebuild(self) -> LiveReport:
        from generator.incremental.cache import file_digests
        from generator.build.outputdir import files_in
        from generator.build.write import InPlace

        started = time.perf_counter()
        options = dataclasses.replace(self.options, now=self.clock()) if self.clock else self.options
        self.next_change = None  # until this rebuild succeeds: one that fails is not retried by the clock
        self.blocking = []
        digests = {name: file_digests(getattr(self.paths, name), self.stats, follow_links=name == "templates")
                   for name in ("content", "templates", "assets")}  # templates as Jinja reads them: through links
        templates = digests["templates"]
        render_module.forget_templates(self.env, {name for name in templates.keys() | self.template_digests.keys()
                                                  if templates.get(name) != self.template_digests.get(name)})
        self.template_digests = templates
        planned = read_and_plan(self.paths, options, self.load_cache, digests["content"], digests["assets"])
        if planned.errors or planned.site is None:
            return LiveReport(planned.errors, seconds=time.perf_counter() - started, warnings=warnings(planned))
        found_assets, site, outputs = planned.assets, planned.site, planned.outputs
        asset_paths, image_sizes = assets_module.site_paths(found_assets), planned.images.table
        world = _world(site, outputs, digests["templates"], asset_paths, image_sizes, options, self.paths)
        check = self.dependencies.reusable(world)
        todo = [i for i, o in enumerate(outputs) if o.path not in check.reusable]
        env = render_module.bind(self.env, site, asset_paths, image_sizes)
        writer = InPlace(self.paths.output)
        image_files = planned.images.files()
        asset_files = {"assets/" + a.output_name for a in found_assets} | image_files
        current = {output_path(o.path) for o in outputs} | asset_files
        taken = sorted(name for name in current - writer.made if os.path.lexists(writer.target(name)))
        if taken:  # saved there by someone else: the server overwrites only what it made
            self.blocking = [writer.target(name) for name in taken]  # once they are moved, due() says so
            return LiveReport([_taken_in_live_folder(self.paths.output, name) for name in taken],
                              seconds=time.perf_counter() - started, warnings=warnings(planned))
        writer.claim(current)  # in the folder's manifest before any is written
        new_images = [job for job in planned.images.jobs  # a variant's name changes with its image's bytes
                      if not {"assets/" + f[0] for f in job.files} <= self.asset_files]
        try:
            made, changed, pictures = render_outputs(env, site, outputs, todo, writer, records=True,
                                                     image_jobs=new_images)
        except BaseException:
            # Some pages may be written already, from inputs the record does not describe: were the
            # edit undone, every read would yield what the record says, and those pages stay.
            self._forget()
            raise
        written = sum(changed)
        if pictures.errors:  # the pages already written show the new variants, which may be missing
            self._forget()
            return LiveReport(pictures.errors, seconds=time.perf_counter() - started,
                              warnings=warnings(planned))
        written += pictures.written
        dropped = self.dependencies.outputs.keys() - world.pages.keys()  # outputs the site no longer has
        gone = {output_path(p) for p in dropped} - {output_path(o.path) for o in outputs} if dropped else set()
        self.dependencies.record(world, check, made)
        if digests["assets"] != self.assets_revision:
            written += sum(writer.copy(a.source, "assets/" + a.output_name) for a in found_assets)
        gone |= self.asset_files - asset_files
        if not self.swept:  # the folder outlives the server: what the last session made, this site may not have
            gone |= {name for name in files_in(self.paths.output) if name not in current and writer.ours(name)
                     and not name.startswith(search.FOLDER + "/")}
            self.swept = True
        for relative in gone:
            writer.remove(relative)
        writer.save()
        self.assets_revision, self.asset_files = digests["assets"], asset_files
        self.next_change = min(filter(None, (next_change(site, planned.loaded),
                                             self.dependencies.next_change(site.now))))
        return LiveReport([], len(todo), written, len(gone), time.perf_counter() - started, site,
                          tuple(outputs[i].path for i in todo), warnings(planned))
