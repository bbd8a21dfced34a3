"""Front matter and YAML: text stays text, lines are known, duplicates and surprises are caught."""
import re

import pytest

from generator.errors import ContentError
from generator.content.models import PostMeta, SiteConfig, validate
from generator.content.sources import read_text, split_front_matter
from generator.content.yamltext import line_of, load_yaml


def test_yaml_keeps_every_scalar_as_text():
    data, errors = load_yaml("kommun: no\ndatum: 2015-10-13\ntid: 08.00\nantal: 3\ntom:\n", "f.yaml")
    assert errors == []
    assert data == {"kommun": "no", "datum": "2015-10-13", "tid": "08.00", "antal": "3", "tom": None}


def test_yaml_remembers_lines_with_an_offset():
    data, _ = load_yaml("title: A\ntags:\n  - a\n  - b\n", "p.md", first_line=2)
    assert data.lines == {"title": 2, "tags": 3}
    assert line_of(data, ("tags", 1), 1) == 5
    assert line_of(data, ("nothing",), 1) == 2


def test_duplicate_keys_are_errors_not_silently_merged():
    data, errors = load_yaml("title: A\ndate: 2015-01-01\ntitle: B\n", "p.md", first_line=2)
    assert errors == [ContentError("p.md", 4, "title", "nyckeln finns två gånger (först på rad 2); ta bort den ena")]
    assert data["title"] == "A"


def test_yaml_aliases_are_errors_not_copies():
    data, errors = load_yaml("a: &x hej\nb: *x\n", "f.yaml")
    assert data == {"a": "hej", "b": None}
    assert [str(e) for e in errors] == [
        "f.yaml:1: YAML-referenser (&namn och *namn) används inte här; skriv ut värdet där det ska stå"]


def test_yaml_nested_too_deep_is_an_error_not_a_crash():
    message = "ogiltig YAML: listor och fält ligger i mer än 50 nivåer inuti varandra; skriv dem enklare"
    for text in ("title: " + "[" * 100_000 + "]" * 100_000,  # overflowed libyaml's stack: a segfault
                 "title: " + "{a: " * 1000 + "1" + "}" * 1000,  # a RecursionError
                 "title: x\n" + "".join("  " * n + f"k{n}:\n" for n in range(60))):
        data, errors = load_yaml(text, "f.yaml", first_line=2)
        assert data is None and [e.message for e in errors] == [message]
    assert str(load_yaml("a: " + "[" * 100 + "]" * 100, "f.yaml")[1][0]) == f"f.yaml:1: {message}"
    data, errors = load_yaml("a: " + "[" * 49 + "x" + "]" * 49, "f.yaml")  # the mapping and 49 lists: 50 levels
    assert errors == []
    for _ in range(49):
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == ["x"]


def test_yaml_syntax_errors_are_explained_in_swedish():
    _, errors = load_yaml('title: "öppen\ndate: 2015-01-01\n', "p.md", first_line=2)
    assert [str(e) for e in errors] == [
        "p.md:2: ogiltig YAML: ett citattecken stängs aldrig; avsluta texten med samma citattecken"]


def test_a_post_validates_into_typed_fields():
    data, _ = load_yaml('title: " Hej "\ndate: 2015-07-02 10:00\ntags: [a]\ndraft: "false"\n', "p.md", 2)
    meta, errors = validate(PostMeta, data, "p.md", 1)
    assert errors == []
    assert meta.title == "Hej"
    assert meta.date.iso() == "2015-07-02T10:00:00+02:00"
    assert meta.draft is False


def test_all_field_errors_of_a_post_at_once_with_lines():
    data, _ = load_yaml("date: 2015-02-30\ntags: innovation\nauthors: [Erik N]\ntittle: x\n", "p.md", 2)
    _, errors = validate(PostMeta, data, "p.md", 1)
    assert [str(e) for e in errors] == [  # tittle is read as the title meant: not missing
        "p.md:2: date: 2015-02-30 är inget datum som finns",
        "p.md:3: tags: ska vara en lista; skriv tags: [innovation]",
        "p.md:4: authors: 'Erik N' är inget giltigt id (små bokstäver a–z, siffror och bindestreck)",
        "p.md:5: tittle: okänt fält; menade du 'title'?",
    ]


