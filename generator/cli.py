"""The command line: `python build.py [build] [--content DIR] [--output DIR] …`.

Content errors are printed one a line as `path:line: field: message`, all of
them, and the exit status is 1; an editor never sees a Python traceback for a
problem in the content.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.dates import now_in, parse_now, zone
from generator.errors import BuildFailed
from generator.pipeline import Paths, build
from generator.render import TemplateProblem
from generator.site import Options
from generator.write import UnsafeOutput


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="build.py", description="Bygger innovationsbloggens webbplats från content/ till public/.")
    commands = top.add_subparsers(dest="command")
    build_cmd = commands.add_parser("build", help="bygg webbplatsen (standard)")
    add_build_options(build_cmd)
    schema_cmd = commands.add_parser("schema", help="skriv JSON Schema för innehållsformaten")
    schema_cmd.add_argument("--output", default="schemas", help="mappen att skriva till (standard: schemas)")
    return top


def add_build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", default="content", help="innehållsmappen (standard: content)")
    command.add_argument("--output", default="public", help="utmappen (standard: public)")
    command.add_argument("--templates", default=None, help="mallmappen (standard: projektets templates/)")
    command.add_argument("--assets", default=None, help="mappen med CSS och filer (standard: projektets assets/)")
    command.add_argument("--base-url", default=None, help="webbplatsens adress, i stället för base_url i site.yaml")
    command.add_argument("--now", default=None,
                         help="tidpunkten bygget räknar som nu, t.ex. 2015-09-01T12:00 (standard: nu)")
    command.add_argument("--drafts", action="store_true", help="ta med utkast, märkta som utkast")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    if args.command == "schema":
        from generator import schema

        for path in schema.write(Path(args.output)):
            print(path)
        return 0
    parser().print_help()
    return 2


def run_build(args: argparse.Namespace) -> int:
    from generator.pipeline import PROJECT

    paths = Paths(
        content=Path(args.content),
        output=Path(args.output),
        templates=Path(args.templates) if args.templates else PROJECT / "templates",
        assets=Path(args.assets) if args.assets else PROJECT / "assets",
        shown_content=args.content.rstrip("/") or "/",
    )
    if not paths.content.is_dir():
        print(f"{args.content}: innehållsmappen finns inte", file=sys.stderr)
        return 1
    tz = zone("Europe/Stockholm")  # --now is read in the site's zone; see _site_zone
    tz = _site_zone(paths.content) or tz
    try:
        now = parse_now(args.now, tz) if args.now else now_in(tz)
    except ValueError as exc:
        print(f"--now: {exc}", file=sys.stderr)
        return 2
    try:
        report = build(paths, Options(now=now, base_url=args.base_url, drafts=args.drafts))
    except BuildFailed as failed:
        for error in failed.errors:
            print(error, file=sys.stderr)
        count = len(failed.errors)
        print(f"Bygget avbröts: {count} {'fel' if count == 1 else 'fel'} i innehållet. "
              f"Inget i {args.output}/ har ändrats.", file=sys.stderr)
        return 1
    except (TemplateProblem, UnsafeOutput) as problem:
        print(f"Bygget avbröts: {problem}", file=sys.stderr)
        return 1
    held = []
    if report.drafts:
        held.append(f"{report.drafts} utkast")
    if report.future:
        held.append(f"{report.future} med framtida datum")
    print(f"Byggde {report.posts} inlägg och {report.pages} sidor, {report.files} filer i {args.output}/ "
          f"på {report.seconds:.2f} s." + (f" Väntar: {', '.join(held)}." if held else ""))
    return 0


def _site_zone(content: Path):
    """The time zone from site.yaml, read early so that --now means local time there."""
    from generator.load import load_config

    config, _ = load_config(content / "site.yaml", "site.yaml") if (content / "site.yaml").is_file() else (None, [])
    return zone(config.timezone) if config else None
