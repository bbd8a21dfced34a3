"""Fixture sites built and compared, file by file and byte by byte, with their expected output.

tests/sites/<name>/content is built with the options in tests/sites/<name>/options
(`{site}` there is the site's folder) and must give exactly tests/sites/<name>/expected. To accept a deliberate change
of output, run `UPDATE_EXPECTED=1 make test` and review the diff in git.
"""
from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from conftest import TESTS
from generator.build.outputdir import MANIFEST

SITES = sorted(p.name for p in (TESTS / "sites").iterdir() if (p / "content").is_dir())


def files_under(folder: Path) -> dict[str, bytes]:
    """The site's files; not the generator's own record of them (the manifest, with its times and inodes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p != folder / MANIFEST}


@pytest.mark.parametrize("name", SITES)
def test_site_matches_expected_output(name, build, tmp_path):
    site = TESTS / "sites" / name
    options = (site / "options").read_text().replace("{site}", str(site)).split() if (site / "options").exists() else []
    run, output = build(site / "content", *options)
    assert run.code == 0, run.err
    expected = site / "expected"
    if os.environ.get("UPDATE_EXPECTED"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(output, expected)
    built, wanted = files_under(output), files_under(expected)
    assert sorted(built) == sorted(wanted), "the set of files differs"
    for name_, data in built.items():
        if data != wanted[name_]:
            diff = "\n".join(difflib.unified_diff(
                wanted[name_].decode(errors="replace").splitlines(), data.decode(errors="replace").splitlines(),
                f"expected/{name_}", f"built/{name_}", lineterm=""))
            pytest.fail(f"{name_} differs from the expected output:\n{diff}")