def test_an_image_needs_alt_text():
    data, _ = load_yaml("title: A\ndate: 2015-01-01\nimage: karta.png\n", "p.md", 2)
    _, errors = validate(PostMeta, data, "p.md", 1)
    assert [str(e) for e in errors] == [
        "p.md:4: image_alt: en bild behöver en alt-text: skriv i image_alt vad bilden visar"]


def test_site_config_defaults_and_base_url():
    data, _ = load_yaml('title: T\nbase_url: "https://example.org/innovation"\n', "site.yaml")
    config, errors = validate(SiteConfig, data, "site.yaml", 1)
    assert errors == []
    assert (config.language, config.timezone, config.base_url) == (
        "sv", "Europe/Stockholm", "https://example.org/innovation/")


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "p.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nText\r\n")
    text, errors = read_text(path, "p.md")
    assert errors == [] and text == "---\ntitle: A\n---\nText\n"
    front, body, first, errors = split_front_matter(text, "p.md")
    assert (front, body, first, errors) == ("title: A", "Text\n", 2, [])


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "p.md"
    path.write_bytes("---\ntitle: A\n---\nRäksmörgås\n".encode("latin-1"))
    assert [str(e) for e in read_text(path, "p.md")[1]] == [
        "p.md:4: filen är inte sparad som UTF-8; spara den som UTF-8 i din editor"]


# Each way _explain translates a PyYAML error, fed the YAML that takes it there: an upgrade of
# PyYAML that words an error anew sends that YAML to the untranslated path, and this test fails.
TRANSLATED = [
    ('title: "öppen\ndate: 2015-01-01\n', 1,
     "ogiltig YAML: ett citattecken stängs aldrig; avsluta texten med samma citattecken"),
    ("tags: [a, b\ndate: 2015-01-01\n", 1, "ogiltig YAML: en lista inom [ ] stängs aldrig eller saknar kommatecken"),
    ("place: {name: a\ndate: 2015-01-01\n", 1,
     "ogiltig YAML: en samling inom { } stängs aldrig eller saknar kommatecken"),
    ("title: Åre: så gick det\n", 1,
     "ogiltig YAML: ett kolon på fel ställe; sätt texten inom citattecken om den innehåller ': '"),
    ("title: a\n\tdate: 2015-01-01\n", 2, "ogiltig YAML: tabbtecken får inte användas för indrag; använd mellanslag"),
    ("title: @regionen\n", 1, "ogiltig YAML: ett värde kan inte börja med @; sätt texten inom citattecken"),
    ("title: a\nrad utan kolon\ndate: 2015-01-01\n", 2, "ogiltig YAML: en rad saknar ':' mellan fältets namn och värde"),
    ("place:\n  name: a\n b: c\n", 3,
     "ogiltig YAML: en rad har fel indrag, eller så stängs ett citattecken aldrig; kontrollera raden och raden före"),
    ('title: "Idéverkstad" i Åre\ndate: 2015-01-01\n', 1,
     "ogiltig YAML: text står efter det avslutande citattecknet; sätt hela texten inom citattecknen"),
    ("place:\n  venue: Torget\n    address: Storgatan 1\n", 3,
     "ogiltig YAML: raden är indragen längre än fältet före; fält på samma nivå ska stå exakt under varandra"),
    ('programme:\n  - time: "10.00"\n    title: Fika\n  optional: true\n', 4,
     "ogiltig YAML: raden står bland punkterna i en lista men börjar inte med '- '; hör den till punkten "
     "ovanför, dra in den så att den står exakt under punktens andra fält"),
    ("description: | Hej\n  text\n", 1,
     "ogiltig YAML: efter | eller > får inget mer stå på raden; börja texten på nästa rad, indragen"),
    ("title: ]\n", 1, "ogiltig YAML: ett värde kan inte börja med ]; sätt texten inom citattecken"),
    ("description: |\n  Första stycket.\n\nAndra stycket, inte indraget.\nstart: 2015-03-13\n", 4,
     "ogiltig YAML: raden är inte indragen men hör till texten under description: |; dra in den lika långt "
     "som raderna ovanför (två mellanslag)"),
    ("description: >\nText som glömde indraget.\n", 2,
     "ogiltig YAML: raden är inte indragen men hör till texten under description: >; dra in den lika långt "
     "som raderna ovanför (två mellanslag)"),
    ("documentation:\n  gjort: |\n      Vi träffades.\n  Och åt lunch.\n", 4,
     "ogiltig YAML: raden är inte indragen men hör till texten under gjort: |; dra in den lika långt "
     "som raderna ovanför (sex mellanslag)"),
    ('description: |\n  Text.\ntitle "Fika"\n', 3, "ogiltig YAML: en rad saknar ':' mellan fältets namn och värde"),
    ('title: "Rapport" (se [bilaga])\n', 1,
     "ogiltig YAML: text står efter det avslutande citattecknet; sätt hela texten inom citattecknen"),
    ('organisers: "region-jamtland-harjedalen"]\n', 1,
     "ogiltig YAML: listan slutar med ] men börjar inte med [; skriv den som [\"första\", \"andra\"]"),
    ('focus_areas: "a", "b"]\n', 1,
     "ogiltig YAML: listan slutar med ] men börjar inte med [; skriv den som [\"första\", \"andra\"]"),
    ("title: *stjärna\n", 1,
     "ogiltig YAML: ett värde som börjar med * eller & läses som en YAML-referens; sätt texten inom citattecken"),
]


