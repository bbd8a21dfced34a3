"""The editors' guide to error messages (docs/felmeddelanden.md), read by the program too.

Each row of its tables gives a message in `backticks`, with … where the message holds something
from the editor's file, what it means and how to fix it. The preview's error box shows the row's
fix under each error, and a test checks that every message of the editors' fixtures has a row.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "felmeddelanden.md"
_ROW = re.compile(r"\| `((?:[^`]|`(?! \|))+)` \| (.*?) \| (.*?) \|\s*$")


@dataclass(frozen=True)
class Row:
    pattern: re.Pattern
    meaning: str
    fix: str


@functools.cache
def rows(path: Path = GUIDE) -> tuple[Row, ...]:
    """The guide's rows, each message as a pattern (… matches anything); none when it is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ()
    found = []
    for line in text.splitlines():
        row = _ROW.match(line)
        if row:
            shown = row.group(1).replace("\\|", "|")  # a | in a table cell is written \|
            pattern = re.compile(".+?".join(re.escape(part) for part in shown.split("…")))
            found.append(Row(pattern, _plain(row.group(2)), _plain(row.group(3))))
    return tuple(found)


def row_for(message: str) -> Row | None:
    """The guide's row of a message (with or without its field before it), or None."""
    plain = re.sub(r" \(menade du '[^']*'\?\)$", "", message)  # the guide says once a near name may follow
    for row in rows():  # or its row shows the near name, as that of an unknown id does
        if any(row.pattern.fullmatch(text) or row.pattern.fullmatch(text.split(": ", 1)[-1])
               for text in dict.fromkeys((plain, message))):
            return row
    return None


def _plain(markdown: str) -> str:
    """A table cell as text: links become their words, a \\| a |."""
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown).replace("\\|", "|")
