"""The command line: `python build.py [build] [--content DIR] [--output DIR] …`.

Content errors are printed one a line as `path:line: field: message`, all of
them, and the exit status is 1; an editor never sees a Python traceback for a
problem in the content.
"""
from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path

from generator.content.dates import now_in, parse_moment, parse_now, zone
from generator.errors import BuildFailed
from generator.build import lock
from generator.build.outputdir import check_places
from generator.build.pipeline import Paths, build
from generator.outputs.render import TemplateProblem
from generator.build.parallel import WorkerLost
from generator.outputs.search import SearchIndexFailed
from generator.site.model import Options
from generator.build.write import UnsafeOutput

BUSY = 75  # the exit status when another build holds the lock and --no-wait was given (EX_TEMPFAIL)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="build.py", description="Bygger innovationsbloggens webbplats från content/ till public/.")
    commands = top.add_subparsers(dest="command")
    build_cmd = commands.add_parser("build", help="bygg webbplatsen (standard)")
    add_build_options(build_cmd)
    serve_cmd = commands.add_parser("serve", help="förhandsvisa med utkast, och bygg om vid varje ändring")
    add_source_options(serve_cmd)
    serve_cmd.add_argument("--output", default=".cache/preview",
                           help="mappen förhandsvisningen byggs i (standard: .cache/preview, inte public)")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="adressen servern lyssnar på (standard: 127.0.0.1, bara den här datorn)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="porten (standard: 8000)")
    serve_cmd.add_argument("--cms", action="store_true",
                           help="redigera i webbläsaren på /admin/: formulären sparar i content/ och assets/ "
                                "(bara på den här datorn)")
    add_search_option(serve_cmd)
    add_output_safety_options(serve_cmd)
    check_cmd = commands.add_parser("check", help="kontrollera innehållet: allt bygget kontrollerar, plus länkar och bilder")
    add_source_options(check_cmd)
    check_cmd.add_argument("--now", default=None, help="tidpunkten kontrollen räknar som nu (standard: nu)")
    check_cmd.add_argument("--strict", action="store_true", help="låt även varningar ge felstatus")
    new_cmd = commands.add_parser("new", help="skapa ett nytt inlägg eller evenemang att fylla i")
    new_cmd.add_argument("kind", choices=("post", "event"), help="post (inlägg) eller event (evenemang)")
    new_cmd.add_argument("title", help="rubriken, t.ex. \"Idéverkstad i Åre\"")
    new_cmd.add_argument("--date", default=None, help="datumet, ÅÅÅÅ-MM-DD, gärna med klockslag: "
                         "\"ÅÅÅÅ-MM-DD TT:MM\" (inläggets tid, evenemangets start; standard: i dag)")
    new_cmd.add_argument("--content", default="content", help="innehållsmappen (standard: content)")
    tags_cmd = commands.add_parser("tags", help="lista webbplatsens taggar och hur många inlägg som har var och en")
    tags_cmd.add_argument("--content", default="content", help="innehållsmappen (standard: content)")
    schema_cmd = commands.add_parser("schema", help="skriv JSON Schema för innehållsformaten")
    schema_cmd.add_argument("--output", default="schemas", help="mappen att skriva till (standard: schemas)")
    docs_cmd = commands.add_parser("docs", help="skriv fälttabellerna i redaktörsguiderna från innehållsmodellerna")
    docs_cmd.add_argument("--docs", default="docs", help="mappen med guiderna (standard: docs)")
    return top


def add_source_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", default="content", help="innehållsmappen (standard: content)")
    command.add_argument("--templates", default=None, help="mallmappen (standard: projektets templates/)")
    command.add_argument("--assets", default=None, help="mappen med CSS och filer (standard: projektets assets/)")


def add_build_options(command: argparse.ArgumentParser) -> None:
    add_source_options(command)
    command.add_argument("--output", default="public", help="utmappen (standard: public)")
    command.add_argument("--base-url", default=None, help="webbplatsens adress, i stället för base_url i site.yaml")
    command.add_argument("--now", default=None,
                         help="tidpunkten bygget räknar som nu, t.ex. 2015-09-01T12:00 (standard: nu)")
    command.add_argument("--drafts", action="store_true", help="ta med utkast, märkta som utkast")
    command.add_argument("--cache-dir", default=None,
                         help="cachen som låter bygget återanvända oförändrat arbete (standard: .cache bredvid content)")
    command.add_argument("--no-cache", action="store_true", help="bygg allt från början, utan cache")
    add_search_option(command)
    add_output_safety_options(command)


def add_output_safety_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--force", action="store_true",
                         help="ersätt utmappen även om den har filer som inte kommer från ett bygge")
    command.add_argument("--no-wait", action="store_true",
                         help="vänta inte om ett annat bygge pågår i samma utmapp eller cache; avbryt i stället "
                              f"(status {BUSY})")