@pytest.mark.parametrize("text, line, message", TRANSLATED, ids=[m[14:40] for _, _, m in TRANSLATED])
def test_every_translated_yaml_error_stays_swedish(text, line, message):
    _, errors = load_yaml(text, "f.yaml")
    assert [(e.line, e.message) for e in errors] == [(line, message)]


def test_a_yaml_error_without_swedish_words_gets_a_swedish_sentence_and_the_librarys_detail():
    import yaml

    from generator.content.yamltext import _explain

    mark = yaml.Mark("f.yaml", 7, 1, 3, "x: y\nz\n", 7)
    error = yaml.scanner.ScannerError("while scanning something", mark, "a problem nobody has met yet", mark)
    assert _explain(error, "x: y\nz\n") == (1, (
        "ogiltig YAML: texten går inte att läsa som YAML; kontrollera indrag, kolon och citattecken på raden "
        "och raden före (YAML-tolkens beskrivning: a problem nobody has met yet)"))
    # A YAML error without a position (a character YAML does not allow) is explained the same way.
    _, errors = load_yaml("title: a\x07b\n", "f.yaml", first_line=2)
    assert len(errors) == 1 and errors[0].line == 2
    assert errors[0].message.startswith("ogiltig YAML: texten går inte att läsa som YAML; kontrollera")
    assert "(YAML-tolkens beskrivning: " in errors[0].message


def test_word_quotes_around_a_value_are_read_as_straight_ones_with_a_warning():
    warnings = []
    data, errors = load_yaml('title: ”Idéverkstad i Åre: så gick det”\ntags: [”idéverkstad”, „lokal mat“]\n'
                             "kind: «workshop» # en kommentar\nsummary: ’Han sa \"ja\"’\n", "p.md", 2, warnings)
    assert errors == []
    assert data == {"title": "Idéverkstad i Åre: så gick det", "tags": ["idéverkstad", "lokal mat"],
                    "kind": "workshop", "summary": 'Han sa "ja"'}
    assert [(w.line, w.column, w.field) for w in warnings] == [
        (2, 8, "title"), (3, 8, "tags"), (3, 23, "tags"), (4, 7, "kind"), (5, 10, "summary")]
    assert warnings[0].message == ('typografiska citattecken (”…”) runt värdet i tecken 8 lästes som raka '
                                   'citattecken ("…"); skriv raka citattecken i stället')


def test_quotes_inside_a_value_and_in_a_block_are_the_editors_text():
    warnings = []
    text = ('title: Vi sa ”ja” till det\nsummary: "Boken ”Mat” kom ut"\ndescription: |\n  Plats: ”Torget”\n'
            "kind: ”Ja” eller ”nej”\n")
    data, errors = load_yaml(text, "e.yaml", 1, warnings)
    assert errors == [] and [(w.line, w.field) for w in warnings] == [(5, "kind")]  # said, not silently
    assert warnings[0].message.startswith("värdet börjar och slutar med typografiska citattecken (”), men har")
    assert data == {"title": "Vi sa ”ja” till det", "summary": "Boken ”Mat” kom ut",
                    "description": "Plats: ”Torget”\n", "kind": "”Ja” eller ”nej”"}


