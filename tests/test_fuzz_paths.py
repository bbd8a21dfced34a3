"""Fuzzing the command line: whatever folders and files `build` is pointed at, it changes nothing
outside its output folder and its cache, and never ends in a traceback. Nor inside them, when they
hold what the generator did not make: a folder with files and without the generator's manifest is
replaced only with --force, and a cache only adds its own files.

Each example is a fresh sandbox holding a small site (content, templates, assets) beside what an
editor's disk holds: a home-like folder with a thesis and a .bashrc, a file, nested folders, an
empty one, and symbolic links to a folder and to a file. Hypothesis picks the arguments: paths
(relative and absolute, existing or new, the sources themselves and what is in them), flags, and
clocks and addresses both right and wrong.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli, write

PATHS = [".", "..", "project", "project/content", "project/content/pages", "project/content/posts/ny",
         "project/templates", "project/templates/partials", "project/assets", "home", "home/Documents", "notes.txt",
         "notes.txt/under", "nested", "nested/a/b", "nested/a/b/c/d", "empty", "link-to-home", "link-to-home/sub",
         "link-to-notes", "new", "new/deeper/still", "public", ".cache", "public/.cache", ".cache/public",
         "project/public", "project/.cache", "./public/../public", "home/../nested"]
ARGUMENT = st.one_of(
    st.sampled_from(PATHS),
    st.sampled_from(PATHS).map(lambda path: "{sandbox}/" + path),
    st.lists(st.sampled_from(["a", "b", "..", ".", "ö", "x y"]), min_size=1, max_size=4).map("/".join),
)
FLAGS = st.lists(st.sampled_from([
    ("--cache-dir", ARGUMENT), ("--content", ARGUMENT), ("--templates", ARGUMENT),
    ("--assets", ARGUMENT), ("--no-cache",), ("--force",), ("--drafts",), ("--no-wait",),
    ("--now", st.sampled_from(["2016-03-01T12:00", "2016-02-30", "igår", ""])),
    ("--base-url", st.sampled_from(["https://example.org/", "https://x.se/sub/", "ftp://x", "https://x.se/?q=1"])),
]), max_size=6)


def sandbox_with_a_site(folder: Path) -> None:
    content = folder / "project/content"
    write(content / "site.yaml", 'title: "Fuzz"\nbase_url: "https://example.org/"\n')
    write(content / "posts/2016-01-01-forsta.md", '---\ntitle: "Första"\ndate: 2016-01-01\ntags: [a]\n---\nText.\n')
    write(content / "pages/om.md", '---\ntitle: "Om"\n---\nOm oss.\n')
    shutil.copytree(ROOT / "templates", folder / "project/templates")
    shutil.copytree(ROOT / "assets", folder / "project/assets")
    write(folder / "home/Documents/thesis.txt", "fyra års arbete")
    write(folder / "home/.bashrc", "export PS1='$ '")
    write(folder / "notes.txt", "anteckningar")
    write(folder / "nested/a/b/c/fil.txt", "djupt")
    (folder / "empty").mkdir()
    (folder / "link-to-home").symlink_to(folder / "home")
    (folder / "link-to-notes").symlink_to(folder / "notes.txt")


def files(folder: Path) -> dict[str, str]:
    """Every file and link under a folder, by real path, with a hash of its bytes or its target."""
    found = {}
    for directory, folders, names in os.walk(folder):
        for name in names + [f for f in folders if os.path.islink(os.path.join(directory, f))]:
            path = os.path.join(directory, name)
            if os.path.islink(path):
                found[path] = "->" + os.readlink(path)
            else:
                with open(path, "rb") as file:
                    found[path] = hashlib.sha1(file.read()).hexdigest()
    return found


def chosen(arguments: list[str], flag: str, default: str | None) -> str | None:
    value = default
    for index, argument in enumerate(arguments[:-1]):
        if argument == flag:
            value = arguments[index + 1]
    return value


def places(arguments: list[str], sandbox: Path) -> tuple[list[str], list[str]]:
    """Where the build may change files: its output folder when that is empty, new, the generator's
    own or given up with --force (and not among the sources), and beside it its staging folder and
    lock; and where it may only add files: its cache, as the build resolves it."""
    content = Path(sandbox, chosen(arguments, "--content", "content"))
    output = Path(sandbox, chosen(arguments, "--output", "public")).resolve()
    sources = [Path(sandbox, chosen(arguments, flag, None)).resolve() for flag in ("--content", "--templates", "--assets")]
    replaceable = [str(output.parent / f".{output.name}.{kind}") for kind in ("staging", "old", "lock")]
    among_sources = any(output == source or source in output.parents for source in sources)
    if not among_sources and ("--force" in arguments or not output.is_dir() or not any(output.iterdir())
                              or (output / ".innovationsbloggen").is_file()):
        replaceable.append(str(output))
    cache = chosen(arguments, "--cache-dir", None)
    added = [] if "--no-cache" in arguments else [
        str(Path(sandbox, cache).resolve() if cache else content.resolve().parent / ".cache")]
    return replaceable, added


def inside(path: str, places: list[str]) -> bool:
    return any(path == place or path.startswith(place + "/") for place in places)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_build_changes_nothing_outside_its_output_and_cache_whatever_its_arguments(data):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as temporary:
        sandbox = Path(temporary).resolve() / "sandbox"
        sandbox_with_a_site(sandbox)
        arguments = ["build", "--content", "project/content", "--templates", "project/templates",
                     "--assets", "project/assets", "--no-search", "--now", "2016-03-01T12:00",
                     "--output", data.draw(ARGUMENT).replace("{sandbox}", str(sandbox))]
        for flag in data.draw(FLAGS):
            arguments.append(flag[0])
            if len(flag) > 1:
                arguments.append(data.draw(flag[1]).replace("{sandbox}", str(sandbox)))
        before = files(sandbox.parent)
        replaceable, added = places(arguments, sandbox)
        try:
            run = run_cli(*arguments, cwd=sandbox)  # an exception here is the traceback an editor would see
            code, err = run.code, run.err
        except SystemExit as exit_:  # argparse: an unknown or incomplete option
            code, err = exit_.code, ""
        assert code in (0, 1, 2), (arguments, code, err)
        assert "Traceback" not in err, (arguments, err)
        after = files(sandbox.parent)
        changed = sorted(path for path in before.keys() | after.keys()
                         if before.get(path) != after.get(path) and not inside(path, replaceable)
                         and not (path not in before and inside(path, added)))
        assert changed == [], (arguments, code, err, changed)
