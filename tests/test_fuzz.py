"""Fuzzing the loaders: whatever text an editor saves, only ContentErrors come out, never an exception.

Hypothesis feeds random text, random YAML-like text and random mappings of the real
field names (with random values) to the functions that turn a file's text into a
model: front matter with a body (posts, pages, focus areas) and event YAML.
"""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.content.load import Document, EventFile, Unread, _load_document, _load_event
from generator.content.models import EventMeta, FocusAreaMeta, PostMeta
from generator.content.yamltext import load_yaml

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that YAML and the date and time readers give meaning to.
TOKENS = st.sampled_from([
    ":", ": ", "- ", "[", "]", "{", "}", ",", '"', "'", "#", "&a", "*a", "!!int", "!!binary", "|", ">",
    "\n", "\n  ", "\t", "---", "...", "~", "null", "no", "yes", "2015-02-30", "2015-10-13", "08.00",
    "24:e september", "2015-09-24 25:15", "10.00–09.00", "1e999", "0x1F", "<script>", "\ufeff", "\x00",
    "é", "Östersund", "alla", "title", "date", "start", "end", "month", "stops", "place", "municipality",
])
YAMLISH = st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=40).map("".join)
# Nesting, as brackets or as indentation, from shallow to far deeper than the stack allows.
DEEP = st.one_of(
    st.builds(lambda depth, pair: f"title: {pair[0] * depth}x{pair[1] * depth}\n",
              st.integers(1, 5000), st.sampled_from([("[", "]"), ("{a: ", "}"), ("- ", "")])),
    st.integers(1, 300).map(lambda depth: "".join("  " * n + f"k{n}:\n" for n in range(depth))),
)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["2015-09-24", "2015-09-24 08:15", "2015-02-30", "2015-11", "08.00–09.00", "no",
                     "Östersund", "held", "workshop", "https://example.org/", "../../../etc/passwd"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)), max_leaves=8)


def fields_of(*models) -> st.SearchStrategy[str]:
    names = sorted({name for model in models for name in model.model_fields})
    return st.one_of(st.sampled_from(names), st.text(max_size=10))


def mappings(*models) -> st.SearchStrategy[str]:
    """YAML text of a mapping with the models' field names (and others), values of any shape."""
    return st.dictionaries(fields_of(*models), VALUES, max_size=8).map(
        lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def only_content_errors(result) -> None:
    item, errors = result
    assert all(isinstance(error, ContentError) for error in errors)
    assert all(isinstance(error.line, int) and error.line >= 1 and error.message for error in errors)
    loaded = isinstance(item, (Document, EventFile))
    assert loaded != bool(errors), "a file is either loaded or reported, never both nor neither"
    assert loaded or item is None or isinstance(item, Unread), "a file reported is at most kept to check its ids"


@FUZZ
@given(st.one_of(st.text(), YAMLISH, DEEP, mappings(PostMeta, FocusAreaMeta)), st.text(max_size=200),
       st.sampled_from(["post", "page", "focus_area"]))
def test_any_front_matter_gives_a_document_or_content_errors(front, body, kind):
    text = f"---\n{front}\n---\n{body}"
    only_content_errors(_load_document(text, kind, "posts/a.md", "content/posts/a.md", "Europe/Stockholm", "r"))


@FUZZ
@given(st.text())
def test_any_markdown_file_gives_a_document_or_content_errors(text):
    only_content_errors(_load_document(text, "post", "posts/a.md", "content/posts/a.md", "Europe/Stockholm", "r"))


@FUZZ
@given(st.one_of(st.text(), YAMLISH, DEEP, mappings(EventMeta)))
def test_any_event_file_gives_an_event_or_content_errors(text):
    only_content_errors(_load_event(text, "events/a.yaml", "content/events/a.yaml", "Europe/Stockholm", "r"))


@FUZZ
@given(st.one_of(st.text(), YAMLISH, DEEP))
def test_the_yaml_reader_gives_text_or_content_errors(text):
    data, errors = load_yaml(text, "f.yaml")
    assert all(isinstance(error, ContentError) for error in errors)
