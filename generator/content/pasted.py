"""Text pasted from Word or a web page into YAML: what the editor meant, and a warning.

Word turns "…" into ”…” as you type, and web pages and Word put non-breaking and
other Unicode spaces where an ordinary space was meant. YAML knows neither: ”Åre: så”
is a plain text with a colon in it, `title:` followed by a non-breaking space is not a
field at all, and a non-breaking space in an indent is no indent. Before PyYAML parses
a text, the spaces in syntax positions (indents, after `-`, around `:` and between
the items of a [list]) become ordinary spaces and typographic quotes around a whole
value become straight ones, each with a warning at its line and column. Every change
keeps the length of the line where it can, so PyYAML's marks still point at the
editor's own text. Text inside a value, and the lines of a `|` or `>` block, are
left as written: a non-breaking space in "10 000 kr" is the editor's to keep.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Spaces that look like a space but are not one to YAML. (Zero-width characters are left to
# PyYAML: replacing them would move every column after them.)
UNICODE_SPACES = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                           "\u200a\u202f\u205f\u3000")
_SPACE_NAMES = {"\u00a0": "ett hårt mellanslag", "\u202f": "ett smalt hårt mellanslag"}
_ANY_SPACE = " " + "".join(sorted(UNICODE_SPACES))

# Quotes Word and other programs put in place of " and ' (Swedish ”…” and ’…’, English “…”,
# German „…“, and guillemets «…» and »…»): those that stand for " and those that stand for '.
_DOUBLE, _SINGLE = "”“„«»", "’‘‚"
TYPOGRAPHIC_QUOTES = frozenset(_DOUBLE + _SINGLE)
_KEY = re.compile(r"[\w][\w.\-]*")
_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*[ \t]*(#.*)?$")


@dataclass
class Pasted:
    """The text as the editor meant it, what was changed in it, and where a value opens a quote it
    does not close on its line (where PyYAML's 'the quote never closes' really starts)."""

    text: str
    # What was read otherwise than written: (0-based line, 1-based column, field, message)
    changes: list[tuple[int, int, str, str]] = field(default_factory=list)
    open_quotes: dict[int, tuple[int, str]] = field(default_factory=dict)  # 0-based line -> (column, quote)
    # Values that start with Word's quote and never close it: 0-based line -> (column, quote, field)
    typographic_openings: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    scanned: bool = True  # False: read as written without a look at each line (nothing in it to straighten)


# What YAML counts as a line break: a lone \r is one too, so lines are counted as YAML counts them.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """The lines of a YAML text, as YAML counts them (its marks' line numbers index this list)."""
    return _LINE_BREAK.split(text)


# What straighten() may change or warn of; a text with none of these (the usual one) is read as written.
_PASTED_OR_BREAK = re.compile("[" + "".join(sorted(UNICODE_SPACES | TYPOGRAPHIC_QUOTES)) + "\r\x85\u2028\u2029]")


def straighten(text: str, quotes: bool = False) -> Pasted:
    """Read `text` (YAML) as the editor meant it; see the module's docstring.

    A text with no Unicode space, typographic quote or unusual line break is returned as it is,
    without the scan of each line, unless `quotes` asks for where its quotes open (`open_quotes`,
    which only a text PyYAML cannot read needs)."""
    pasted = Pasted(text)
    if not quotes and not _PASTED_OR_BREAK.search(text):
        pasted.scanned = False
        return pasted
    lines = split_lines(text)
    block_indent: int | None = None  # inside a | or > block: lines indented more than this are its text
    for number, line in enumerate(lines):
        lines[number] = _straighten_line(line, number, pasted, block_indent)
        block_indent = _block_indent_after(lines[number], block_indent)
    pasted.text = "\n".join(lines)
    return pasted


def _block_indent_after(line: str, block_indent: int | None) -> int | None:
    """The indent of the node whose | or > block the next line may belong to, or None."""
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if block_indent is not None and (not stripped or indent > block_indent):
        return block_indent
    key_at, value_at, _ = _parts(line)
    if value_at is not None and _BLOCK_INDICATOR.match(line[value_at:]):
        return key_at
    return None


def _parts(line: str) -> tuple[int, int | None, str]:
    """(column where the node starts, column where its value starts or None, the key or "")."""
    at = len(line) - len(line.lstrip(" "))
    node_at, dashed = at, False
    while line[at:at + 1] == "-" and line[at + 1:at + 2] in (" ", ""):
        node_at, dashed = at, True
        at += 1
        while line[at:at + 1] == " ":
            at += 1
    key = _KEY.match(line, at)
    if key:
        after = key.end()
        while line[after:after + 1] == " ":
            after += 1
        if line[after:after + 1] == ":" and line[after + 1:after + 2] in (" ", ""):
            value_at = after + 1
            while line[value_at:value_at + 1] == " ":
                value_at += 1
            return key.start(), value_at, key.group()
    return node_at, (at if dashed else None), ""


def _straighten_line(line: str, number: int, pasted: Pasted, block_indent: int | None) -> str:
    chars = list(line)
    indent = _leading_spaces(chars, 0)
    if block_indent is not None and (indent > block_indent or not line.strip(_ANY_SPACE)):
        _warn_spaces(line, chars, range(0, indent), number, pasted)  # a line of a | or > block
        return "".join(chars)
    # Spaces in the indent, after list dashes and around a key's colon are syntax, never text.
    syntax = indent
    while chars[syntax:syntax + 1] == ["-"] and (syntax + 1 == len(chars) or chars[syntax + 1] in _ANY_SPACE):
        syntax = _leading_spaces(chars, syntax + 1)
    spaces, field_name = list(range(0, syntax)), ""
    key = _KEY.match(line, syntax)
    colon = _leading_spaces(chars, key.end()) if key else 0
    if key and chars[colon:colon + 1] == [":"] and (colon + 1 == len(chars) or chars[colon + 1] in _ANY_SPACE):
        value_at = _leading_spaces(chars, colon + 1)
        spaces += [*range(key.end(), colon), *range(colon + 1, value_at)]
        field_name, syntax = key.group(), value_at
    elif syntax == indent:  # no field and no list item: a line of a text that goes on over several lines
        _warn_spaces(line, chars, spaces, number, pasted)
        return "".join(chars)
    _warn_spaces(line, chars, spaces, number, pasted, field_name)
    value = line[syntax:]
    if value.startswith("#"):
        return "".join(chars)
    if value.startswith("["):
        value = _straighten_flow(value, syntax, number, pasted, field_name)
    else:
        value = _straighten_value(value, syntax, number, pasted, field_name)
    return "".join(chars[:syntax]) + value


def _leading_spaces(chars: list[str], at: int) -> int:
    while at < len(chars) and chars[at] in _ANY_SPACE:
        at += 1
    return at


def _warn_spaces(line: str, chars: list[str], positions, number: int, pasted: Pasted, field_name: str = "",
                 offset: int = 0) -> None:
    """Make the Unicode spaces at `positions` of `line` ordinary ones in `chars`, with one warning
    for the first; `offset` is the line's column where `line` (a part of the whole line) starts."""
    found = [at for at in positions if chars[at] in UNICODE_SPACES]
    for at in found:
        chars[at] = " "
    if found:
        column = offset + found[0] + 1
        pasted.changes.append((number, column, field_name, _space_message(line[found[0]], column)))


def _space_message(character: str, column: int) -> str:
    name = _SPACE_NAMES.get(character, "ett ovanligt mellanslag")
    return (f"{name} (U+{ord(character):04X}) i tecken {column} lästes som ett vanligt mellanslag; "
            "skriv ett vanligt mellanslag där i stället")


_QUOTES = _DOUBLE + _SINGLE + "\"'"
_QUOTED = re.compile(r"(?P<open>[%s])(?P<inner>.*)(?P<close>[%s])(?P<tail>[ \t%s]*(?:[ \t]#.*)?)$"
                     % (_QUOTES, _QUOTES, "".join(sorted(UNICODE_SPACES))))


def _straighten_value(value: str, at: int, number: int, pasted: Pasted, field_name: str) -> str:
    """A value that starts at column `at` (0-based) and goes on to the end of the line."""
    quoted = _QUOTED.match(value)
    if quoted and _typographic_pair(quoted["open"], quoted["close"], quoted["inner"]):
        pasted.changes.append((number, at + 1, field_name, _quote_message(quoted["open"], quoted["close"], at + 1)))
        value = _requote(quoted["inner"]) + quoted["tail"]
        tail_at = len(value) - len(quoted["tail"])
    else:
        if value[:1] in TYPOGRAPHIC_QUOTES:
            family = _DOUBLE if value[0] in _DOUBLE else _SINGLE
            if not any(character in family for character in value[1:]):
                pasted.typographic_openings[number] = (at + 1, value[0], field_name)
            elif value.split(" #", 1)[0].rstrip(_ANY_SPACE)[-1:] in family:
                pasted.changes.append((number, at + 1, field_name, _kept_quotes_message(value[0])))
        elif value[:1] in ("'", '"') and _never_closed(value):
            pasted.open_quotes[number] = (at + 1, value[0])
        if value[:1] in ("'", '"'):
            return value
        tail_at = len(value.split(" #", 1)[0].rstrip(_ANY_SPACE))
    # Spaces after the value (before a comment): a plain value would keep the Unicode ones.
    chars = list(value)
    comment = value.find(" #", tail_at)
    _warn_spaces(value, chars, range(tail_at, comment if comment >= 0 else len(value)), number, pasted,
                 field_name, at)
    return "".join(chars)


def _typographic_pair(opening: str, closing: str, inner: str) -> bool:
    """True when `opening` and `closing` are a pair of quotes of one kind and one of them is Word's."""
    if opening not in TYPOGRAPHIC_QUOTES and closing not in TYPOGRAPHIC_QUOTES:
        return False
    double = '"' + _DOUBLE
    if (opening in double) != (closing in double):
        return False
    if any(character in (_DOUBLE if opening in double else _SINGLE) for character in inner):
        return False  # ”Ja” eller ”nej”: quoted words in a text, not quotes around it
    return not (opening in ("'", '"') and opening in inner)  # a straight quote closed before: YAML's own error


def _requote(inner: str) -> str:
    """`inner` in straight quotes, as long as it was in the typographic ones where that can be."""
    if '"' not in inner and "\\" not in inner:
        return f'"{inner}"'
    if "'" not in inner:
        return f"'{inner}'"
    return '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_message(opening: str, closing: str, column: int) -> str:
    return (f"typografiska citattecken ({opening}…{closing}) runt värdet i tecken {column} lästes som raka "
            'citattecken ("…"); skriv raka citattecken i stället')


def _kept_quotes_message(quote: str) -> str:
    return (f"värdet börjar och slutar med typografiska citattecken ({quote}), men har fler inuti, så de "
            'lästes som en del av texten; ska de stå runt texten, skriv raka citattecken ("…") runt den')


def unclosed_typographic_message(quote: str) -> str:
    return (f"värdet börjar med ett typografiskt citattecken ({quote}) som aldrig stängs; "
            'sätt hela texten inom raka citattecken ("…")')


def _never_closed(value: str) -> bool:
    """True when a value that starts with a straight quote does not close it on its line."""
    quote, rest = value[0], value[1:]
    if quote == '"':
        return '"' not in re.sub(r"\\.", "", rest)
    return "'" not in rest.replace("''", "")


def _straighten_flow(value: str, at: int, number: int, pasted: Pasted, field_name: str) -> str:
    """A [list] on one line: each item is a value of its own, and the spaces around commas are syntax."""
    end = _flow_end(value)
    if end is None:
        return value
    pieces, start = ["["], 1
    for stop in [*_top_level_commas(value, end), end]:
        item = value[start:stop]
        chars = list(item)
        core_start = len(item) - len(item.lstrip(_ANY_SPACE))
        core_stop = len(item.rstrip(_ANY_SPACE))
        if core_stop <= core_start:
            core_stop = core_start
        _warn_spaces(item, chars, [*range(0, core_start), *range(core_stop, len(item))], number, pasted,
                     field_name, at + start)
        core = item[core_start:core_stop]
        quoted = _QUOTED.match(core)
        if quoted and not quoted["tail"] and _typographic_pair(quoted["open"], quoted["close"], quoted["inner"]):
            column = at + start + core_start + 1
            pasted.changes.append((number, column, field_name, _quote_message(quoted["open"], quoted["close"], column)))
            core = _requote(quoted["inner"])
        pieces += ["".join(chars[:core_start]), core, "".join(chars[core_stop:]), ","]
        start = stop + 1
    pieces[-1] = value[end:]
    return "".join(pieces)


def _flow_end(value: str) -> int | None:
    """The index of the ] that closes the [ at the start of `value`, or None."""
    return next((i for i, character, depth in _outside_quotes(value, 0, len(value))
                 if character in "]}" and depth == 1), None)


def _top_level_commas(value: str, end: int) -> list[int]:
    return [i for i, character, depth in _outside_quotes(value, 1, end) if character == "," and depth == 0]


def _outside_quotes(value: str, start: int, stop: int):
    """Each character of value[start:stop] that is not inside quotes, with how deep in [ ] and { }
    it stands (before it, if it opens or closes one)."""
    depth, quote = 0, ""
    for i in range(start, stop):
        character = value[i]
        if quote:
            quote = "" if character == quote else quote
        elif character in ('"', "'"):
            quote = character
        else:
            yield i, character, depth
            if character in "[{":
                depth += 1
            elif character in "]}":
                depth -= 1
