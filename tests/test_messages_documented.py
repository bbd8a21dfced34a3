"""Every message the editors' fixtures show is explained in docs/felmeddelanden.md.

The guide's tables give each message in `backticks`, with … where the message holds something
from the editor's file. A fixture's message that no row matches is a message the guide lacks.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, TESTS

GUIDE = ROOT / "docs" / "felmeddelanden.md"
# The fixtures of the messages about editors' everyday mistakes (issue 16), each message in the guide.
CASES = sorted(p for p in (TESTS / "invalid").glob("editor-*") if (p / "expected.txt").exists())


def documented_patterns() -> list[re.Pattern]:
    patterns = []
    for row in GUIDE.read_text(encoding="utf-8").splitlines():
        first = re.match(r"\| `([^`]+)` \|", row)
        if first:
            shown = first.group(1).replace("\\|", "|")  # a | in a table cell is written \|
            parts = [re.escape(part) for part in shown.split("…")]
            patterns.append(re.compile(".+?".join(parts)))
    return patterns


def messages(case) -> list[str]:
    """The messages of a fixture, without the suggestion some end with: the guide says once that
    a near name may follow, as `(menade du '…'?)`."""
    found = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        where = re.match(r"[^:]+:\d+: ", line)
        if where:
            found.append(re.sub(r" \(menade du '[^']*'\?\)$", "", line[where.end():]))
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_message_of_the_editors_fixtures_is_in_the_guide(case):
    patterns = documented_patterns()
    missing = [message for message in messages(case)
               if not any(pattern.fullmatch(message) or pattern.fullmatch(message.split(": ", 1)[-1])
                          for pattern in patterns)]
    assert missing == [], f"docs/felmeddelanden.md förklarar inte: {missing}"


def test_there_are_editors_fixtures():
    assert CASES