def test_unicode_spaces_in_syntax_positions_are_spaces_but_inside_a_value_they_stay():
    warnings = []
    data, errors = load_yaml("title:\u00a0Priset är 10\u00a0000 kr\u00a0\nplace:\n\u00a0 venue: Torget\n"
                             "tags:\n  -\u2003a\n", "e.yaml", 1, warnings)
    assert errors == []
    assert data == {"title": "Priset är 10\u00a0000 kr", "place": {"venue": "Torget"}, "tags": ["a"]}
    assert [str(w) for w in warnings] == [
        "e.yaml:1: title: ett hårt mellanslag (U+00A0) i tecken 7 lästes som ett vanligt mellanslag; "
        "skriv ett vanligt mellanslag där i stället",
        "e.yaml:1: title: ett hårt mellanslag (U+00A0) i tecken 27 lästes som ett vanligt mellanslag; "
        "skriv ett vanligt mellanslag där i stället",
        "e.yaml:3: venue: ett hårt mellanslag (U+00A0) i tecken 1 lästes som ett vanligt mellanslag; "
        "skriv ett vanligt mellanslag där i stället",
        "e.yaml:5: ett ovanligt mellanslag (U+2003) i tecken 4 lästes som ett vanligt mellanslag; "
        "skriv ett vanligt mellanslag där i stället"]


def test_a_quote_never_closed_is_blamed_on_the_line_where_it_opens():
    text = 'title: "Idéverkstad\nkind: "workshop"\nstart: "2026-01-01 10.00"\nend: x\n'
    _, errors = load_yaml(text, "e.yaml")
    assert [(e.line, e.column, e.message) for e in errors] == [
        (1, 8, "ogiltig YAML: ett citattecken stängs aldrig; avsluta texten med samma citattecken")]
    _, errors = load_yaml("title: ”Idéverkstad: så gick det\ndate: 2026-01-01\n", "p.md", 2)
    assert [(e.line, e.message) for e in errors] == [
        (2, 'ogiltig YAML: värdet börjar med ett typografiskt citattecken (”) som aldrig stängs; '
            'sätt hela texten inom raka citattecken ("…")')]
    # A text over several lines in quotes is YAML, not a mistake.
    data, errors = load_yaml('summary: "en\n  två"\nkind: x\n', "e.yaml")
    assert errors == [] and data["summary"] == "en två"


def test_a_persons_empty_contact_is_none_and_a_pasted_number_is_read_as_typed():
    """An empty email or phone (as a form may save it) is left out, as before they were checked; a number
    pasted with non-breaking spaces and a dash is read with spaces and a hyphen (the tel: link dials it)."""
    from generator.content.models import Person, validate

    person, errors = validate(Person, {"name": "G", "email": " ", "phone": "070\u00a0278\u00a022\u201344"}, "p.yaml", 1)
    assert errors == [] and person.email is None and person.phone == "070 278 22-44"
    person, errors = validate(Person, {"name": "G", "email": "", "phone": ""}, "p.yaml", 1)
    assert errors == [] and person.email is None and person.phone is None


def test_a_hashtag_in_a_text_without_quotes_is_an_error_not_a_comment_that_silently_cuts_the_text():
    _, errors = load_yaml("title: Frukostmöte #3 om innovation\ndraft: true # ändra sen\n", "f.yaml", first_line=2)
    assert [(e.line, e.field, e.message) for e in errors] == [
        (2, "title", 'texten efter # läses som en kommentar och försvinner (#3 om innovation); sätt hela texten '
                     'inom citattecken: "Frukostmöte #3 om innovation"')]
    _, errors = load_yaml('summary: "Följ oss #nyskapande"\nplace:\n  address: Storgatan 1 #B\n', "f.yaml")
    assert [(e.line, e.field, e.message[:40]) for e in errors] == [
        (3, "address", "texten efter # läses som en kommentar oc")]
    # A field that is never prose, a list item (an id) and an empty value: a comment there is a comment.
    _, errors = load_yaml("status: held #ändrat efter mötet\nkind: möte   #TODO\nauthors:\n  - erik #huvud\n"
                          "programme:\n  - time: 08.00 #start\n    title: Fika\nimage: #bild senare\n", "f.yaml")
    assert errors == []
    _, errors = load_yaml("venue: C:\\mapp #1\n", "f.yaml")
    assert errors[0].message.endswith('"C:\\\\mapp #1"'), "a backslash is doubled inside double quotes"


