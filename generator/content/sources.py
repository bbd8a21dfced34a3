"""Reading content files as text: encoding, byte-order mark, line ends and front matter.

Files come from many tools (Word, Windows editors, phones): a UTF-8 byte-order
mark and CRLF line ends are accepted, anything that is not UTF-8 text is an error
that says where the first bad byte is.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from generator.errors import ContentError


def read_text(path: Path, shown: str, warnings: list[ContentError] | None = None
              ) -> tuple[str | None, list[ContentError]]:
    """The file's text with LF line ends, or an error naming the line of the first bad byte.

    An invisible control character (Word's line break with Shift+Enter is U+000B) is read as a
    space, with a warning in `warnings` at its line: XML forbids it, so the feeds could not be
    written, and YAML refuses it."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # removed during the build, no permission to read …
        return None, [ContentError(shown, 1, "", f"filen går inte att läsa ({exc.strerror or exc})")]
    if b"\x00" in data:
        wide = _wide_encoding(data)
        if wide:
            return None, [ContentError(shown, 1, "", f"filen är sparad som {wide}, inte UTF-8; spara den som UTF-8 "
                                                     "i din editor (i Anteckningar: Spara som, Kodning: UTF-8)")]
        return None, [ContentError(shown, 1, "", "filen är binär, inte text; här hör bara textfiler hemma")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [ContentError(
            shown, line, "", "filen är inte sparad som UTF-8; spara den som UTF-8 i din editor"
        )]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        if warnings is not None:
            warnings += _controls_found(text, shown)
        text = _CONTROL.sub(" ", text)
    if _INVISIBLE.search(text):
        if warnings is not None:
            warnings += _invisible_found(text, shown)
        text = _INVISIBLE.sub("", text)
    return text, []


# The control characters no text needs (tab and line break are not among them; U+0085 is a line
# break to YAML), and the two that are no characters at all: XML forbids or YAML refuses each.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {"\x0b": "U+000B, Words radbrytning med Skift+Retur", "\x0c": "U+000C, Words sidbrytning"}


# Characters of no width that come with text pasted from web pages and chat: before a field name
# they make it unknown ("​summary" looks like "summary"), in a date no date. Removed, with a warning.
# (The zero-width joiner, U+200D, is part of emoji and stays.)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
_INVISIBLE_NAMES = {"\u200b": "U+200B, nollbreddsmellanslag", "\u2060": "U+2060, ordsammanfogare",
                    "\ufeff": "U+FEFF, byte order mark mitt i texten"}


def _invisible_found(text: str, shown: str) -> list[ContentError]:
    """A warning at each line with an invisible character, naming the first."""
    return [ContentError(shown, number, "", f"ett osynligt tecken ({_INVISIBLE_NAMES[character]}) togs bort; det "
                                            "följer ofta med text som klistrats in från en webbsida", column)
            for number, column, character in _first_on_each_line(text, _INVISIBLE)]


def _controls_found(text: str, shown: str) -> list[ContentError]:
    """A warning at each line with a control character, naming the first."""
    return [ContentError(shown, number, "", f"ett osynligt styrtecken "
                                            f"({_CONTROL_NAMES.get(character, f'U+{ord(character):04X}')}) lästes som "
                                            "ett mellanslag; ta bort det, eller skriv en ny rad om det var en "
                                            "radbrytning", column)
            for number, column, character in _first_on_each_line(text, _CONTROL)]


def _first_on_each_line(text: str, pattern: re.Pattern) -> list[tuple[int, int, str]]:
    """(line, column, character) of the first match of `pattern` on each line that has one."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = pattern.search(line)
        if match:
            found.append((number, match.start() + 1, match.group()))
    return found


def _wide_encoding(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when the bytes are text in one of them (as Windows tools save "Unicode"), else None."""
    for mark, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                       (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(mark):
            return name
    # Without a mark: where UTF-16 text is plain ASCII, every other byte is a zero, always on the same side.
    if len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if min(even, odd) == 0 and max(even, odd) * 4 >= len(data):  # half of the characters, or more
            return "UTF-16"
    return None


def split_front_matter(text: str, shown: str) -> tuple[str, str, int, list[ContentError]]:
    """Split `---` front matter from the body: (front matter, body, line of its first field, errors).

    The front matter starts on line 1 with `---` and ends at the next line that is `---`.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "", text, 2, [ContentError(
            shown, 1, "", "front matter saknas: börja filen med en rad ---, sedan fälten och en rad ---"
        )]
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            front = "\n".join(lines[1 : number - 1])
            body = "\n".join(lines[number:])
            return front, body, 2, []
    return "", text, 2, [ContentError(shown, 1, "", "front matter avslutas aldrig: lägg till en rad --- efter fälten")]
