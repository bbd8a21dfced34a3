"""Every message the editors' fixtures show is explained in docs/felmeddelanden.md.

The guide's tables give each message in `backticks`, with … where the message holds something
from the editor's file (generator/commands/guide.py reads them). A fixture's message that no row matches is
a message the guide lacks.
"""
from __future__ import annotations

import re

import pytest

from conftest import TESTS
from generator.commands import guide

# The fixtures of the messages about editors' everyday mistakes (issue 16), each message in the guide.
CASES = sorted(p for p in (TESTS / "invalid").glob("editor-*") if (p / "expected.txt").exists())


def messages(case) -> list[str]:
    found = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        where = re.match(r"[^:]+:\d+: ", line)
        if where:
            found.append(line[where.end():])
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_message_of_the_editors_fixtures_is_in_the_guide(case):
    missing = [message for message in messages(case) if guide.row_for(message) is None]
    assert missing == [], f"docs/felmeddelanden.md förklarar inte: {missing}"


def test_there_are_editors_fixtures_and_a_message_not_in_the_guide_has_no_row():
    assert CASES
    assert guide.row_for("varning: något helt annat") is None
    row = guide.row_for("tag: okänt fält; menade du 'tags'?")
    assert row is not None and row.fix == "Skriv fältet som i förslaget."
