"""Broken content: each case gives exactly the expected messages, exit status 1 and no traceback.

tests/invalid/<case>/content is built from inside tests/invalid/<case> with
`--content content`; its stderr must equal tests/invalid/<case>/expected.txt.
"""
from __future__ import annotations

import pytest

from conftest import TESTS, run_cli

CASES = sorted(p.name for p in (TESTS / "invalid").iterdir() if (p / "expected.txt").exists())


@pytest.mark.parametrize("case", CASES)
def test_broken_content_is_reported_exactly(case, tmp_path):
    folder = TESTS / "invalid" / case
    output = tmp_path / "public"
    run = run_cli("build", "--content", "content", "--output", str(output), "--now", "2020-01-01", cwd=folder)
    expected = (folder / "expected.txt").read_text(encoding="utf-8").replace("{output}", str(output))
    assert run.err == expected
    assert run.code == 1
    assert "Traceback" not in run.err + run.out
    assert not output.exists(), "a failed build must not create the output folder"


def test_every_case_has_expected_text():
    folders = [p for p in (TESTS / "invalid").iterdir() if p.is_dir()]
    assert len(folders) == len(CASES)
