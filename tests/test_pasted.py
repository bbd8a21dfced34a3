"""pasted.py changes only what Word and web pages put in place of YAML's own characters."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.content.pasted import TYPOGRAPHIC_QUOTES, UNICODE_SPACES, straighten
from generator.content import yamltext
from generator.content.yamltext import load_yaml

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAML_PIECES = [":", ": ", "- ", "[", "]", "{", "}", ", ", '"', "'", "#", " #", "|", ">", "\n", "\n  ", "\n    ",
               "title", "tags", "place", "venue", "x", "Åre: så", "10 000", "\\"]
WORD_PIECES = ["”", "“", "„", "’", "‘", "«", "»", "\u00a0", "\u2003", "\u202f"]


def _text(pieces):
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(alphabet="abcåäö ", max_size=6)),
                    max_size=40).map("".join)


@FUZZ
@given(_text(YAML_PIECES))
def test_text_without_words_characters_is_left_exactly_as_it_is(text):
    pasted = straighten(text)
    assert pasted.text == text and pasted.changes == []


@FUZZ
@given(_text(YAML_PIECES + WORD_PIECES))
def test_only_words_characters_change_and_the_lines_stay_where_they_are(text):
    pasted = straighten(text)
    before, after = text.split("\n"), pasted.text.split("\n")
    assert len(before) == len(after)
    for old, new in zip(before, after):
        if old != new:
            assert any(c in UNICODE_SPACES or c in TYPOGRAPHIC_QUOTES for c in old)
    warnings: list[ContentError] = []
    _, errors = load_yaml(text, "f.yaml", 1, warnings)  # never an exception
    assert all(isinstance(e, ContentError) for e in errors + warnings)
    assert all(1 <= w.line <= len(before) for w in warnings)


@FUZZ
@given(_text(YAML_PIECES + ["\r\n", "\r"]))
def test_a_text_read_without_the_scan_of_each_line_gives_the_scans_errors_and_text(text):
    quick, scanned = straighten(text), straighten(text, quotes=True)
    assert quick.text == scanned.text and quick.changes == scanned.changes == []
    errors = load_yaml(text, "f.yaml", 1, [])[1]
    # load_yaml's quick path scans the quotes only when PyYAML fails: the message is the one the full
    # scan gives (the quote that never closes is blamed on the line that opens it)
    original = yamltext.straighten
    yamltext.straighten = lambda t, quotes=False: original(t, quotes=True)
    try:
        assert load_yaml(text, "f.yaml", 1, [])[1] == errors
    finally:
        yamltext.straighten = original