# Slips editors make in front matter that break the YAML, each blamed on its own line with the line
# written as it should be. Front matter is read without its last line break (sources.split_front_matter),
# so a slip on the last field is the end of the text, where PyYAML stops.
HASHTAG = "tecknet # framför en tagg gör resten av raden till en kommentar som inte läses"
HASH_TAGS = f"ogiltig YAML: {HASHTAG}, så listan stängs aldrig; skriv taggarna utan #, så här: "
INNER_QUOTE = ("ogiltig YAML: ett citattecken inuti texten avslutar den för tidigt; skriv citattecknen inuti "
               "texten som ” ”, så här: ")
INNER_APOSTROPHE = ("ogiltig YAML: en apostrof inuti texten avslutar den för tidigt, eftersom texten står inom "
                    "apostrofer; sätt texten inom raka citattecken i stället, så här: ")
NO_SPACE = "ogiltig YAML: det saknas ett mellanslag efter kolonet; skriv så här: "
INDENTED_FIRST = "ogiltig YAML: det första fältet börjar med mellanslag; skriv fälten längst till vänster, så här: "
SLIPS = [
    ("title: Lärresa\ntags: [#innovation, #samverkan]\ndate: 2015-06-02", 3,
     HASH_TAGS + "tags: [innovation, samverkan]"),
    ("title: Lärresa\ndate: 2015-06-02\ntags: [#innovation, #samverkan]", 4,
     HASH_TAGS + "tags: [innovation, samverkan]"),
    ('title: Lärresa\ntags: ["innovation", #samverkan]\n\n', 3, HASH_TAGS + 'tags: ["innovation", samverkan]'),
    ("focus_areas: [ #kreativa-byrakrater ]\ntitle: Lärresa", 2,
     "ogiltig YAML: tecknet # i listan gör resten av raden till en kommentar som inte läses, så listan stängs "
     "aldrig; skriv värdena utan #, så här: focus_areas: [ kreativa-byrakrater ]"),
    ('title: "Vi säger "hej" till våren"\ndate: 2015-06-02', 2,
     INNER_QUOTE + 'title: "Vi säger ”hej” till våren"'),
    ('date: 2015-06-02\ntitle: "Vi säger "hej""', 3, INNER_QUOTE + 'title: "Vi säger ”hej”"'),
    ('tags:\n  - "Boken "Mat""\n  - mat', 3, INNER_QUOTE + '- "Boken ”Mat”"'),
    ("title: 'Vi's bästa vår'\ndate: 2015-06-02", 2, INNER_APOSTROPHE + "title: \"Vi's bästa vår\""),
    ("date: 2015-06-02\nsummary: 'Vi's \"bästa\" vår'", 3, INNER_APOSTROPHE + "summary: \"Vi's ”bästa” vår\""),
    ("title:Lärresa\ndate: 2015-06-02", 2, NO_SPACE + "title: Lärresa"),
    ("date: 2015-06-02\ntitle:Lärresa\nsummary: Vi åkte.", 3, NO_SPACE + "title: Lärresa"),
    ('date: 2015-06-02\ntitle:"Lärresa"', 3, NO_SPACE + 'title: "Lärresa"'),
    ('programme:\n  - time: "10.00"\n    title:Fika\n  - time: "11.00"', 4, NO_SPACE + "title: Fika"),
    (' title: "Vår"\ndate: 2015-06-02', 2, INDENTED_FIRST + 'title: "Vår"'),
    ('\n  title: Vår\ndate: 2015-06-02\ntags: [a]', 3, INDENTED_FIRST + "title: Vår"),
]


@pytest.mark.parametrize("text, line, message", SLIPS, ids=[m[14:34] + str(n) for n, (_, _, m) in enumerate(SLIPS)])
def test_a_common_slip_is_blamed_on_its_line_with_the_line_written_right(text, line, message):
    _, errors = load_yaml(text, "p.md", first_line=2)
    assert [(e.line, e.field, e.message) for e in errors] == [(line, "", message)]


