"""YAML for editors: every value is text, every key knows its line, duplicates are errors.

PyYAML's default schema turns `no` into False, `2015-10-13` into a date and
`08.00` into a float, and keeps the last of two equal keys without a word. Here
every scalar stays a string (only an empty value, `~` or `null` is None) and the
content models decide what a field means. Mappings and lists remember the line
of each entry so that a problem found later can still point at its line.
"""
from __future__ import annotations

import functools
import re

import yaml

from generator.errors import ContentError
from generator.content.pasted import Pasted, split_lines, straighten, unclosed_typographic_message

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping from YAML with the line of each key (`lines`) and of itself (`line`)."""

    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict[str, int] = {}


class LineList(list):
    """A sequence from YAML with the line of each item."""

    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: list[int] = []


# Fields whose value is a word, a number, a date or an address, never prose: a comment after one,
# even `#TODO` without a space, is a comment (check_hashtag).
_NOT_TEXT = {"status", "kind", "draft", "order", "time", "start", "end", "date", "updated", "month", "deadline",
             "image", "url", "email", "phone", "file", "year", "timezone", "language", "base_url", "logo",
             "posts_per_page", "items", "full_content", "search", "repo", "branch", "contact", "municipality"}


class _Loader(_BaseLoader):
    # Only null is resolved implicitly; everything else stays text.
    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream, first_line: int):
        super().__init__(stream)
        self.first_line = first_line
        self.text = stream
        self.problems: list[tuple[int, str, str]] = []
        self.notes: list[tuple[int, str, str]] = []  # warnings: read, but perhaps not as meant

    @functools.cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def check_folded_list(self, node, name: str) -> None:
        """A text written over several lines without `|` is joined into one line: a Markdown list in it
        (`- Kaffe` on one line, `- Smörgås` on the next) becomes a single item."""
        if not isinstance(node, yaml.ScalarNode) or node.style == "|" or node.end_mark.line <= node.start_mark.line:
            return
        indent = None  # of a > block's text: a line indented further keeps its line break
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            line = self.lines[number]
            if not line.strip():
                continue
            own = _indent(line)
            if node.style == ">":
                indent = own if indent is None else indent
                if own < indent:  # the block ended: its end mark is on the next field's line
                    return
                if own > indent:
                    continue
            if re.match(r"\s*(?:[-*+]|\d+[.)])\s+\S", line):
                self.notes.append((number + self.first_line, name,
                                   f"raderna i {name or 'texten'} läses ihop till en enda rad, så en lista blir en "
                                   f"enda punkt; skriv {name or 'fältet'}: | och texten indragen på raderna under, "
                                   "så behålls radbrytningarna"))
                return

    def check_hashtag(self, node, name: str) -> None:
        """A text without quotes ends where ` #` starts a YAML comment: `title: Frukostmöte #3 om
        innovation` is read as "Frukostmöte", without a word. A comment that starts with a word right
        after the # (a hashtag, a number) was meant as text; `# en kommentar` is left alone."""
        if not isinstance(node, yaml.ScalarNode) or node.style not in (None, "") or not node.value \
                or name in _NOT_TEXT or "#" not in self.text:
            return
        line = self.lines[node.end_mark.line] if node.end_mark.line < len(self.lines) else ""
        rest = line[node.end_mark.column:]
        if re.match(r"\s+#[^\s#]", rest):
            whole = (node.value + rest.rstrip()).replace("\\", "\\\\").replace('"', '\\"')
            self.problems.append((self.line_of(node) + node.end_mark.line - node.start_mark.line, name,
                                  f"texten efter # läses som en kommentar och försvinner ({rest.strip()}); "
                                  f"sätt hela texten inom citattecken: \"{whole}\""))

    def check_hashtag_tags(self, node, mapping: LineDict) -> None:
        """Tags written as hashtags (`tags: #innovation #samverkan`, `- #innovation`): the comment that
        # starts takes them away, and the list is left empty or short. Said at the line, and read as
        the tags meant, so that "tags: ska vara en lista" does not follow. (In a list inside [ ] the
        comment also takes the closing ], a syntax error: _slip.)"""
        if mapping["tags"] is None and not _is_empty(node):  # an alias (*name), an error of its own
            return
        if isinstance(node, yaml.SequenceNode) and not node.flow_style:
            for index, item in enumerate(node.value):
                hashtags = _hashtags(self._comment_after(item)) if _is_empty(item) else []
                if hashtags and isinstance(mapping["tags"], LineList):
                    mapping["tags"][index] = hashtags[0]
                    self.problems.append((self.line_of(item), "tags", _HASHTAG_TAG + f"- {hashtags[0]}"))
            return
        hashtags = _hashtags(self._comment_after(node))
        if not hashtags or isinstance(node, yaml.MappingNode) or (isinstance(node, yaml.ScalarNode)
                                                                   and node.style not in (None, "")):
            return
        if isinstance(node, yaml.SequenceNode):
            written = [item for item in mapping["tags"] if isinstance(item, str)]
        else:
            written = comma_separated(node.value)
        line = node.end_mark.line + self.first_line
        tags = LineList(written + hashtags)
        tags.line, tags.lines = line, [line] * len(tags)
        mapping["tags"] = tags
        self.problems.append((line, "tags", _HASHTAG_TAGS + "tags: " + flow_list(tags)))

    def check_backslash(self, node, name: str) -> None:
        """`summary: "Filerna ligger på G:\\Projekt"`: inside "…" a backslash starts an escape, and
        `\\P` becomes a paragraph separator: the text changes without a word. The raw text is what the
        node's marks enclose."""
        if not isinstance(node, yaml.ScalarNode) or node.style != '"' or "\\" not in self.text:
            return
        start, end = node.start_mark, node.end_mark
        if start.line >= len(self.lines) or end.line >= len(self.lines):
            return
        raw = "\n".join(self.lines[start.line:end.line + 1])
        raw = raw[start.column:len(raw) - len(self.lines[end.line]) + end.column]
        escape = _slipped_escape(raw)
        if escape:
            line = self.lines[start.line] if start.line == end.line else None
            self.problems.append((self.line_of(node), name, _backslash_message(escape, line, start.column,
                                                                              end.column)))

    def _comment_after(self, node) -> str:
        """The comment after a node on its last line, when it starts with a word right after the #
        (`#innovation`), or ''."""
        line = self.lines[node.end_mark.line] if node.end_mark.line < len(self.lines) else ""
        found = re.match(r"\s+(#[^\s#].*)", line[node.end_mark.column:])
        return found.group(1) if found else ""

    def line_of(self, node) -> int:
        return node.start_mark.line + self.first_line

    def construct_object(self, node, deep=False):
        # A node met a second time is an alias (*name) of an anchored one (&name). Editors do not
        # need them, and nested aliases make a small file expand exponentially ("billion laughs").
        if node in self.constructed_objects or node in self.recursive_objects:
            problem = (self.line_of(node), "", "YAML-referenser (&namn och *namn) används inte här; "
                                              "skriv ut värdet där det ska stå")
            if problem not in self.problems:
                self.problems.append(problem)
            return None
        return super().construct_object(node, deep)

    def construct_editor_mapping(self, node):
        mapping = LineDict()
        mapping.line = self.line_of(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = self.line_of(key_node)
            if not isinstance(key, str):
                self.problems.append((line, "", "en nyckel måste vara text"))
                continue
            if key in mapping:
                self.problems.append(
                    (line, key, f"nyckeln finns två gånger (först på rad {mapping.lines[key]}); ta bort den ena")
                )
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = line
            self.check_backslash(value_node, key)
            if key == "tags":
                self.check_hashtag_tags(value_node, mapping)
            else:
                self.check_hashtag(value_node, key)
            self.check_folded_list(value_node, key)
        return mapping

    def construct_editor_sequence(self, node):
        sequence = LineList()
        sequence.line = self.line_of(node)
        for item in node.value:
            sequence.append(self.construct_object(item, deep=True))
            self.check_backslash(item, "")
            sequence.lines.append(self.line_of(item))
        return sequence

    def construct_editor_null(self, node):
        return None

    def construct_unknown_tag(self, node):
        """`!!python/object/apply:…`, `!Ref` …: a tag the safe loader does not know is a problem, not a crash."""
        written = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self.problems.append((self.line_of(node), "", f"YAML-taggen {written} används inte här; ta bort den "
                                                      "och skriv värdet som vanlig text"))
        return self.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None


# `tags: #innovation`: what the # does, then how to write it.
_HASHTAG = "tecknet # framför en tagg gör resten av raden till en kommentar som inte läses"
_HASHTAG_TAGS = _HASHTAG + "; skriv taggarna utan #, så här: "
_HASHTAG_TAG = _HASHTAG + "; skriv taggen utan #, så här: "


# An escape inside "…", read from the left: `\\` and `\"` stand for themselves, any other (\P, \n,
# \t, \x41, a backslash at the end of a line) changes the text or cannot be read.
_ESCAPE = re.compile(r"\\(.|$)", re.DOTALL | re.MULTILINE)


# A Windows path: a drive (G:\) or a shared folder (\\server) at the start of a word.
_PATH = re.compile(r'(?:(?<![\w\\])[A-Za-z]:|(?<![\w\\])\\\\(?=\w))\\')


def _slipped_escape(raw: str) -> str | None:
    """The first escape in the raw text of a "…" value that was meant as a backslash, or None. Escapes
    that tools and those who know YAML write on purpose, \\n, \\t, \\u200b, \\U0001F600, are left alone
    unless the text is a Windows path; \\P, \\N, \\L (characters no one types) and \\I (no escape at
    all) are words after a backslash in any text."""
    changing = [m for m in _ESCAPE.finditer(raw) if m.group(1) not in ("\\", '"')]
    path = _PATH.search(raw) is not None
    word = [m for m in changing if m.group(1).isupper() and not _CHARACTER.match(raw, m.start())]
    return next((m.group() for m in (changing if path else word)), None)


# \U and eight hex digits: a character by its number, as PyYAML and other tools write an emoji.
_CHARACTER = re.compile(r"\\U[0-9A-Fa-f]{8}")


def _backslash_message(escape: str, line: str | None, start: int, end: int, readable: bool = True) -> str:
    """Why a backslash in a text in "…" does not stay a backslash; with the line written right when
    the text is on one line (`start`, `end`: the columns of its opening quote and after its closing)."""
    what = "så texten ändras" if readable else "som inte går att läsa"
    shown = escape.strip() or "\\"  # a backslash at the end of a line
    message = (f"ett \\ inom citattecken (\"…\") läses som början på ett specialtecken ({shown}), "
               f"{what}; skriv texten inom apostrofer ('…') eller utan citattecken")
    if line is None:
        return message
    # Backslashes as written (who wrote one by mistake meant all as written, also \\\\server), \\" as "
    meant = _ESCAPE.sub(lambda m: m.group(1) if m.group(1) == '"' else m.group(), line[start + 1:end - 1])
    return message + ", så här: " + (line[:start] + _as_written(meant) + line[end:]).strip()


def _unreadable_escape(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """(0-based line, 1-based column, message) of a backslash in "…" that starts no escape YAML can
    read (`"G:\\Innovation"`: there is no \\I; `"C:\\users"`: \\u wants four hex digits), which
    PyYAML reports in English."""
    opened = exc.context_mark
    if opened is None or "quoted scalar" not in (exc.context or "") or not re.search(r"escape|hexa?decimal",
                                                                                       exc.problem or ""):
        return None
    line = split_lines(text)[opened.line]
    at = exc.problem_mark  # at the backslash, or at what follows \\u that is no hex digit
    escapes = [m for m in _ESCAPE.finditer(line, opened.column + 1) if m.group(1) not in ("\\", '"')
               and (at is None or at.line != opened.line or m.start() <= at.column)]
    if not escapes:
        return None
    escape = escapes[-1]
    closing = re.match(r'"(?:\\.|[^"\\])*"', line[opened.column:])
    end = opened.column + closing.end() if closing else None
    message = _backslash_message(escape.group(), line if end else None, opened.column, end or 0, readable=False)
    return opened.line, escape.start() + 1, "ogiltig YAML: " + message


def _as_written(text: str) -> str:
    """`text` as a YAML value read exactly as written, backslashes too: in apostrophes, or without
    quotes when it has an apostrophe of its own and reads the same so."""
    if "'" in text:
        try:
            if yaml.load("k: " + text, Loader=_BaseLoader) == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return "'" + text.replace("'", "''") + "'"


def _is_empty(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in (None, "") and node.value == ""


def _hashtags(comment: str) -> list[str]:
    """`#innovation, #samverkan` -> the words after each #, without the punctuation after them."""
    return [word.rstrip(",.;:!?") for word in re.findall(r"(?:^|\s)#([^\s,]+)", comment) if word.rstrip(",.;:!?")]


def flow_list(items) -> str:
    """Values as a list inside [ ], as an editor writes them: `[lokal mat, samverkan, "C#"]`."""
    return "[" + ", ".join(map(_flow_item, items)) + "]"


def comma_separated(text: str) -> list[str]:
    """The values a text written for a list names, split at its commas (not one between digits, as in
    "1,5-gradersmålet"), without spaces around them."""
    return [part.strip() for part in re.split(r"(?<!\d),|,(?!\d)", text) if part.strip()]


def _flow_item(text: str) -> str:
    """A value as written in a list inside [ ]: in quotes when it would not be read as written."""
    if re.fullmatch(r"\w[\w\- .]*", text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_editor_mapping)
_Loader.add_constructor("tag:yaml.org,2002:omap", _Loader.construct_editor_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_editor_sequence)
_Loader.add_constructor("tag:yaml.org,2002:null", _Loader.construct_editor_null)
_Loader.add_constructor(None, _Loader.construct_unknown_tag)
# Explicitly tagged scalars (`!!int 3`, `!!bool yes`) are still text for the models to read.
for _tag in ("bool", "int", "float", "timestamp", "str", "binary"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_scalar)


def load_yaml(text: str, path: str, first_line: int = 1,
              warnings: list[ContentError] | None = None) -> tuple[object, list[ContentError]]:
    """Parse one YAML document; return its data and the problems found.

    `first_line` is the file line on which `text` starts (front matter starts on line 2).
    What was read as the editor meant rather than as written (pasted.py) is added to `warnings`.
    """
    pasted = straighten(text)
    text = pasted.text
    if warnings is not None:  # also when the text cannot be read: a changed space may be why
        warnings += [ContentError(path, line + first_line, field, message, column)
                     for line, column, field, message in pasted.changes]
    deep = _too_deep(text)
    if deep is not None:
        return None, [ContentError(path, deep + first_line, "",
                                   f"ogiltig YAML: listor och fält ligger i mer än {MAX_DEPTH} nivåer inuti "
                                   "varandra; skriv dem enklare")]
    loader = _Loader(text, first_line)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        if "single document" in (exc.context or "") and (markers := _document_markers(text)):
            return None, [ContentError(path, markers[0] + first_line, "", _front_matter_in_yaml(text, markers, first_line),
                                       1)]
        if (unread := _unreadable_escape(text, exc)) is not None:
            return None, [ContentError(path, unread[0] + first_line, "", unread[2], unread[1])]
        slip = _slip(text, exc)
        if slip is not None:
            line, column, message = slip
            return None, [ContentError(path, line + first_line, "", message, column)]
        line, message = _explain(exc, text)
        if not pasted.scanned:  # read as written: where do its quotes open?
            pasted = straighten(text, quotes=True)
        line, column, message = _blame_the_opening_quote(pasted, line, message)
        if not column:
            marks = [m for m in (exc.problem_mark, exc.context_mark) if m is not None and m.line == line]
            column = marks[0].column + 1 if marks else 0
        return None, [ContentError(path, line + first_line, "", message, column)]
    except yaml.YAMLError as exc:  # errors without a position, e.g. a bad character
        return None, [ContentError(path, first_line, "", unexplained(str(exc)))]
    finally:
        loader.dispose()
    if warnings is not None:
        warnings += [ContentError(path, line + first_line, field, unclosed_typographic_message(quote), column)
                     for line, (column, quote, field) in pasted.typographic_openings.items()]
    errors = [ContentError(path, line, field, message) for line, field, message in loader.problems]
    if warnings is not None:
        warnings += [ContentError(path, line, field, message) for line, field, message in loader.notes]
    return data, errors


def _document_markers(text: str) -> list[int]:
    """The 0-based lines that are `---` (or `...`) at the left edge: where a YAML document starts or ends."""
    return [n for n, line in enumerate(split_lines(text)) if line.rstrip() in ("---", "...")]


def _front_matter_in_yaml(text: str, markers: list[int], first_line: int) -> str:
    """An event file written like a post, with `---` lines around its fields: they split it in two. A
    text below them, as a post's, is no field: it belongs under description."""
    numbers = [str(n + first_line) for n in markers]
    where = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " och " + numbers[-1]
    after = split_lines(text)[markers[-1] + 1:]
    body = next((line for line in after if line.strip()), None) if len(markers) > 1 else None
    below = ("; texten under den sista raden med --- hör till fältet description: skriv description: | på en "
             "egen rad över den, och två mellanslag först på varje rad i texten") \
        if body is not None and not re.match(r"[\w][\w.\-]*[ \t]*:(\s|$)", body) else ""  # text, not a field
    return (f"ogiltig YAML: en .yaml-fil har bara fälten, utan raderna --- runt dem som ett inlägg har; "
            f"ta bort {'raden' if len(numbers) == 1 else 'raderna'} med --- (rad {where}){below}")


def _slip(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """(0-based line, 1-based column, message) of a slip editors make that breaks the YAML, when
    writing that line right takes the error away or further down. PyYAML stops where the slip's effect
    makes no sense: a hashtag in `tags: [#innovation]` starts a comment that takes the ], and the error
    is at the end of the text; `title:Hej` is a text, not a field, and the error is on the next line."""
    marks = [m.line for m in (exc.problem_mark, exc.context_mark) if m is not None]
    if not marks:
        return None
    lines = split_lines(text)
    # PyYAML stops one line past a text that does not end in a line break (front matter is read so):
    # a slip reads further only when it gets past that, but is looked for on the text's lines.
    stopped, last = max(marks), min(max(marks), len(lines) - 1)
    near = {n for mark in (min(marks), last) for n in range(mark - _SLIP_REACH, mark + 1) if 0 <= n <= last}
    found = {}  # 0-based line -> (the line written right, column, message)
    first = next((n for n, line in enumerate(lines) if line.strip()), 0)
    for number in sorted(near):
        slips = (_hashes_in_a_list, _quote_inside_quotes, _no_space_after_colon)
        for slip in slips + (_indented_first_field,) if number == first else slips:
            if (written := slip(lines[number])) is not None:
                found[number] = written
                break
    if not found or not _reads_further(lines, {n: w[0] for n, w in found.items()}, stopped):
        return None
    # With two slips in reach, each is needed: blame the first. One that changed nothing (`Obs:viktigt`
    # in a | text) is not needed, and is never the one blamed while a needed one exists.
    needed = [n for n in found if len(found) == 1
              or not _reads_further(lines, {m: w[0] for m, w in found.items() if m != n}, stopped)]
    number = min(needed or found)
    written, column, message = found[number]
    return number, column, message + written.strip()


# How many lines above each of the error's marks a slip is looked for (blank lines, a list's items), so
# that a file of many `Obs:viktigt` lines is not read again for each of them.
_SLIP_REACH = 5


def _reads_further(lines: list[str], written: dict[int, str], stopped: int) -> bool:
    """Whether the text with some lines written anew reads without an error, or past line `stopped`."""
    try:
        for _ in yaml.parse("\n".join(written.get(n, line) for n, line in enumerate(lines)), Loader=_BaseLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line > stopped
    except yaml.YAMLError:
        return False
    return True


_FIELD = r" *(?:- +)?[\w][\w.\-]* *:"  # `title:`, `  - time:`


def _hashes_in_a_list(line: str) -> tuple[str, int, str] | None:
    """`tags: [#innovation, #samverkan]` written without the # that start comments in the list."""
    opened = re.match(_FIELD + r" *\[", line)
    if not opened:
        return None
    rest = line[opened.end() - 1:]
    hashes = [m.start(2) for m in re.finditer(r"(\"[^\"]*\"|'[^']*')|(?<=[\[,\s])(#)(?=[^\s#])", rest)
              if m.group(2)]
    if not hashes:
        return None
    written = line[:opened.end() - 1] + "".join(c for i, c in enumerate(rest) if i not in hashes)
    key = line[:opened.end()].strip(" -[").rstrip(" :")
    return (written, opened.end() + hashes[0],
            _HASHES_IN_TAGS if key == "tags" else _HASHES_IN_A_LIST)


_HASHES_IN_TAGS = f"ogiltig YAML: {_HASHTAG}, så listan stängs aldrig; skriv taggarna utan #, så här: "
_HASHES_IN_A_LIST = ("ogiltig YAML: tecknet # i listan gör resten av raden till en kommentar som inte läses, så "
                     "listan stängs aldrig; skriv värdena utan #, så här: ")


def _quote_inside_quotes(line: str) -> tuple[str, int, str] | None:
    """`title: "Vi säger "hej" till våren"`: a quote inside the text closes it. Inner " become ” ”
    (Swedish typography); a text in '…' with an apostrophe in it goes inside "…" instead."""
    quoted = re.fullmatch(r"((?:" + _FIELD + r" +| *- +)?)([\"'])(.*)\2 *", line)
    if not quoted or quoted.group(2) not in quoted.group(3):
        return None
    head, quote, inner = quoted.groups()
    if re.search(r"[\"']\s+[\w.\-]+ *:(?:\s|$)", inner):  # `title: "A"  summary: "B"`: two fields on a line
        return None
    column = len(head) + 2 + inner.index(quote)
    if quote == '"':
        return head + '"' + re.sub(r'(?<!\\)"', "”", inner) + '"', column, _QUOTE_INSIDE_QUOTES
    return head + '"' + inner.replace("\\", "\\\\").replace('"', "”") + '"', column, _APOSTROPHE_INSIDE


_QUOTE_INSIDE_QUOTES = ("ogiltig YAML: ett citattecken inuti texten avslutar den för tidigt; skriv citattecknen "
                        "inuti texten som ” ”, så här: ")
_APOSTROPHE_INSIDE = ("ogiltig YAML: en apostrof inuti texten avslutar den för tidigt, eftersom texten står inom "
                      "apostrofer; sätt texten inom raka citattecken i stället, så här: ")


def _no_space_after_colon(line: str) -> tuple[str, int, str] | None:
    """`title:Hej`: without a space after the colon, the line is a text, not a field."""
    field = re.match(r" *(?:- +)?[\w][\w.\-]*:(?=[^\s:])", line)
    if not field:
        return None
    return line[:field.end()] + " " + line[field.end():], field.end(), _NO_SPACE_AFTER_COLON


_NO_SPACE_AFTER_COLON = "ogiltig YAML: det saknas ett mellanslag efter kolonet; skriv så här: "


def _indented_first_field(line: str) -> tuple[str, int, str] | None:
    """` title: Hej` as the first line (pasted with a space before it): the fields below it are then
    read as a second text, and PyYAML stops on the next line, in English."""
    field = re.match(r"( +)[\w][\w.\-]* *:(?:\s|$)", line)
    if not field:
        return None
    return line.lstrip(" "), 1, _INDENTED_FIRST_FIELD


_INDENTED_FIRST_FIELD = "ogiltig YAML: det första fältet börjar med mellanslag; skriv fälten längst till vänster, så här: "


_NEVER_CLOSED = "ogiltig YAML: ett citattecken stängs aldrig; avsluta texten med samma citattecken"


def _blame_the_opening_quote(pasted: Pasted, line: int, message: str) -> tuple[int, int, str]:
    """A quote that is not closed on its line runs on until the next quote, and PyYAML stops
    lines later, where what follows that quote makes no sense. When closing the quote on its own
    line takes the error away (or further down), that line is the one to fix."""
    if line in pasted.typographic_openings:
        column, quote, _ = pasted.typographic_openings[line]
        return line, column, "ogiltig YAML: " + unclosed_typographic_message(quote)
    opened = [number for number in pasted.open_quotes if number <= line]
    if not opened:
        return line, 0, message
    number = max(opened)
    column, quote = pasted.open_quotes[number]
    if number == line:
        return line, column, _NEVER_CLOSED
    lines = split_lines(pasted.text)
    lines[number] += quote
    try:
        for _ in yaml.parse("\n".join(lines), Loader=_BaseLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None or mark.line <= line:
            return line, 0, message
    return number, column, _NEVER_CLOSED


MAX_DEPTH = 50  # lists and mappings inside each other; content needs four or five


def _too_deep(text: str) -> int | None:
    """The 0-based line where the nesting passes MAX_DEPTH, or None.

    Building the data recurses once per level (in libyaml's C code and here), so a
    few kilobytes of `[[[[…` would overflow the stack. The parser's event stream is
    flat and is read first when the text could nest that deep at all: every level
    needs one of `[`, `{`, `-`, `:` or `?`.
    """
    if sum(text.count(character) for character in "[{-:?") <= MAX_DEPTH:
        return None
    try:
        return _depth_passed(text, _BaseLoader)
    except yaml.YAMLError:
        # libyaml scans a flow collection's tokens before it yields its events, and since
        # PyYAML 6.0.4 stops at its own nesting limit there, with an English message. The
        # pure-Python parser has no limit of its own and yields events as it goes: ask it.
        try:
            return _depth_passed(text, yaml.SafeLoader)
        except yaml.YAMLError:
            return None  # a syntax error: the parse that follows explains it


def _depth_passed(text: str, loader) -> int | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The 0-based line and a Swedish explanation of a YAML syntax error."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark
    character = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    at = (exc.problem_mark or exc.context_mark).line if (exc.problem_mark or exc.context_mark) else 0
    started = exc.context_mark.line if exc.context_mark else at
    if "quoted scalar" in context:
        return started, "ogiltig YAML: ett citattecken stängs aldrig; avsluta texten med samma citattecken"
    if "flow sequence" in context or "expected ',' or ']'" in problem:
        return started, "ogiltig YAML: en lista inom [ ] stängs aldrig eller saknar kommatecken"
    if "flow mapping" in context:
        return started, "ogiltig YAML: en samling inom { } stängs aldrig eller saknar kommatecken"
    if "mapping values are not allowed" in problem:
        if _is_key_of_its_line(text, mark):
            return at, _INDENTED_TOO_FAR
        return at, ("ogiltig YAML: ett kolon på fel ställe; sätt texten inom citattecken "
                    "om den innehåller ': '")
    if "expected '-' indicator" in problem:
        return at, ("ogiltig YAML: raden står bland punkterna i en lista men börjar inte med '- '; hör den "
                    "till punkten ovanför, dra in den så att den står exakt under punktens andra fält")
    if "expected comment or line break" in problem and "block scalar" in context:
        return at, ("ogiltig YAML: efter | eller > får inget mer stå på raden; börja texten på nästa rad, "
                    "indragen")
    if "expected node content" in problem:
        return at, (f"ogiltig YAML: ett värde kan inte börja med {character or 'det här tecknet'}; "
                    "sätt texten inom citattecken")
    if character == "\t" or "'\\t'" in problem or "tab" in problem:
        return at, "ogiltig YAML: tabbtecken får inte användas för indrag; använd mellanslag"
    if "cannot start any token" in problem:  # @, %, ` … at the start of a value
        return at, (f"ogiltig YAML: ett värde kan inte börja med {character or 'det här tecknet'}; "
                    "sätt texten inom citattecken")
    if "could not find expected ':'" in problem and (block := _block_text_above(text, started)):
        header, indent = block
        return started, (f"ogiltig YAML: raden är inte indragen men hör till texten under {header}; dra in den "
                         f"lika långt som raderna ovanför ({_spaces(indent)})")
    if "could not find expected ':'" in problem:
        return started, "ogiltig YAML: en rad saknar ':' mellan fältets namn och värde"
    if "expected key" in problem and mark is not None and text[:mark.index].rstrip(" ")[-1:] in ('"', "'"):
        line = split_lines(text)[mark.line]
        if "]" in line[mark.column:] and "[" not in line:
            return at, 'ogiltig YAML: listan slutar med ] men börjar inte med [; skriv den som ["första", "andra"]'
        return at, ("ogiltig YAML: text står efter det avslutande citattecknet; sätt hela texten inom "
                    "citattecknen")
    if "expected key" in problem and _indented_further_than_before(text, mark):
        return at, _INDENTED_TOO_FAR
    if "expected key" in problem:
        return at, ("ogiltig YAML: en rad har fel indrag, eller så stängs ett citattecken aldrig; "
                    "kontrollera raden och raden före")
    if "alias" in problem or "anchor" in problem or "alphabetic or numeric" in problem:
        return at, ("ogiltig YAML: ett värde som börjar med * eller & läses som en YAML-referens; "
                    "sätt texten inom citattecken")
    return at, unexplained(problem or context)


_INDENTED_TOO_FAR = ("ogiltig YAML: raden är indragen längre än fältet före; fält på samma nivå ska stå "
                     "exakt under varandra")


def _block_text_above(text: str, line: int) -> tuple[str, int] | None:
    """(`description: |`, the indent its text has) when the line `line` stands where that field's text
    does, but not indented as far: every line between them is blank or indented further (the text's
    other lines). Not for a line that reads as a field without its colon (`title "Fika"`)."""
    lines = split_lines(text)
    indent = _indent(lines[line])
    if re.match(r" *[\w][\w.\-]* +[\"']", lines[line]):
        return None
    text_indent = None
    for above in reversed(lines[:line]):
        if not above.strip():
            continue
        above_indent = _indent(above)
        if above_indent > indent:
            text_indent = above_indent
            continue
        header = re.fullmatch(r" *([\w][\w.\-]*) *: *([|>][-+0-9]*) *(?:#.*)?", above)
        if header and above_indent == indent:
            return f"{header.group(1)}: {header.group(2)}", text_indent or indent + 2
        return None
    return None


def _indent(line: str) -> int:
    """How many spaces a line starts with."""
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return {1: "ett mellanslag", 2: "två mellanslag", 3: "tre mellanslag", 4: "fyra mellanslag",
            6: "sex mellanslag", 8: "åtta mellanslag"}.get(count, f"{count} mellanslag")


def _is_key_of_its_line(text: str, mark) -> bool:
    """True when the colon at `mark` ends a field name that starts its line (`    address: …`):
    the line is a field indented further than the one before, not a text with a colon in it."""
    if mark is None:
        return False
    line = split_lines(text)[mark.line]
    return bool(re.fullmatch(r" *(?:- +)?[\w][\w.\-]* *", line[:mark.column]))


def _indented_further_than_before(text: str, mark) -> bool:
    """True when the line at `mark` is a field (`name: …`) indented further than the line before it."""
    if mark is None or mark.line == 0:
        return False
    lines = split_lines(text)
    line, before = lines[mark.line], lines[mark.line - 1]
    indent = _indent(line)
    return (mark.column == indent and bool(re.match(r"[\w][\w.\-]* *:( |$)", line[indent:]))
            and indent > _indent(before) and not before.rstrip().endswith(":"))


def unexplained(detail: str) -> str:
    """A YAML error this module has no Swedish words for (a new library version may word its errors
    anew): a Swedish sentence, then the library's own words, which still say where to look."""
    shown = f" (YAML-tolkens beskrivning: {detail.strip()})" if detail and detail.strip() else ""
    return ("ogiltig YAML: texten går inte att läsa som YAML; kontrollera indrag, kolon och citattecken "
            "på raden och raden före" + shown)


def line_of(data: object, loc: tuple, default: int) -> int:
    """The line of the value at `loc` (keys and list indexes), or of its nearest parent."""
    line = getattr(data, "line", default)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.lines[part], node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lines[part], node[part]
        else:
            break
    return line
