"""Shared helpers: build a content folder in-process and capture what the editor would see."""
from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
# Longer than a tick of the file clock (Linux: 1 to 10 ms): a folder changed before such a pause
# is stamped in a manifest made after it (outputdir.folder_stamps).
FILE_CLOCK_TICK = 0.05


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """Run `python build.py ARGS` in this process (optionally from `cwd`), capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(previous)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def build(tmp_path):
    """build(content, *args) -> (Run, output folder), building into a fresh folder."""
    def _build(content: Path, *args: str, output: Path | None = None) -> tuple[Run, Path]:
        output = output or tmp_path / "public"
        return run_cli("build", "--content", str(content), "--output", str(output), *args), output
    return _build


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def minimal_site(tmp_path):
    """A content folder with only site.yaml and posts/ — the smallest site that must build."""
    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "Minsta"\nbase_url: "https://example.org/"\n')
    (content / "posts").mkdir()
    return content


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one per test process, shared by every browser test module
    (tests/test_browser.py, tests/test_design_browser.py): Playwright's sync API allows one at a time."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), "Chromium is missing: apt-get install -y chromium (make test does it where it can)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()