def test_a_line_that_only_looks_like_a_slip_is_not_blamed():
    """Obs:viktigt in a | text reads the same with a space, and two fields on one line are no quote inside
    quotes: the error is explained as before, at its own line."""
    _, errors = load_yaml("description: |\n  Obs:viktigt\ntitle: Åre: så gick det", "p.md", first_line=2)
    assert [(e.line, e.message) for e in errors] == [
        (4, "ogiltig YAML: ett kolon på fel ställe; sätt texten inom citattecken om den innehåller ': '")]
    _, errors = load_yaml('title: "Idéverkstad"  summary: "Kort"', "p.md", first_line=2)
    assert [(e.line, e.message) for e in errors] == [
        (2, "ogiltig YAML: text står efter det avslutande citattecknet; sätt hela texten inom citattecknen")]
    # Two slips: the first is blamed, and once it is written right, the next.
    _, errors = load_yaml("title:Lärresa\ndate:2015-06-02\ntags: [a]", "p.md", first_line=2)
    assert [(e.line, e.message) for e in errors] == [(2, NO_SPACE + "title: Lärresa")]
    # The real error at the end of the front matter (read without its last line break), where every
    # slip above it reads no further: not blamed on one of them.
    for text, line in [("title: Nionde\nsummary: |\n  Obs:viktigt\ntags: [innovation, samverkan", 5),
                       ("title: Nionde\nsummary: Obs:viktigt\nimage:bilder/x.jpg", 4)]:
        _, errors = load_yaml(text, "p.md", first_line=2)
        assert [e.line for e in errors] == [line] and "Obs: viktigt" not in errors[0].message, (text, errors)


def test_hashtags_as_tags_are_an_error_and_read_as_the_tags_meant():
    """`tags: #innovation` is a list left empty by a comment, not a syntax error: said at its line
    (not as "ska vara en lista"), and read as the tags meant so that the post's other fields are checked."""
    message = f"{HASHTAG}; skriv taggarna utan #, så här: "
    for text, line, tags, shown in [
            ("tags: #innovation #samverkan\ntitle: A", 2, ["innovation", "samverkan"], "tags: [innovation, samverkan]"),
            ("title: A\ntags: innovation, #samverkan", 3, ["innovation", "samverkan"], "tags: [innovation, samverkan]"),
            ("tags: [lokal mat] #samverkan, #C#", 2, ["lokal mat", "samverkan", "C#"],
             'tags: [lokal mat, samverkan, "C#"]')]:
        data, errors = load_yaml(text, "p.md", first_line=2)
        assert [(e.line, e.field, e.message) for e in errors] == [(line, "tags", message + shown)], text
        assert data["tags"] == tags and data.lines["tags"] == line
    data, errors = load_yaml("title: A\ntags:\n  - #innovation\n  - samverkan\n  - #lokal-mat", "p.md", first_line=2)
    item = f"{HASHTAG}; skriv taggen utan #, så här: "
    assert [(e.line, e.field, e.message) for e in errors] == [
        (4, "tags", item + "- innovation"), (6, "tags", item + "- lokal-mat")]
    assert data["tags"] == ["innovation", "samverkan", "lokal-mat"] and data["tags"].lines == [4, 5, 6]
    # A comment after a space is a comment.
    data, errors = load_yaml("tags: [innovation] # fler sen\nkind: möte\nauthors:\n  - # vem?\n", "p.md")
    assert errors == [] and data["tags"] == ["innovation"]


def test_invisible_characters_pasted_from_the_web_are_removed_with_a_warning(tmp_path):
    """A zero-width space before a field name made it unknown (two names that look the same), and in a
    date no date; a non-breaking space between a date and its time is read as a space."""
    path = tmp_path / "e.yaml"
    path.write_text('title: "Möte"\n\u200bsummary: "Kort"\nstart: "2027-05-12\u00a008.30"\n', encoding="utf-8")
    warnings: list = []
    text, errors = read_text(path, "e.yaml", warnings)
    assert errors == [] and "\u200b" not in text
    assert [str(w) for w in warnings] == [
        "e.yaml:2: ett osynligt tecken (U+200B, nollbreddsmellanslag) togs bort; det följer ofta med text som "
        "klistrats in från en webbsida"]
    from generator.content.dates import parse_moment, zone

    assert parse_moment("2027-05-12\u00a008.30", zone("Europe/Stockholm")).iso() == "2027-05-12T08:30:00+02:00"