def add_search_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-search", action="store_true",
                         help="gör inget sökindex den här gången (sökningen på /sok/ hittar då inget)")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "check":
        return run_check(args)
    if args.command == "new":
        return run_new(args)
    if args.command == "tags":
        return run_tags(args)
    if args.command == "schema":
        from generator.commands import schema

        for path in schema.write(Path(args.output)):
            print(path)
        return 0
    if args.command == "docs":
        from generator.commands import fieldtables

        try:
            changed = fieldtables.write(Path(args.docs))
        except fieldtables.UnknownTable as exc:
            print(exc, file=sys.stderr)
            return 1
        for path in changed:
            print(path)
        return 0
    parser().print_help()
    return 2


class Stopped(KeyboardInterrupt):
    """SIGTERM (`kill`): the command stops as it does for Ctrl+C, cleaning up on the way out."""


def _stop(signum, frame) -> None:
    raise Stopped()


class _ForgivingStream:
    """A standard stream whose reader may go away (`build | head`, `build | true`): once the pipe is
    closed, what is still written is dropped, so that a build that succeeded is not reported as
    failed because nobody read its last lines."""

    def __init__(self, stream):
        self._stream = stream

    def _closed(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # what is buffered goes nowhere, without another error
        os.close(devnull)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._closed()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._closed()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def run() -> None:
    """The command: main(), then an exit without the interpreter's teardown.

    After a build of 10,000 posts the interpreter would free its hundreds of
    thousands of objects one by one before exiting, a tenth of a warm build. By
    then every file is written and closed (the output, the cache), so only the
    standard streams need flushing. An exception leaves the usual way.

    The cyclic garbage collector stays off for the whole command (see
    pipeline.collector_paused): turned back on after a build, its first pass
    would walk every object the build made, just before the exit.
    """
    gc.disable()
    signal.signal(signal.SIGTERM, _stop)
    sys.stdout, sys.stderr = _ForgivingStream(sys.stdout), _ForgivingStream(sys.stderr)
    try:
        code = main()
    except KeyboardInterrupt as stop:
        print("\nAvbröts.", file=sys.stderr)
        code = _stopped_status(stop)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _stopped_status(stop: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a command a signal ended: 143 for SIGTERM, 130 for Ctrl+C."""
    return 128 + (signal.SIGTERM if isinstance(stop, Stopped) else signal.SIGINT)


def paths_of(args: argparse.Namespace) -> Paths:
    from generator.build.pipeline import PROJECT

    return Paths(
        content=Path(args.content),
        output=Path(args.output),
        templates=Path(args.templates) if args.templates else PROJECT / "templates",
        assets=Path(args.assets) if args.assets else PROJECT / "assets",
        shown_content=args.content.rstrip("/") or "/",
    )


def run_serve(args: argparse.Namespace) -> int:
    # run() turns the garbage collector off for a one-shot command; the dev server runs for
    # hours, so it collects between rebuilds (each rebuild pauses it: collector_paused).
    gc.enable()
    paths = paths_of(args)
    if _missing(paths.content) or _unsafe(paths, None, args.force, "Förhandsvisningen", added=False, swapped=False):
        return 1
    try:
        with lock.held(paths.output, None, not args.no_wait, _say):
            if _unsafe(paths, None, args.force, "Förhandsvisningen", swapped=False):  # again: one that waited may find it changed
                return 1
            return _serve(args, paths)
    except lock.Busy as busy:
        print(f"Förhandsvisningen startades inte: {busy} (--no-wait)", file=sys.stderr)
        return BUSY
    except lock.Unwritable as problem:
        print(f"Förhandsvisningen startades inte: {problem}", file=sys.stderr)
        return 1


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from generator.build.pipeline import LiveSite
    from generator.commands.serve import DevServer

    if args.cms and args.host not in ("127.0.0.1", "::1", "localhost"):
        print("--cms går bara med --host 127.0.0.1: redigeringen skriver i dina filer och ska bara nås från "
              "den här datorn", file=sys.stderr)
        return 2
    tz = _site_zone(paths.content) or zone("Europe/Stockholm")
    host = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    base_url = f"http://{f'[{host}]' if ':' in host else host}:{args.port}/"  # an IPv6 address in brackets
    live = LiveSite(paths, Options(now=now_in(tz), base_url=base_url, drafts=True, future=True,
                                   search=not args.no_search), clock=lambda: now_in(tz))
    try:
        server = DevServer(live, args.host, args.port, [paths.content, paths.templates, paths.assets],
                           cms=args.cms, force=args.force)
    except OSError as exc:
        if exc.filename:  # the output folder could not be marked as the server's (a full disk), not the port
            print(f"Förhandsvisningen startades inte: {exc.filename}: {exc.strerror}", file=sys.stderr)
        else:
            print(f"Kan inte starta servern på {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    server.start()
    print(f"Förhandsvisning på {base_url} (utkast och framtida inlägg visas, märkta). "
          "Servern bygger om när du sparar. Avsluta med Ctrl+C.")
    if args.cms:
        print(f"Redigera i webbläsaren på {base_url}admin/ (sparar direkt i {paths.shown_content}/ och assets/).")
    try:
        server.stopping.wait()
    except KeyboardInterrupt:
        print("\nAvslutar.")
    finally:
        server.stop()
    return 0


def run_tags(args: argparse.Namespace) -> int:
    """Every tag of the posts (drafts and future posts too), the most used first."""
    from generator.content import tags
    from generator.content.load import load

    content = Path(args.content)
    if _missing(content):
        return 1
    loaded = load(content, args.content.rstrip("/"))
    for line in tags.listing(loaded.posts):
        print(line)
    if loaded.errors:
        print(f"{len(loaded.errors)} filer eller fält gick inte att läsa; deras taggar saknas i listan. "
              "Kör python build.py build för att se felen.", file=sys.stderr)
        return 1
    return 0


def _warning(problem) -> str:
    """A problem that does not stop the build: path:line: varning: message."""
    return f"{problem.path}:{problem.line}: varning: {problem.message}"


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _unsafe(paths: Paths, cache_dir: Path | None, force: bool, what: str, added: bool = True,
            swapped: bool = True) -> bool:
    """True, with a message, when the output folder or the cache is one the command must not write.
    Without `added`, files added to a built output by hand are not looked for (the check under the lock does)."""
    from generator.build.pipeline import PROJECT

    try:
        check_places(paths.output, cache_dir,
                     {"innehålls": paths.content, "mall": paths.templates, "tillgångs": paths.assets}, PROJECT, force,
                     added, swapped)
    except UnsafeOutput as problem:
        print(f"{what} avbröts: {problem}", file=sys.stderr)
        return True
    return False


def _missing(content: Path) -> bool:
    """True, with a message, when the content folder does not exist."""
    if content.is_dir():
        return False
    print(f"{content}: innehållsmappen finns inte", file=sys.stderr)
    return True


def _now(args: argparse.Namespace, content: Path):
    """--now, read as local time in the site's zone; the real time without it. None when malformed."""
    tz = _site_zone(content) or zone("Europe/Stockholm")
    try:
        return parse_now(args.now, tz) if args.now else now_in(tz)
    except ValueError as exc:
        print(f"--now: {exc}", file=sys.stderr)
        return None


def run_build(args: argparse.Namespace) -> int:
    paths = paths_of(args)
    if _missing(paths.content):
        return 1
    now = _now(args, paths.content)
    if now is None:
        return 2
    if args.base_url is not None:
        from generator.content.models import base_url_problem

        problem = base_url_problem(args.base_url)
        if problem:
            print(f"--base-url: {args.base_url!r} {problem}", file=sys.stderr)
            return 2
    cache_dir = None if args.no_cache else Path(args.cache_dir or paths.content.resolve().parent / ".cache")
    if _unsafe(paths, cache_dir, args.force, "Bygget", added=False):
        return 1
    try:
        with lock.held(paths.output, cache_dir, not args.no_wait, _say):
            if _unsafe(paths, cache_dir, args.force, "Bygget"):  # again: a build that waited may find it changed
                return 1
            with progress_bar() as progress:
                report = build(paths, Options(now=now, base_url=args.base_url, drafts=args.drafts,
                                              search=not args.no_search), progress, cache_dir=cache_dir)
    except lock.Busy as busy:
        print(f"Bygget avbröts: {busy} (--no-wait). Inget i {args.output}/ har ändrats.", file=sys.stderr)
        return BUSY
    except lock.Unwritable as problem:
        print(f"Bygget avbröts: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        print(f"\nBygget avbröts. {args.output}/ är helt: som före bygget, eller det nya om bygget hann bli klart.",
              file=sys.stderr)
        return _stopped_status(stop)
    except BuildFailed as failed:
        for error in failed.errors:
            print(error, file=sys.stderr)
        for warning in failed.warnings:
            print(_warning(warning), file=sys.stderr)
        print(f"Bygget avbröts: {len(failed.errors)} fel i innehållet. "
              f"Inget i {args.output}/ har ändrats.", file=sys.stderr)
        return 1
    except (TemplateProblem, UnsafeOutput, SearchIndexFailed, WorkerLost) as problem:
        print(f"Bygget avbröts: {problem}", file=sys.stderr)
        return 1
    for problem in report.cache_problems:
        print(f"varning: {problem}", file=sys.stderr)
    if report.set_aside:
        print(f"varning: någon sparade filer i {args.output}/ medan bygget pågick; den förra webbplatsen finns kvar "
              f"med dem i {report.set_aside}/. Flytta det du vill ha därifrån (en fil som ska publiceras hör hemma "
              "i assets/) och ta sedan bort mappen", file=sys.stderr)
    for warning in report.warnings:
        print(_warning(warning), file=sys.stderr)
    held = []
    if report.drafts:
        held.append(f"{report.drafts} utkast")
    if report.future:
        held.append(f"{report.future} med framtida datum")
    if report.unchanged:
        print(f"Inget har ändrats sedan förra bygget; {args.output}/ lämnades orörd ({report.seconds:.2f} s)."
              + (f" Väntar: {', '.join(held)}." if held else ""))
    else:
        print(f"Byggde {report.posts} inlägg och {report.pages} sidor, {report.files} filer i {args.output}/ "
              f"på {report.seconds:.2f} s." + (f" Väntar: {', '.join(held)}." if held else ""))
    print_summary(report)
    return 0


def print_summary(report) -> None:
    """The short table every build ends with: drawn by rich in a terminal, plain lines in a log."""
    rows = [("Inlägg", report.posts), ("Evenemang", report.events), ("Sidor (HTML)", report.pages_html),
            ("Flöden och kalendrar", report.feeds), ("Väntande utkast", report.drafts),
            ("Väntande med framtida datum", report.future), ("Varningar", len(report.warnings)),
            ("Tid", f"{report.seconds:.2f} s")]
    if report.search_seconds:
        rows.append(("därav sökindex", f"{report.search_seconds:.2f} s"))
    if not sys.stdout.isatty():  # a CI log or a pipe: no box drawing, and no time spent loading rich
        width = max(len(label) for label, _ in rows)
        print("Sammanfattning")
        for label, value in rows:
            print(f"  {label:<{width}}  {value:>8}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Sammanfattning", title_justify="left", show_header=False)
    table.add_column("vad")
    table.add_column("antal", justify="right")
    for label, value in rows:
        table.add_row(label, str(value))
    Console(file=sys.stdout, width=60).print(table)


class progress_bar:
    """A rich progress bar while rendering, when the terminal is interactive; nothing otherwise."""

    def __enter__(self):
        self.bar = None
        if sys.stdout.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Bygger sidor", total=None)
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_check(args: argparse.Namespace) -> int:
    from generator.commands.check import check

    args.output = "-"
    paths = paths_of(args)
    if _missing(paths.content):
        return 1
    now = _now(args, paths.content)
    if now is None:
        return 2
    try:
        findings = check(paths, Options(now=now))
    except TemplateProblem as problem:
        print(f"Kontrollen avbröts: {problem}", file=sys.stderr)
        return 1
    for error in findings.errors:
        print(error, file=sys.stderr)
    for warning in findings.warnings:
        print(_warning(warning), file=sys.stderr)
    failed = bool(findings.errors) or (args.strict and bool(findings.warnings))
    warnings = len(findings.warnings)
    print(f"Kontrollen hittade {len(findings.errors)} fel och {warnings} {'varning' if warnings == 1 else 'varningar'}."
          + (" Rätta felen innan ändringen slås ihop." if findings.errors
             else " Med --strict räknas varningar som fel." if failed else ""),
          file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def run_new(args: argparse.Namespace) -> int:
    from generator.commands.new import NewFileProblem, new_event, new_post

    content = Path(args.content)
    if _missing(content):
        return 1
    tz = _site_zone(content) or zone("Europe/Stockholm")
    try:
        given = parse_moment(args.date, tz) if args.date else None
    except ValueError as exc:
        print(f"--date: {exc}", file=sys.stderr)
        return 2
    day = given.day if given else now_in(tz).date()
    at = given.value.time().replace(second=0, microsecond=0) if given and given.has_time else None
    try:
        path = (new_post if args.kind == "post" else new_event)(content, args.title, day, at)
    except NewFileProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    print(path)
    return 0


def _site_zone(content: Path):
    """The time zone from site.yaml, read early so that --now means local time there; None when the
    file or the field is missing or wrong (the build reports what is wrong in it). Only the field is
    read, without validating the whole file: that would build its model's validator, in a build that
    may need no other (one that stops early because nothing changed)."""
    from generator.content.sources import read_text
    from generator.content.yamltext import load_yaml

    if not (content / "site.yaml").is_file():
        return None
    text, _ = read_text(content / "site.yaml", "site.yaml")
    data, _ = load_yaml(text, "site.yaml") if text is not None else (None, [])
    name = data.get("timezone", "Europe/Stockholm") if isinstance(data, dict) else None
    try:
        return zone(name.strip()) if isinstance(name, str) else None
    except ValueError:
        return None