def test_markdown_in_a_summary_is_a_warning_as_lists_and_feeds_show_it_as_written():
    from generator.content.load import _load_document

    warnings: list = []
    doc, errors = _load_document('---\ntitle: "A"\ndate: 2015-01-01\nsummary: "Om **lokal mat** i [Åre](https://are.se)"'
                                 "\n---\nText.\n", "post", "posts/a.md", "content/posts/a.md", "Europe/Stockholm", "r",
                                 warnings)
    assert errors == [] and doc is not None
    assert [str(w) for w in warnings] == [
        "content/posts/a.md:4: summary: summary är vanlig text, så ** visas som det står i listorna, sökresultaten "
        "och flödena; skriv sammanfattningen utan Markdown"]


def test_a_list_in_a_text_written_without_a_bar_is_a_warning_as_its_lines_are_joined():
    warnings: list = []
    data, errors = load_yaml("title: Fika\ndescription: Vi bjuder på fika.\n\n  - Kaffe\n  - Smörgås\n", "e.yaml",
                             warnings=warnings)
    assert errors == [] and data["description"] == "Vi bjuder på fika.\n- Kaffe - Smörgås"
    assert [str(w) for w in warnings] == [
        "e.yaml:4: description: raderna i description läses ihop till en enda rad, så en lista blir en enda punkt; "
        "skriv description: | och texten indragen på raderna under, så behålls radbrytningarna"]
    warnings.clear()
    load_yaml("description: |\n  Vi bjuder på:\n\n  - Kaffe\n  - Smörgås\n", "e.yaml", warnings=warnings)
    assert warnings == []


def test_a_folded_text_without_a_list_or_with_its_list_indented_further_is_no_warning():
    warnings: list = []
    load_yaml('programme:\n  - time: "11.30"\n    title: >\n      Lunch med Charles\n      på Kafé\n'
              '  - time: "14.00"\n    title: Fika\n', "e.yaml", warnings=warnings)
    load_yaml("summary: >\n  Inledning:\n    - Kaffe\n    - Smörgås\n", "e.yaml", warnings=warnings)
    assert warnings == [], "a > block ends before the next item; lines indented further keep their breaks"


def test_an_escape_written_on_purpose_in_double_quotes_is_read_as_yaml_reads_it():
    """\\U0001F600 (an emoji, as PyYAML and other tools write one), \\u00e5 and \\t are escapes written
    on purpose, not backslashes meant as written: no error, and the text has the characters."""
    data, errors = load_yaml('summary: "Glad \\U0001F600 och \\u00e5 och tab\\tslut"\n', "p.md", first_line=2)
    assert errors == [] and data["summary"] == "Glad \U0001F600 och å och tab\tslut"
    _, errors = load_yaml('summary: "Filerna i \\Projekt"\n', "p.md", first_line=2)
    assert [e.line for e in errors] == [2]  # \P with a word after it: meant as a backslash


def field_messages(model, text: str) -> list[str]:
    """The messages validating `text` (YAML from line 2) against `model` gives, without the missing fields'."""
    data, _ = load_yaml(text, "f.yaml", 2)
    _, errors = validate(model, data, "f.yaml", 1)
    return [str(e) for e in errors if not str(e).endswith("fältet saknas")]


@pytest.mark.parametrize("written, meant", [
    ("titel", "title"), ("rubrik", "title"), ("datum", "date"), ("taggar", "tags"), ("författare", "authors"),
    ("sammanfattning", "summary"), ("bild", "image"), ("Datum", "date"), ("forfattare", "authors"),
    ("utkast", "draft"), ("alt-text", "image_alt"), ("fokusområden", "focus_areas"), ("evenemang", "events"),
])
def test_a_post_field_written_in_swedish_gets_the_field_meant(written, meant):
    told, *checked = field_messages(PostMeta, f"{written}: x\n")
    assert told == f"f.yaml:2: {written}: okänt fält; menade du {meant!r}?"
    assert all(message.startswith(f"f.yaml:2: {meant}: ") for message in checked), checked  # x as the field meant


@pytest.mark.parametrize("text, message", [
    ("datum: 2026-03-03\n", "datum: okänt fält; menade du 'start'?"),
    ("sort: workshop\n", "sort: okänt fält; menade du 'kind'?"),
    ("plats:\n  kommun: Berg\n", "plats: okänt fält; menade du 'place'?\n"  # and what it holds, as the place's
     "place.kommun: okänt fält; menade du 'municipality'?"),
    ("place:\n  kommun: Berg\n", "place.kommun: okänt fält; menade du 'municipality'?"),
    ("anmälan:\n  url: https://example.org\n", "anmälan: okänt fält; menade du 'registration'?"),
    ("programme:\n- tid: '10.00'\n  title: Fika\n", "programme.tid: okänt fält; menade du 'time'?"),
])
def test_an_event_field_written_in_swedish_gets_the_field_meant(text, message):
    from generator.content.models import EventMeta

    assert [m.split(": ", 1)[1] for m in field_messages(EventMeta, "title: x\n" + text)] == message.split("\n")


def test_every_swedish_field_name_is_unknown_to_its_model_and_means_one_field():
    from generator.content import models

    for model in (models.PostMeta, models.PageMeta, models.EventMeta, models.Place, models.ProgrammeItem,
                  models.Registration, models.Stop, models.Link, models.Download, models.FocusAreaMeta,
                  models.Activity, models.Person, models.Organisation):
        names = [name for info in model.model_fields.values() for name in models.swedish_names(info)]
        assert len(names) == len(set(names)), model
        assert not set(names) & set(model.model_fields), model


@pytest.mark.parametrize("text, message", [
    ("status: inställt\n", "status: 'inställt' är inte tillåtet; menade du 'cancelled'?"),
    ("status: inställd\n", "status: 'inställd' är inte tillåtet; menade du 'cancelled'?"),
    ("status: genomfört\n", "status: 'genomfört' är inte tillåtet; menade du 'held'?"),
    ("status: Planerat\n", "status: 'Planerat' är inte tillåtet; menade du 'planned'?"),
    ("status: uppskjutet\n", "status: 'uppskjutet' är inte tillåtet; menade du 'postponed'?"),
    ("status: Cancelled\n", "status: 'Cancelled' är inte tillåtet; menade du 'cancelled'?"),
    ("kind: Workshop\n", "kind: 'Workshop' är inte tillåtet; menade du 'workshop'?"),
    ("kind: ideverkstad\n", "kind: 'ideverkstad' är inte tillåtet; menade du 'idéverkstad'?"),
    ("kind: seminarium\n", "kind: 'seminarium' är inte tillåtet; välj ett av: idéverkstad, workshop, lärresa, "
                           "möte, turné, sommarkontor, konferens"),
])
def test_an_event_value_in_swedish_or_other_capitals_gets_the_value_meant(text, message):
    from generator.content.models import EventMeta

    assert [m.split(": ", 1)[1] for m in field_messages(EventMeta, "title: x\n" + text)] == message.split("\n")


def test_an_activitys_status_in_other_capitals_gets_the_value_meant():
    from generator.content.models import FocusAreaMeta

    assert field_messages(FocusAreaMeta, "title: x\nactivities:\n- title: y\n  status: Pågår\n") == [
        "f.yaml:5: activities.status: 'Pågår' är inte tillåtet; menade du 'pågår'?"]


def test_the_swedish_words_for_an_events_status_are_those_its_description_explains_it_with():
    from generator.content.models import EventMeta, swedish_values

    field = EventMeta.model_fields["status"]
    assert [words[0] for words in swedish_values(field).values()] == [
        word for word in re.findall(r"(\w+) \(`", field.description.lower())]


def test_a_field_written_in_swedish_is_read_as_the_field_meant_for_its_other_problems():
    """`datum: 3 mars 2026` is told as `date` meant, and its value is checked as a date in the same run:
    no "date: fältet saknas" beside it, and no second build to learn that the date is written wrong."""
    data, _ = load_yaml("title: Vår\ndatum: 3 mars 2026\ntaggar: innovation", "p.md", 2)
    _, errors = validate(PostMeta, data, "p.md", 1)
    assert [(e.line, e.field, e.message) for e in errors] == [
        (3, "datum", "okänt fält; menade du 'date'?"),
        (3, "date", "'3 mars 2026' är inte skrivet som ÅÅÅÅ-MM-DD; skriv 2026-03-03"),
        (4, "taggar", "okänt fält; menade du 'tags'?"),
        (4, "tags", "ska vara en lista; skriv tags: [innovation]"),
    ]


def test_a_date_left_empty_or_not_a_date_is_told_in_swedish():
    _, errors = validate(PostMeta, load_yaml("title: A\ndate:\n", "p.md", 2)[0], "p.md", 1)
    assert [str(e) for e in errors] == [
        "p.md:3: date: fältet är tomt; skriv ÅÅÅÅ-MM-DD, t.ex. 2015-11-02, eller med tid 2015-11-02 10:00"]
